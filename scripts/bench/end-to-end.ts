// `node --import tsx scripts/bench/end-to-end.ts '<EndToEndSpec JSON>'`: one upload to its final status as
// the server runs it, in a process of its own, so that its memory is the upload's and the job's alone. The
// file goes to the POST /api/bulk-operations route handler as a multipart body streamed from disk in 64 KB
// pieces (as an HTTP server hands a request over) with an API token; the in-process runner of this process
// claims and runs the job. A small upload runs first, so that what it grows by (code loaded, connections,
// caches) is not counted against the file. Prints an EndToEndRun as JSON.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { POST } from "@/app/api/bulk-operations/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { startInProcessRunner, stopInProcessRunner } from "@/lib/bulk/runner/in-process-runner";
import { runnerStatus } from "@/lib/bulk/runner/process-runner";
import { isFinalStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { sqlPool } from "@/lib/sql/sql-pool";

import { RssSampler, resetVmHwm } from "./measure";

export interface EndToEndSpec {
  userId: string;
  path: string;
  warmupPath: string;
}

export interface EndToEndRun {
  pid: number;
  status: string;
  totalRows: number;
  createdCount: number;
  failedCount: number;
  fileBytes: number;
  /** POST to the final status (`finishedAt`, written with this process's clock). */
  wallMs: number;
  /** The POST alone: the body read and stored, the operation created. */
  uploadMs: number;
  /** Resident set size once warmed up, right before the upload. */
  rssBeforeMb: number;
  /** Peak during the POST, then during the POST and the job. */
  peakUploadMb: number;
  peakMb: number;
}

/** The route's request: `type` then `file`, the file read from disk piece by piece while it is sent. */
function uploadRequest(filePath: string, token: string) {
  const boundary = `----bench${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\ncourse_create\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(filePath)}"\r\n` +
      `Content-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    yield* fs.createReadStream(filePath, { highWaterMark: 64 * 1024 });
    yield tail;
  }
  return new Request("http://bench.local/api/bulk-operations", {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(head.byteLength + fs.statSync(filePath).size + tail.byteLength),
    },
    body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}

async function uploadAndAwait(filePath: string, token: string, onUploaded?: () => void) {
  const started = Date.now();
  const response = await POST(uploadRequest(filePath, token), { params: Promise.resolve({}) });
  const uploadMs = Date.now() - started;
  onUploaded?.();
  if (response.status !== 201) {
    throw new Error(`The upload of ${filePath} answered ${response.status}: ${await response.text()}`);
  }
  const { id } = (await response.json()) as { id: string };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The database is asked only once the runner is idle: the job's own queries go undisturbed.
    if (runnerStatus().activeOperations > 0) {
      continue;
    }
    const operation = await db.bulkOperation.findUniqueOrThrow({
      where: { id },
      select: { status: true, totalRows: true, createdCount: true, failedCount: true, finishedAt: true },
    });
    if (isFinalStatus(operation.status) && operation.finishedAt) {
      return { ...operation, uploadMs, wallMs: operation.finishedAt.getTime() - started };
    }
    if (Date.now() - started > 30 * 60_000) {
      throw new Error(`The operation did not finish within 30 minutes (status ${operation.status})`);
    }
  }
}

async function main() {
  const spec = JSON.parse(process.argv[2]) as EndToEndSpec;
  const { id: tokenId, token } = await createApiToken({
    userId: spec.userId,
    name: `bench end to end ${new Date().toISOString()}`,
    expiresInDays: 1,
  });
  startInProcessRunner(2);
  try {
    await uploadAndAwait(spec.warmupPath, token);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
    resetVmHwm();
    const rss = new RssSampler();
    let peakUploadMb = 0;
    const run = await uploadAndAwait(spec.path, token, () => {
      peakUploadMb = rss.overallPeak();
    });
    const result: EndToEndRun = {
      pid: process.pid,
      status: run.status,
      totalRows: run.totalRows,
      createdCount: run.createdCount,
      failedCount: run.failedCount,
      fileBytes: fs.statSync(spec.path).size,
      wallMs: run.wallMs,
      uploadMs: run.uploadMs,
      rssBeforeMb,
      peakUploadMb,
      peakMb: rss.overallPeak(),
    };
    rss.stop();
    process.stdout.write(JSON.stringify(result));
  } finally {
    stopInProcessRunner();
    await db.apiToken.delete({ where: { id: tokenId } });
    await db.$disconnect();
    await sqlPool().end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
