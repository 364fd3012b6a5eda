import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";

import { processBulkOperation } from "@/inngest/functions/process-bulk-operation";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, upload as uploadAs } from "../fixtures/operations";

const upload = (user: Awaited<ReturnType<typeof actingUser>>, csv: string) =>
  uploadAs({ user, type: "course_create", csv });

describe("course_create", () => {
  it("creates 195 of 200 courses, reports the 5 bad rows by row and column, and creates no duplicates on re-upload", async () => {
    const org = await createTestOrg();
    const coordinator = await actingUser((await createTestUser({ memberships: [{ organization: org }] })).id);
    const { prefix, csv } = courseCreateCsv({
      organization: org.key,
      rows: 200,
      overrides: {
        7: { "Start Date": "31/12/2026" },
        50: { Title: "x".repeat(300) },
        99: { "Verified Price": "" },
        150: { "Course Enrollment Track": "Platinum" },
        200: { Organization: "NoSuchOrg" },
      },
    });

    const { id } = await upload(coordinator, csv);
    await expect(runInProcess(id)).resolves.toEqual({ status: "partially_completed" });

    const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(operation).toMatchObject({ totalRows: 200, createdCount: 195, failedCount: 5, processedRows: 200 });
    const courses = await db.course.findMany({
      where: { key: { startsWith: `${org.key}+${prefix}-` } },
      include: { runs: { include: { seats: true } }, editors: true },
    });
    expect(courses).toHaveLength(195);
    for (const course of courses) {
      expect(course.runs).toHaveLength(1);
      expect(course.runs[0].key).toBe(`course-v1:${course.key}+3T2026`);
      expect(course.runs[0].seats.map((s) => s.type).sort()).toEqual(["audit", "verified"]);
      expect(course.editors.map((e) => e.userId)).toEqual([coordinator.id]);
    }

    const failed = await db.bulkOperationRow.findMany({
      where: { operationId: id, status: "failed" },
      orderBy: { rowNumber: "asc" },
    });
    expect(failed.map((r) => [r.rowNumber, r.errorCode, r.errorColumn])).toEqual([
      [7, "INVALID_VALUE", "start_date"],
      [50, "INVALID_VALUE", "title"],
      [99, "MISSING_REQUIRED_DATA", "verified_price"],
      [150, "MISSING_COURSE_TYPE", "course_enrollment_track"],
      [200, "MISSING_ORGANIZATION", "organization"],
    ]);
    expect(failed[0].errorMessage).toContain("Row 7");
    expect(failed[0].errorMessage).toContain("31/12/2026");
    expect(failed[1].errorMessage).toMatch(/300 characters; the limit is 255/);

    const again = await upload(coordinator, csv);
    await expect(runInProcess(again.id)).resolves.toEqual({ status: "failed" });
    expect(await db.course.count({ where: { key: { startsWith: `${org.key}+${prefix}-` } } })).toBe(195);
    const repeated = await db.bulkOperationRow.findFirstOrThrow({ where: { operationId: again.id, rowNumber: 1 } });
    expect(repeated).toMatchObject({ status: "failed", errorCode: "COURSE_CREATE_ERROR" });
    expect(repeated.errorMessage).toContain("already exists");
  });

  it("rejects rows for an organization the coordinator does not belong to", async () => {
    const [own, other] = [await createTestOrg(), await createTestOrg()];
    const coordinator = await actingUser((await createTestUser({ memberships: [{ organization: own }] })).id);
    const { csv } = courseCreateCsv({ organization: own.key, rows: 2, overrides: { 2: { Organization: other.key } } });

    const { id } = await upload(coordinator, csv);
    await runInProcess(id);

    const rows = await db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } });
    expect(rows.map((r) => [r.status, r.errorCode])).toEqual([
      ["created", null],
      ["failed", "PERMISSION_DENIED"],
    ]);
    expect(await db.courseOrganization.count({ where: { organizationId: other.id } })).toBe(0);
  });

  it("runs through the Inngest function definition and its steps", async () => {
    const org = await createTestOrg();
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);
    const { csv } = courseCreateCsv({ organization: org.key, rows: 3 });
    const { id } = await upload(staff, csv);

    const engine = new InngestTestEngine({ function: processBulkOperation });
    const { result } = await engine.execute({
      events: [{ name: "bulk/operation.requested", data: { operationId: id, phase: "start", attempt: 0 } }],
    });

    expect(result).toEqual({ status: "completed" });
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "completed",
      createdCount: 3,
    });
    expect(await db.emailMessage.count({ where: { idempotencyKey: `bulk-operation-finished-${id}` } })).toBe(1);
  });
});
