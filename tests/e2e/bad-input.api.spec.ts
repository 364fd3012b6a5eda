import { readFileSync } from "node:fs";
import path from "node:path";

import { type APIRequestContext, expect, test } from "@playwright/test";
import Papa from "papaparse";

import { BAD_INPUT_CORPUS, type BadInputCase } from "../fixtures/bad/manifest";
import { apiTokenFor, bearer } from "./fixtures/api-token";

// A few files of the bad-input corpus (tests/fixtures/bad) over real HTTP: every answer is the one the
// manifest expects, and no request, upload or follow-up read, ends in a 500. The course numbers in the
// corpus are fixed, so on a server reused from an earlier run the valid rows meet "already exists":
// the checks below hold either way.

const corpusDir = path.join(__dirname, "../fixtures/bad");
const MIME: Record<string, string> = { ".csv": "text/csv", ".json": "application/json", ".png": "image/png" };

function corpus(file: string): { entry: BadInputCase; upload: { name: string; mimeType: string; buffer: Buffer } } {
  const entry = BAD_INPUT_CORPUS.find((e) => e.file === file);
  if (!entry) {
    throw new Error(`${file} is not in tests/fixtures/bad/manifest.ts`);
  }
  const mimeType = MIME[path.extname(file)] ?? "application/octet-stream";
  return { entry, upload: { name: file, mimeType, buffer: readFileSync(path.join(corpusDir, file)) } };
}

// One uploader's operations run one after another: a user may have only a few active at a time.
test.describe.configure({ mode: "serial" });

