import { createHash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { describe, expect, it } from "vitest";

import * as fileRoute from "@/app/api/bulk-operations/[id]/file/route";
import * as uploadRoute from "@/app/api/bulk-operations/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/sql/sql-pool";

import { chunkedRequest } from "../fixtures/counting-body";
import { COURSE_CREATE_HEADER } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser, uniqueSuffix } from "../fixtures/factories";
import { runInProcess } from "../fixtures/operations";

// A 40 MB upload streams from the request into PostgreSQL and back into the job's CSV reader a piece at a
// time, and the original file comes back byte for byte. Two measures: the resident size while the route
// stores the file (what the machine sees, garbage included), and the live binary buffers (after a full
// garbage collection, sampled) while the job reads and validates it. The job's resident size counts the
// garbage of 140,000 rows, and its live heap the state it keeps per row (duplicate keys), neither of
// which is the file.

const MB = 1024 * 1024;
const FILE_BYTES = 40 * MB;
const BOUNDARY = "----upload-memory-test";
const noParams = { params: Promise.resolve({} as Record<string, never>) };

// The test's own garbage must not count as the server's: collected before each baseline and live sample.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * The CSV, produced on demand in 64 KB pieces; the same bytes every time it is called. Every row fails
 * validation (its start date), so the job reads and stores all of them and has nothing to apply.
 */
function* csvPieces(organization: string, prefix: string): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let produced = 0;
  let lines = `${COURSE_CREATE_HEADER.join(",")}\r\n`;
  for (let i = 1; produced + lines.length < FILE_BYTES; i++) {
    lines +=
      `${organization},"Course ${i}, ${prefix}",${prefix}-${i},Verified and Audit,Verified and Audit,self_paced,` +
      `not a date ${i},10:00,12/15/2026,,49,<p>Learn things</p>,Introductory,Computer Science,en-us,"en-us, es-419"\r\n`;
    if (lines.length >= 64 * 1024) {
      produced += lines.length;
      yield encoder.encode(lines);
      lines = "";
    }
  }
  yield encoder.encode(lines);
}

/** The multipart body, streamed: the file first, then `type` and `mode` (fields may follow the file). */
function multipartBody(pieces: Iterator<Uint8Array>) {
  const encoder = new TextEncoder();
  const parts = [
    encoder.encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
  ];
  const tail = encoder.encode(
    `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\ncourse_create\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\napply\r\n--${BOUNDARY}--\r\n`,
  );
  let fileDone = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const head = parts.shift();
        if (head) {
          controller.enqueue(head);
          return;
        }
        if (!fileDone) {
          const next = pieces.next();
          if (!next.done) {
            controller.enqueue(next.value);
            return;
          }
          fileDone = true;
          controller.enqueue(tail);
          return;
        }
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The largest resident size seen, sampled every few milliseconds while `work` runs. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

/** Binary buffers still referenced, after a full collection: where a file's bytes would be. */
function liveBytes() {
  gc();
  return process.memoryUsage().arrayBuffers;
}

/** The most live buffer memory seen, sampled every 100 ms while `work` runs. */
async function peakLive<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = liveBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, liveBytes());
  }, 100);
  try {
    const result = await work();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

describe("a 40 MB upload", () => {
  it("is stored and read back by its job in pieces, never held whole", async () => {
    const organization = await createTestOrg();
    const user = await createTestUser({ memberships: [{ organization }] });
    const { token } = await createApiToken({ userId: user.id, name: "test" });
    const prefix = `M${uniqueSuffix()}`;
    let expectedSize = 0;
    const expectedHash = createHash("sha256");
    for (const piece of csvPieces(organization.key, prefix)) {
      expectedSize += piece.byteLength;
      expectedHash.update(piece);
    }
    const checksum = expectedHash.digest("hex");
    expect(expectedSize).toBeGreaterThan(FILE_BYTES - MB);

    gc();
    const rssBefore = process.memoryUsage().rss;
    const upload = await peakRss(() =>
      uploadRoute.POST(
        chunkedRequest("http://localhost/api/bulk-operations", {
          headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
          body: multipartBody(csvPieces(organization.key, prefix)),
        }),
        noParams,
      ),
    );
    expect(upload.result.status).toBe(201);
    const { id } = (await upload.result.json()) as { id: string };
    const file = expectedSize / MB;
    const uploadGrowth = (upload.peak - rssBefore) / MB;
    expect(uploadGrowth, `the upload grew the process by ${uploadGrowth.toFixed(0)} MB`).toBeLessThanOrEqual(2 * file);

    const liveBefore = liveBytes();
    const job = await peakLive(() => runInProcess(id));
    const jobGrowth = (job.peak - liveBefore) / MB;
    // Holding the file's bytes whole would reach this; pieces and the connections' buffers stay well below.
    expect(jobGrowth, `the job held up to ${jobGrowth.toFixed(1)} MB more in buffers`).toBeLessThan(file);

    const operation = await db.bulkOperation.findUniqueOrThrow({
      where: { id },
      omit: { fileBytes: true },
    });
    expect(operation).toMatchObject({ fileSize: expectedSize, fileChecksum: checksum });
    expect(operation.totalRows).toBeGreaterThan(100_000);
    expect(operation.failedCount).toBe(operation.totalRows);
    const { rows } = await sqlPool().query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "BulkOperationUploadPart"`,
    );
    expect(rows[0].count, "no staged pieces are left behind").toBe(0);

    // The download is the upload, byte for byte.
    const download = await fileRoute.GET(
      new Request(`http://localhost/api/bulk-operations/${id}/file`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get("x-checksum-sha256")).toBe(checksum);
    const downloaded = createHash("sha256");
    let downloadedSize = 0;
    for await (const piece of download.body as unknown as AsyncIterable<Uint8Array>) {
      downloaded.update(piece);
      downloadedSize += piece.byteLength;
    }
    expect(downloadedSize).toBe(expectedSize);
    expect(downloaded.digest("hex")).toBe(checksum);
  });
});
