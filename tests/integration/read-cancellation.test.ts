import pg from "pg";
import { describe, expect, it } from "vitest";

import { GET as listCoursesRoute } from "@/app/api/courses/route";
import { createApiToken } from "@/lib/auth/api-tokens";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { waitFor } from "../fixtures/wait";

/** A query that is slow on purpose: another session holds a lock on "Course" that reads must wait for. */
async function lockCourses() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`LOCK TABLE "Course" IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

/** Statements on "Course" that PostgreSQL is running right now (read from a session of its own: a fresh snapshot). */
async function runningCourseQueries() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; query: string }>(
      `SELECT pid, query FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%"Course"%'`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function memberWithToken() {
  const organization = await createTestOrg();
  const user = await createTestUser({ memberships: [{ organization }] });
  const course = await createTestCourse({ organization });
  const { token } = await createApiToken({ userId: user.id, name: "read cancellation" });
  return { course, token };
}

const coursesRequest = (token: string, signal?: AbortSignal) =>
  new Request("http://localhost/api/courses?q=test", { headers: { authorization: `Bearer ${token}` }, signal });

describe("a read whose client goes away", () => {
  it("has its query cancelled in PostgreSQL, and the connection serves the next request", async () => {
    const { course, token } = await memberWithToken();
    const release = await lockCourses();
    try {
      const client = new AbortController();
      const answer = listCoursesRoute(coursesRequest(token, client.signal), { params: Promise.resolve({}) });
      await waitFor(
        "the course list to wait for the lock",
        async () => (await runningCourseQueries()).length > 0,
        10_000,
      );

      client.abort();
      // Well within the statement timeout (10 s): the cancellation, not the timeout, ends the statement.
      await waitFor(
        "the course list's statements to be cancelled",
        async () => (await runningCourseQueries()).length === 0,
        2_000,
      );
      const response = await answer;
      expect(response.status).toBe(503);
    } finally {
      await release();
    }

    const next = await listCoursesRoute(coursesRequest(token), { params: Promise.resolve({}) });
    expect(next.status).toBe(200);
    expect((await next.json()).items.map((c: { key: string }) => c.key)).toEqual([course.key]);
  });
});
