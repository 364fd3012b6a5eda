import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createApiToken, findUserByApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { canActOnOrganization, getActingUser, requireUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

import { createTestOrg, createTestUser } from "../fixtures/factories";

function bearer(token: string) {
  return new Request("http://localhost/api/bulk-operations", { headers: { Authorization: `Bearer ${token}` } });
}

async function appErrorCode(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("API tokens", () => {
  it("returns the plaintext once and stores only its SHA-256", async () => {
    const user = await createTestUser();
    const { id, token } = await createApiToken({ userId: user.id, name: "ci" });

    expect(token).toMatch(/^cbo_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.lastUsedAt).toBeNull();
  });

  it("finds the owner of a live token and records its use", async () => {
    const user = await createTestUser();
    const { id, token } = await createApiToken({ userId: user.id, name: "ci" });

    expect((await findUserByApiToken(token))?.id).toBe(user.id);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeInstanceOf(Date);
  });

  it("ignores unknown, malformed and revoked tokens", async () => {
    const user = await createTestUser();
    const { id, token } = await createApiToken({ userId: user.id, name: "ci" });

    expect(await findUserByApiToken(`cbo_${"A".repeat(43)}`)).toBeNull();
    expect(await findUserByApiToken("not-a-token")).toBeNull();
    expect(await findUserByApiToken(token.slice(0, -1))).toBeNull();

    await revokeApiToken({ userId: user.id, tokenId: id });
    await revokeApiToken({ userId: user.id, tokenId: id });
    expect(await findUserByApiToken(token)).toBeNull();
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeInstanceOf(Date);
  });

  it("lets only the owner revoke a token", async () => {
    const [owner, other] = await Promise.all([createTestUser(), createTestUser()]);
    const { id, token } = await createApiToken({ userId: owner.id, name: "ci" });

    expect(await appErrorCode(revokeApiToken({ userId: other.id, tokenId: id }))).toBe("NOT_FOUND");
    expect((await findUserByApiToken(token))?.id).toBe(owner.id);
  });
});

describe("acting user from a bearer token", () => {
  it("loads the user with their memberships", async () => {
    const org = await createTestOrg();
    const user = await createTestUser({ memberships: [{ organization: org, role: "author" }] });
    const { token } = await createApiToken({ userId: user.id, name: "ci" });

    const acting = await requireUser(bearer(token));
    expect(acting).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      name: user.name,
      isStaff: false,
      memberships: [{ organizationId: org.id, organizationKey: org.key, role: "author" }],
    });
    expect(canActOnOrganization(acting, org.id)).toBe(true);
    expect(canActOnOrganization(acting, (await createTestOrg()).id)).toBe(false);
  });

  it("lets staff act on any organization without a membership", async () => {
    const staff = await createTestUser({ isStaff: true });
    const { token } = await createApiToken({ userId: staff.id, name: "ci" });

    const acting = await requireUser(bearer(token));
    expect(acting.memberships).toEqual([]);
    expect(canActOnOrganization(acting, (await createTestOrg()).id)).toBe(true);
  });

  it("rejects a bad or revoked token as unauthenticated, without falling back to a session", async () => {
    const user = await createTestUser({ isStaff: true });
    const { id, token } = await createApiToken({ userId: user.id, name: "ci" });
    await revokeApiToken({ userId: user.id, tokenId: id });

    expect(await getActingUser(bearer(token))).toBeNull();
    expect(await appErrorCode(requireUser(bearer(token)))).toBe("UNAUTHENTICATED");
    const basic = new Request("http://localhost/", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    expect(await appErrorCode(requireUser(basic))).toBe("UNAUTHENTICATED");
  });

  it("forbids a user who is neither staff nor a member", async () => {
    const user = await createTestUser();
    const { token } = await createApiToken({ userId: user.id, name: "ci" });

    expect(await getActingUser(bearer(token))).toMatchObject({ id: user.id, memberships: [] });
    expect(await appErrorCode(requireUser(bearer(token)))).toBe("FORBIDDEN");
  });
});
