import type { z } from "zod";

import type { BulkRowResult, Tx } from "@/lib/catalog/tables";

import type { OperationType } from "./operation-types";

/** The uploader, as a chunk sees them: permissions are checked per row against their organizations. */
export interface Uploader {
  id: string;
  isStaff: boolean;
  organizationIds: Set<string>;
}

export interface ParsedRow<Row> {
  rowNumber: number;
  row: Row;
}

export interface ApplyContext {
  tx: Tx;
  operationId: string;
  uploader: Uploader;
  now: Date;
}

/**
 * One bulk operation: its row schema is the single source of truth for its columns (template,
 * header check, validation messages); `apply` writes a chunk of valid rows set-based and returns one
 * result per row.
 */
export interface OperationDefinition<Schema extends z.ZodObject = z.ZodObject> {
  type: OperationType;
  rowSchema: Schema;
  /** Columns of which the header must have at least one (e.g. course_key or course_uuid). */
  keyColumns?: string[];
  /** Error code for a row the database itself rejects (e.g. COURSE_CREATE_ERROR). */
  rejectedRowCode: string;
  /** The course or run a row targets: rows sharing one fail with DUPLICATE_IN_FILE. */
  targetKey(row: z.infer<Schema>): string | null;
  apply(context: ApplyContext, rows: ParsedRow<z.infer<Schema>>[]): Promise<BulkRowResult[]>;
}
