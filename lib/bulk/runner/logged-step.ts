import "server-only";

import type { StepResult, StepTools } from "@/lib/bulk/pipeline/step-tools";
import { logger } from "@/lib/logger";

/**
 * Logs each step that actually runs (a memoized one does not): validation at info, each chunk at debug,
 * with the operation id, stage, rows and duration. Wraps inside `run`, so it suits Inngest's `step` too.
 */
export function loggedStep(operationId: string, step: StepTools): StepTools {
  return {
    run<T extends StepResult>(stepId: string, fn: () => Promise<T>): Promise<T> {
      return step.run(stepId, async () => {
        const started = Date.now();
        const result = await fn();
        const durationMs = Date.now() - started;
        const chunk = /^(?:(preview|confirmed)-)?rows-(\d+)-(\d+)$/.exec(stepId);
        if (stepId === "validate") {
          logger.info("operation validated", {
            operationId,
            stage: "validation",
            outcome: result.outcome,
            rows: result.totalRows,
            durationMs,
          });
        } else if (chunk) {
          const [, kind, first, last] = chunk;
          logger.debug("operation chunk done", {
            operationId,
            stage: kind === "preview" ? "preview" : "apply",
            step: stepId,
            first: Number(first),
            last: Number(last),
            rows: result.processed,
            durationMs,
          });
        } else {
          logger.debug("operation step done", { operationId, stage: stepId, durationMs });
        }
        return result;
      });
    },
  };
}
