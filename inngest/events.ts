import { eventType } from "inngest";
import { z } from "zod";

/**
 * An uploaded bulk operation is ready to be validated and applied (`start`), or its preview was
 * confirmed (`confirm`). Carries ids only: the data lives in PostgreSQL.
 */
export const bulkOperationRequested = eventType("bulk/operation.requested", {
  schema: z.object({ operationId: z.string().min(1), phase: z.enum(["start", "confirm"]) }),
});

/** Deterministic, so a re-sent event for the same operation and phase is deduplicated by Inngest. */
export function bulkOperationEventId(operationId: string, phase: "start" | "confirm") {
  return `bulk-operation-${operationId}-${phase}`;
}
