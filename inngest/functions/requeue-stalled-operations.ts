import { inngest } from "@/inngest/client";
import { bulkOperationEventId, bulkOperationRequested } from "@/inngest/events";
import { findStalledOperations } from "@/lib/bulk/runner/find-stalled-operations";

/**
 * Watchdog: operations whose heartbeat stopped are sent to their function again; their finished
 * chunks are skipped, so nothing is applied twice. (The in-process runner does the same by taking
 * over expired leases.)
 */
export const requeueStalledOperations = inngest.createFunction(
  { id: "requeue-stalled-operations", triggers: [{ cron: "*/5 * * * *" }] },
  async ({ step }) => {
    const stalled = await step.run("find-stalled", async () => ({
      operations: await findStalledOperations(),
      attempt: Date.now(),
    }));
    if (stalled.operations.length === 0) {
      return { requeued: 0 };
    }
    await step.sendEvent(
      "requeue",
      stalled.operations.map(({ operationId, phase }) =>
        bulkOperationRequested.create(
          { operationId, phase, attempt: stalled.attempt },
          { id: bulkOperationEventId(operationId, phase, stalled.attempt) },
        ),
      ),
    );
    return { requeued: stalled.operations.length };
  },
);
