import "server-only";

import { inngest } from "@/inngest/client";
import { bulkOperationEventId, bulkOperationRequested } from "@/inngest/events";
import { usesInngestServer } from "@/lib/env";

import { wakeInProcessRunner } from "./process-runner";

/** Hands an operation to the job backend: an Inngest event, or the in-process runner (which also polls). */
export async function dispatchOperation(operationId: string, phase: "start" | "confirm") {
  if (usesInngestServer()) {
    await inngest.send(
      bulkOperationRequested.create(
        { operationId, phase, attempt: 0 },
        { id: bulkOperationEventId(operationId, phase, 0) },
      ),
    );
    return;
  }
  wakeInProcessRunner();
}
