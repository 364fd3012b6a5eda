import { afterEach, describe, expect, it, vi } from "vitest";

import { cancelOperation, confirmOperation } from "@/lib/bulk/actions/confirm-operation";
import { buildErrorCsv } from "@/lib/bulk/results/build-error-csv";
import { getOperation } from "@/lib/bulk/results/get-operation";
import { getOperationFile } from "@/lib/bulk/results/get-operation-file";
import { listOperationRows } from "@/lib/bulk/results/list-operation-rows";
import { listOperations } from "@/lib/bulk/results/list-operations";
import { getCourse } from "@/lib/catalog/get-course";
import { listCourses } from "@/lib/catalog/list-courses";
import { db } from "@/lib/db";
import { outboxEnabled, type ServerEnv } from "@/lib/env";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, upload } from "../fixtures/operations";

async function twoOrganizations() {
  const [ours, theirs] = [await createTestOrg(), await createTestOrg()];
  const coordinator = await actingUser((await createTestUser({ memberships: [{ organization: ours }] })).id);
  const other = await actingUser((await createTestUser({ memberships: [{ organization: theirs }] })).id);
  return { ours, theirs, coordinator, other };
}

describe("a coordinator of another organization", () => {
  it("cannot see or act on an operation: list, detail, rows, file, error file, confirm, cancel", async () => {
    const { theirs, coordinator, other } = await twoOrganizations();
    const { csv } = courseCreateCsv({ organization: theirs.key, rows: 2, overrides: { 2: { "Start Date": "bad" } } });
    const { id } = await upload({ user: other, type: "course_create", csv, mode: "preview" });
    await runInProcess(id);

    expect(await getOperation({ user: other, id })).not.toBeNull();
    expect(await getOperation({ user: coordinator, id })).toBeNull();
    expect((await listOperations({ user: coordinator, page: 1, pageSize: 100 })).items.map((o) => o.id)).not.toContain(
      id,
    );
    expect((await listOperationRows({ user: coordinator, operationId: id, page: 1, pageSize: 50 })).items).toEqual([]);
    expect(await getOperationFile({ user: coordinator, id })).toBeNull();
    expect(await buildErrorCsv({ user: coordinator, id })).toBeNull();
    await expect(confirmOperation({ user: coordinator, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelOperation({ user: coordinator, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.bulkOperation.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_confirmation");
  });

  it("cannot read another organization's course, which staff can", async () => {
    const { theirs, coordinator } = await twoOrganizations();
    const course = await createTestCourse({ organization: theirs });
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);

    expect(await getCourse({ user: coordinator, keyOrId: course.key })).toBeNull();
    expect(await getCourse({ user: coordinator, keyOrId: course.id })).toBeNull();
    expect((await listCourses({ user: coordinator, q: course.key, page: 1, pageSize: 10 })).total).toBe(0);
    expect((await getCourse({ user: staff, keyOrId: course.key }))?.key).toBe(course.key);
  });
});

describe("limits", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("refuses a user's upload past the active-operation limit with TOO_MANY_REQUESTS", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { csv } = courseCreateCsv({ organization: organization.key, rows: 1 });
    for (let i = 0; i < 5; i++) {
      await upload({ user, type: "course_create", csv });
    }
    await expect(upload({ user, type: "course_create", csv })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      status: 429,
    });
  });

  it("fails a file over the row limit with a message naming the limit", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { csv } = courseCreateCsv({ organization: organization.key, rows: 30 });
    // lib/env.ts reads the environment once per module instance.
    vi.stubEnv("MAX_ROWS_PER_FILE", "20");
    vi.resetModules();
    const fresh = await import("../fixtures/operations");
    const { id } = await fresh.upload({ user, type: "course_create", csv });
    await fresh.runInProcess(id);

    const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(operation.status).toBe("failed");
    expect(operation.errorMessage).toMatch(/more than 20 rows/);
    expect(await db.bulkOperationRow.count({ where: { operationId: id } })).toBe(0);
  });
});

describe("the outbox", () => {
  const base = { RESEND_API_KEY: undefined, BULKOPS_EMBEDDED: undefined } as unknown as ServerEnv;
  it("is served in development and in the embedded default, never in a production deployment", () => {
    expect(outboxEnabled({ ...base, NODE_ENV: "development" })).toBe(true);
    expect(outboxEnabled({ ...base, NODE_ENV: "production", BULKOPS_EMBEDDED: "1" })).toBe(true);
    expect(outboxEnabled({ ...base, NODE_ENV: "production" })).toBe(false);
    expect(outboxEnabled({ ...base, NODE_ENV: "development", RESEND_API_KEY: "re_x" })).toBe(false);
  });
});
