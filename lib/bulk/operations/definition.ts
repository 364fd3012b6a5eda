import type { z } from "zod";

import type { RowErrorCode } from "@/lib/bulk/vocabulary/error-codes";
import type { OperationType } from "@/lib/bulk/vocabulary/operation-types";
import type { RawSql, Tx } from "@/lib/sql/set-writes";

import type { BulkRowResult } from "./row-result";

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

export interface ApplyContext<Sql = Tx> {
  /** The chunk's transaction: Prisma's, or raw statements on a pg connection (see `transaction`). */
  tx: Sql;
  operationId: string;
  uploader: Uploader;
  now: Date;
}

/**
 * What a column's value names, so the organizations a row targets can be found: an organization key, a
 * course (key or uuid) or a course run key. Keys name their organization by their prefix too.
 */
export type TargetKind = "organization" | "course" | "run";

interface DefinitionBase<Schema extends z.ZodObject> {
  type: OperationType;
  rowSchema: Schema;
  /** The columns that name what a row changes: who may see the operation follows from them. */
  targetColumns: Partial<Record<keyof z.infer<Schema> & string, TargetKind>>;
  /** Columns of which the header must have at least one (e.g. course_key or course_uuid). */
  keyColumns?: string[];
  /**
   * What the results screen names a row by when it created or changed nothing: the cells of its target
   * columns as written; an operation whose target is built from several cells says how.
   */
  displayKey?(cells: Record<string, string>): string | null;
  /** Error code for a row the database itself rejects (e.g. COURSE_CREATE_ERROR). */
  rejectedRowCode: RowErrorCode;
  /** The course or run a row targets: rows sharing one fail with DUPLICATE_IN_FILE. */
  targetKey(row: z.infer<Schema>): string | null;
}

/**
 * One bulk operation: its row schema is the single source of truth for its columns (template,
 * header check, validation messages); `apply` writes a chunk of valid rows set-based and returns one
 * result per row. It runs in a Prisma transaction, or with `transaction: "sql"` in a transaction on a
 * plain pg connection, where its statements (raw SQL only) skip Prisma's per-parameter overhead: the
 * choice of the high-volume operations.
 */
export type OperationDefinition<Schema extends z.ZodObject = z.ZodObject> = DefinitionBase<Schema> &
  (
    | {
        transaction?: "prisma";
        apply(context: ApplyContext<Tx>, rows: ParsedRow<z.infer<Schema>>[]): Promise<BulkRowResult[]>;
      }
    | {
        transaction: "sql";
        apply(context: ApplyContext<RawSql>, rows: ParsedRow<z.infer<Schema>>[]): Promise<BulkRowResult[]>;
      }
  );
