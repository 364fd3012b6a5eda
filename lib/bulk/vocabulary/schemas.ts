import { z } from "zod";

import { OPERATION_TYPES } from "./operation-types";

const operationTypes = OPERATION_TYPES.map((o) => o.type) as [string, ...string[]];

/** The non-file fields of an upload (multipart `type` and `mode`). */
export const startOperationSchema = z.object({
  type: z.enum(
    operationTypes as [(typeof OPERATION_TYPES)[number]["type"], ...(typeof OPERATION_TYPES)[number]["type"][]],
    {
      error: (issue) =>
        issue.input === undefined || issue.input === ""
          ? "The field `type` is required: one of " + operationTypes.join(", ")
          : `Unknown operation type "${String(issue.input)}": use one of ${operationTypes.join(", ")}`,
    },
  ),
  mode: z.enum(["apply", "preview"], { error: "`mode` must be apply or preview" }).default("apply"),
});

export type StartOperationInput = z.infer<typeof startOperationSchema>;
