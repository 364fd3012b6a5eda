import { expect, test } from "@playwright/test";
import pg from "pg";

import { apiTokenFor, bearer } from "./fixtures/api-token";

const databaseUrl = process.env.E2E_DATABASE_URL;

/**
 * This test's search statements the server's database is running right now (read in a session of its own: a
 * fresh snapshot). Only a member's search filtered by organization intersects two organization sets, so other
 * specs' course reads, which wait for the same lock meanwhile, are not counted.
 */
async function runningCourseQueries() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
         AND query LIKE '%"Course"%' AND query LIKE '%INTERSECT%'`,
    );
    return rows.length;
  } finally {
    await client.end();
  }
}

test("a course search whose client disconnects stops running in PostgreSQL", async ({ baseURL }) => {
  const token = apiTokenFor("coordinator@example.com");
  // The search is slow on purpose: another session holds a lock on "Course" it has to wait for.
  const locker = new pg.Client({ connectionString: databaseUrl });
  await locker.connect();
  await locker.query(`BEGIN; LOCK TABLE "Course" IN ACCESS EXCLUSIVE MODE`);
  try {
    const client = new AbortController();
    const search = fetch(`${baseURL}/api/courses?q=demo&organization=edX`, {
      headers: bearer(token),
      signal: client.signal,
    }).catch(() => null);
    await expect.poll(runningCourseQueries, { timeout: 10_000 }).toBeGreaterThan(0);

    client.abort();
    // Far below the statement timeout (10 s): the server cancelled the statement when the connection closed.
    await expect.poll(runningCourseQueries, { timeout: 3_000 }).toBe(0);
    expect(await search).toBeNull();
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
});
