import { describe, expect, it } from "vitest";

import type { ActingUser } from "@/lib/auth/require-user";
import { cancelOperation, confirmOperation } from "@/lib/bulk/actions/confirm-operation";
import { buildErrorCsv } from "@/lib/bulk/results/build-error-csv";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { getOperationFile } from "@/lib/bulk/results/get-operation-file";
import { listOperationRows } from "@/lib/bulk/results/list-operation-rows";
import { listOperations } from "@/lib/bulk/results/list-operations";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser, type TestMembership } from "../fixtures/factories";
import { actingUser, runInProcess, toCsv, upload, uploadAndRun } from "../fixtures/operations";

// The rule (README, Reliability): an operation is visible to staff, its uploader, and members of every
// organization its rows target, recorded when it is validated; confirm is the uploader's or staff's, cancel
// also a coordinator's of every targeted organization.

async function member(...memberships: TestMembership[]) {
  return actingUser((await createTestUser({ memberships })).id);
}

/** Everything a viewer could read of the operation, as one list of what they got. */
async function whatTheySee(user: ActingUser, id: string) {
  const listed = (await listOperations({ user, page: 1, pageSize: 100 })).items.some((o) => o.id === id);
  const rows = (await listOperationRows({ user, operationId: id, page: 1, pageSize: 50 })).items.length;
  return {
    listed,
    detail: (await getOperation({ user, id })) !== null,
    rows: rows > 0,
    file: (await getOperationFile({ user, id })) !== null,
    errors: (await buildErrorCsv({ user, id })) !== null,
  };
}
const SEES_ALL = { listed: true, detail: true, rows: true, file: true, errors: true };
const SEES_NOTHING = { listed: false, detail: false, rows: false, file: false, errors: false };

