import { randomBytes, randomUUID } from "node:crypto";

import { Auth, skipCSRFCheck } from "@auth/core";
import { describe, expect, it } from "vitest";

import { authConfig } from "@/lib/auth/config";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createTestUser } from "@/tests/fixtures/factories";

// Sign-in through Auth.js's own request handling (@auth/core's Auth, which next-auth's route handlers and
// server actions call) with our real config, adapter and PostgreSQL: issue 11, findings 9, 11, 12, 13 and 18.
// Host-header forging (finding 1) needs next-auth's Next.js layer: tests/e2e/sign-in.api.spec.ts covers it.

const APP = new URL(env().APP_URL).origin;
const SESSION_COOKIE = APP.startsWith("https:") ? "__Secure-authjs.session-token" : "authjs.session-token";

/** A fresh client network (a random /64 of IPv6's documentation prefix), so tests never share an allowance. */
function testClient() {
  return `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;
}

function unknownAddress() {
  return `nobody-${randomUUID()}@example.test`;
}

/** What the route handler or the server action hands Auth.js; CSRF is the route's concern, not tested here. */
async function authRequest(
  path: string,
  { client = testClient(), form, cookie }: { client?: string; form?: Record<string, string>; cookie?: string } = {},
) {
  const headers = new Headers({ "x-forwarded-for": client });
  if (cookie) {
    headers.set("cookie", cookie);
  }
  if (form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
  }
  const request = new Request(`${APP}/api/auth/${path}`, {
    method: form ? "POST" : "GET",
    headers,
    body: form ? new URLSearchParams(form) : undefined,
  });
  return Auth(request, { ...authConfig(headers), skipCSRFCheck });
}

function requestLink(email: string, options: { client?: string; callbackUrl?: string; cookie?: string } = {}) {
  return authRequest("signin/email", {
    client: options.client,
    cookie: options.cookie,
    form: { email, callbackUrl: options.callbackUrl ?? "/" },
  });
}

async function magicLinks(email: string) {
  const messages = await db.emailMessage.findMany({ where: { to: email }, orderBy: { createdAt: "asc" } });
  return messages.map((m) => {
    const link = /(https?:\/\/[^\s]+\/api\/auth\/callback\/email\?[^\s]+)/.exec(m.text)?.[1];
    if (!link) {
      throw new Error(`No magic link in "${m.subject}"`);
    }
    return new URL(link);
  });
}

/** Visits a magic link the way the browser does: Auth.js's callback route. */
function visit(link: URL, cookie?: string) {
  return authRequest(`callback/email${link.search}`, { cookie });
}

function knownUser() {
  return createTestUser({ isStaff: true });
}

describe("known and unknown addresses look the same (finding 9)", () => {
  it("answers both with the same status and Location, and emails only the known one", async () => {
    const user = await knownUser();
    const stranger = unknownAddress();

    const known = await requestLink(user.email);
    const unknown = await requestLink(stranger);

    expect(known.status).toBe(302);
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers.get("location")).toBe(known.headers.get("location"));
    expect(await db.emailMessage.count({ where: { to: user.email } })).toBe(1);
    expect(await db.emailMessage.count({ where: { to: stranger } })).toBe(0);
    expect(await db.verificationToken.count({ where: { identifier: stranger } })).toBe(0);
  });
});

describe("sign-in email limits (finding 11)", () => {
  it("sends at most 5 emails per address in 15 minutes, and the refusal is the same for known and unknown addresses", async () => {
    const user = await knownUser();
    const stranger = unknownAddress();

    const first = await requestLink(user.email);
    for (let i = 0; i < 4; i++) {
      expect((await requestLink(user.email)).headers.get("location")).toBe(first.headers.get("location"));
      await requestLink(stranger);
    }
    await requestLink(stranger);
    const knownRefused = await requestLink(user.email);
    const unknownRefused = await requestLink(stranger);

    const refusal = knownRefused.headers.get("location")!;
    expect(new URL(refusal).origin).toBe(APP);
    expect(new URL(refusal).pathname).toBe("/signin");
    expect(new URL(refusal).searchParams.get("error")).toBe("EmailLimitForAddress");
    expect(Number(new URL(refusal).searchParams.get("retryMinutes"))).toBe(15);
    expect(unknownRefused.status).toBe(knownRefused.status);
    expect(unknownRefused.headers.get("location")).toBe(refusal);
    expect(await db.emailMessage.count({ where: { to: user.email } })).toBe(5);
    // Refused requests are not counted, so they never push the end of the wait further out.
    expect(await db.rateLimitHit.count({ where: { key: user.email } })).toBe(5);
  });

  it("starts an address's count again once its owner signs in with a link", async () => {
    const user = await knownUser();
    for (let i = 0; i < 5; i++) {
      await requestLink(user.email);
    }
    const links = await magicLinks(user.email);
    expect((await visit(links[4])).headers.get("location")).toBe(`${APP}/`);

    const again = await requestLink(user.email);

    expect(new URL(again.headers.get("location")!).pathname).toBe("/api/auth/verify-request");
    expect(await magicLinks(user.email)).toHaveLength(6);
  });

  it("counts the minutes until the oldest email in the window leaves it, and forgets hits older than the window", async () => {
    const stranger = unknownAddress();
    const now = Date.now();
    // Four hits long gone, then five within the window, the oldest 11 minutes ago.
    await db.rateLimitHit.createMany({
      data: [
        ...[60, 50, 40, 30].map((minutes) => ({ minutes })),
        ...[11, 9, 5, 3, 1].map((minutes) => ({ minutes })),
      ].map(({ minutes }) => ({
        bucket: "sign-in-email:address",
        key: stranger,
        createdAt: new Date(now - minutes * 60_000),
      })),
    });

    const refused = await requestLink(stranger);

    expect(new URL(refused.headers.get("location")!).searchParams.get("retryMinutes")).toBe("4");
    expect(await db.rateLimitHit.count({ where: { key: stranger } })).toBe(5);
  });

  it("sends at most 30 emails per client in 15 minutes, whichever addresses it asks for", async () => {
    const client = testClient();
    const verify = (await requestLink(unknownAddress(), { client })).headers.get("location");
    for (let i = 1; i < 30; i++) {
      expect((await requestLink(unknownAddress(), { client })).headers.get("location")).toBe(verify);
    }

    const refused = new URL((await requestLink(unknownAddress(), { client })).headers.get("location")!);
    expect(refused.searchParams.get("error")).toBe("EmailLimitForClient");
    expect((await requestLink(unknownAddress())).headers.get("location")).toBe(verify);
  });

  it("turns away an address longer than any account's before counting it", async () => {
    const long = `${"a".repeat(5000)}@example.test`;

    const response = await requestLink(long);

    expect(response.headers.get("location")).toBe(`${APP}/signin?error=InvalidEmail`);
    expect(await db.rateLimitHit.count({ where: { key: long } })).toBe(0);
  });

  it("keeps only the newest link of an address alive", async () => {
    const user = await knownUser();
    await requestLink(user.email);
    await requestLink(user.email);
    await requestLink(user.email);

    const links = await magicLinks(user.email);
    expect(links).toHaveLength(3);
    expect(await db.verificationToken.count({ where: { identifier: user.email } })).toBe(1);
    const older = await visit(links[0]);
    expect(new URL(older.headers.get("location")!).searchParams.get("error")).toBe("Verification");
    const newest = await visit(links[2]);
    expect(newest.headers.get("location")).toBe(`${APP}/`);
    expect(newest.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
  });
});

describe("callbackUrl (findings 1 and 12)", () => {
  it("sends the user only to same-origin APP_URL targets after signing in", async () => {
    const user = await knownUser();
    const evil = [
      "https://evil.example/",
      "//evil.example/",
      "/\t/evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/.//evil.example",
      "javascript:alert(1)",
    ];
    const config = authConfig(new Headers());
    for (const url of evil) {
      const target = await config.callbacks!.redirect!({ url, baseUrl: "https://evil.example" });
      expect(new URL(target).origin, url).toBe(APP);
      expect(target, url).not.toMatch(/evil/);
    }
    expect(await config.callbacks!.redirect!({ url: "/courses?q=1#top", baseUrl: "https://evil.example" })).toBe(
      `${APP}/courses?q=1#top`,
    );
    expect(await config.callbacks!.redirect!({ url: `${APP}/courses`, baseUrl: APP })).toBe(`${APP}/courses`);

    await requestLink(user.email, { callbackUrl: "/\t/evil.example" });
    const [link] = await magicLinks(user.email);
    expect(link.searchParams.get("callbackUrl")).toBe(`${APP}/`);
    expect((await visit(link)).headers.get("location")).toBe(`${APP}/`);
  });
});

