import { NonRetriableError } from "inngest";

import { inngest } from "@/inngest/client";
import { bulkOperationRequested } from "@/inngest/events";
import { markOperationErrored } from "@/lib/bulk/pipeline/finalize-operation";
import { runOperation } from "@/lib/bulk/pipeline/run-operation";
import type { StepResult, StepTools } from "@/lib/bulk/pipeline/step-tools";
import { loggedStep } from "@/lib/bulk/runner/logged-step";
import { classifyJobError, JOB_RETRIES } from "@/lib/bulk/runner/retry-policy";

/** Validates and applies one uploaded bulk operation; the work itself lives in lib/bulk/pipeline/run-operation.ts. */
export const processBulkOperation = inngest.createFunction(
  {
    id: "process-bulk-operation",
    triggers: [bulkOperationRequested],
    // Re-sending the event for the same operation, phase and attempt starts no second run.
    idempotency: "event.data.operationId + '-' + event.data.phase + '-' + string(event.data.attempt)",
    concurrency: { limit: 4 },
    // The same number of attempts as the in-process runner (lib/bulk/runner/retry-policy.ts).
    retries: JOB_RETRIES,
    onFailure: async ({ event, error }) => {
      const retried = error.name !== "NonRetriableError";
      await markOperationErrored(
        event.data.event.data.operationId,
        `The job failed ${retried ? "after its retries" : "and was not retried"}: ${error.message}`,
      );
    },
  },
  async ({ event, step }) =>
    runOperation({
      operationId: event.data.operationId,
      phase: event.data.phase,
      step: loggedStep(event.data.operationId, permanentErrorsNotRetried(step as unknown as StepTools)),
    }),
);

/** Inngest retries a failed step; an error the retry policy calls permanent is told not to be retried. */
function permanentErrorsNotRetried(step: StepTools): StepTools {
  return {
    run<T extends StepResult>(stepId: string, fn: () => Promise<T>): Promise<T> {
      return step.run(stepId, async () => {
        try {
          return await fn();
        } catch (error) {
          if (classifyJobError(error) === "permanent") {
            throw new NonRetriableError(error instanceof Error ? error.message.trim() : String(error), {
              cause: error,
            });
          }
          throw error;
        }
      });
    },
  };
}
