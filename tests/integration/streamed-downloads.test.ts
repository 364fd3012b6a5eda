import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import * as errorsRoute from "@/app/api/bulk-operations/[id]/errors.csv/route";
import * as fileRoute from "@/app/api/bulk-operations/[id]/file/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { writeCsv } from "@/lib/bulk/csv/write-csv";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, runInProcess, upload } from "../fixtures/operations";

// The error file and the original upload are streamed: rows are read from PostgreSQL a batch at a time
// and the file a piece at a time, while the client reads, so concurrent downloads of large files do not
// hold whole files in memory.

const FAILED_ROWS = 2_500;

async function coordinatorWithToken() {
  const organization = await createTestOrg();
  const user = await createTestUser({ memberships: [{ organization }] });
  const { token } = await createApiToken({ userId: user.id, name: "test" });
  return { organization, user: await actingUser(user.id), token };
}

/** An operation whose rows all fail validation; some titles are formulas spread over several lines. */
async function operationWithFailedRows() {
  const owner = await coordinatorWithToken();
  const overrides: Record<number, Record<string, string>> = {};
  for (let i = 1; i <= FAILED_ROWS; i++) {
    overrides[i] = { "Start Date": `not a date ${i}`, ...(i % 7 === 0 ? { Title: `"=1+${i}\n+2, é"` } : {}) };
  }
  const { csv } = courseCreateCsv({ organization: owner.organization.key, rows: FAILED_ROWS, overrides });
  const { id } = await upload({ user: owner.user, type: "course_create", csv, mode: "preview" });
  await runInProcess(id);
  return { ...owner, id };
}

/** The whole error file as the in-memory writer builds it from the stored rows. */
async function errorFileInOneGo(id: string) {
  const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id }, select: { headers: true } });
  const headers = operation.headers as { raw: string; name: string }[];
  const rows = await db.bulkOperationRow.findMany({
    where: { operationId: id, OR: [{ status: "failed" }, { status: "pending", previewStatus: "failed" }] },
    orderBy: { rowNumber: "asc" },
  });
  const data = rows.map((row) => {
    const cells = row.data as Record<string, string>;
    return [...headers.map((h) => cells[h.name] ?? ""), row.errorCode ?? "", row.errorMessage ?? ""];
  });
  return `\uFEFF${writeCsv([...headers.map((h) => h.raw), "error_code", "error_message"], data)}`;
}

const get = (token: string) => new Request("http://localhost/x", { headers: { authorization: `Bearer ${token}` } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function readChunks(body: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
  }
  return chunks;
}

describe("GET /api/bulk-operations/{id}/errors.csv", () => {
  it("streams exactly the file the whole-file writer produces, over several batches", async () => {
    const { id, token } = await operationWithFailedRows();
    const response = await errorsRoute.GET(get(token), params(id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/-errors\.csv/);
    const text = Buffer.concat(await readChunks(response.body!)).toString("utf8");
    const expected = await errorFileInOneGo(id);
    expect(text.length).toBe(expected.length);
    expect(text).toBe(expected);
    expect(text).toContain(`"'=1+7\n+2, é"`);
  });

  it("reads the rows as the client reads the file, not all of them before the first byte", async () => {
    const { id, token } = await operationWithFailedRows();
    const response = await errorsRoute.GET(get(token), params(id));
    const reader = response.body!.getReader();
    let text = "";
    // The BOM, the header and the first batch of rows.
    while ((text.match(/\r\n/g) ?? []).length < 1_000) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      text += Buffer.from(value).toString("utf8");
    }
    // Rows deleted now are gone from the rest of a streamed file; a file built before it was sent has them.
    await db.bulkOperationRow.deleteMany({ where: { operationId: id, rowNumber: { gt: 1_000 } } });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      text += Buffer.from(value).toString("utf8");
    }
    const rowNumbers = [...new Set([...text.matchAll(/not a date (\d+)/g)].map((m) => Number(m[1])))];
    expect(rowNumbers.length).toBe(1_000);
    expect(Math.max(...rowNumbers)).toBe(1_000);
  });

  it("is a 404 for a user who cannot see the operation, before anything is streamed", async () => {
    const { id } = await operationWithFailedRows();
    const stranger = await coordinatorWithToken();
    const response = await errorsRoute.GET(get(stranger.token), params(id));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("NOT_FOUND");
  });
});

describe("GET /api/bulk-operations/{id}/file", () => {
  it("sends the upload byte for byte, in pieces of at most 1 MB", async () => {
    const owner = await coordinatorWithToken();
    const { csv } = courseCreateCsv({
      organization: owner.organization.key,
      rows: 16_000,
      overrides: { 1: { Title: '"Café, naïve, 日本語"' } },
    });
    const bytes = new TextEncoder().encode(csv);
    expect(bytes.byteLength).toBeGreaterThan(3 * 1024 * 1024);
    const { id } = await upload({ user: owner.user, type: "course_create", csv, fileName: "big.csv" });

    const response = await fileRoute.GET(get(owner.token), params(id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(response.headers.get("x-checksum-sha256")).toBe(createHash("sha256").update(bytes).digest("hex"));
    const chunks = await readChunks(response.body!);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...chunks.map((c) => c.byteLength))).toBeLessThanOrEqual(1024 * 1024);

    const stranger = await coordinatorWithToken();
    expect((await fileRoute.GET(get(stranger.token), params(id))).status).toBe(404);
  });
});
