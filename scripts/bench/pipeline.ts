import fs from "node:fs";

import type { ActingUser } from "@/lib/auth/require-user";
import { startOperation } from "@/lib/bulk/actions/start-operation";
import { runOperation } from "@/lib/bulk/pipeline/run-operation";
import { databaseMemoizedStep } from "@/lib/bulk/runner/in-process-runner";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sqlPool } from "@/lib/sql/sql-pool";

import type { UpdateTarget } from "./generate-csv";
import { stepMs, timedSteps } from "./measure";

// The benchmark's calls into the application: the entry points the upload route and the job runner
// use. Imported only once DATABASE_URL points at the bench database (lib/db reads it on load).

const BENCH_ORGANIZATIONS = ["BenchU", "OpenCampusX"];

/** A coordinator (not staff, so every row's permission check runs) of the seeded and bench organizations. */
export async function createUploader(): Promise<{ user: ActingUser; organizationKeys: string[] }> {
  for (const key of BENCH_ORGANIZATIONS) {
    await db.organization.upsert({ where: { key }, create: { key, name: `${key} (benchmark)` }, update: {} });
  }
  const organizations = await db.organization.findMany({ select: { id: true, key: true }, orderBy: { key: "asc" } });
  const stamp = Date.now();
  const user = await db.user.create({
    data: {
      email: `bench-${stamp}@example.test`,
      username: `bench_${stamp}`,
      name: "Benchmark coordinator",
      memberships: { create: organizations.map((o) => ({ organizationId: o.id, role: "coordinator" as const })) },
    },
  });
  return {
    user: {
      id: user.id,
      email: user.email,
      username: user.username,
      name: user.name,
      isStaff: false,
      memberships: organizations.map((o) => ({ organizationId: o.id, organizationKey: o.key, role: "coordinator" })),
    },
    organizationKeys: organizations.map((o) => o.key),
  };
}

/**
 * What the upload route does once it has the multipart body: `startOperation`. The file is read here
 * and dropped once stored, as the route's request body is.
 */
export async function upload(user: ActingUser, type: OperationType, path: string) {
  const { id } = await startOperation({
    user,
    input: { type, mode: "apply" },
    file: { name: path.split("/").pop()!, bytes: new Uint8Array(fs.readFileSync(path)) },
  });
  return id;
}

/** The product's setting for chunks applied at once (BULK_CHUNK_PARALLELISM). */
export function configuredChunkParallelism() {
  return env().BULK_CHUNK_PARALLELISM;
}

export interface PipelineRun {
  operationId: string;
  status: string;
  totalRows: number;
  /** Rows that reached the apply steps (valid when validated). */
  appliedRows: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  failedCount: number;
  validateMs: number;
  applyMs: number;
  chunks: number;
  /** Upload (startOperation) to the final status. */
  wallMs: number;
  /** Write-ahead log the whole run generated (the server's, so nothing else may write meanwhile). */
  walBytes: number;
}

async function walPosition() {
  const { rows } = await sqlPool().query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS "lsn"`);
  return rows[0].lsn;
}

/**
 * Uploads a file and runs its job in this process as the in-process runner does (`runOperation` with
 * the database-memoized step), timing each step.
 */
export async function uploadAndRunTimed(options: {
  user: ActingUser;
  type: OperationType;
  path: string;
  /** Chunks applied at once; the product's setting (BULK_CHUNK_PARALLELISM) when not given. */
  chunkParallelism?: number;
}): Promise<PipelineRun> {
  const walBefore = await walPosition();
  const started = performance.now();
  const id = await upload(options.user, options.type, options.path);
  let failedAtValidation = 0;
  const { step, timings } = timedSteps(databaseMemoizedStep(id), async (stepId) => {
    if (stepId === "validate") {
      // Rows failed by validation never reach a chunk step.
      failedAtValidation = (await db.bulkOperation.findUniqueOrThrow({ where: { id }, select: { failedCount: true } }))
        .failedCount;
    }
  });
  const { status } = await runOperation({ operationId: id, step, chunkParallelism: options.chunkParallelism });
  const wallMs = performance.now() - started;
  const { rows: wal } = await sqlPool().query<{ bytes: string }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS "bytes"`,
    [walBefore],
  );
  const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id }, omit: { fileBytes: true } });
  return {
    operationId: id,
    status,
    totalRows: operation.totalRows,
    appliedRows: operation.totalRows - failedAtValidation,
    createdCount: operation.createdCount,
    updatedCount: operation.updatedCount,
    unchangedCount: operation.unchangedCount,
    failedCount: operation.failedCount,
    validateMs: stepMs(timings, (s) => s === "validate"),
    applyMs: stepMs(timings, (s) => s.startsWith("rows-")),
    chunks: timings.filter((t) => t.id.startsWith("rows-")).length,
    wallMs,
    walBytes: Number(wal[0].bytes),
  };
}

/** Courses created by a create run, with their first run: the targets of the update file. */
export async function updateTargets(operationId: string): Promise<UpdateTarget[]> {
  const { rows } = await sqlPool().query<UpdateTarget>(
    `SELECT c."key" AS "courseKey", r."key" AS "runKey", t."seatTypes" <> ARRAY['audit'] AS paid ` +
      `FROM "BulkOperationRow" b JOIN "Course" c ON c."id" = b."courseId" JOIN "CourseRun" r ON r."id" = b."courseRunId" ` +
      `JOIN "CourseRunType" t ON t."id" = r."runTypeId" WHERE b."operationId" = $1 AND b."status" = 'created' ORDER BY b."rowNumber"`,
    [operationId],
  );
  return rows;
}

export async function disconnect() {
  await db.$disconnect();
  await sqlPool().end();
}
