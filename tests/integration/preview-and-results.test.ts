import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import Papa from "papaparse";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { cancelOperation, confirmOperation } from "@/lib/bulk/actions/confirm-operation";
import { buildErrorCsv } from "@/lib/bulk/results/build-error-csv";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestCourse, createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, toCsv, upload } from "../fixtures/operations";

async function coursesSnapshot(ids: string[]) {
  return db.course.findMany({
    where: { id: { in: ids } },
    include: { runs: { include: { seats: { orderBy: { type: "asc" } } } } },
    orderBy: { key: "asc" },
  });
}

describe("preview first", () => {
  it("writes nothing, reports each row's field changes, and confirming applies exactly those changes", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const courses = [];
    for (let i = 0; i < 50; i++) {
      courses.push(await createTestCourse({ organization, title: `Title ${i}` }));
    }
    const header = ["course_key", "course_run_key", "title", "minimum_effort", "maximum_effort", "verified_price"];
    const csv = toCsv(
      header,
      courses.map((course, i) =>
        i === 49
          ? { course_key: course.key, title: `Title ${i}` } // unchanged
          : i === 48
            ? { course_key: `${organization.key}+Missing`, title: "x" } // fails
            : {
                course_key: course.key,
                course_run_key: course.runs[0].key,
                title: `New title ${i}`,
                minimum_effort: "2",
                maximum_effort: String(3 + (i % 4)),
                verified_price: "99",
              },
      ),
    );
    const before = await coursesSnapshot(courses.map((c) => c.id));

    const { id } = await upload({ user, type: "course_update", csv, mode: "preview" });
    await expect(runInProcess(id)).resolves.toEqual({ status: "awaiting_confirmation" });

    expect(await coursesSnapshot(courses.map((c) => c.id))).toEqual(before);
    const previewed = await db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } });
    expect(previewed.every((r) => r.status === "pending" || r.rowNumber === 49)).toBe(true);
    expect(previewed.map((r) => r.previewStatus)).toEqual([...Array(48).fill("updated"), "failed", "unchanged"]);
    expect(previewed[0].changes).toEqual({
      title: { before: "Title 0", after: "New title 0" },
      [`${courses[0].runs[0].key}: minimum_effort`]: { before: null, after: 2 },
      [`${courses[0].runs[0].key}: maximum_effort`]: { before: null, after: 3 },
      [`${courses[0].runs[0].key}: verified_price`]: { before: "49", after: "99.00" },
    });
    expect(previewed[48]).toMatchObject({ errorCode: "COURSE_NOT_FOUND" });

    await confirmOperation({ user, id });
    await expect(runInProcess(id, "confirm")).resolves.toEqual({ status: "partially_completed" });

    const applied = await db.bulkOperationRow.findMany({ where: { operationId: id }, orderBy: { rowNumber: "asc" } });
    expect(applied.map((r) => [r.status, r.changes])).toEqual(previewed.map((r) => [r.previewStatus, r.changes]));
    const [first] = await coursesSnapshot([courses[0].id]);
    expect(first).toMatchObject({
      title: "New title 0",
      runs: [expect.objectContaining({ minEffort: 2, maxEffort: 3 })],
    });
    expect(first.runs[0].seats.find((s) => s.type === "verified")?.price.toString()).toBe("99");
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      updatedCount: 48,
      failedCount: 1,
      unchangedCount: 1,
    });
  });

  it("discarding a preview cancels it and applies nothing", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows: 3 });
    const { id } = await upload({ user, type: "course_create", csv, mode: "preview" });
    await runInProcess(id);
    expect((await db.bulkOperationRow.findMany({ where: { operationId: id } })).map((r) => r.previewStatus)).toEqual([
      "created",
      "created",
      "created",
    ]);

    await expect(cancelOperation({ user, id })).resolves.toMatchObject({ status: "cancelled" });
    await expect(confirmOperation({ user, id })).rejects.toThrow(/awaiting confirmation/);
    expect(await db.course.count({ where: { key: { startsWith: `${organization.key}+${prefix}` } } })).toBe(0);
  });
});

