import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { toCsv, uploadAndRun } from "../fixtures/operations";

async function setup(courseOptions: Partial<Parameters<typeof createTestCourse>[0]> = {}) {
  const organization = await createTestOrg();
  const user = await createTestUser({ memberships: [{ organization }] });
  const course = await createTestCourse({ organization, ...courseOptions });
  return { organization, user, course, run: course.runs[0] };
}

const LEGAL_COURSE_FIELDS = {
  image: "https://example.com/c.png",
  long_description: "<p>Long</p>",
  short_description: "<p>Short</p>",
  what_will_you_learn: "<p>Things</p>",
  level_type: "Intermediate",
  primary_subject: "Mathematics",
};

describe("course_update", () => {
  it("changes only the columns with a value; blank cells leave fields as they were", async () => {
    const { user, course } = await setup({ title: "Original title" });
    await db.course.update({ where: { id: course.id }, data: { shortDescription: "<p>keep me</p>", topics: ["a"] } });

    const header = ["Course Key", "Title", "Short Description", "Topics", "Level Type"];
    const { operation, rows } = await uploadAndRun({
      user,
      type: "course_update",
      csv: toCsv(header, [{ "Course Key": course.key, Title: "New title", "Level Type": "Advanced" }]),
    });

    expect(operation.status).toBe("completed");
    expect(rows[0]).toMatchObject({ status: "updated" });
    expect(rows[0].changes).toEqual({
      title: { before: "Original title", after: "New title" },
      level_type: { before: null, after: "Advanced" },
    });
    const after = await db.course.findUniqueOrThrow({ where: { id: course.id }, include: { levelType: true } });
    expect(after).toMatchObject({ title: "New title", shortDescription: "<p>keep me</p>", topics: ["a"] });
    expect(after.levelType?.name).toBe("Advanced");
  });

  it("reports a row that changes nothing as unchanged", async () => {
    const { user, course } = await setup({ title: "Same" });
    const { rows } = await uploadAndRun({
      user,
      type: "course_update",
      csv: toCsv(["course_key", "title"], [{ course_key: course.key, title: "Same" }]),
    });
    expect(rows[0]).toMatchObject({ status: "unchanged", changes: null });
  });

  it("fails unknown course and run keys with COURSE_NOT_FOUND and COURSE_RUN_NOT_FOUND", async () => {
    const { user, course, organization } = await setup();
    const { rows } = await uploadAndRun({
      user,
      type: "course_update",
      csv: toCsv(
        ["course_key", "course_run_key", "title"],
        [
          { course_key: `${organization.key}+Nope`, title: "x" },
          { course_key: course.key, course_run_key: `course-v1:${course.key}+9T2099`, title: "y" },
        ],
      ),
    });
    expect(rows.map((r) => [r.errorCode, r.errorColumn])).toEqual([
      ["COURSE_NOT_FOUND", "course_key"],
      ["COURSE_RUN_NOT_FOUND", "course_run_key"],
    ]);
    expect((await db.course.findUniqueOrThrow({ where: { id: course.id } })).title).toBe(course.title);
  });

  it("Audit Only → Verified and Audit with a price adds the verified seat at that price; without a price nothing changes", async () => {
    const { user, course, run } = await setup({ courseType: "audit" });
    const header = ["course_key", "course_enrollment_track", "verified_price"];

    const withoutPrice = await uploadAndRun({
      user,
      type: "course_update",
      csv: toCsv(header, [{ course_key: course.key, course_enrollment_track: "Verified and Audit" }]),
    });
    expect(withoutPrice.rows[0]).toMatchObject({
      status: "failed",
      errorCode: "MISSING_REQUIRED_DATA",
      errorColumn: "verified_price",
    });
    const unchanged = await db.course.findUniqueOrThrow({ where: { id: course.id }, include: { courseType: true } });
    expect(unchanged.courseType.name).toBe("Audit Only");
    expect(await db.seat.findMany({ where: { runId: run.id } })).toHaveLength(1);

    const withPrice = await uploadAndRun({
      user,
      type: "course_update",
      csv: toCsv(header, [
        { course_key: course.key, course_enrollment_track: "Verified and Audit", verified_price: "79" },
      ]),
    });
    expect(withPrice.rows[0]).toMatchObject({ status: "updated" });
    const updated = await db.course.findUniqueOrThrow({
      where: { id: course.id },
      include: { courseType: true, runs: { include: { seats: true, runType: true } } },
    });
    expect(updated.courseType.name).toBe("Verified and Audit");
    expect(updated.runs[0].runType.name).toBe("Verified and Audit");
    const seats = Object.fromEntries(updated.runs[0].seats.map((s) => [s.type, s.price.toString()]));
    expect(seats).toEqual({ audit: "0", verified: "79" });
  });

  it("moves a run to legal review when the legal data is present, and lists the missing fields when not", async () => {
    const ready = await setup();
    const notReady = await setup();
    const runColumns = { publish_date: "2026-01-15", minimum_effort: "3", maximum_effort: "5", length: "8" };
    const header = [
      "course_key",
      "course_run_key",
      "move_to_legal_review",
      ...Object.keys(LEGAL_COURSE_FIELDS),
      ...Object.keys(runColumns),
    ];

    const { rows } = await uploadAndRun({
      user: await createTestUser({ isStaff: true }),
      type: "course_update",
      csv: toCsv(header, [
        {
          course_key: ready.course.key,
          course_run_key: ready.run.key,
          move_to_legal_review: "yes",
          ...LEGAL_COURSE_FIELDS,
          ...runColumns,
        },
        {
          course_key: notReady.course.key,
          course_run_key: notReady.run.key,
          move_to_legal_review: "yes",
          image: "https://example.com/i.png",
        },
      ]),
    });

    expect(rows[0].status).toBe("updated");
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: ready.run.id } })).status).toBe("review_by_legal");
    expect(rows[1]).toMatchObject({ status: "failed", errorCode: "MISSING_REQUIRED_DATA" });
    expect(rows[1].errorMessage).toContain(
      "long_description, short_description, what_will_you_learn, level_type, primary_subject, publish_date, minimum_effort, maximum_effort, length",
    );
    const untouched = await db.course.findUniqueOrThrow({ where: { id: notReady.course.id } });
    expect(untouched.imageUrl).toBeNull();
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: notReady.run.id } })).status).toBe("unpublished");
  });
});

