import "server-only";

import type { Stage } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

import { finalizeOperation } from "./finalize-operation";
import { processChunk } from "./process-chunk";
import { sendOperationEmail } from "./send-operation-email";
import type { StepTools } from "./step-tools";
import { validateOperation } from "./validate-operation";

/** Rows per chunk step: large enough for set-based writes to pay off, small enough for short transactions. */
export const CHUNK_SIZE = 2_500;

export type Phase = "start" | "confirm";

/**
 * The whole job, as steps with stable ids: Inngest and the in-process runner both call this with their
 * own `step`, and each memoizes finished steps, so a restarted run resumes where it stopped.
 * `start` validates, then applies or (in preview mode) computes every row's outcome and stops;
 * `confirm` applies a confirmed preview. Their step ids differ, so the two never share a memo.
 */
export async function runOperation({
  operationId,
  step,
  phase = "start",
  chunkParallelism = env().BULK_CHUNK_PARALLELISM,
}: {
  operationId: string;
  step: StepTools;
  phase?: Phase;
  /** Chunks applied at once; BULK_CHUNK_PARALLELISM unless the caller (the benchmark) chooses. */
  chunkParallelism?: number;
}) {
  let totalRows: number;
  if (phase === "confirm") {
    ({ totalRows } = await step.run("confirmed", () => startConfirmedApply(operationId)));
  } else {
    const validation = await step.run("validate", () => validateOperation(operationId));
    if (validation.outcome === "finished") {
      return { status: validation.status };
    }
    totalRows = validation.outcome === "apply" || validation.outcome === "preview" ? validation.totalRows : 0;
    if (validation.outcome === "preview") {
      await forEachChunk(totalRows, chunkParallelism, (first, last) =>
        step.run(`preview-rows-${first}-${last}`, () => processChunk({ operationId, first, last, mode: "preview" })),
      );
      const { status } = await step.run("await-confirmation", () => awaitConfirmation(operationId));
      return { status };
    }
  }
  const prefix = phase === "confirm" ? "confirmed-rows" : "rows";
  await forEachChunk(totalRows, chunkParallelism, (first, last) =>
    step.run(`${prefix}-${first}-${last}`, () => processChunk({ operationId, first, last, mode: "apply" })),
  );
  const { status } = await step.run("finalize", () => finalizeOperation(operationId));
  await step.run("send-email", () => sendOperationEmail(operationId));
  return { status };
}

/**
 * Runs the chunks `parallelism` at a time, in fixed groups of consecutive chunks (Inngest needs the
 * same steps discovered in the same order on every replay). Chunks lock only themselves (see processChunk);
 * a cancellation stops the groups after the current one.
 */
async function forEachChunk(
  totalRows: number,
  parallelism: number,
  run: (first: number, last: number) => Promise<{ cancelled: boolean }>,
) {
  const firsts = Array.from({ length: Math.ceil(totalRows / CHUNK_SIZE) }, (_, i) => 1 + i * CHUNK_SIZE);
  for (let i = 0; i < firsts.length; i += parallelism) {
    const group = firsts.slice(i, i + parallelism);
    const outcomes = await Promise.all(group.map((first) => run(first, Math.min(first + CHUNK_SIZE - 1, totalRows))));
    if (outcomes.some((o) => o.cancelled)) {
      return;
    }
  }
}

/** The preview is computed: the operation waits for the uploader (or is already cancelled). */
async function awaitConfirmation(operationId: string) {
  const moved = await db.bulkOperation.updateMany({
    where: { id: operationId, status: "validating", cancelRequested: false },
    data: { status: "awaiting_confirmation", stage: "awaiting_confirmation" satisfies Stage, heartbeatAt: new Date() },
  });
  if (moved.count === 0) {
    return finalizeOperation(operationId);
  }
  return { status: "awaiting_confirmation" as const };
}

async function startConfirmedApply(operationId: string) {
  const operation = await db.bulkOperation.update({
    where: { id: operationId },
    data: { stage: "applying" satisfies Stage, heartbeatAt: new Date() },
    select: { totalRows: true },
  });
  return { totalRows: operation.totalRows };
}
