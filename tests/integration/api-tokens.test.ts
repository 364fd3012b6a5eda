import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";
import { ZodError } from "zod";

import * as tokenRoute from "@/app/api/tokens/[id]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import { createApiTokenSchema } from "@/lib/auth/api-token-schemas";
import {
  MAX_LIVE_API_TOKENS,
  createApiToken,
  findUserByApiToken,
  listApiTokens,
  revokeApiToken,
} from "@/lib/auth/api-tokens";
import { canActOnOrganization, getActingUser, requireUser } from "@/lib/auth/require-user";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

import { createTestOrg, createTestUser } from "../fixtures/factories";

const run = promisify(execFile);

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

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a rejected promise rejected with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>) {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) {
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  }
  return outcome.error;
}

/** The fields a ZodError names, in order. */
async function invalidFields(promise: Promise<unknown>) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ZodError);
  return (error as ZodError).issues.map((i) => i.path.join("."));
}

async function expire(tokenId: string) {
  await db.apiToken.update({ where: { id: tokenId }, data: { expiresAt: new Date(Date.now() - 1000) } });
}

describe("API token expiry", () => {
  it("expires 90 days after creation by default, or after expiresInDays", async () => {
    const user = await createTestUser();
    const before = Date.now();
    const byDefault = await createApiToken({ userId: user.id, name: "default" });
    const week = await createApiToken({ userId: user.id, name: "week", expiresInDays: 7 });
    const after = Date.now();

    for (const [created, days] of [
      [byDefault, 90],
      [week, 7],
    ] as const) {
      const expiresAt = new Date(created.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + days * DAY_MS);
      expect(expiresAt).toBeLessThanOrEqual(after + days * DAY_MS);
      const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
      expect(row.expiresAt?.toISOString()).toBe(created.expiresAt);
    }
    expect(byDefault).toMatchObject({ name: "default", token: expect.stringMatching(/^cbo_/) as unknown });
  });

  it("refuses an expired token: no owner, and requireUser says unauthenticated", async () => {
    const user = await createTestUser({ isStaff: true });
    const { id, token } = await createApiToken({ userId: user.id, name: "ci", expiresInDays: 1 });
    expect((await findUserByApiToken(token))?.id).toBe(user.id);

    await expire(id);
    expect(await findUserByApiToken(token)).toBeNull();
    expect(await appErrorCode(requireUser(bearer(token)))).toBe("UNAUTHENTICATED");
  });

  it("validates the name (trimmed, 1–100 characters) and expiresInDays (whole days, 1–365), naming the field", async () => {
    const user = await createTestUser();
    const create = (input: Record<string, unknown>) =>
      createApiToken({ userId: user.id, ...(input as { name: string }) });

    expect(await invalidFields(create({ name: "   " }))).toEqual(["name"]);
    expect(await invalidFields(create({ name: "x".repeat(101) }))).toEqual(["name"]);
    expect(await invalidFields(create({ name: 42 }))).toEqual(["name"]);
    for (const expiresInDays of [0, 366, 1.5, "30", null, -1]) {
      expect(await invalidFields(create({ name: "ci", expiresInDays })), String(expiresInDays)).toEqual([
        "expiresInDays",
      ]);
    }
    const trimmed = await create({ name: `  ${"y".repeat(100)}  `, expiresInDays: 365 });
    expect(trimmed.name).toBe("y".repeat(100));
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses unknown fields in the request body schema", () => {
    const parsed = createApiTokenSchema.safeParse({ name: "ci", expiresInDays: 30, neverExpires: true });
    expect(parsed.success).toBe(false);
    expect(createApiTokenSchema.parse({ name: " ci " })).toEqual({ name: "ci", expiresInDays: 90 });
  });
});