describe("error file", () => {
  it("lists the failed rows with their original columns and an error, and once fixed uploads cleanly", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ memberships: [{ organization }] })).id);
    const { prefix, csv } = courseCreateCsv({
      organization: organization.key,
      rows: 10,
      overrides: { 3: { "Start Date": "13/45/2026" }, 7: { "Verified Price": "-5" }, 9: { Title: '=HYPERLINK("x")' } },
    });
    const { id } = await upload({ user, type: "course_create", csv });
    await runInProcess(id);

    const errors = await new Response((await buildErrorCsv({ user, id }))!.stream).text();
    const parsed = Papa.parse<Record<string, string>>(errors, { header: true, skipEmptyLines: true });
    expect(parsed.data.map((r) => r.Number)).toEqual([`${prefix}-3`, `${prefix}-7`]);
    expect(parsed.meta.fields).toEqual([...csv.split("\r\n")[0].split(","), "error_code", "error_message"]);
    expect(parsed.data[0]).toMatchObject({ "Start Date": "13/45/2026", error_code: "INVALID_VALUE" });
    expect(parsed.data[1]["Verified Price"]).toBe("'-5"); // neutralised against formula injection
    // Row 9's formula-looking title is stored as text.
    expect((await db.course.findFirstOrThrow({ where: { key: `${organization.key}+${prefix}-9` } })).title).toBe(
      '=HYPERLINK("x")',
    );

    const fixed = Papa.unparse({
      fields: parsed.meta.fields!,
      data: parsed.data.map((r) => ({ ...r, "Start Date": "2026-09-01", "Verified Price": "5" })),
    });
    const again = await upload({ user, type: "course_create", csv: fixed, fileName: "fixed.csv" });
    await expect(runInProcess(again.id)).resolves.toEqual({ status: "completed" });
    expect(await db.course.count({ where: { key: { startsWith: `${organization.key}+${prefix}-` } } })).toBe(10);
    expect((await db.bulkOperation.findUniqueOrThrow({ where: { id: again.id } })).warnings).toEqual([
      { code: "UNKNOWN_COLUMNS", message: "Ignored unknown column(s): error_code, error_message" },
    ]);
  });
});

describe("cancel", () => {
  it("stops after the chunks in flight: applied rows stay and are reported, the rest are untouched", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    // Three groups of two parallel chunks: the cancel lands while the first or second group runs.
    const rows = 15_000;
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows });
    const { id } = await upload({ user, type: "course_create", csv });

    const running = runInProcess(id);
    for (;;) {
      const { processedRows } = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
      if (processedRows > 0) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await cancelOperation({ user, id });
    await expect(running).resolves.toEqual({ status: "cancelled" });

    const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id } });
    const created = await db.course.count({ where: { key: { startsWith: `${organization.key}+${prefix}-` } } });
    expect(operation.status).toBe("cancelled");
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(rows);
    expect(operation.createdCount).toBe(created);
    expect(await db.bulkOperationRow.count({ where: { operationId: id, status: "created" } })).toBe(created);
    expect(await db.bulkOperationRow.count({ where: { operationId: id, status: "pending" } })).toBe(rows - created);
  });
});

describe("completion email through Resend", () => {
  let server: Server;
  const received: { path: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ path: request.url ?? "", body: JSON.parse(body || "{}") });
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ id: `email-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => vi.unstubAllEnvs());

  it("sends counts, the top error codes and absolute links for a partially failed operation", async () => {
    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    vi.stubEnv("RESEND_BASE_URL", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    vi.stubEnv("APP_URL", "https://catalog.example.org");
    vi.resetModules();
    const fixtures = await import("../fixtures/operations");

    const organization = await createTestOrg();
    const uploader = await createTestUser({ memberships: [{ organization }] });
    const { csv } = courseCreateCsv({
      organization: organization.key,
      rows: 6,
      overrides: { 2: { "End Date": "01/01/2020" }, 4: { Organization: "Nope" }, 5: { Organization: "Nope" } },
    });
    const { operation } = await fixtures.uploadAndRun({
      user: uploader,
      type: "course_create",
      csv,
      fileName: "catalog.csv",
    });

    const sent = received.filter(
      (r) => r.body.to === uploader.email || (r.body.to as string[])?.includes?.(uploader.email),
    );
    expect(sent).toHaveLength(1);
    const { subject, html, text } = sent[0].body as { subject: string; html: string; text: string };
    expect(subject).toBe("Course Creation: 3 of 6 rows succeeded (catalog.csv)");
    expect(text).toMatch(/MISSING_ORGANIZATION \(2 rows\)/);
    expect(text).toMatch(/INVALID_VALUE \(1 row\)/);
    expect(html).toContain(`https://catalog.example.org/bulk-operations/${operation.id}`);
    expect(html).toContain(`https://catalog.example.org/api/bulk-operations/${operation.id}/errors.csv`);
  });
});
