import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";

import { processBulkOperation } from "@/inngest/functions/process-bulk-operation";
import { processChunk } from "@/lib/bulk/pipeline/process-chunk";
import { validateOperation } from "@/lib/bulk/pipeline/validate-operation";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, upload } from "../fixtures/operations";

async function snapshot(operationId: string, keyPrefix: string) {
  const [operation, rows, courses, runs, seats, emails] = await Promise.all([
    db.bulkOperation.findUniqueOrThrow({
      where: { id: operationId },
      omit: { updatedAt: true, heartbeatAt: true, claimedBy: true },
    }),
    db.bulkOperationRow.findMany({ where: { operationId }, orderBy: { rowNumber: "asc" } }),
    db.course.count({ where: { key: { startsWith: keyPrefix } } }),
    db.courseRun.count({ where: { course: { key: { startsWith: keyPrefix } } } }),
    db.seat.count({ where: { run: { course: { key: { startsWith: keyPrefix } } } } }),
    db.emailMessage.count({ where: { idempotencyKey: `bulk-operation-finished-${operationId}` } }),
  ]);
  return { operation, rows, courses, runs, seats, emails };
}

describe("replays", () => {
  it("re-running the Inngest function for a finished operation (a dashboard replay, a re-sent event) changes nothing and sends no second email", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { prefix, csv } = courseCreateCsv({
      organization: organization.key,
      rows: 5,
      overrides: { 3: { "End Date": "2020-01-01" } },
    });
    const { id } = await upload({ user, type: "course_create", csv });
    const event = {
      name: "bulk/operation.requested" as const,
      data: { operationId: id, phase: "start" as const, attempt: 0 },
    };

    const first = await new InngestTestEngine({ function: processBulkOperation }).execute({ events: [event] });
    expect(first.result).toEqual({ status: "partially_completed" });
    const before = await snapshot(id, `${organization.key}+${prefix}-`);
    expect(before).toMatchObject({ courses: 4, runs: 4, seats: 8, emails: 1 });

    for (let replay = 0; replay < 2; replay++) {
      const again = await new InngestTestEngine({ function: processBulkOperation }).execute({ events: [event] });
      expect(again.result).toEqual({ status: "partially_completed" });
    }
    expect(await snapshot(id, `${organization.key}+${prefix}-`)).toEqual(before);
  });

  it("a chunk step retried after it committed (its result was lost) applies no row twice", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows: 40 });
    const { id } = await upload({ user, type: "course_create", csv });
    await validateOperation(id);

    const chunk = { operationId: id, first: 1, last: 40, mode: "apply" as const };
    await expect(processChunk(chunk)).resolves.toEqual({ processed: 40, cancelled: false });
    const before = await snapshot(id, `${organization.key}+${prefix}-`);
    await expect(processChunk(chunk)).resolves.toEqual({ processed: 0, cancelled: false });
    await Promise.all([processChunk(chunk), processChunk(chunk)]);

    const after = await snapshot(id, `${organization.key}+${prefix}-`);
    expect(after).toEqual(before);
    expect(after.operation).toMatchObject({ createdCount: 40, processedRows: 40 });
    expect(after.courses).toBe(40);
  });

  it("two attempts at the same chunk at once apply each row exactly once", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows: 300 });
    const { id } = await upload({ user, type: "course_create", csv });
    await validateOperation(id);

    const chunk = { operationId: id, first: 1, last: 300, mode: "apply" as const };
    const outcomes = await Promise.all([processChunk(chunk), processChunk(chunk)]);

    expect(outcomes.map((o) => o.processed).sort((a, b) => a - b)).toEqual([0, 300]);
    const after = await snapshot(id, `${organization.key}+${prefix}-`);
    expect(after).toMatchObject({ courses: 300, runs: 300, seats: 600 });
    expect(after.operation).toMatchObject({ createdCount: 300, processedRows: 300 });
  });
});