describe("API token limit", () => {
  it(`lets a user hold at most ${MAX_LIVE_API_TOKENS} live tokens, even when created at once; revoked and expired ones do not count`, async () => {
    const user = await createTestUser();
    const outcomes = await Promise.allSettled(
      Array.from({ length: MAX_LIVE_API_TOKENS + 5 }, (_, i) => createApiToken({ userId: user.id, name: `t${i}` })),
    );
    const created = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(created).toHaveLength(MAX_LIVE_API_TOKENS);
    expect(refused).toHaveLength(5);
    for (const error of refused) {
      expect(error).toMatchObject({ code: "CONFLICT", status: 409 });
      expect((error as Error).message).toMatch(/revoke/i);
    }

    await revokeApiToken({ userId: user.id, tokenId: created[0].id });
    await createApiToken({ userId: user.id, name: "after revoking" });
    await expect(createApiToken({ userId: user.id, name: "over" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expire(created[1].id);
    await createApiToken({ userId: user.id, name: "after expiry" });
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(MAX_LIVE_API_TOKENS + 2);
  });
});

describe("listing and revoking API tokens", () => {
  it("lists only the owner's tokens, newest first, with their status and never the secret or its hash", async () => {
    const [owner, other] = await Promise.all([createTestUser(), createTestUser()]);
    const first = await createApiToken({ userId: owner.id, name: "first" });
    const second = await createApiToken({ userId: owner.id, name: "second" });
    const third = await createApiToken({ userId: owner.id, name: "third" });
    const theirs = await createApiToken({ userId: other.id, name: "theirs" });
    await findUserByApiToken(third.token);
    await revokeApiToken({ userId: owner.id, tokenId: second.id });
    await expire(first.id);

    const listed = await listApiTokens({ userId: owner.id, page: 1, pageSize: 50 });
    expect(listed).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(listed.items.map((t) => [t.name, t.status])).toEqual([
      ["third", "active"],
      ["second", "revoked"],
      ["first", "expired"],
    ]);
    expect(Object.keys(listed.items[0]).sort()).toEqual(
      ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "revokedAt", "status"].sort(),
    );
    expect(listed.items[0].lastUsedAt).toEqual(expect.any(String));
    expect(listed.items[1].revokedAt).toEqual(expect.any(String));
    const text = JSON.stringify(listed);
    for (const created of [first, second, third, theirs]) {
      expect(text).not.toContain(created.token.slice(4));
      const { tokenHash } = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
      expect(text).not.toContain(tokenHash);
    }
    expect(text).not.toContain(theirs.id);

    const secondPage = await listApiTokens({ userId: owner.id, page: 2, pageSize: 2 });
    expect(secondPage.items.map((t) => t.name)).toEqual(["first"]);
  });

  it("revokes the owner's token and answers its summary; again is fine; another user's or a malformed id is not found", async () => {
    const [owner, other] = await Promise.all([createTestUser(), createTestUser()]);
    const { id, token } = await createApiToken({ userId: owner.id, name: "ci" });

    expect(await appErrorCode(revokeApiToken({ userId: other.id, tokenId: id }))).toBe("NOT_FOUND");
    expect(await appErrorCode(revokeApiToken({ userId: owner.id, tokenId: "not-a-uuid" }))).toBe("NOT_FOUND");
    expect(
      await appErrorCode(revokeApiToken({ userId: owner.id, tokenId: "00000000-0000-4000-8000-000000000000" })),
    ).toBe("NOT_FOUND");
    expect((await findUserByApiToken(token))?.id).toBe(owner.id);

    const revoked = await revokeApiToken({ userId: owner.id, tokenId: id });
    expect(revoked).toMatchObject({ id, name: "ci", status: "revoked", revokedAt: expect.any(String) as unknown });
    expect(await revokeApiToken({ userId: owner.id, tokenId: id })).toEqual(revoked);
    expect(await findUserByApiToken(token)).toBeNull();
  });
});

describe("API tokens: HTTP", () => {
  const base = "http://localhost/api/tokens";
  const noParams = { params: Promise.resolve({} as Record<string, never>) };
  const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
  const request = (token: string, method: string, { body, url = base }: { body?: unknown; url?: string } = {}) =>
    new Request(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("GET lists the caller's own tokens; DELETE revokes the caller's own (200, again 200), 404 for others' and malformed ids", async () => {
    const org = await createTestOrg();
    const [owner, other] = await Promise.all([
      createTestUser({ memberships: [{ organization: org }] }),
      createTestUser({ memberships: [{ organization: org }] }),
    ]);
    const mine = await createApiToken({ userId: owner.id, name: "mine" });
    const spare = await createApiToken({ userId: owner.id, name: "spare" });
    const theirs = await createApiToken({ userId: other.id, name: "theirs" });

    const listed = await tokensRoute.GET(request(mine.token, "GET", { url: `${base}?pageSize=10` }), noParams);
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { items: { id: string; name: string; status: string }[]; total: number };
    expect(body.total).toBe(2);
    expect(body.items.map((t) => [t.id, t.name, t.status])).toEqual([
      [spare.id, "spare", "active"],
      [mine.id, "mine", "active"],
    ]);
    expect(JSON.stringify(body)).not.toContain(mine.token.slice(4));

    for (const id of [theirs.id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const response = await tokenRoute.DELETE(request(mine.token, "DELETE"), idParams(id));
      expect(response.status, id).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
    expect((await findUserByApiToken(theirs.token))?.id).toBe(other.id);

    const revoked = await tokenRoute.DELETE(request(mine.token, "DELETE"), idParams(spare.id));
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: spare.id, status: "revoked" });
    expect((await tokenRoute.DELETE(request(mine.token, "DELETE"), idParams(spare.id))).status).toBe(200);
    expect((await tokensRoute.GET(request(spare.token, "GET"), noParams)).status).toBe(401);

    // A token may revoke itself; it is refused from then on.
    expect((await tokenRoute.DELETE(request(mine.token, "DELETE"), idParams(mine.id))).status).toBe(200);
    const afterwards = await tokensRoute.GET(request(mine.token, "GET"), noParams);
    expect(afterwards.status).toBe(401);
    expect(await afterwards.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });

  it("POST with a token is refused (403): tokens are created in the browser session or with npm run token", async () => {
    const user = await createTestUser({ isStaff: true });
    const { token } = await createApiToken({ userId: user.id, name: "ci" });

    const response = await tokensRoute.POST(
      request(token, "POST", { body: { name: "child", expiresInDays: 7 } }),
      noParams,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: { code: "FORBIDDEN", message: expect.stringMatching(/session/) },
    });
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(1);
  });

  it("an expired token gets 401 from every token route", async () => {
    const user = await createTestUser({ isStaff: true });
    const { id, token } = await createApiToken({ userId: user.id, name: "ci" });
    await expire(id);

    for (const response of [
      await tokensRoute.GET(request(token, "GET"), noParams),
      await tokensRoute.POST(request(token, "POST", { body: { name: "x" } }), noParams),
      await tokenRoute.DELETE(request(token, "DELETE"), idParams(id)),
    ]) {
      expect(response.status).toBe(401);
    }
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });
});

describe("npm run token", () => {
  const runToken = (args: string[]) =>
    run(path.resolve("node_modules/.bin/tsx"), ["--tsconfig", "tsconfig.scripts.json", "scripts/token.ts", ...args], {
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("prints only the new token on stdout, named and expiring as asked (90 days by default)", async () => {
    const user = await createTestUser();
    const named = await runToken([user.email, "--name", "deploy script", "--expires-in-days", "7"]);
    const plain = await runToken([user.email]);

    for (const [outcome, days] of [
      [named, 7],
      [plain, 90],
    ] as const) {
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout).toMatch(/^cbo_[A-Za-z0-9_-]{43}\n$/);
      const owner = await findUserByApiToken(outcome.stdout.trim());
      expect(owner?.id).toBe(user.id);
      const row = await db.apiToken.findUniqueOrThrow({
        where: { tokenHash: createHash("sha256").update(outcome.stdout.trim()).digest("hex") },
      });
      const remaining = (row.expiresAt?.getTime() ?? 0) - Date.now();
      expect(remaining).toBeGreaterThan((days - 1) * DAY_MS);
      expect(remaining).toBeLessThanOrEqual(days * DAY_MS);
    }
    expect(
      (await db.apiToken.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } })).map((t) => t.name)[0],
    ).toBe("deploy script");
  });

  it("refuses a bad expiry or an unknown option with a message and no token", async () => {
    const user = await createTestUser();
    for (const args of [
      ["--expires-in-days", "0"],
      ["--expires-in-days", "never"],
      ["--expires-in-days", "400"],
      ["--name", " "],
      ["--forever"],
    ]) {
      const outcome = await runToken([user.email, ...args]);
      expect(outcome.code, args.join(" ")).not.toBe(0);
      expect(outcome.stdout).toBe("");
      expect(outcome.stderr).toMatch(/expires-in-days|name|forever/);
    }
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(0);
  });
});
