import { randomBytes } from "node:crypto";

import { type APIRequestContext, expect, test } from "@playwright/test";

import { apiTokenFor, bearer } from "./fixtures/api-token";

const csvFile = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

async function waitUntilFinished(request: APIRequestContext, token: string, id: string) {
  await expect
    .poll(
      async () => (await (await request.get(`/api/bulk-operations/${id}`, { headers: bearer(token) })).json()).status,
      {
        timeout: 30_000,
      },
    )
    .toMatch(/^(completed|partially_completed|failed|errored|cancelled)$/);
  return (await request.get(`/api/bulk-operations/${id}`, { headers: bearer(token) })).json();
}

test.describe("HTTP API access", () => {
  test("an unauthenticated call gets 401, a bad token too", async ({ request }) => {
    for (const path of ["/api/bulk-operations", "/api/courses", "/api/bulk-operations/templates/course_create"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
    }
    const forged = await request.get("/api/bulk-operations", { headers: bearer("cbo_not-a-real-token") });
    expect(forged.status()).toBe(401);
  });

  test("a user with no role gets 403", async ({ request }) => {
    const response = await request.get("/api/bulk-operations", { headers: bearer(apiTokenFor("norole@example.com")) });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.message).toMatch(/not a member of any organization/);
  });
});

test.describe("POST /api/bulk-operations", () => {
  let token: string;
  test.beforeAll(() => {
    token = apiTokenFor("admin@example.com");
  });

  test("rejects a missing field, an unknown type, a non-CSV file and an oversized upload with a clear message", async ({
    request,
  }) => {
    const headers = bearer(token);
    const noType = await request.post("/api/bulk-operations", {
      headers,
      multipart: { file: csvFile("a.csv", "title\nx\n") },
    });
    expect(noType.status()).toBe(400);
    expect((await noType.json()).error.message).toMatch(/`type` is required/);

    const badType = await request.post("/api/bulk-operations", {
      headers,
      multipart: { type: "course_delete", file: csvFile("a.csv", "title\nx\n") },
    });
    expect(badType.status()).toBe(400);
    expect((await badType.json()).error.message).toMatch(/Unknown operation type "course_delete"/);

    const noFile = await request.post("/api/bulk-operations", { headers, multipart: { type: "course_create" } });
    expect(noFile.status()).toBe(400);
    expect((await noFile.json()).error.message).toMatch(/`file` is required/);

    const workbook = await request.post("/api/bulk-operations", {
      headers,
      multipart: {
        type: "course_create",
        file: {
          name: "courses.xlsx",
          mimeType: "application/octet-stream",
          buffer: Buffer.concat([Buffer.from("PK\x03\x04"), randomBytes(64)]),
        },
      },
    });
    expect(workbook.status()).toBe(415);
    expect((await workbook.json()).error.message).toMatch(/Excel workbook .* save it as CSV/);

    const huge = await request.post("/api/bulk-operations", {
      headers,
      multipart: { type: "course_create", file: csvFile("huge.csv", "a".repeat(51 * 1024 * 1024)) },
    });
    expect(huge.status()).toBe(413);
    expect((await huge.json()).error.message).toMatch(/limit is 50\.0 MB/);
  });

  test("runs an upload to the end and exposes its detail, rows, original file and created courses", async ({
    request,
  }) => {
    const headers = bearer(token);
    const number = `API${Date.now().toString(36)}`;
    const csv = [
      "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
      `edX,API course,${number},Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-03-01,25`,
      `edX,API course broken,${number}B,Verified and Audit,Verified and Audit,self_paced,2027-01-10,2026-03-01,25`,
    ].join("\n");

    const created = await request.post("/api/bulk-operations", {
      headers,
      multipart: { type: "course_create", file: csvFile("api.csv", csv) },
    });
    expect(created.status()).toBe(201);
    const { id, status } = await created.json();
    expect(status).toBe("pending");

    const operation = await waitUntilFinished(request, token, id);
    expect(operation).toMatchObject({ status: "partially_completed", totalRows: 2, createdCount: 1, failedCount: 1 });
    expect(operation.errorGroups).toEqual([
      expect.objectContaining({
        code: "INVALID_VALUE",
        count: 1,
        example: expect.objectContaining({ rowNumber: 2, column: "end_date" }),
      }),
    ]);

    const failedRows = await (await request.get(`/api/bulk-operations/${id}/rows?status=failed`, { headers })).json();
    expect(failedRows.items.map((r: { rowNumber: number }) => r.rowNumber)).toEqual([2]);

    const file = await request.get(`/api/bulk-operations/${id}/file`, { headers });
    expect(await file.text()).toBe(csv);

    const course = await (await request.get(`/api/courses/${encodeURIComponent(`edX+${number}`)}`, { headers })).json();
    expect(course).toMatchObject({ key: `edX+${number}`, title: "API course", course_type: "Verified and Audit" });
    expect(course.course_runs).toEqual([
      expect.objectContaining({
        key: `course-v1:edX+${number}+1T2027`,
        status: "unpublished",
        pacing_type: "self_paced",
        start: "2027-01-10T00:00:00.000Z",
        seats: expect.arrayContaining([expect.objectContaining({ type: "verified", price: "25.00", currency: "USD" })]),
      }),
    ]);
    const run = await (
      await request.get(`/api/course-runs/${encodeURIComponent(course.course_runs[0].key)}`, { headers })
    ).json();
    expect(run.seats).toHaveLength(2);

    const listed = await (
      await request.get(`/api/bulk-operations?type=course_create&status=partially_completed`, { headers })
    ).json();
    expect(listed.items.map((o: { id: string }) => o.id)).toContain(id);
  });

  test("serves a template for every operation, with every column and an example row", async ({ request }) => {
    const response = await request.get("/api/bulk-operations/templates/course_create", { headers: bearer(token) });
    expect(response.status()).toBe(200);
    const [header, example] = (await response.text()).split("\r\n");
    expect(header.split(",")).toEqual(
      expect.arrayContaining(["organization", "title", "number", "course_enrollment_track", "verified_price"]),
    );
    expect(example).toContain("edX");
  });
});
