import { inngest } from "@/inngest/client";
import { bulkOperationRequested } from "@/inngest/events";
import { markOperationErrored } from "@/lib/bulk/pipeline/finalize-operation";
import { runOperation } from "@/lib/bulk/pipeline/run-operation";
import type { StepTools } from "@/lib/bulk/pipeline/step-tools";
import { loggedStep } from "@/lib/bulk/runner/logged-step";

/** Validates and applies one uploaded bulk operation; the work itself lives in lib/bulk/pipeline/run-operation.ts. */
export const processBulkOperation = inngest.createFunction(
  {
    id: "process-bulk-operation",
    triggers: [bulkOperationRequested],
    // Re-sending the event for the same operation, phase and attempt starts no second run.
    idempotency: "event.data.operationId + '-' + event.data.phase + '-' + string(event.data.attempt)",
    concurrency: { limit: 4 },
    retries: 4,
    onFailure: async ({ event, error }) => {
      await markOperationErrored(
        event.data.event.data.operationId,
        `The job failed after its retries: ${error.message}`,
      );
    },
  },
  async ({ event, step }) =>
    runOperation({
      operationId: event.data.operationId,
      phase: event.data.phase,
      step: loggedStep(event.data.operationId, step as unknown as StepTools),
    }),
);
