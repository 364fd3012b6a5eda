import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
/** The outcome of one row, written back in one statement per chunk. */
export interface BulkRowResult {
  rowNumber: number;
  status: "created" | "updated" | "unchanged" | "failed";
  targetKey: string | null;
  errorCode: RowErrorCode | null;
  errorColumn: string | null;
  errorMessage: string | null;
  courseId: string | null;
  courseRunId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

/** A failed row, its message prefixed with the row and column unless it names them already. */
export function failure(rowNumber: number, code: RowErrorCode, column: string | null, message: string): BulkRowResult {
  return {
    rowNumber,
    status: "failed",
    targetKey: null,
    errorCode: code,
    errorColumn: column,
    errorMessage: message.startsWith("Row ")
      ? message
      : `Row ${rowNumber}${column ? `, column ${column}` : ""}: ${message}`,
    courseId: null,
    courseRunId: null,
    changes: null,
  };
}
