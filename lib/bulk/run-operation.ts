import "server-only";

import { applyChunk } from "./apply-chunk";
import { finalizeOperation } from "./finalize-operation";
import { sendOperationEmail } from "./send-operation-email";
import type { StepTools } from "./step-tools";
import { validateOperation } from "./validate-operation";

/** Rows per chunk step: large enough for set-based writes to pay off, small enough for short transactions. */
export const CHUNK_SIZE = 2_000;

/**
 * The whole job, as steps with stable ids: Inngest and the in-process runner both call this with their
 * own `step`, and each memoizes finished steps, so a restarted run resumes where it stopped.
 */
export async function runOperation({ operationId, step }: { operationId: string; step: StepTools }) {
  const validation = await step.run("validate", () => validateOperation(operationId));
  if (validation.outcome === "preview") {
    return { status: "awaiting_confirmation" };
  }
  if (validation.outcome === "apply") {
    for (let first = 1; first <= validation.totalRows; first += CHUNK_SIZE) {
      const last = Math.min(first + CHUNK_SIZE - 1, validation.totalRows);
      const chunk = await step.run(`rows-${first}-${last}`, () => applyChunk({ operationId, first, last }));
      if (chunk.cancelled) {
        break;
      }
    }
  }
  // A replay of a finished operation only re-checks the email, which goes out once.
  const { status } = await step.run("finalize", () => finalizeOperation(operationId));
  await step.run("send-email", () => sendOperationEmail(operationId));
  return { status };
}
