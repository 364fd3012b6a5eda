import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { toCsv, uploadAndRun } from "../fixtures/operations";

const HEADER = [
  "Last Active Run Key",
  "Start Date",
  "Start Time",
  "End Date",
  "End Time",
  "Run Type",
  "Pacing Type",
  "Publish Date",
  "Length",
  "Minimum Effort",
  "Maximum Effort",
  "Move To Legal Review",
];

/** An organization, a coordinator of it, and a Verified and Audit course whose run has everything a re-run copies. */
async function courseWithRun(options: { courseType?: string; runType?: string } = {}) {
  const org = await createTestOrg();
  const coordinator = await createTestUser({ memberships: [{ organization: org }] });
  const course = await createTestCourse({ organization: org, prices: { verified: 79, credit: 300 }, ...options });
  const source = await db.courseRun.update({
    where: { id: course.runs[0].id },
    data: {
      contentLanguage: "fr-fr",
      transcriptLanguages: ["en-us", "es-419"],
      staff: ["Ada Lovelace", "Alan Turing"],
      minEffort: 3,
      maxEffort: 5,
      weeksToComplete: 8,
      expectedProgramType: "xseries",
      expectedProgramName: "Data XSeries",
      goLiveDate: new Date("2026-01-15T00:00:00Z"),
    },
  });
  return { org, coordinator, course, source };
}

const rerunRow = (sourceKey: string, cells: Partial<Record<string, string>> = {}) => ({
  "Last Active Run Key": sourceKey,
  "Start Date": "04/01/2025",
  "End Date": "2025-07-31",
  "Run Type": "verified and audit",
  "Pacing Type": "Self-Paced",
  ...cells,
});

function runsOf(courseId: string) {
  return db.courseRun.findMany({
    where: { courseId },
    include: { seats: { orderBy: { type: "asc" } }, runType: true },
    orderBy: { key: "asc" },
  });
}

