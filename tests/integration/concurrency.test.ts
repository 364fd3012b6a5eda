import { describe, expect, it } from "vitest";

import { slugify } from "@/lib/catalog/slugify";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, toCsv, upload } from "../fixtures/operations";
import { waitFor } from "../fixtures/wait";

describe("two operations updating the same runs at the same time", () => {
  it("leave every run wholly in the state one of them wrote, never a mix of their fields", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const runs: { id: string; key: string }[] = [];
    for (let i = 0; i < 30; i++) {
      runs.push((await createTestCourse({ organization })).runs[0]);
    }
    const header = ["course_run_key", "minimum_effort", "maximum_effort", "length", "content_language"];
    const file = (values: [string, string, string, string]) =>
      toCsv(
        header,
        runs.map((run) => ({
          course_run_key: run.key,
          minimum_effort: values[0],
          maximum_effort: values[1],
          length: values[2],
          content_language: values[3],
        })),
      );
    const a = await upload({ user, type: "course_run_update", csv: file(["1", "2", "3", "fr-fr"]) });
    const b = await upload({ user, type: "course_run_update", csv: file(["4", "5", "6", "de-de"]) });

    const results = await Promise.all([runInProcess(a.id), runInProcess(b.id)]);

    expect(results).toEqual([{ status: "completed" }, { status: "completed" }]);
    const after = await db.courseRun.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
    for (const run of after) {
      expect([
        [1, 2, 3, "fr-fr"],
        [4, 5, 6, "de-de"],
      ]).toContainEqual([run.minEffort, run.maxEffort, run.weeksToComplete, run.contentLanguage]);
    }
    // Each file saw the other's values as its "before" where it ran second: no write was lost.
    const rows = await db.bulkOperationRow.findMany({ where: { operationId: { in: [a.id, b.id] } } });
    expect(rows.every((r) => r.status === "updated")).toBe(true);
  });

  it("keep both files' changes when they touch different fields of the same runs (no lost update)", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const runs: { id: string; key: string }[] = [];
    for (let i = 0; i < 30; i++) {
      runs.push((await createTestCourse({ organization })).runs[0]);
    }
    const effort = toCsv(
      ["course_run_key", "minimum_effort", "maximum_effort"],
      runs.map((r) => ({ course_run_key: r.key, minimum_effort: "2", maximum_effort: "7" })),
    );
    const language = toCsv(
      ["course_run_key", "length", "content_language"],
      runs.map((r) => ({ course_run_key: r.key, length: "9", content_language: "es-419" })),
    );
    const a = await upload({ user, type: "course_run_update", csv: effort });
    const b = await upload({ user, type: "course_run_update", csv: language });

    await Promise.all([runInProcess(a.id), runInProcess(b.id)]);

    const after = await db.courseRun.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
    expect(after.map((r) => [r.minEffort, r.maxEffort, r.weeksToComplete, r.contentLanguage])).toEqual(
      runs.map(() => [2, 7, 9, "es-419"]),
    );
  });

  it("reports a row whose target changed after the file's expected_modified instead of overwriting it", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const [fresh, stale] = [
      (await createTestCourse({ organization })).runs[0],
      (await createTestCourse({ organization })).runs[0],
    ];
    const seen = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Someone else edits `stale` after the file's author looked at it.
    await db.courseRun.update({ where: { id: stale.id }, data: { weeksToComplete: 4 } });

    const { id } = await upload({
      user,
      type: "course_run_update",
      csv: toCsv(
        ["course_run_key", "expected_modified", "length"],
        [
          { course_run_key: fresh.key, expected_modified: seen.toISOString(), length: "10" },
          { course_run_key: stale.key, expected_modified: seen.toISOString(), length: "10" },
        ],
      ),
    });
    await runInProcess(id);

    const rows = await db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } });
    expect(rows.map((r) => [r.status, r.errorCode, r.errorColumn])).toEqual([
      ["updated", null, null],
      ["failed", "TARGET_CHANGED", "expected_modified"],
    ]);
    expect(rows[1].errorMessage).toContain(stale.key);
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: stale.id } })).weeksToComplete).toBe(4);
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: fresh.id } })).weeksToComplete).toBe(10);
  });
});

describe("two uploads wanting the same course URL slug at the same time", () => {
  it("gives the later course the next free slug instead of failing its row", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows: 1 });
    const slug = slugify(`Course 1, ${prefix}`);
    const courseType = await db.courseType.findFirstOrThrow();

    // Another upload's transaction has inserted a course with that slug and is still open.
    let inserted!: () => void;
    let release!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const other = db.$transaction(
      async (tx) => {
        await tx.course.create({
          data: {
            key: `${organization.key}+OTHER${prefix}`,
            title: "Other",
            urlSlug: slug,
            courseTypeId: courseType.id,
          },
        });
        inserted();
        await released;
      },
      { timeout: 60_000 },
    );
    await insertedSignal;

    const { id } = await upload({ user, type: "course_create", csv });
    const running = runInProcess(id);
    // Our insert now waits on the other transaction's uncommitted slug; let that one commit.
    await waitFor("the course insert to wait for the other transaction", async () => {
      const [{ waiting }] = await db.$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "Course"%'`;
      return waiting > 0;
    });
    release();
    await other;

    await expect(running).resolves.toEqual({ status: "completed" });
    const course = await db.course.findUniqueOrThrow({ where: { key: `${organization.key}+${prefix}-1` } });
    expect(course.urlSlug).not.toBe(slug);
    expect(course.urlSlug.startsWith(slug)).toBe(true);
  });
});