/** A previewed course_update of `course` by `uploader`, waiting for confirmation. */
async function previewUpdate(uploader: ActingUser, courseKeys: string[]) {
  const csv = toCsv(
    ["course_key", "title"],
    courseKeys.map((key) => ({ course_key: key, title: "Retitled by a preview" })),
  );
  const { id } = await upload({ user: uploader, type: "course_update", csv, mode: "preview" });
  await runInProcess(id);
  expect((await db.bulkOperation.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_confirmation");
  return id;
}

describe("who sees an operation", () => {
  it("not a member of one of the uploader's organizations when the rows target another organization", async () => {
    const [a, b] = [await createTestOrg(), await createTestOrg()];
    const uploader = await member({ organization: a }, { organization: b });
    const colleagueInA = await member({ organization: a });
    const course = await createTestCourse({ organization: b });
    const id = await previewUpdate(uploader, [course.key]);

    expect(await whatTheySee(colleagueInA, id)).toEqual(SEES_NOTHING);
    await expect(confirmOperation({ user: colleagueInA, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelOperation({ user: colleagueInA, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await whatTheySee(uploader, id)).toEqual(SEES_ALL);
    expect(await whatTheySee(await member({ organization: b }), id)).toEqual(SEES_ALL);
  });

  it("members of every targeted organization, found by key prefix, course uuid and invalid rows alike", async () => {
    const [a, b] = [await createTestOrg(), await createTestOrg()];
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);
    const courseInB = await createTestCourse({ organization: b });
    const csv = toCsv(
      ["course_key", "course_uuid", "title"],
      [
        { course_uuid: courseInB.id, title: "By uuid" },
        // Not a course, and a title too long to be valid: its cells still name organization A.
        { course_key: `${a.key}+NoSuchCourse`, title: "x".repeat(300) },
      ],
    );
    const { id } = await upload({ user: staff, type: "course_update", csv });
    // Before validation nobody but staff and the uploader knows what the file targets.
    const inBoth = await member({ organization: a }, { organization: b });
    expect((await whatTheySee(inBoth, id)).detail).toBe(false);
    await runInProcess(id);

    const targets = await db.bulkOperationTarget.findMany({ where: { operationId: id } });
    expect(targets.map((t) => t.organizationId).sort()).toEqual([a.id, b.id].sort());
    expect(await whatTheySee(inBoth, id)).toEqual(SEES_ALL);
    expect(await whatTheySee(await member({ organization: a }), id)).toEqual(SEES_NOTHING);
    expect(await whatTheySee(await member({ organization: b }), id)).toEqual(SEES_NOTHING);
  });

  it("only staff and the uploader when the file targets no organization", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const { operation } = await uploadAndRun({
      user: uploader,
      type: "course_update",
      csv: toCsv(["course_key", "title"], [{ course_key: "NoSuchOrganization+X", title: "T" }]),
    });
    expect(operation.status).toBe("failed");
    expect((await whatTheySee(await member({ organization: a }), operation.id)).detail).toBe(false);
    expect((await whatTheySee(uploader, operation.id)).detail).toBe(true);
  });
});

describe("who acts on an operation", () => {
  it("confirm: the uploader or staff; cancel: also a coordinator of every targeted organization", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a, role: "author" });
    const coordinator = await member({ organization: a, role: "coordinator" });
    const author = await member({ organization: a, role: "author" });
    const course = await createTestCourse({ organization: a, title: "Before" });
    const id = await previewUpdate(uploader, [course.key]);

    expect(await whatTheySee(coordinator, id)).toEqual(SEES_ALL);
    expect((await getOperation({ user: coordinator, id }))?.permissions).toEqual({ confirm: false, cancel: true });
    expect((await getOperation({ user: author, id }))?.permissions).toEqual({ confirm: false, cancel: false });
    expect((await getOperation({ user: uploader, id }))?.permissions).toEqual({ confirm: true, cancel: true });
    await expect(confirmOperation({ user: coordinator, id })).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await expect(confirmOperation({ user: author, id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(cancelOperation({ user: author, id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.bulkOperation.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_confirmation");

    await expect(cancelOperation({ user: coordinator, id })).resolves.toMatchObject({ status: "cancelled" });
    expect((await db.course.findUniqueOrThrow({ where: { id: course.id } })).title).toBe("Before");
  });

  it("staff may confirm another user's preview, which then applies", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);
    const course = await createTestCourse({ organization: a });
    const id = await previewUpdate(uploader, [course.key]);

    await confirmOperation({ user: staff, id });
    await runInProcess(id, "confirm");
    expect((await db.course.findUniqueOrThrow({ where: { id: course.id } })).title).toBe("Retitled by a preview");
  });
});

describe("the active-operation limit (5 by default)", () => {
  it("holds for parallel uploads", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const { csv } = courseCreateCsv({ organization: a.key, rows: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => upload({ user: uploader, type: "course_create", csv })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(r.reason).toMatchObject({ code: "TOO_MANY_REQUESTS", status: 429 });
    }
    expect(await db.bulkOperation.count({ where: { uploaderId: uploader.id } })).toBe(5);
  });

  it("counts confirmed previews: confirming several at once stops at the limit", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const courses = await Promise.all([1, 2, 3, 4].map(() => createTestCourse({ organization: a })));
    const previews: string[] = [];
    for (const course of courses) {
      previews.push(await previewUpdate(uploader, [course.key]));
    }
    // Waiting previews hold no slot: four uploads queue beside them.
    const { csv } = courseCreateCsv({ organization: a.key, rows: 1 });
    for (let i = 0; i < 4; i++) {
      await upload({ user: uploader, type: "course_create", csv });
    }

    const results = await Promise.allSettled(previews.map((id) => confirmOperation({ user: uploader, id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      ["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"],
    );
    const statuses = await db.bulkOperation.groupBy({
      by: ["status"],
      where: { id: { in: previews } },
      _count: true,
    });
    expect(Object.fromEntries(statuses.map((s) => [s.status, s._count]))).toEqual({
      processing: 1,
      awaiting_confirmation: 3,
    });
  });
});

describe("cancel racing confirm", () => {
  it("answers what actually happens: a discarded preview applies nothing", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);
    for (let attempt = 0; attempt < 8; attempt++) {
      const course = await createTestCourse({ organization: a, title: "Before" });
      const id = await previewUpdate(uploader, [course.key]);

      const [confirmed, cancelled] = await Promise.allSettled([
        confirmOperation({ user: uploader, id }),
        cancelOperation({ user: staff, id }),
      ]);
      if (confirmed.status === "fulfilled") {
        await runInProcess(id, "confirm");
      }
      const final = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
      const title = (await db.course.findUniqueOrThrow({ where: { id: course.id } })).title;
      expect(cancelled.status).toBe("fulfilled");
      const answer = (cancelled as PromiseFulfilledResult<{ status: string }>).value;
      if (answer.status === "cancelled") {
        // The cancel won: the confirmation was refused and nothing was applied.
        expect(confirmed).toMatchObject({ status: "rejected", reason: { code: "CONFLICT" } });
        expect(final.status).toBe("cancelled");
        expect(title).toBe("Before");
      } else {
        // The confirmation won: the cancel says the apply is running and was asked to stop.
        expect(answer).toMatchObject({ status: "processing", cancelRequested: true });
        expect(confirmed.status).toBe("fulfilled");
        expect(final.status).toBe("cancelled");
      }
    }
  });
});

describe("row errors do not disclose another organization's catalog or people", () => {
  it("a course, run or user of another organization reads exactly as one that does not exist", async () => {
    const [ours, theirs] = [await createTestOrg(), await createTestOrg()];
    const uploader = await member({ organization: ours });
    const hidden = await createTestCourse({ organization: theirs });
    const hiddenRun = hidden.runs[0].key;
    const missingCourse = `${theirs.key}+NoSuchCourse`;
    const missingRun = `course-v1:${missingCourse}+1T2026`;
    const theirPerson = await createTestUser({ memberships: [{ organization: theirs }] });
    const ourCourse = await createTestCourse({ organization: ours });

    const messages = async (type: Parameters<typeof uploadAndRun>[0]["type"], header: string[], rows: object[]) => {
      const { rows: results } = await uploadAndRun({ user: uploader, type, csv: toCsv(header, rows) });
      return results.map((r) => [r.errorCode, r.errorColumn, r.errorMessage]);
    };
    const sameBut = (a: unknown[], b: unknown[], from: string, to: string) =>
      expect(
        JSON.stringify(a)
          .replaceAll(from, to)
          .replace(/Row \d+/, "Row n"),
      ).toBe(JSON.stringify(b).replace(/Row \d+/, "Row n"));

    const update = await messages(
      "course_update",
      ["course_key", "title"],
      [
        { course_key: hidden.key, title: "T" },
        { course_key: missingCourse, title: "T" },
      ],
    );
    sameBut(update[0], update[1], hidden.key, missingCourse);
    expect(update[0][0]).toBe("COURSE_NOT_FOUND");

    const runUpdate = await messages(
      "course_run_update",
      ["course_run_key", "minimum_effort"],
      [
        { course_run_key: hiddenRun, minimum_effort: "2" },
        { course_run_key: missingRun, minimum_effort: "2" },
      ],
    );
    sameBut(runUpdate[0], runUpdate[1], hiddenRun, missingRun);

    const rerunHeader = ["last_active_run_key", "start_date", "end_date", "run_type", "pacing_type"];
    const rerun = (key: string) => ({
      last_active_run_key: key,
      start_date: "2027-01-10",
      end_date: "2027-04-10",
      run_type: "Verified and Audit",
      pacing_type: "self_paced",
    });
    const reruns = await messages("course_rerun", rerunHeader, [rerun(hiddenRun), rerun(missingRun)]);
    sameBut(reruns[0], reruns[1], hiddenRun, missingRun);
    expect(reruns[0][0]).toBe("COURSE_RUN_NOT_FOUND");

    const editors = await messages(
      "course_editor_update",
      ["username_or_email", "course_key_or_uuid", "action"],
      [
        { username_or_email: uploader.email, course_key_or_uuid: hidden.key, action: "add" },
        { username_or_email: uploader.email, course_key_or_uuid: missingCourse, action: "add" },
        { username_or_email: theirPerson.email, course_key_or_uuid: ourCourse.key, action: "add" },
        { username_or_email: "nobody-at-all@example.test", course_key_or_uuid: ourCourse.key, action: "add" },
      ],
    );
    sameBut(editors[0], editors[1], hidden.key, missingCourse);
    sameBut(editors[2], editors[3], theirPerson.email, "nobody-at-all@example.test");
    expect(editors[2][0]).toBe("USER_NOT_FOUND");
  });
});

describe("rich text that sanitizes to nothing", () => {
  it("fails a course_update row with INVALID_VALUE naming the column, leaving the field as it was", async () => {
    const a = await createTestOrg();
    const uploader = await member({ organization: a });
    const course = await createTestCourse({ organization: a });
    await db.course.update({ where: { id: course.id }, data: { shortDescription: "<p>Keep me</p>" } });

    const { rows } = await uploadAndRun({
      user: uploader,
      type: "course_update",
      csv: toCsv(
        ["course_key", "short_description"],
        [{ course_key: course.key, short_description: "<script>alert(1)</script>" }],
      ),
    });
    expect(rows[0]).toMatchObject({ status: "failed", errorCode: "INVALID_VALUE", errorColumn: "short_description" });
    expect(rows[0].errorMessage).toMatch(/^Row 1, column short_description: .*no text left/);
    expect((await db.course.findUniqueOrThrow({ where: { id: course.id } })).shortDescription).toBe("<p>Keep me</p>");
  });
});
