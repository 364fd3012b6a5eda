import "server-only";

import type { z } from "zod";

import { writeCsv } from "@/lib/bulk/csv/write-csv";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";

/** Each column of the operation's row schema with the example value the schema gives it ("" when none). */
export function exampleCells(type: OperationType): Record<string, string> {
  const shape = operationDefinition(type).rowSchema.shape as Record<string, z.ZodType>;
  return Object.fromEntries(
    Object.entries(shape).map(([column, cell]) => [column, String(cell.meta()?.example ?? "")]),
  );
}

/** A CSV with every column of the operation's row schema and one example row taken from the schema. */
export function buildTemplate(type: OperationType) {
  const example = exampleCells(type);
  return { fileName: `${type}-template.csv`, csv: writeCsv(Object.keys(example), [Object.values(example)]) };
}
