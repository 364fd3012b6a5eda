import "server-only";

import type { z } from "zod";

import { writeCsv } from "@/lib/bulk/csv/write-csv";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";

/** A CSV with every column of the operation's row schema and one example row taken from the schema. */
export function buildTemplate(type: OperationType) {
  const shape = operationDefinition(type).rowSchema.shape as Record<string, z.ZodType>;
  const columns = Object.keys(shape);
  const example = columns.map((column) => String(shape[column].meta()?.example ?? ""));
  return { fileName: `${type}-template.csv`, csv: writeCsv(columns, [example]) };
}
