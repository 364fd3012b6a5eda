import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { apiTokenFor, bearer } from "./fixtures/api-token";

const appDir = path.resolve(__dirname, "../../app");

/**
 * Reachable without signing in, by design: the landing page, sign-in, the local outbox (how one signs in: open to
 * loopback requests only, see outbox-access.ui.spec.ts), auth, health, Inngest.
 */
const PUBLIC = [/^\/$/, /^\/signin(\/|$)/, /^\/outbox(\/|$)/, /^\/api\/auth\//, /^\/api\/health$/, /^\/api\/inngest$/];

/** Every page and route handler under app/, with dynamic segments filled in. */
function discoverRoutes() {
  const routes: { path: string; kind: "page" | "api"; methods: string[] }[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // Route groups "(app)" add no segment.
        walk(full, /^\(.*\)$/.test(entry.name) ? segments : [...segments, fill(entry.name)]);
      } else if (entry.name === "page.tsx") {
        routes.push({ path: `/${segments.join("/")}`, kind: "page", methods: ["GET"] });
      } else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const methods = [...source.matchAll(/export const (?:\{ ([A-Z, ]+) \}|(GET|POST|PUT|PATCH|DELETE))/g)].flatMap(
          (m) => (m[1] ?? m[2]).split(/,\s*/),
        );
        routes.push({ path: `/${segments.join("/")}`, kind: "api", methods });
      }
    }
  };
  walk(appDir, []);
  return routes;
}

function fill(segment: string) {
  if (segment.startsWith("[...")) {
    return "session";
  }
  if (segment === "[type]") {
    return "course_create";
  }
  if (segment === "[key]" || segment === "[keyOrUuid]") {
    return encodeURIComponent("edX+DemoX");
  }
  return segment.startsWith("[") ? "00000000-0000-4000-8000-000000000000" : segment;
}

test("every page and API route outside the public few requires a session or a token", async ({ request }) => {
  const routes = discoverRoutes().filter((r) => !PUBLIC.some((p) => p.test(r.path)));
  expect(routes.length).toBeGreaterThan(15);
  for (const route of routes) {
    for (const method of route.methods) {
      const response = await request.fetch(route.path, { method, maxRedirects: 0 });
      if (route.kind === "api") {
        expect(response.status(), `${method} ${route.path}`).toBe(401);
      } else {
        expect(response.status(), `${method} ${route.path}`).toBe(307);
        expect(response.headers()["location"], route.path).toMatch(/\/signin/);
      }
    }
  }
});

test("a revoked or an expired API token is refused (401) by every API route outside the public few", async ({
  request,
}) => {
  const routes = discoverRoutes().filter((r) => r.kind === "api" && !PUBLIC.some((p) => p.test(r.path)));
  const [revoked, expired] = [apiTokenFor("admin@example.com"), apiTokenFor("admin@example.com")];
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    const idOf = async (token: string) =>
      (
        await db.query<{ id: string }>(`select id from "ApiToken" where "tokenHash" = $1`, [
          createHash("sha256").update(token).digest("hex"),
        ])
      ).rows[0].id;
    // A token may revoke itself.
    expect((await request.delete(`/api/tokens/${await idOf(revoked)}`, { headers: bearer(revoked) })).status()).toBe(
      200,
    );
    await db.query(`update "ApiToken" set "expiresAt" = now() - interval '1 second' where id = $1`, [
      await idOf(expired),
    ]);
  } finally {
    await db.end();
  }

  for (const token of [revoked, expired]) {
    for (const route of routes) {
      for (const method of route.methods) {
        const response = await request.fetch(route.path, { method, headers: bearer(token), maxRedirects: 0 });
        expect(response.status(), `${method} ${route.path}`).toBe(401);
      }
    }
  }
});
