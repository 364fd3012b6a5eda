import { describe, expect, it } from "vitest";

import { listOperationRows } from "@/lib/bulk/results/list-operation-rows";
import { listCourses } from "@/lib/catalog/list-courses";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser, uniqueSuffix } from "../fixtures/factories";
import { actingUser, runInProcess, upload } from "../fixtures/operations";

const keys = (result: { items: { key: string }[] }) => result.items.map((c) => c.key);

/** Organizations A, B and C; courses of A, of B, of C, and one of B co-authored by A. */
async function catalog() {
  const [a, b, c] = [await createTestOrg(), await createTestOrg(), await createTestOrg()];
  const ofA = [await createTestCourse({ organization: a }), await createTestCourse({ organization: a })];
  const ofB = await createTestCourse({ organization: b });
  const ofC = await createTestCourse({ organization: c });
  const shared = await createTestCourse({ organization: b });
  await db.courseOrganization.create({ data: { courseId: shared.id, organizationId: a.id } });
  const member = await actingUser((await createTestUser({ memberships: [{ organization: a }] })).id);
  const staff = await actingUser((await createTestUser({ isStaff: true })).id);
  return { a, b, c, ofA, ofB, ofC, shared, member, staff };
}

describe("the course list", () => {
  it("shows a member the courses one of their organizations authors, co-authored ones too, in key order", async () => {
    const { b, c, ofA, ofB, shared, member, staff } = await catalog();
    const own = await listCourses({ user: member, page: 1, pageSize: 25 });
    expect(keys(own)).toEqual([...ofA.map((x) => x.key), shared.key].sort());
    expect(own.total).toBe(3);

    // The organization filter narrows what the user may see; it never widens it.
    const byB = await listCourses({ user: member, organization: b.key.toLowerCase(), page: 1, pageSize: 25 });
    expect(keys(byB)).toEqual([shared.key]);
    expect(byB.total).toBe(1);
    expect((await listCourses({ user: member, organization: c.key, page: 1, pageSize: 25 })).total).toBe(0);
    expect(keys(await listCourses({ user: staff, organization: b.key, page: 1, pageSize: 25 }))).toEqual(
      [ofB.key, shared.key].sort(),
    );

    const second = await listCourses({ user: member, page: 2, pageSize: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(keys(second)).toEqual([...ofA.map((x) => x.key), shared.key].sort().slice(2));
  });

  it("counts each course's own runs and lists its organizations, the one in its key first", async () => {
    const { a, b, shared, member } = await catalog();
    const run = await db.courseRun.findFirstOrThrow({ where: { courseId: shared.id } });
    await db.courseRun.create({
      data: { key: `${run.key}-rerun`, courseId: shared.id, runTypeId: run.runTypeId, status: "unpublished" },
    });
    const item = (await listCourses({ user: member, q: shared.key, page: 1, pageSize: 25 })).items;
    expect(item).toEqual([
      {
        id: shared.id,
        key: shared.key,
        title: shared.title,
        courseType: "Verified and Audit",
        organizations: [
          { key: b.key, name: b.name },
          { key: a.key, name: a.name },
        ],
        runsCount: 2,
        updatedAt: shared.updatedAt.toISOString(),
      },
    ]);
  });

  it("searches key and title substrings case-insensitively, taking % and _ literally", async () => {
    const organization = await createTestOrg();
    const staff = await actingUser((await createTestUser({ isStaff: true })).id);
    const word = `Zq${uniqueSuffix()}`;
    const [percent, underscore, plain] = [
      await createTestCourse({ organization, title: `${word} 100% online` }),
      await createTestCourse({ organization, title: `${word}_Science` }),
      await createTestCourse({ organization, title: `${word}XScience` }),
    ];
    const search = async (q: string) => keys(await listCourses({ user: staff, q, page: 1, pageSize: 25 }));

    expect(await search(word.toUpperCase())).toEqual([percent.key, underscore.key, plain.key].sort());
    expect(await search(`${word} 100%`)).toEqual([percent.key]);
    expect(await search(`${word}_s`)).toEqual([underscore.key]);
    expect(await search(organization.key.toLowerCase())).toHaveLength(3);
    expect(await search(`${plain.key.split("+")[1]}`)).toEqual([plain.key]);
  });

  it("answers a page far past the end with no items and the total, whatever its number", async () => {
    const { member } = await catalog();
    expect(await listCourses({ user: member, page: Number.MAX_SAFE_INTEGER, pageSize: 100 })).toMatchObject({
      items: [],
      total: 3,
    });
  });
});

describe("an operation's row results", () => {
  it("answer any page number and take % and _ in a key search literally", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { csv } = courseCreateCsv({ organization: organization.key, rows: 3 });
    const { id } = await upload({ user, type: "course_create", csv });
    await runInProcess(id);
    const rows = (filters: { page?: number; q?: string }) =>
      listOperationRows({ user, operationId: id, page: 1, pageSize: 200, ...filters });

    expect(await rows({ page: Number.MAX_SAFE_INTEGER })).toMatchObject({ items: [], total: 3 });
    expect((await rows({ q: organization.key.toLowerCase() })).total).toBe(3);
    expect((await rows({ q: "%" })).total).toBe(0);
    expect((await rows({ q: "_" })).total).toBe(0);
  });
});