describe("a cookie for a deleted session (finding 13)", () => {
  it("counts as signed out: the browser can still sign in by email", async () => {
    const user = await knownUser();
    const sessionToken = randomUUID();
    await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) } });
    await db.session.delete({ where: { sessionToken } });
    const cookie = `${SESSION_COOKIE}=${sessionToken}`;

    const session = await authRequest("session", { cookie });
    expect(session.status).toBe(200);
    expect(await session.json()).toBeNull();

    await requestLink(user.email, { cookie, callbackUrl: "/courses" });
    const [link] = await magicLinks(user.email);
    const signedIn = await visit(link, cookie);

    expect(signedIn.headers.get("location")).toBe(`${APP}/courses`);
    const newCookie = signedIn.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    const newToken = newCookie?.split(";")[0].split("=")[1];
    expect(newToken).toBeTruthy();
    expect(await db.session.findUnique({ where: { sessionToken: newToken } })).toMatchObject({ userId: user.id });
  });
});

describe("single sign-on links accounts by email only when the provider verified it (finding 18)", () => {
  it("refuses unless email_verified is true", async () => {
    const user = await knownUser();
    const signIn = authConfig(new Headers()).callbacks!.signIn!;
    const attempt = (email_verified: unknown, email = user.email) =>
      signIn({
        user: { email },
        account: { type: "oidc", provider: "oidc", providerAccountId: `sub-${randomUUID()}` },
        profile: { email, email_verified } as never,
      });

    expect(await attempt(true)).toBe(true);
    expect(await attempt("true")).toBe(true);
    for (const unverified of [undefined, null, false, "false", 1, "yes", ""]) {
      expect(await attempt(unverified), String(unverified)).toBe(false);
    }
    expect(await attempt(true, unknownAddress())).toBe(false);
  });
});
