import "server-only";

import { parseRow, requiredColumns } from "@/lib/bulk/csv/parse-row";
import { cellsByColumn, CsvFileError, readCsv } from "@/lib/bulk/csv/read-csv";
import type { OperationDefinition } from "@/lib/bulk/operations/definition";
import { operationDefinition, operationDefinitions } from "@/lib/bulk/operations/registry";
import { readStoredUpload } from "@/lib/bulk/upload/store-upload";
import type { RowErrorCode, WarningCode } from "@/lib/bulk/vocabulary/error-codes";
import { operationLabel, type OperationType } from "@/lib/bulk/vocabulary/operation-types";
import { isFinalStatus, type Stage } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { orderedId } from "@/lib/ids";
import { insertRows } from "@/lib/sql/set-writes";
import { inTransaction } from "@/lib/sql/sql-pool";

import { recordOperationTargets } from "./record-operation-targets";
import { bulkOperationRowTable, type BulkOperationRowInsert } from "./row-tables";

export type ValidationOutcome =
  | { outcome: "apply"; totalRows: number }
  | { outcome: "preview"; totalRows: number }
  | { outcome: "file_invalid"; totalRows: 0 }
  | { outcome: "finished"; totalRows: number; status: string };

/**
 * Reads the stored file once, checks its header against the operation, and records every row:
 * valid rows as `pending`, invalid ones as `failed` with the column and reason. Re-running it after a
 * crash only adds the rows it had not stored yet.
 */
export async function validateOperation(operationId: string): Promise<ValidationOutcome> {
  // The file is read below, as bytes: Prisma would hand it over as an array of numbers.
  const operation = await db.bulkOperation.findUniqueOrThrow({ where: { id: operationId }, omit: { fileBytes: true } });
  // A replayed start phase leaves alone what got past validation: a waiting preview, a confirmed one, a result.
  if (isFinalStatus(operation.status) || operation.status === "awaiting_confirmation" || operation.confirmedAt) {
    return { outcome: "finished", totalRows: operation.totalRows, status: operation.status };
  }
  await db.bulkOperation.update({
    where: { id: operationId },
    data: { status: "validating", stage: "validating" satisfies Stage, startedAt: operation.startedAt ?? new Date() },
    select: { id: true },
  });

  const definition = operationDefinition(operation.type);
  const seenTargets = new Set<string>();
  let headerChecked = false;
  // One batch is being stored while the next is parsed.
  let storing: Promise<void> = Promise.resolve();

  try {
    const summary = await readCsv(
      () => readStoredUpload(operationId, operation.fileSize),
      async (batch, header) => {
        if (!headerChecked) {
          checkHeader(operation.type, header.headers);
          headerChecked = true;
        }
        const records: BulkOperationRowInsert[] = batch.map(({ number, cells, problem, problemColumn }) => {
          const data = cellsByColumn(header.headers, cells);
          const record: BulkOperationRowInsert = {
            id: orderedId(),
            operationId,
            rowNumber: number,
            status: "pending",
            data,
            targetKey: null,
            errorCode: null,
            errorColumn: null,
            errorMessage: null,
          };
          if (problem) {
            return fail(record, "INVALID_VALUE", problemColumn ?? null, problem);
          }
          const parsed = parseRow(definition.rowSchema, data);
          if (!parsed.ok) {
            return fail(
              record,
              parsed.code,
              parsed.column,
              `Row ${number}, column ${parsed.column}: ${parsed.message}`,
            );
          }
          record.targetKey = definition.targetKey(parsed.row);
          if (record.targetKey !== null) {
            if (seenTargets.has(record.targetKey)) {
              return fail(
                record,
                "DUPLICATE_IN_FILE",
                null,
                `Row ${number}: ${record.targetKey} already appears in an earlier row of this file`,
              );
            }
            seenTargets.add(record.targetKey);
          }
          return record;
        });
        await storing;
        storing = inTransaction((sql) => insertRows(sql, bulkOperationRowTable, records));
        // Its failure is reported by the next await, not as an unhandled rejection.
        storing.catch(() => undefined);
      },
      // Batches of a thousand rows keep what each insert holds (and leaves to the GC) to about a megabyte.
      { maxRows: env().MAX_ROWS_PER_FILE, batchSize: 1_000 },
    );
    await storing;
    await recordOperationTargets(operationId, definition.targetColumns);

    const known = new Set(Object.keys(definition.rowSchema.shape));
    const unknown = summary.rawHeaders.filter((raw, i) => summary.headers[i] && !known.has(summary.headers[i]));
    // Rows stored by an earlier, interrupted attempt are counted from the table, not from this pass.
    const failedCount = await db.bulkOperationRow.count({ where: { operationId, status: "failed" } });
    // A preview stays `validating` while every row's outcome is computed.
    const preview = operation.mode === "preview";
    await db.bulkOperation.update({
      where: { id: operationId },
      data: {
        status: preview ? "validating" : "processing",
        stage: (preview ? "previewing" : "applying") satisfies Stage,
        totalRows: summary.rowCount,
        processedRows: failedCount,
        failedCount,
        headers: summary.rawHeaders.map((raw, i) => ({ raw, name: summary.headers[i] })),
        warnings: unknown.length
          ? [
              {
                code: "UNKNOWN_COLUMNS" satisfies WarningCode,
                message: `Ignored unknown column(s): ${unknown.join(", ")}`,
              },
            ]
          : [],
        heartbeatAt: new Date(),
      },
      select: { id: true },
    });
    return { outcome: preview ? "preview" : "apply", totalRows: summary.rowCount };
  } catch (error) {
    // A batch still being stored would land after the clean-up below.
    await storing.catch(() => undefined);
    if (!(error instanceof CsvFileError)) {
      throw error;
    }
    await db.$transaction([
      db.bulkOperationRow.deleteMany({ where: { operationId } }),
      db.bulkOperation.update({
        where: { id: operationId },
        data: { errorMessage: error.message, errorCode: error.code, totalRows: 0, stage: null },
        select: { id: true },
      }),
    ]);
    return { outcome: "file_invalid", totalRows: 0 };
  }
}

function fail(
  record: BulkOperationRowInsert,
  code: RowErrorCode,
  column: string | null,
  message: string,
): BulkOperationRowInsert {
  return { ...record, status: "failed", errorCode: code, errorColumn: column, errorMessage: message };
}

/** The header's missing columns for an operation: its required ones, and a key column when it has a choice of them. */
function missingColumns(definition: OperationDefinition, present: Set<string>) {
  const missing = requiredColumns(definition.rowSchema).filter((c) => !present.has(c));
  const keys = definition.keyColumns ?? [];
  if (keys.length > 0 && !keys.some((c) => present.has(c))) {
    missing.unshift(keys.join(" or "));
  }
  return missing;
}

/** A file missing the operation's required columns is rejected whole, with a hint when it fits another operation. */
function checkHeader(type: OperationType, headers: string[]) {
  const present = new Set(headers);
  const missing = missingColumns(operationDefinition(type), present);
  if (missing.length === 0) {
    return;
  }
  const fits = operationDefinitions()
    .filter((d) => d.type !== type && missingColumns(d, present).length === 0)
    .map((d) => operationLabel(d.type));
  const hint = fits.length
    ? ` Its columns fit ${fits.map((f) => `"${f}"`).join(" or ")}: was that the operation you meant?`
    : "";
  throw new CsvFileError(
    "MISSING_COLUMNS",
    `The file is missing required column(s) for ${operationLabel(type)}: ${missing.join(", ")}.${hint}`,
  );
}
