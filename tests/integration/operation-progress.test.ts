import { describe, expect, it } from "vitest";

import { confirmOperation } from "@/lib/bulk/actions/confirm-operation";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { type ListOperationRowsOptions, listOperationRows } from "@/lib/bulk/results/list-operation-rows";
import { listOperations } from "@/lib/bulk/results/list-operations";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, toCsv, upload } from "../fixtures/operations";

async function newUploader() {
  const organization = await createTestOrg();
  const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
  return { organization, user };
}

describe("live progress", () => {
  it("reports rows per second and an ETA for a running operation, and null once it is final", async () => {
    const { organization, user } = await newUploader();
    const { csv } = courseCreateCsv({ organization: organization.key, rows: 3 });
    const { id } = await upload({ user, type: "course_create", csv });

    // Not started yet: running, but nothing to measure.
    expect((await getOperation({ user, id }))?.progress).toEqual({
      elapsedSeconds: 0,
      rowsPerSecond: null,
      etaSeconds: null,
    });

    // Simulate a job 10 s into applying 1,000 rows, 400 of them done: 40 rows/s, 600 left → 15 s.
    await db.bulkOperation.update({
      where: { id },
      data: {
        status: "processing",
        stage: "applying",
        totalRows: 1000,
        processedRows: 400,
        startedAt: new Date(Date.now() - 10_000),
      },
    });
    const running = await getOperation({ user, id });
    expect(running?.status).toBe("processing");
    expect(running?.progress?.rowsPerSecond).toBeGreaterThan(38);
    expect(running?.progress?.rowsPerSecond).toBeLessThanOrEqual(40);
    expect(running?.progress?.etaSeconds).toBeGreaterThanOrEqual(15);
    expect(running?.progress?.etaSeconds).toBeLessThanOrEqual(16);
    expect(running?.progress?.elapsedSeconds).toBeGreaterThanOrEqual(10);

    // The history shows the same numbers for running operations.
    const history = await listOperations({ user, page: 1, pageSize: 10 });
    const listed = history.items.find((op) => op.id === id);
    expect(listed?.progress?.rowsPerSecond).toBeGreaterThan(38);
    expect(listed?.progress?.etaSeconds).toBeGreaterThanOrEqual(15);
    expect(listed?.durationSeconds).toBeNull();

    await db.bulkOperation.update({
      where: { id },
      data: { status: "completed", stage: null, processedRows: 1000, finishedAt: new Date() },
    });
    const finished = await getOperation({ user, id });
    expect(finished?.progress).toBeNull();
    const finishedListed = (await listOperations({ user, page: 1, pageSize: 10 })).items.find((op) => op.id === id);
    expect(finishedListed?.progress).toBeNull();
    expect(finishedListed?.durationSeconds).toBeGreaterThanOrEqual(10);
  });

  it("times a confirmed preview from its confirmation, not counting rows settled by validation", async () => {
    const { organization, user } = await newUploader();
    const { csv } = courseCreateCsv({
      organization: organization.key,
      rows: 4,
      overrides: { 2: { "Start Date": "nope" } },
    });
    const { id } = await upload({ user, type: "course_create", csv, mode: "preview" });
    await runInProcess(id);
    const preview = await getOperation({ user, id });
    expect(preview).toMatchObject({ status: "awaiting_confirmation", progress: null });
    expect(preview?.preview).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 1, pending: 0 });

    await confirmOperation({ user, id });
    // The job has not picked it up yet; pretend it applied 2 rows (plus the 1 validation failure) in 4 s.
    await db.bulkOperation.update({
      where: { id },
      data: {
        processedRows: 3,
        startedAt: new Date(Date.now() - 3_600_000),
        confirmedAt: new Date(Date.now() - 4_000),
      },
    });
    const applying = await getOperation({ user, id });
    expect(applying?.preview).toBeNull();
    expect(applying?.progress?.rowsPerSecond).toBeGreaterThan(0.45);
    expect(applying?.progress?.rowsPerSecond).toBeLessThanOrEqual(0.5);
    // One row left at ~0.5 rows/s.
    expect(applying?.progress?.etaSeconds).toBeGreaterThanOrEqual(2);
    expect(applying?.progress?.etaSeconds).toBeLessThanOrEqual(3);

    await runInProcess(id, "confirm");
    expect(await getOperation({ user, id })).toMatchObject({
      status: "partially_completed",
      progress: null,
      createdCount: 3,
    });
  });
});

