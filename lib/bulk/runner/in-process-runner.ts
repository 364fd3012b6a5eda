import "server-only";

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

import { markOperationErrored } from "@/lib/bulk/pipeline/finalize-operation";
import { runOperation } from "@/lib/bulk/pipeline/run-operation";
import type { StepResult, StepTools } from "@/lib/bulk/pipeline/step-tools";
import { RUNNING_STATUSES } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { tuneHeapForJobs } from "@/lib/job-memory";
import { logger } from "@/lib/logger";

import { loggedStep } from "./logged-step";
import { type ProcessRunner, currentRunner, setCurrentRunner } from "./process-runner";
import { classifyJobError, JOB_ATTEMPTS } from "./retry-policy";

const POLL_MS = 1_000;
/** How long a database outage is waited out before the operation is given up as errored. */
const OUTAGE_PATIENCE_MS = 15 * 60_000;

/**
 * Runs bulk operations inside the app process when no Inngest server is configured. Operations are
 * claimed in the database (lease + heartbeat), so several app instances share the work, and an
 * operation whose instance died is resumed from its last finished step.
 */
class InProcessRunner implements ProcessRunner {
  readonly instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly maxConcurrent: number) {}

  get activeOperations() {
    return this.running;
  }

  start() {
    logger.info("in-process runner started", { instanceId: this.instanceId });
    this.schedule(0);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Looks for work now instead of at the next poll. */
  wake() {
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  private async poll() {
    try {
      while (this.running < this.maxConcurrent) {
        const operationId = await claimNextOperation(this.instanceId);
        if (!operationId) {
          break;
        }
        this.running++;
        void this.execute(operationId).finally(() => {
          this.running--;
          this.schedule(0);
        });
      }
    } catch (error) {
      logger.warn("in-process runner could not poll", { error: String(error) });
    }
    this.schedule(POLL_MS);
  }

  private async execute(operationId: string) {
    // Renewed well within the lease, so that only a dead (or frozen) runner loses its operation.
    const heartbeatMs = (env().JOB_LEASE_SECONDS * 1000) / 4;
    const heartbeat = setInterval(
      () => void renewLease(operationId, this.instanceId).catch(() => undefined),
      heartbeatMs,
    );
    const started = Date.now();
    try {
      let failures = 0;
      for (;;) {
        try {
          const { confirmedAt } = await db.bulkOperation.findUniqueOrThrow({
            where: { id: operationId },
            select: { confirmedAt: true },
          });
          const phase = confirmedAt ? "confirm" : "start";
          const result = await runOperation({
            operationId,
            step: loggedStep(operationId, databaseMemoizedStep(operationId)),
            phase,
          });
          // Only for the log line: a failed read must not fail the finished operation.
          const counts = await db.bulkOperation
            .findUnique({
              where: { id: operationId },
              select: {
                type: true,
                totalRows: true,
                createdCount: true,
                updatedCount: true,
                unchangedCount: true,
                failedCount: true,
              },
            })
            .catch(() => null);
          logger.info("operation finished", {
            operationId,
            stage: "finish",
            status: result.status,
            type: counts?.type,
            rows: counts?.totalRows,
            created: counts?.createdCount,
            updated: counts?.updatedCount,
            unchanged: counts?.unchangedCount,
            failed: counts?.failedCount,
            durationMs: Date.now() - started,
            instanceId: this.instanceId,
          });
          return;
        } catch (error) {
          // While the database is away nothing can be recorded (not even "errored"), so an outage is
          // waited out; other failures get a few retries before the operation is marked errored, and a
          // permanent one none (see retry-policy.ts).
          const kind = classifyJobError(error);
          const outage = kind === "outage" && Date.now() - started < OUTAGE_PATIENCE_MS;
          failures += outage ? 0 : 1;
          logger.warn("operation attempt failed", {
            operationId,
            failures,
            kind,
            outage,
            instanceId: this.instanceId,
            error: String(error),
          });
          if (kind === "permanent" || failures >= JOB_ATTEMPTS || this.stopped) {
            if (!this.stopped) {
              await markOperationErrored(
                operationId,
                kind === "permanent"
                  ? `The job failed and was not retried: ${String(error)}`
                  : `The job failed after ${failures} attempts: ${String(error)}`,
              );
            }
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, outage ? 1_000 : 500 * 2 ** failures));
        }
      }
    } finally {
      clearInterval(heartbeat);
      await releaseLease(operationId, this.instanceId).catch(() => undefined);
    }
  }
}

/** Claims the oldest runnable operation whose lease is free or expired (its runner died or froze). */
async function claimNextOperation(instanceId: string): Promise<string | null> {
  const claimed = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "BulkOperation" SET "claimedBy" = $1, "heartbeatAt" = (now() AT TIME ZONE 'UTC') WHERE "id" = (` +
      `SELECT "id" FROM "BulkOperation" WHERE "status" = ANY($3::"BulkOperationStatus"[]) ` +
      `AND ("claimedBy" IS NULL OR "heartbeatAt" IS NULL OR "heartbeatAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => $2)) ` +
      `ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING "id"`,
    instanceId,
    env().JOB_LEASE_SECONDS,
    RUNNING_STATUSES,
  );
  return claimed[0]?.id ?? null;
}

async function renewLease(operationId: string, instanceId: string) {
  await db.$executeRawUnsafe(
    `UPDATE "BulkOperation" SET "heartbeatAt" = (now() AT TIME ZONE 'UTC') WHERE "id" = $1 AND "claimedBy" = $2`,
    operationId,
    instanceId,
  );
}

async function releaseLease(operationId: string, instanceId: string) {
  await db.bulkOperation.updateMany({ where: { id: operationId, claimedBy: instanceId }, data: { claimedBy: null } });
}

/** Inngest's memoization, kept in PostgreSQL: a finished step returns its stored result without running again. */
export function databaseMemoizedStep(operationId: string): StepTools {
  return {
    async run<T extends StepResult>(stepId: string, fn: () => Promise<T>): Promise<T> {
      const done = await db.bulkOperationStep.findUnique({ where: { operationId_stepId: { operationId, stepId } } });
      if (done) {
        return done.result as T;
      }
      const result = await fn();
      await db.bulkOperationStep.upsert({
        where: { operationId_stepId: { operationId, stepId } },
        create: { operationId, stepId, result: result as Prisma.InputJsonObject },
        update: {},
      });
      return result;
    },
  };
}

export function startInProcessRunner(maxConcurrent = 2) {
  const running = currentRunner();
  if (running) {
    return running;
  }
  tuneHeapForJobs();
  const runner = new InProcessRunner(maxConcurrent);
  setCurrentRunner(runner);
  runner.start();
  return runner;
}

export function stopInProcessRunner() {
  currentRunner()?.stop();
  setCurrentRunner(undefined);
}
