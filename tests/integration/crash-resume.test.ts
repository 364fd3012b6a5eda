import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, upload } from "../fixtures/operations";
import { waitFor } from "../fixtures/wait";

const root = path.resolve(__dirname, "../..");
const workers: ChildProcess[] = [];

/**
 * A separate worker process running scripts/worker.ts, with a short lease so a successor takes over
 * quickly. Node itself is spawned (tsx as a loader, not its wrapper binary) so SIGKILL hits the worker.
 */
function startWorker(chunkParallelism: number) {
  const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
      JOB_LEASE_SECONDS: "2",
      LOG_LEVEL: "warn",
      BULK_CHUNK_PARALLELISM: String(chunkParallelism),
    },
    stdio: "ignore",
  });
  workers.push(worker);
  return worker;
}

function kill(worker: ChildProcess) {
  return new Promise<void>((resolve) => {
    worker.once("exit", () => resolve());
    worker.kill("SIGKILL");
  });
}

/** Chunk transactions of the operation running now: each holds its advisory lock (see processChunk). */
async function chunksInFlight(operationId: string) {
  const [{ count }] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 2
      AND classid::bigint = (hashtext(${operationId})::bigint + 4294967296) % 4294967296`;
  return count;
}

afterEach(() => {
  for (const worker of workers.splice(0)) {
    worker.kill("SIGKILL");
  }
});

describe.each([
  { chunks: "one chunk at a time", chunkParallelism: 1 },
  { chunks: "three chunks at once", chunkParallelism: 3 },
])("a worker killed mid-operation, applying $chunks", ({ chunkParallelism }) => {
  it("is resumed by the next worker, during validation and between or inside chunks, with every row applied once", async () => {
    const rows = 12_000;
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows });
    const { id } = await upload({ user, type: "course_create", csv });
    const operation = () => db.bulkOperation.findUniqueOrThrow({ where: { id } });

    const first = startWorker(chunkParallelism);
    await waitFor("validation to start", async () => (await operation()).status === "validating");
    await kill(first);

    const second = startWorker(chunkParallelism);
    // Killed with chunks in flight after some were applied: two at once when chunks run in parallel.
    const killedAt = await waitFor("some chunks to be applied and more in flight", async () => {
      const { status, processedRows } = await operation();
      const inFlight = await chunksInFlight(id);
      return status === "processing" &&
        processedRows > 0 &&
        processedRows < rows &&
        inFlight >= Math.min(chunkParallelism, 2)
        ? processedRows
        : null;
    });
    await kill(second);

    startWorker(chunkParallelism);
    const finished = await waitFor(
      "the operation to finish",
      async () => {
        const current = await operation();
        return current.emailSentAt ? current : null;
      },
      120_000,
    );

    expect(killedAt).toBeLessThan(rows);
    expect(finished).toMatchObject({
      status: "completed",
      totalRows: rows,
      createdCount: rows,
      failedCount: 0,
      processedRows: rows,
    });
    const keyPrefix = `${organization.key}+${prefix}-`;
    expect(await db.course.count({ where: { key: { startsWith: keyPrefix } } })).toBe(rows);
    expect(await db.courseRun.count({ where: { course: { key: { startsWith: keyPrefix } } } })).toBe(rows);
    expect(await db.seat.count({ where: { run: { course: { key: { startsWith: keyPrefix } } } } })).toBe(2 * rows);
    expect(await db.bulkOperationRow.count({ where: { operationId: id } })).toBe(rows);
    expect(await db.bulkOperationRow.count({ where: { operationId: id, status: "created" } })).toBe(rows);
    expect(await db.emailMessage.count({ where: { idempotencyKey: `bulk-operation-finished-${id}` } })).toBe(1);
  }, 180_000);
});