describe("row results filters", () => {
  it("filter by preview outcome, status, error code and key, with pagination", async () => {
    const { organization, user } = await newUploader();
    const courses = [];
    for (let i = 0; i < 4; i++) {
      courses.push(await createTestCourse({ organization, title: `Old title ${i}` }));
    }
    const csv = toCsv(
      ["course_key", "title", "minimum_effort"],
      [
        { course_key: courses[0].key, title: "New title 0" }, // 1: would update
        { course_key: courses[1].key, title: "New title 1" }, // 2: would update
        { course_key: courses[2].key, title: "Old title 2" }, // 3: unchanged
        { course_key: `${organization.key}+Missing`, title: "x" }, // 4: COURSE_NOT_FOUND when checked
        { course_key: courses[3].key, minimum_effort: "many" }, // 5: INVALID_VALUE at validation
      ],
    );
    const { id } = await upload({ user, type: "course_update", csv, mode: "preview" });
    await runInProcess(id);

    const operation = await getOperation({ user, id });
    expect(operation?.preview).toEqual({ created: 0, updated: 2, unchanged: 1, failed: 2, pending: 0 });
    expect(operation?.errorGroups.map((g) => [g.code, g.count]).sort()).toEqual([
      ["COURSE_NOT_FOUND", 1],
      ["INVALID_VALUE", 1],
    ]);

    const rows = (filters: Partial<ListOperationRowsOptions>) =>
      listOperationRows({ user, operationId: id, page: 1, pageSize: 50, ...filters });
    const numbers = async (filters: Partial<ListOperationRowsOptions>) =>
      (await rows(filters)).items.map((r) => r.rowNumber);

    expect(await numbers({ previewStatus: "updated" })).toEqual([1, 2]);
    expect(await numbers({ previewStatus: "unchanged" })).toEqual([3]);
    // "Would fail" covers rows the preview rejected and rows validation rejected.
    expect(await numbers({ previewStatus: "failed" })).toEqual([4, 5]);
    expect(await numbers({ status: "failed" })).toEqual([5]);
    expect(await numbers({ status: "pending" })).toEqual([1, 2, 3, 4]);
    expect(await numbers({ errorCode: "COURSE_NOT_FOUND" })).toEqual([4]);
    expect(await numbers({ previewStatus: "failed", errorCode: "INVALID_VALUE" })).toEqual([5]);
    expect(await numbers({ q: courses[1].key.toLowerCase() })).toEqual([2]);
    expect(await numbers({ q: "Missing" })).toEqual([4]);
    // An unresolved row shows its key as written, not the lowercased match key.
    expect((await rows({ q: "missing" })).items[0].targetLabel).toBe(`${organization.key}+Missing`);
    expect(await numbers({ q: courses[1].key, previewStatus: "failed" })).toEqual([]);

    const [first] = (await rows({ previewStatus: "updated" })).items;
    expect(first).toMatchObject({ status: "pending", previewStatus: "updated" });
    expect(first.changes).toEqual([{ field: "title", before: "Old title 0", after: "New title 0" }]);

    const page2 = await rows({ page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.items.map((r) => r.rowNumber)).toEqual([3, 4]);

    // Applied: the rows' own statuses now answer the status filter.
    await confirmOperation({ user, id });
    await runInProcess(id, "confirm");
    expect(await numbers({ status: "updated" })).toEqual([1, 2]);
    expect(await numbers({ status: "failed" })).toEqual([4, 5]);
    expect(await numbers({ status: "failed", errorCode: "COURSE_NOT_FOUND" })).toEqual([4]);
    const applied = await getOperation({ user, id });
    expect(applied).toMatchObject({ preview: null, updatedCount: 2, unchangedCount: 1, failedCount: 2 });

    // Another organization's uploader sees nothing.
    const stranger = (await newUploader()).user;
    expect((await listOperationRows({ user: stranger, operationId: id, page: 1, pageSize: 50 })).total).toBe(0);
    expect(await getOperation({ user: stranger, id })).toBeNull();
  });
});