describe("course_rerun", () => {
  it("creates 1T2025 then 1T2025a for two re-runs in one file, copying the source run", async () => {
    const { coordinator, course, source } = await courseWithRun();
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [
        rerunRow(source.key),
        rerunRow(source.key, { "Start Date": "2025-04-20", "Start Time": "09:30" }),
      ]),
    });

    expect(operation).toMatchObject({ status: "completed", createdCount: 2, failedCount: 0 });
    const first = `course-v1:${course.key}+1T2025`;
    const second = `course-v1:${course.key}+1T2025a`;
    expect(rows.map((r) => [r.status, r.targetKey, r.errorCode])).toEqual([
      ["created", first, null],
      ["created", second, null],
    ]);

    const runs = await runsOf(course.id);
    expect(runs.map((r) => r.key)).toEqual([first, second, source.key]);
    const [rerun, rerun2] = runs;
    expect(rows[0]).toMatchObject({ courseId: course.id, courseRunId: rerun.id });
    expect(rerun).toMatchObject({
      status: "unpublished",
      start: new Date("2025-04-01T00:00:00Z"),
      end: new Date("2025-07-31T00:00:00Z"),
      pacing: "self_paced",
      contentLanguage: "fr-fr",
      transcriptLanguages: ["en-us", "es-419"],
      staff: ["Ada Lovelace", "Alan Turing"],
      minEffort: 3,
      maxEffort: 5,
      weeksToComplete: 8,
      expectedProgramType: "xseries",
      expectedProgramName: "Data XSeries",
      // Not copied: the new run's go-live date comes from its own row.
      goLiveDate: null,
      enrollmentStart: null,
      upgradeDeadlineOverride: null,
    });
    expect(rerun.runType.name).toBe("Verified and Audit");
    expect(rerun.seats.map((s) => [s.type, s.price.toFixed(2), s.upgradeDeadline])).toEqual([
      ["audit", "0.00", null],
      ["verified", "79.00", new Date("2025-07-21T23:59:59Z")],
    ]);
    expect(rerun2.start).toEqual(new Date("2025-04-20T09:30:00Z"));
    // The source run is untouched.
    expect(await db.courseRun.findUniqueOrThrow({ where: { id: source.id } })).toMatchObject({
      status: "unpublished",
      key: source.key,
    });
  });

  it("gives a second file's re-run in the same term the next suffix", async () => {
    const { coordinator, course, source } = await courseWithRun();
    const csv = toCsv(HEADER, [rerunRow(source.key)]);

    const once = await uploadAndRun({ user: coordinator, type: "course_rerun", csv });
    const twice = await uploadAndRun({ user: coordinator, type: "course_rerun", csv });

    expect(once.rows[0]).toMatchObject({ status: "created", targetKey: `course-v1:${course.key}+1T2025` });
    expect(twice.rows[0]).toMatchObject({ status: "created", targetKey: `course-v1:${course.key}+1T2025a` });
    expect((await runsOf(course.id)).map((r) => r.key)).toEqual([
      `course-v1:${course.key}+1T2025`,
      `course-v1:${course.key}+1T2025a`,
      source.key,
    ]);
  });

  it("lets effort and length columns override the copied values", async () => {
    const { coordinator, course, source } = await courseWithRun();
    const { rows } = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [
        rerunRow(source.key, {
          "Start Date": "2025-09-01",
          "End Date": "2025-12-20",
          Length: "10",
          "Minimum Effort": "2",
          "Maximum Effort": "9",
        }),
        // Only the maximum given: the minimum is still copied.
        rerunRow(source.key, { "Start Date": "2025-05-01", "End Date": "2025-08-20", "Maximum Effort": "12" }),
        // A minimum above the copied maximum is refused, on the column the row gave.
        rerunRow(source.key, { "Start Date": "2025-05-01", "End Date": "2025-08-20", "Minimum Effort": "7" }),
      ]),
    });

    expect(rows.map((r) => [r.status, r.targetKey, r.errorCode, r.errorColumn])).toEqual([
      ["created", `course-v1:${course.key}+3T2025`, null, null],
      ["created", `course-v1:${course.key}+2T2025`, null, null],
      ["failed", null, "INVALID_VALUE", "minimum_effort"],
    ]);
    const runs = await db.courseRun.findMany({ where: { id: { in: [rows[0].courseRunId!, rows[1].courseRunId!] } } });
    const byKey = new Map(runs.map((r) => [r.key, r]));
    expect(byKey.get(`course-v1:${course.key}+3T2025`)).toMatchObject({
      minEffort: 2,
      maxEffort: 9,
      weeksToComplete: 10,
    });
    expect(byKey.get(`course-v1:${course.key}+2T2025`)).toMatchObject({
      minEffort: 3,
      maxEffort: 12,
      weeksToComplete: 8,
    });
    expect(rows[2].errorMessage).toContain("copied from");
  });

  it("reports missing start dates, unknown source runs, start after end and bad run types per row", async () => {
    const { coordinator, course, source } = await courseWithRun({ courseType: "audit", runType: "audit" });
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [
        rerunRow(source.key, { "Start Date": "" }),
        rerunRow(`course-v1:${course.key}+9T2099`),
        rerunRow(source.key, { "Start Date": "2025-08-01", "End Date": "2025-07-01" }),
        rerunRow(source.key, { "Run Type": "Platinum" }),
        rerunRow(source.key, { "Run Type": "Verified and Audit" }),
        rerunRow(source.key, { "Run Type": "Audit Only" }),
      ]),
    });

    expect(operation).toMatchObject({ status: "partially_completed", createdCount: 1, failedCount: 5 });
    expect(rows.map((r) => [r.status, r.errorCode, r.errorColumn])).toEqual([
      ["failed", "MISSING_REQUIRED_DATA", "start_date"],
      ["failed", "COURSE_RUN_NOT_FOUND", "last_active_run_key"],
      ["failed", "INVALID_VALUE", "end_date"],
      ["failed", "MISSING_COURSE_RUN_TYPE", "run_type"],
      ["failed", "MISSING_COURSE_RUN_TYPE", "run_type"],
      ["created", null, null],
    ]);
    expect(rows[0].errorMessage).toMatch(/^Row 1, column start_date: start_date is required/);
    expect(rows[1].errorMessage).toContain(`course-v1:${course.key}+9T2099`);
    expect(rows[2].errorMessage).toContain("Row 3");
    expect(rows[4].errorMessage).toContain("not allowed for course type Audit Only");
    const runs = await runsOf(course.id);
    expect(runs.map((r) => r.key)).toEqual([`course-v1:${course.key}+1T2025`, source.key]);
    expect(runs[0].seats.map((s) => [s.type, s.price.toFixed(2)])).toEqual([["audit", "0.00"]]);
  });

  it("prices a new seat type from the source's verified seat", async () => {
    const { coordinator, course, source } = await courseWithRun({ courseType: "credit", runType: "verified-audit" });
    const { rows } = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [rerunRow(source.key, { "Run Type": "Credit" })]),
    });

    expect(rows[0]).toMatchObject({ status: "created", targetKey: `course-v1:${course.key}+1T2025` });
    const seats = await db.seat.findMany({ where: { runId: rows[0].courseRunId! }, orderBy: { type: "asc" } });
    expect(seats.map((s) => [s.type, s.price.toFixed(2)])).toEqual([
      ["audit", "0.00"],
      ["credit", "79.00"],
      ["verified", "79.00"],
    ]);
  });

  it("refuses re-runs of another organization's course unless the uploader is staff", async () => {
    const { source, course } = await courseWithRun();
    const outsider = await createTestUser({ memberships: [{ organization: await createTestOrg() }] });
    const staff = await createTestUser({ isStaff: true });
    const csv = toCsv(HEADER, [rerunRow(source.key)]);

    const denied = await uploadAndRun({ user: outsider, type: "course_rerun", csv });
    expect(denied.operation.status).toBe("failed");
    expect(denied.rows[0]).toMatchObject({ status: "failed", errorCode: "COURSE_RUN_NOT_FOUND" });
    expect(await db.courseRun.count({ where: { courseId: course.id } })).toBe(1);

    const allowed = await uploadAndRun({ user: staff, type: "course_rerun", csv });
    expect(allowed.rows[0]).toMatchObject({ status: "created", targetKey: `course-v1:${course.key}+1T2025` });
  });

  it("moves a re-run to legal review only when the course and run have the review fields", async () => {
    const { coordinator, course, source } = await courseWithRun();
    const legal = { "Move To Legal Review": "yes", "Publish Date": "2025-03-01" };
    const first = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [rerunRow(source.key, legal)]),
    });
    expect(first.rows[0]).toMatchObject({
      status: "failed",
      errorCode: "MISSING_REQUIRED_DATA",
      errorColumn: "move_to_legal_review",
    });
    expect(first.rows[0].errorMessage).toContain(
      "image, long_description, short_description, what_will_you_learn, level_type, primary_subject",
    );

    const [levelType, subject] = await Promise.all([
      db.levelType.findFirstOrThrow({ where: { name: "Introductory" } }),
      db.subject.findFirstOrThrow({ where: { name: "Computer Science" } }),
    ]);
    await db.course.update({
      where: { id: course.id },
      data: {
        imageUrl: "https://example.com/course.png",
        fullDescription: "<p>Full</p>",
        shortDescription: "<p>Short</p>",
        outcome: "<p>Outcome</p>",
        levelTypeId: levelType.id,
        primarySubjectId: subject.id,
      },
    });
    const second = await uploadAndRun({
      user: coordinator,
      type: "course_rerun",
      csv: toCsv(HEADER, [rerunRow(source.key, legal), rerunRow(source.key, { "Move To Legal Review": "yes" })]),
    });
    expect(second.rows.map((r) => [r.status, r.errorCode, r.errorColumn])).toEqual([
      ["created", null, null],
      ["failed", "MISSING_REQUIRED_DATA", "publish_date"],
    ]);
    expect(await db.courseRun.findUniqueOrThrow({ where: { id: second.rows[0].courseRunId! } })).toMatchObject({
      status: "review_by_legal",
      goLiveDate: new Date("2025-03-01T00:00:00Z"),
    });
  });
});
