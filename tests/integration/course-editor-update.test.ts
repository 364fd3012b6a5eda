import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";

import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { toCsv, uploadAndRun } from "../fixtures/operations";

const HEADER = ["Username or Email", "Course Key or UUID", "Action"];

const row = (user: string, course: string, action: string) => ({
  "Username or Email": user,
  "Course Key or UUID": course,
  Action: action,
});

/** An organization with a coordinator (the uploader), an author (the editor to be) and a course. */
async function setup() {
  const org = await createTestOrg();
  const coordinator = await createTestUser({ memberships: [{ organization: org }] });
  const author = await createTestUser({ memberships: [{ organization: org, role: "author" }] });
  const course = await createTestCourse({ organization: org });
  return { org, coordinator, author, course };
}

const editorIds = async (courseId: string) =>
  (await db.courseEditor.findMany({ where: { courseId }, select: { userId: true } })).map((e) => e.userId).sort();

describe("course_editor_update", () => {
  it("applies an add then a remove of the same editor in file order", async () => {
    const { coordinator, author, course } = await setup();
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(HEADER, [row(author.email, course.key, "add"), row(author.username!, course.key, "Remove")]),
    });

    expect(operation).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 1, failedCount: 0 });
    expect(rows.map((r) => [r.status, r.errorCode, r.courseId])).toEqual([
      ["created", null, course.id],
      ["updated", null, course.id],
    ]);
    expect(rows[1].changes).toEqual({ editor: { before: author.username, after: null } });
    expect(await editorIds(course.id)).toEqual([]);
  });

  it("adds by email in any case or by username, and finds the course by key or uuid", async () => {
    const { org, coordinator, author, course } = await setup();
    const other = await createTestCourse({ organization: org });
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(HEADER, [
        row(author.email.toUpperCase(), course.id.toUpperCase(), "ADD"),
        row(author.username!, other.key, "add"),
      ]),
    });

    expect(operation.status).toBe("completed");
    expect(rows.map((r) => [r.status, r.targetKey])).toEqual([
      ["created", course.key],
      ["created", other.key],
    ]);
    expect(await editorIds(course.id)).toEqual([author.id]);
    expect(await editorIds(other.id)).toEqual([author.id]);
  });

  it("counts adding an existing editor as unchanged and removes an existing editor", async () => {
    const { coordinator, author, course } = await setup();
    await db.courseEditor.create({ data: { userId: author.id, courseId: course.id } });
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(HEADER, [row(author.email, course.key, "add"), row(coordinator.email, course.key, "add")]),
    });
    expect(operation).toMatchObject({ status: "completed", createdCount: 1, unchangedCount: 1 });
    expect(rows.map((r) => r.status)).toEqual(["unchanged", "created"]);
    expect(await editorIds(course.id)).toEqual([author.id, coordinator.id].sort());

    const removal = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(HEADER, [row(author.email, course.id, "remove")]),
    });
    expect(removal.rows[0]).toMatchObject({ status: "updated", errorCode: null });
    expect(await editorIds(course.id)).toEqual([coordinator.id]);
  });

  it("reports each kind of bad row by code and column, and writes nothing for them", async () => {
    const { org, coordinator, author, course } = await setup();
    const outsider = await createTestUser({ memberships: [{ organization: await createTestOrg() }] });
    const { operation, rows } = await uploadAndRun({
      user: coordinator,
      type: "course_editor_update",
      csv: toCsv(HEADER, [
        row("", course.key, "add"),
        row("nobody-here@example.test", course.key, "add"),
        row(author.email, `${org.key}+NoSuchCourse`, "add"),
        row(author.email, "00000000-0000-4000-8000-000000000000", "add"),
        row(outsider.email, course.key, "add"),
        row(author.email, course.key, "remove"),
        row(author.email, course.key, "promote"),
      ]),
    });

    expect(operation).toMatchObject({ status: "failed", failedCount: 7 });
    expect(rows.map((r) => [r.status, r.errorCode, r.errorColumn])).toEqual([
      ["failed", "MISSING_REQUIRED_DATA", "username_or_email"],
      ["failed", "USER_NOT_FOUND", "username_or_email"],
      ["failed", "COURSE_NOT_FOUND", "course_key_or_uuid"],
      ["failed", "COURSE_NOT_FOUND", "course_key_or_uuid"],
      // A user outside the uploader's organizations reads as unknown (staff get USER_ORG_MISMATCH: bad-input manifest).
      ["failed", "USER_NOT_FOUND", "username_or_email"],
      ["failed", "COURSE_EDITOR_REMOVE_ERROR", "username_or_email"],
      ["failed", "UNSUPPORTED_ACTION", "action"],
    ]);
    expect(rows[1].errorMessage).toContain("nobody-here@example.test");
    expect(rows[2].errorMessage).toContain(`${org.key}+NoSuchCourse`);
    expect(rows[6].errorMessage).toMatch(/^Row 7, column action: promote is not a supported action/);
    expect(await editorIds(course.id)).toEqual([]);
  });

  it("refuses changes to a course of an organization the uploader does not belong to", async () => {
    const { author, course } = await setup();
    const stranger = await createTestUser({ memberships: [{ organization: await createTestOrg() }] });
    const { rows } = await uploadAndRun({
      user: stranger,
      type: "course_editor_update",
      csv: toCsv(HEADER, [row(author.email, course.key, "add")]),
    });
    expect(rows[0]).toMatchObject({
      status: "failed",
      errorCode: "COURSE_NOT_FOUND",
      errorColumn: "course_key_or_uuid",
    });
    expect(await editorIds(course.id)).toEqual([]);

    const staff = await createTestUser({ isStaff: true });
    const allowed = await uploadAndRun({
      user: staff,
      type: "course_editor_update",
      csv: toCsv(HEADER, [row(author.email, course.key, "add")]),
    });
    expect(allowed.rows[0]).toMatchObject({ status: "created" });
    expect(await editorIds(course.id)).toEqual([author.id]);
  });
});