test.describe("bad input over HTTP", () => {
  let token: string;
  test.beforeAll(() => {
    // A coordinator of edX, as partners are; the admin is busy in other specs.
    token = apiTokenFor("coordinator@example.com");
  });

  async function post(
    request: APIRequestContext,
    type: string,
    file: { name: string; mimeType: string; buffer: Buffer },
  ) {
    const response = await request.post("/api/bulk-operations", { headers: bearer(token), multipart: { type, file } });
    expect(response.status(), `${file.name}: ${await response.text()}`).toBeLessThan(500);
    return response;
  }

  /** Waits for the job, then reads everything the detail page offers; none of it may fail. */
  async function finish(request: APIRequestContext, id: string) {
    const headers = bearer(token);
    await expect
      .poll(async () => (await (await request.get(`/api/bulk-operations/${id}`, { headers })).json()).status, {
        timeout: 30_000,
      })
      .toMatch(/^(completed|partially_completed|failed|errored|cancelled)$/);
    const [detail, rows, errors, original] = await Promise.all([
      request.get(`/api/bulk-operations/${id}`, { headers }),
      request.get(`/api/bulk-operations/${id}/rows?pageSize=200`, { headers }),
      request.get(`/api/bulk-operations/${id}/errors.csv`, { headers }),
      request.get(`/api/bulk-operations/${id}/file`, { headers }),
    ]);
    for (const response of [detail, rows, errors, original]) {
      expect(response.status(), response.url()).toBe(200);
    }
    return {
      operation: await detail.json(),
      rows: (await rows.json()).items as {
        rowNumber: number;
        status: string;
        errorCode: string;
        errorColumn: string;
        errorMessage: string;
      }[],
      errorCsv: Papa.parse<Record<string, string>>((await errors.text()).replace(/^\uFEFF/, ""), {
        header: true,
        skipEmptyLines: true,
      }).data,
    };
  }

  test("refuses what is not a CSV at upload, with 400 or 415 and the reason", async ({ request }) => {
    for (const file of ["empty.csv", "workbook-renamed.csv", "courses.json", "logo.png"]) {
      const { entry, upload } = corpus(file);
      if (entry.expected.outcome !== "rejected") {
        throw new Error(`${file} is not an upload rejection in the manifest`);
      }
      const response = await post(request, entry.type, upload);
      expect(response.status(), file).toBe(entry.expected.status);
      const { error } = await response.json();
      expect(error.code, file).toBe(entry.expected.code);
      expect(error.message, file).toMatch(entry.expected.message);
    }
  });

  test("accepts broken CSVs and fails each as a whole, saying what is wrong", async ({ request }) => {
    for (const file of [
      "unbalanced-quotes.csv",
      "binary-random.csv",
      "utf16-bom.csv",
      "wrong-headers-run-update-for-create.csv",
      "duplicate-columns.csv",
      "header-only.csv",
    ]) {
      const { entry, upload } = corpus(file);
      if (entry.expected.outcome !== "file failed") {
        throw new Error(`${file} is not a file-level failure in the manifest`);
      }
      const response = await post(request, entry.type, upload);
      expect(response.status(), file).toBe(201);
      const { operation, rows, errorCsv } = await finish(request, (await response.json()).id);
      expect(operation, file).toMatchObject({ status: "failed", totalRows: 0, createdCount: 0 });
      expect(operation.errorMessage, file).toMatch(entry.expected.message);
      expect(rows, file).toEqual([]);
      expect(errorCsv, file).toEqual([]);
    }
  });

  test("reports each bad row by row, column and value", async ({ request }) => {
    const { entry, upload } = corpus("negative-prices.csv");
    if (entry.expected.outcome !== "rows") {
      throw new Error("negative-prices.csv should fail row by row");
    }
    const response = await post(request, entry.type, upload);
    expect(response.status()).toBe(201);
    const { operation, rows, errorCsv } = await finish(request, (await response.json()).id);
    expect(operation).toMatchObject({ status: "failed", totalRows: 7, failedCount: 7, createdCount: 0 });
    expect(operation.errorGroups).toEqual([
      expect.objectContaining({
        code: "INVALID_VALUE",
        count: 7,
        example: expect.objectContaining({ rowNumber: 1, column: "verified_price" }),
      }),
    ]);
    expect(rows.map((r) => [r.rowNumber, r.status, r.errorCode, r.errorColumn])).toEqual(
      entry.expected.failures.map((f) => [f.rowNumber, "failed", f.errorCode, f.errorColumn]),
    );
    entry.expected.failures.forEach((f, i) => expect(rows[i].errorMessage).toMatch(f.message));
    expect(errorCsv.map((line) => line["Verified Price"])).toEqual([
      "'-49",
      "'-$5.00",
      "$-5",
      "1,000.00",
      "49.999",
      "100000000",
      "free",
    ]);
  });

  test("stores formula-looking cells as text and neutralises them in the error CSV", async ({ request }) => {
    const { entry, upload } = corpus("formula-cells.csv");
    const response = await post(request, entry.type, upload);
    expect(response.status()).toBe(201);
    const { operation, rows, errorCsv } = await finish(request, (await response.json()).id);
    expect(["partially_completed", "failed"]).toContain(operation.status);
    expect(rows.find((r) => r.rowNumber === 6)).toMatchObject({
      status: "failed",
      errorCode: "INVALID_VALUE",
      errorColumn: "number",
    });
    expect(errorCsv.find((line) => line.Number === "'=2+3")).toMatchObject({
      Title: "'=cmd|' /C calc'!A0",
      error_code: "INVALID_VALUE",
    });

    const course = await request.get(`/api/courses/${encodeURIComponent("edX+BAD-FX-1")}`, { headers: bearer(token) });
    expect(course.status()).toBe(200);
    expect((await course.json()).title).toBe('=HYPERLINK("http://evil.example/","Click me")');
  });

  test("stores rich text sanitized and a script-looking title as plain text", async ({ request }) => {
    const { entry, upload } = corpus("script-in-rich-text.csv");
    const response = await post(request, entry.type, upload);
    expect(response.status()).toBe(201);
    await finish(request, (await response.json()).id);

    const course = await request.get(`/api/courses/${encodeURIComponent("edX+BAD-XSS-1")}`, { headers: bearer(token) });
    expect(course.status()).toBe(200);
    expect(await course.json()).toMatchObject({
      title: "<script>alert('title')</script>",
      short_description: "<p>Hello</p>",
      full_description: "<p>Text</p>",
      outcome: "<ul><li><a>Link</a></li></ul>",
      syllabus: "<p>Week 1</p>",
    });
  });

  test("stores a file name cut inside an emoji at 255 characters instead of answering 500", async ({ request }) => {
    const { upload } = corpus("header-only.csv");
    const name = `${"x".repeat(254)}\u{1F600}.csv`;
    const response = await post(request, "course_create", { ...upload, name });
    expect(response.status()).toBe(201);
    const { operation } = await finish(request, (await response.json()).id);
    expect(operation.fileName).toBe(`${"x".repeat(254)}\u{1F600}`);
  });
});
