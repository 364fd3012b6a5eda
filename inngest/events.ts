import { eventType } from "inngest";
import { z } from "zod";

/**
 * An uploaded bulk operation is ready to be validated and applied (`start`), or its preview was
 * confirmed (`confirm`). Carries ids only: the data lives in PostgreSQL.
 */
export const bulkOperationRequested = eventType("bulk/operation.requested", {
  schema: z.object({
    operationId: z.string().min(1),
    phase: z.enum(["start", "confirm"]),
    /** 0 for the upload or confirmation; the watchdog numbers its re-queues. */
    attempt: z.number().int().min(0),
  }),
});

/** Deterministic, so a re-sent event for the same operation, phase and attempt is deduplicated by Inngest. */
export function bulkOperationEventId(operationId: string, phase: "start" | "confirm", attempt: number) {
  return `bulk-operation-${operationId}-${phase}-${attempt}`;
}
