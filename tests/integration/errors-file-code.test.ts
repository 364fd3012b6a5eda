import { describe, expect, it } from "vitest";

import { GET } from "@/app/api/bulk-operations/[id]/route";
import { createApiToken } from "@/lib/auth/api-tokens";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, upload } from "../fixtures/operations";

/** Uploads `csv` as a new staff user, runs its job here, and reads the operation back through its route. */
async function uploadRunAndGet(csv: string) {
  const user = await createTestUser({ isStaff: true });
  const { id } = await upload({ user: await actingUser(user.id), type: "course_create", csv });
  await runInProcess(id);
  const { token } = await createApiToken({ userId: user.id, name: "errors-file-code" });
  const response = await GET(
    new Request(`http://localhost/api/bulk-operations/${id}`, { headers: { Authorization: `Bearer ${token}` } }),
    { params: Promise.resolve({ id }) },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("a file refused as a whole", () => {
  it("keeps its code in GET /api/bulk-operations/{id}: an unclosed quote is UNBALANCED_QUOTES", async () => {
    const { csv } = courseCreateCsv({ organization: (await createTestOrg()).key, rows: 3 });

    const body = await uploadRunAndGet(`${csv}OrgX,"A title whose quote never closes,X-1\n`);

    expect(body).toMatchObject({ status: "failed", totalRows: 0, errorCode: "UNBALANCED_QUOTES" });
    expect(body.errorMessage).toMatch(/double quote/);
  });

  it("keeps MISSING_COLUMNS for a header without the operation's required columns", async () => {
    const body = await uploadRunAndGet("Organization,Title\nOrgX,Intro\n");

    expect(body).toMatchObject({ status: "failed", errorCode: "MISSING_COLUMNS" });
    expect(body.errorMessage).toEqual(expect.any(String));
  });

  it("has no code for a file that was accepted", async () => {
    const { csv } = courseCreateCsv({ organization: (await createTestOrg()).key, rows: 1 });

    expect(await uploadRunAndGet(csv)).toMatchObject({ status: "completed", errorCode: null });
  });
});