describe("course_run_update", () => {
  it("keeps the run's languages when the row has no language columns (upstream reset them to en-us)", async () => {
    const { user, run } = await setup();
    await db.courseRun.update({
      where: { id: run.id },
      data: { contentLanguage: "fr-fr", transcriptLanguages: ["fr-fr", "de-de"] },
    });

    const { rows } = await uploadAndRun({
      user,
      type: "course_run_update",
      csv: toCsv(
        ["Course Run Key", "Minimum Effort", "Maximum Effort"],
        [{ "Course Run Key": run.key, "Minimum Effort": "2", "Maximum Effort": "4" }],
      ),
    });

    expect(rows[0].status).toBe("updated");
    const after = await db.courseRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({
      contentLanguage: "fr-fr",
      transcriptLanguages: ["fr-fr", "de-de"],
      minEffort: 2,
      maxEffort: 4,
    });
  });

  it("changes dates and price, keeping the time of day when only the date is given, and recomputes the upgrade deadline", async () => {
    const { user, run } = await setup({
      start: new Date("2026-02-01T09:30:00Z"),
      end: new Date("2026-05-31T23:59:59Z"),
    });
    const { rows } = await uploadAndRun({
      user,
      type: "course_run_update",
      csv: toCsv(
        ["course_run_key", "start_date", "end_date", "verified_price"],
        [{ course_run_key: run.key, start_date: "03/01/2026", end_date: "2026-06-30", verified_price: "120" }],
      ),
    });
    expect(rows[0].status).toBe("updated");
    const after = await db.courseRun.findUniqueOrThrow({ where: { id: run.id }, include: { seats: true } });
    expect(after.start?.toISOString()).toBe("2026-03-01T09:30:00.000Z");
    expect(after.end?.toISOString()).toBe("2026-06-30T23:59:59.000Z");
    const verified = after.seats.find((s) => s.type === "verified")!;
    expect(verified.price.toString()).toBe("120");
    expect(verified.upgradeDeadline?.toISOString()).toBe("2026-06-20T23:59:59.000Z");
    expect(rows[0].changes).toMatchObject({ verified_price: { before: "49", after: "120.00" } });
  });

  it("refuses to edit a run in review with RUN_IN_REVIEW and leaves it as it was", async () => {
    const { user, run } = await setup({ runStatus: "review_by_legal" });
    const { rows } = await uploadAndRun({
      user,
      type: "course_run_update",
      csv: toCsv(["course_run_key", "length"], [{ course_run_key: run.key, length: "10" }]),
    });
    expect(rows[0]).toMatchObject({ status: "failed", errorCode: "RUN_IN_REVIEW" });
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: run.id } })).weeksToComplete).toBeNull();
  });

  it("fails a second row for the same run with DUPLICATE_IN_FILE", async () => {
    const { user, run } = await setup();
    const { rows } = await uploadAndRun({
      user,
      type: "course_run_update",
      csv: toCsv(
        ["course_run_key", "length"],
        [
          { course_run_key: run.key, length: "10" },
          { course_run_key: run.key, length: "12" },
        ],
      ),
    });
    expect(rows.map((r) => r.errorCode)).toEqual([null, "DUPLICATE_IN_FILE"]);
    expect((await db.courseRun.findUniqueOrThrow({ where: { id: run.id } })).weeksToComplete).toBe(10);
  });
});
