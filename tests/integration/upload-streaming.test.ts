import { afterEach, describe, expect, it, vi } from "vitest";

import * as uploadRoute from "@/app/api/bulk-operations/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/sql/sql-pool";

import { chunkedRequest } from "../fixtures/counting-body";
import { createTestOrg, createTestUser } from "../fixtures/factories";

// The upload route stores the file while the multipart body streams in, before it has seen every field:
// whatever it then refuses leaves no operation and no stored piece behind.

const BOUNDARY = "----streaming-test";
const noParams = { params: Promise.resolve({} as Record<string, never>) };

async function member() {
  const organization = await createTestOrg();
  const user = await createTestUser({ memberships: [{ organization }] });
  return { user, token: (await createApiToken({ userId: user.id, name: "test" })).token };
}

type Part = { name: string; value: string | Uint8Array; fileName?: string };

function multipart(parts: Part[]) {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName === undefined ? "" : `; filename="${part.fileName}"`}`;
    chunks.push(encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(typeof part.value === "string" ? encoder.encode(part.value) : part.value);
    chunks.push(encoder.encode("\r\n"));
  }
  chunks.push(encoder.encode(`--${BOUNDARY}--\r\n`));
  return chunks;
}

async function post(token: string, chunks: Uint8Array[], route = uploadRoute) {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) {
        controller.enqueue(next);
      } else {
        controller.close();
      }
    },
  });
  const response = await route.POST(
    chunkedRequest("http://localhost/api/bulk-operations", {
      headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    }),
    noParams,
  );
  return { status: response.status, body: await response.json() };
}

async function stagedPieces() {
  const { rows } = await sqlPool().query<{ count: number }>(
    `SELECT count(*)::int AS "count" FROM "BulkOperationUploadPart"`,
  );
  return rows[0].count;
}

const csv = "Organization,Title,Number\nX,Y,Z\n";

describe("POST /api/bulk-operations, streamed", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("accepts `type` and `mode` after the file", async () => {
    const { user, token } = await member();
    const response = await post(
      token,
      multipart([
        { name: "file", value: csv, fileName: "après.csv" },
        { name: "type", value: "course_create" },
        { name: "mode", value: "preview" },
      ]),
    );
    expect(response.status).toBe(201);
    const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(operation).toMatchObject({ uploaderId: user.id, mode: "preview", fileName: "après.csv" });
    expect(Buffer.from(operation.fileBytes).toString()).toBe(csv);
    expect(await stagedPieces()).toBe(0);
  });

  it.each<[string, Part[], number, RegExp]>([
    [
      "an unknown type after the file",
      [
        { name: "file", value: csv, fileName: "a.csv" },
        { name: "type", value: "nope" },
      ],
      400,
      /type/i,
    ],
    [
      "a bad mode after the file",
      [
        { name: "file", value: csv, fileName: "a.csv" },
        { name: "type", value: "course_create" },
        { name: "mode", value: "later" },
      ],
      400,
      /mode/i,
    ],
    ["no type at all", [{ name: "file", value: csv, fileName: "a.csv" }], 400, /type/i],
    ["no file", [{ name: "type", value: "course_create" }], 400, /`file` is required/],
    [
      "a PNG image",
      [
        { name: "type", value: "course_create" },
        { name: "file", value: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), fileName: "logo.csv" },
      ],
      415,
      /PNG image/,
    ],
    [
      "an empty file",
      [
        { name: "type", value: "course_create" },
        { name: "file", value: "", fileName: "empty.csv" },
      ],
      400,
      /is empty/,
    ],
    [
      "a spreadsheet's name",
      [
        { name: "type", value: "course_create" },
        { name: "file", value: csv, fileName: "book.numbers" },
      ],
      415,
      /upload a \.csv file/,
    ],
  ])("refuses %s and keeps nothing", async (_, parts, status, message) => {
    const { user, token } = await member();
    const response = await post(token, multipart(parts));
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
    expect(await db.bulkOperation.count({ where: { uploaderId: user.id } })).toBe(0);
    expect(await stagedPieces()).toBe(0);
  });

  it("refuses a body cut off after the file (400) and drops what was stored", async () => {
    const { user, token } = await member();
    const chunks = multipart([
      { name: "file", value: csv.repeat(50_000), fileName: "a.csv" },
      { name: "type", value: "course_create" },
    ]);
    const response = await post(token, chunks.slice(0, 3));
    expect(response.status).toBe(400);
    expect(await db.bulkOperation.count({ where: { uploaderId: user.id } })).toBe(0);
    expect(await stagedPieces()).toBe(0);
  });

  it("stops at the limit while the file streams in (413) and drops what was stored", async () => {
    const { user, token } = await member();
    vi.stubEnv("MAX_UPLOAD_BYTES", String(1024 * 1024));
    vi.resetModules();
    const route = await import("@/app/api/bulk-operations/route");
    const big = new TextEncoder().encode(csv.repeat(200_000));
    const response = await post(
      token,
      multipart([
        { name: "type", value: "course_create" },
        { name: "file", value: big, fileName: "a.csv" },
      ]),
      route,
    );
    expect(response.status).toBe(413);
    expect(response.body.error.message).toMatch(/1\.0 MB/);
    expect(await db.bulkOperation.count({ where: { uploaderId: user.id } })).toBe(0);
    expect(await stagedPieces()).toBe(0);
  });

  it("deletes the pieces of an upload abandoned over a day ago when the next one arrives", async () => {
    const { token } = await member();
    await sqlPool().query(
      `INSERT INTO "BulkOperationUploadPart" ("uploadId", "partNumber", "bytes", "createdAt") ` +
        `VALUES ('abandoned', 0, '\\x00'::bytea, CURRENT_TIMESTAMP - interval '25 hours'), ` +
        `('in-flight', 0, '\\x00'::bytea, CURRENT_TIMESTAMP)`,
    );
    const response = await post(
      token,
      multipart([
        { name: "type", value: "course_create" },
        { name: "file", value: csv, fileName: "a.csv" },
      ]),
    );
    expect(response.status).toBe(201);
    const { rows } = await sqlPool().query<{ uploadId: string }>(`SELECT "uploadId" FROM "BulkOperationUploadPart"`);
    expect(rows.map((row) => row.uploadId)).toEqual(["in-flight"]);
    await sqlPool().query(`DELETE FROM "BulkOperationUploadPart"`);
  });
});
