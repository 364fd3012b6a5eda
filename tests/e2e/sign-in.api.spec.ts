import { randomBytes, randomUUID } from "node:crypto";

import { type APIRequestContext, type APIResponse, expect, test } from "@playwright/test";
import pg from "pg";

// Sign-in over real HTTP against the production build (issue 11, findings 1, 9, 11, 12, 13): both ways in,
// the /signin form's server action and Auth.js's POST /api/auth/signin/email, with headers an attacker chooses.

const APP = `http://localhost:${process.env.E2E_PORT}`;
const APP_HOST = new URL(APP).host;
const SESSION_COOKIE = "authjs.session-token";

let db: pg.Pool;
test.beforeAll(() => {
  db = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
});
test.afterAll(async () => {
  await db.end();
});

async function createUser() {
  const email = `sign-in-${randomUUID()}@example.test`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "User" (id, email, "isStaff", "updatedAt") VALUES (gen_random_uuid(), $1, true, now()) RETURNING id`,
    [email],
  );
  return { id: rows[0].id, email };
}

function unknownAddress() {
  return `nobody-${randomUUID()}@example.test`;
}

/** A fresh client per test (a random /64 of IPv6's documentation prefix): the app takes X-Forwarded-For's last entry. */
function testClient() {
  return `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;
}

async function emailsTo(address: string) {
  const { rows } = await db.query<{ subject: string; html: string; text: string }>(
    `SELECT subject, html, text FROM "EmailMessage" WHERE "to" = $1 ORDER BY "createdAt"`,
    [address],
  );
  return rows;
}

/** The links a reader could follow: the HTML part's hrefs and the URLs in the text part. */
function urlsIn(message: { html: string; text: string }) {
  const hrefs = [...message.html.matchAll(/href="([^"]*)"/g)].map((m) => decodeHtml(m[1]));
  return [...hrefs, ...[...message.text.matchAll(/https?:\/\/[^\s\])]+/g)].map((m) => m[0])];
}

type Headers = Record<string, string>;

/** Auth.js's endpoint, as a script would call it: CSRF token first, then the form post. */
async function requestLinkByEndpoint(
  request: APIRequestContext,
  email: string,
  { headers = {}, callbackUrl = "/courses" }: { headers?: Headers; callbackUrl?: string } = {},
) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/signin/email", {
    form: { email, csrfToken, callbackUrl },
    headers,
    maxRedirects: 0,
  });
}

/** The /signin form's server action, posted the way a browser without JavaScript submits it. */
async function requestLinkByForm(
  request: APIRequestContext,
  email: string,
  { headers = {}, callbackUrl = "/courses" }: { headers?: Headers; callbackUrl?: string } = {},
) {
  const page = await (await request.get(`/signin?${new URLSearchParams({ callbackUrl })}`)).text();
  // The email form: a signed-in page also has the header's sign-out form.
  const form = [...page.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].find((f) => f[1].includes('name="email"'))?.[1];
  if (!form) {
    throw new Error("No form on /signin");
  }
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    if (name) {
      fields[name] = decodeHtml(/value="([^"]*)"/.exec(input[0])?.[1] ?? "");
    }
  }
  return request.post("/signin", { multipart: { ...fields, email }, headers, maxRedirects: 0 });
}

