import pg from "pg";
import { describe, expect, it, vi } from "vitest";

import { GET as listCoursesRoute } from "@/app/api/courses/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/sql/sql-pool";

import { createTestOrg, createTestUser } from "../fixtures/factories";

// Read when lib/db creates its client, on first import; this file runs in a process of its own.
vi.hoisted(() => {
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "1000";
});

describe("the statement timeout", () => {
  it("ends a request's statement that runs too long with a 503 JSON error, not a 500 or a wait", async () => {
    const organization = await createTestOrg();
    const user = await createTestUser({ memberships: [{ organization }] });
    const { token } = await createApiToken({ userId: user.id, name: "statement timeout" });
    // Another session holds a lock the course list must wait for.
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    await locker.query(`BEGIN; LOCK TABLE "Course" IN ACCESS EXCLUSIVE MODE`);
    try {
      const started = Date.now();
      const response = await Promise.race([
        listCoursesRoute(
          new Request("http://localhost/api/courses", { headers: { authorization: `Bearer ${token}` } }),
          { params: Promise.resolve({}) },
        ),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 8 s")), 8_000)),
      ]);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: { code: "DATABASE_TIMEOUT", message: expect.stringMatching(/took too long/) },
      });
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
  });

  it("holds on every connection of the application's client, not on the bulk pipeline's pool", async () => {
    expect(await db.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: "1s" }]);
    // The pipeline's statements over a whole file (storing rows, applying chunks) are not cut by the web limit.
    const { rows } = await sqlPool().query("SHOW statement_timeout");
    expect(rows).toEqual([{ statement_timeout: "0" }]);
  });
});