function decodeHtml(value: string) {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const WAYS_IN = [
  ["the /signin form", requestLinkByForm],
  ["POST /api/auth/signin/email", requestLinkByEndpoint],
] as const;

/** The page's card, what it shows a person (the rest of the HTML also carries the request's URL for React). */
function cardOf(html: string) {
  return /<section[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
}

/** The page a Location leads to, as a person sees it: the card's text. */
async function pageAt(request: APIRequestContext, response: APIResponse) {
  const location = response.headers()["location"];
  return cardOf(await (await request.get(new URL(location, APP).href)).text())
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

test.describe("links and redirects come from APP_URL, whatever the request's headers say (finding 1)", () => {
  const forgeries: [string, (evil: string) => Headers][] = [
    ["Host", (evil) => ({ host: evil, origin: `http://${evil}` })],
    [
      "X-Forwarded-Host",
      (evil) => ({ "x-forwarded-host": evil, "x-forwarded-proto": "https", origin: `https://${evil}` }),
    ],
  ];
  for (const [way, requestLink] of WAYS_IN) {
    for (const [header, forge] of forgeries) {
      test(`${way} with a forged ${header}`, async ({ request }) => {
        const user = await createUser();
        const evil = `evil-${randomBytes(3).toString("hex")}.example`;

        const response = await requestLink(request, user.email, {
          headers: { ...forge(evil), "x-forwarded-for": testClient() },
        });

        expect(response.status(), await response.text()).toBeGreaterThanOrEqual(300);
        expect(response.status()).toBeLessThan(400);
        expect(new URL(response.headers()["location"], APP).origin).toBe(APP);
        const [email, ...more] = await emailsTo(user.email);
        expect(more).toEqual([]);
        expect(email.subject).toBe(`Sign in to ${APP_HOST}`);
        const urls = urlsIn(email);
        expect(urls.length).toBeGreaterThan(0);
        for (const url of urls) {
          expect(new URL(url).origin, url).toBe(APP);
        }
        expect(`${email.html} ${email.text}`).not.toContain(evil);
      });
    }
  }
});

test.describe("an address with an account and one without get the same answer (finding 9)", () => {
  for (const [way, requestLink] of WAYS_IN) {
    test(way, async ({ request }) => {
      const client = testClient();
      const ask = async (email: string) => {
        const started = performance.now();
        const response = await requestLink(request, email, { headers: { "x-forwarded-for": client } });
        return { response, ms: performance.now() - started };
      };
      const known: { response: APIResponse; ms: number }[] = [];
      const unknown: { response: APIResponse; ms: number }[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await ask((await createUser()).email));
        unknown.push(await ask(unknownAddress()));
      }

      for (const { response } of [...known, ...unknown]) {
        expect(response.status()).toBe(known[0].response.status());
        expect(response.headers()["location"]).toBe(known[0].response.headers()["location"]);
      }
      expect(await pageAt(request, unknown[0].response)).toBe(await pageAt(request, known[0].response));
      // Same order of magnitude: the medians stay within a factor of 5 of each other.
      const median = (samples: { ms: number }[]) => samples.map((s) => s.ms).sort((a, b) => a - b)[2];
      const [fast, slow] = [median(known), median(unknown)].sort((a, b) => a - b);
      expect(slow / fast, `known ${median(known)} ms, unknown ${median(unknown)} ms`).toBeLessThan(5);
    });
  }
});

test.describe("sign-in emails are limited (finding 11)", () => {
  for (const [way, requestLink] of WAYS_IN) {
    test(`${way}: five per address, then the same refusal for a known and an unknown address`, async ({ request }) => {
      const user = await createUser();
      const stranger = unknownAddress();
      const headers = { "x-forwarded-for": testClient() };
      for (let i = 0; i < 5; i++) {
        await requestLink(request, user.email, { headers });
        await requestLink(request, stranger, { headers });
      }

      const knownRefused = await requestLink(request, user.email, { headers });
      const unknownRefused = await requestLink(request, stranger, { headers });

      expect(unknownRefused.status()).toBe(knownRefused.status());
      expect(unknownRefused.headers()["location"]).toBe(knownRefused.headers()["location"]);
      expect(await pageAt(request, knownRefused)).toContain(
        "Too many sign-in emails requested for this address; try again in 15 minutes.",
      );
      expect(await emailsTo(user.email)).toHaveLength(5);
      const { rows } = await db.query(`SELECT 1 FROM "VerificationToken" WHERE identifier = $1`, [user.email]);
      expect(rows).toHaveLength(1);
    });
  }
});

test.describe("callbackUrl leads only to this app (finding 12)", () => {
  const outside = [
    "/\t/evil.example",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\n/evil.example",
  ];

  test("the sign-in page keeps no outside target, for a visitor or a signed-in user", async ({ playwright }) => {
    const user = await createUser();
    const sessionToken = randomUUID();
    await db.query(
      `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, now() + interval '1 day', now())`,
      [sessionToken, user.id],
    );
    const signedIn = await playwright.request.newContext({
      baseURL: APP,
      storageState: {
        cookies: [
          {
            name: SESSION_COOKIE,
            value: sessionToken,
            domain: "localhost",
            path: "/",
            expires: -1,
            httpOnly: true,
            secure: false,
            sameSite: "Lax",
          },
        ],
        origins: [],
      },
    });
    const visitor = await playwright.request.newContext({ baseURL: APP });
    try {
      for (const target of outside) {
        for (const context of [visitor, signedIn]) {
          const html = await (await context.get(`/signin?${new URLSearchParams({ callbackUrl: target })}`)).text();
          const kept = [...html.matchAll(/name="callbackUrl" value="([^"]*)"/g)].map((m) => decodeHtml(m[1]));
          expect(kept.length, JSON.stringify(target)).toBeGreaterThan(0);
          expect(new Set(kept), JSON.stringify(target)).toEqual(new Set(["/"]));
        }
        const card = cardOf(
          await (await signedIn.get(`/signin?${new URLSearchParams({ callbackUrl: target })}`)).text(),
        );
        expect(card).toContain(`You are signed in as <!-- -->${user.email}`);
        expect(card, JSON.stringify(target)).toContain('<a href="/">Continue</a>');
        expect(card, JSON.stringify(target)).not.toContain("evil.example");
      }
      const kept = await (
        await visitor.get(`/signin?${new URLSearchParams({ callbackUrl: "/courses?q=a#b" })}`)
      ).text();
      expect(kept).toContain('name="callbackUrl" value="/courses?q=a#b"');
    } finally {
      await signedIn.dispose();
      await visitor.dispose();
    }
  });

  for (const [way, requestLink] of WAYS_IN) {
    test(`${way}: the magic link returns to this app`, async ({ request }) => {
      const user = await createUser();
      for (const target of outside) {
        await requestLink(request, user.email, { callbackUrl: target, headers: { "x-forwarded-for": testClient() } });
      }
      const emails = await emailsTo(user.email);
      expect(emails).toHaveLength(outside.length);
      for (const email of emails) {
        const link = new URL(urlsIn(email).find((u) => u.includes("/api/auth/callback/email"))!);
        expect(new URL(link.searchParams.get("callbackUrl")!).origin).toBe(APP);
      }
    });
  }
});

test("a browser whose session was deleted signs in again (finding 13)", async ({ playwright }) => {
  const user = await createUser();
  const sessionToken = randomUUID();
  await db.query(
    `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, now() + interval '1 day', now())`,
    [sessionToken, user.id],
  );
  await db.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [sessionToken]);
  const browser = await playwright.request.newContext({
    baseURL: APP,
    storageState: {
      cookies: [
        {
          name: SESSION_COOKIE,
          value: sessionToken,
          domain: "localhost",
          path: "/",
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: "Lax",
        },
      ],
      origins: [],
    },
  });
  try {
    const page = await browser.get("/courses", { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers()["location"]).toMatch(/^\/signin\?callbackUrl=/);
    expect((await browser.get("/signin")).status()).toBe(200);

    await requestLinkByForm(browser, user.email, { headers: { "x-forwarded-for": testClient() } });
    const link = urlsIn((await emailsTo(user.email))[0]).find((u) => u.includes("/api/auth/callback/email"))!;
    const visited = await browser.get(link, { maxRedirects: 0 });

    expect(visited.headers()["location"]).toBe(`${APP}/courses`);
    const session = (await (await browser.get("/api/auth/session")).json()) as { user?: { email?: string } } | null;
    expect(session?.user?.email).toBe(user.email);
  } finally {
    await browser.dispose();
  }
});
