import "server-only";

import { parseRow } from "@/lib/bulk/csv/parse-row";
import type { OperationDefinition, ParsedRow, Uploader } from "@/lib/bulk/operations/definition";
import { operationDefinition } from "@/lib/bulk/operations/registry";
import { type BulkRowResult, failure } from "@/lib/bulk/operations/row-result";
import { isFinalStatus } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";
import { isDataError } from "@/lib/errors";
import { type RawSql, type Tx } from "@/lib/sql/set-writes";
import { inTransaction } from "@/lib/sql/sql-pool";

import { writeRowResults } from "./row-tables";

export type ChunkOutcome = { processed: number; cancelled: boolean };

type Mode = "apply" | "preview";

interface ChunkContext {
  definition: OperationDefinition;
  operationId: string;
  /** The chunk's first row number: what its lock is named by. */
  chunk: number;
  uploader: Uploader;
  mode: Mode;
}

/**
 * Applies the still-pending rows numbered first..last in one transaction that also records their
 * results and the operation's counters, so a chunk is either wholly applied or not at all, and a
 * replayed chunk finds nothing pending. In preview mode the same writes run and are rolled back:
 * each row keeps what it would do (outcome and field changes) and stays pending.
 */
export async function processChunk(options: {
  operationId: string;
  first: number;
  last: number;
  mode: Mode;
}): Promise<ChunkOutcome> {
  const { operationId, first, last, mode } = options;
  const operation = await db.bulkOperation.findUniqueOrThrow({
    where: { id: operationId },
    select: {
      type: true,
      status: true,
      cancelRequested: true,
      uploader: { select: { id: true, isStaff: true, memberships: { select: { organizationId: true } } } },
    },
  });
  if (isFinalStatus(operation.status)) {
    return { processed: 0, cancelled: false };
  }
  if (operation.cancelRequested) {
    return { processed: 0, cancelled: true };
  }
  const context: ChunkContext = {
    definition: operationDefinition(operation.type),
    operationId,
    chunk: first,
    mode,
    uploader: {
      id: operation.uploader.id,
      isStaff: operation.uploader.isStaff,
      organizationIds: new Set(operation.uploader.memberships.map((m) => m.organizationId)),
    },
  };
  return { processed: await processIsolated(context, { first, last }), cancelled: false };
}

/** The rows a transaction works on: the chunk's range, or, while isolating a rejected row, a list of them. */
type RowSet = { first: number; last: number } | number[];

/** Thrown to roll a preview's writes back once their results are known. */
class PreviewRollback extends Error {
  constructor(readonly results: BulkRowResult[]) {
    super("preview rollback");
  }
}

/**
 * One bad row must not fail its chunk's good rows: when a set-based statement is rejected for its
 * data, the rows are retried in halves until the culprit stands alone and is reported. Other errors
 * (connection lost, timeouts) propagate so the step is retried whole.
 */
async function processIsolated(context: ChunkContext, rows: RowSet): Promise<number> {
  if (Array.isArray(rows) && rows.length === 0) {
    return 0;
  }
  try {
    if (context.mode === "apply") {
      return await inChunkTransaction(context, async (sql, applyTx) =>
        recordResults(sql, context, await computeResults(sql, applyTx, context, rows)),
      );
    }
    const results = await inChunkTransaction(context, async (sql, applyTx) => {
      throw new PreviewRollback(await computeResults(sql, applyTx, context, rows));
    }).catch((error: unknown) => {
      if (error instanceof PreviewRollback) {
        return error.results;
      }
      throw error;
    });
    return await inChunkTransaction(context, (sql) => recordResults(sql, context, results));
  } catch (error) {
    if (!isDataError(error)) {
      throw error;
    }
    const rowNumbers = Array.isArray(rows) ? rows : await pendingRowNumbers(context.operationId, rows);
    if (rowNumbers.length === 1) {
      const reason = `the database rejected this row (${databaseReason(error)})`;
      return inChunkTransaction(context, (sql) =>
        recordResults(sql, context, [failure(rowNumbers[0], context.definition.rejectedRowCode, null, reason)]),
      );
    }
    const middle = Math.ceil(rowNumbers.length / 2);
    return (
      (await processIsolated(context, rowNumbers.slice(0, middle))) +
      (await processIsolated(context, rowNumbers.slice(middle)))
    );
  }
}

/**
 * A transaction for the chunk, where the definition's `apply` can run: Prisma's, or one on a plain pg
 * connection for definitions written in raw SQL. The chunk's own statements are raw SQL and run in
 * either.
 */
function inChunkTransaction<T>(
  context: ChunkContext,
  work: (sql: RawSql, applyTx: Tx | RawSql) => Promise<T>,
): Promise<T> {
  if (context.definition.transaction === "sql") {
    return inTransaction((sql) => work(sql, sql));
  }
  return db.$transaction((tx) => work(tx, tx), { timeout: 120_000, maxWait: 30_000 });
}

async function pendingRowNumbers(operationId: string, { first, last }: { first: number; last: number }) {
  const rows = await db.bulkOperationRow.findMany({
    where: { operationId, status: "pending", rowNumber: { gte: first, lte: last } },
    select: { rowNumber: true },
    orderBy: { rowNumber: "asc" },
  });
  return rows.map((r) => r.rowNumber);
}

async function computeResults(sql: RawSql, applyTx: Tx | RawSql, context: ChunkContext, rowSet: RowSet) {
  const { definition, operationId, uploader } = context;
  // The chunk's lock makes a concurrent attempt at the same chunk (a replayed step, a second runner) wait,
  // then find its rows no longer pending; other chunks of the operation go on in parallel. One lock, where
  // locking each row would write every row twice.
  await sql.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, operationId, context.chunk);
  // `status::text` keeps the planner on the (operationId, rowNumber) index: through the status index it
  // would visit every pending row of the operation for each chunk.
  const rows = await sql.$queryRawUnsafe<{ rowNumber: number; data: Record<string, string> }[]>(
    `SELECT "rowNumber", "data" FROM "BulkOperationRow" WHERE "operationId" = $1 AND "status"::text = 'pending' AND ` +
      (Array.isArray(rowSet) ? `"rowNumber" = ANY($2::int[])` : `"rowNumber" BETWEEN $2 AND $3`),
    operationId,
    ...(Array.isArray(rowSet) ? [rowSet] : [rowSet.first, rowSet.last]),
  );
  // In file order (sorted here: in SQL a chunk's sort spills to disk).
  rows.sort((a, b) => a.rowNumber - b.rowNumber);
  if (rows.length === 0) {
    return [];
  }
  const { parsedRows, invalid } = parseStoredRows(definition, rows);
  const now = new Date();
  const results =
    definition.transaction === "sql"
      ? await definition.apply({ tx: applyTx as RawSql, operationId, uploader, now }, parsedRows)
      : await definition.apply({ tx: applyTx as Tx, operationId, uploader, now }, parsedRows);
  return [...invalid, ...results];
}

/** Stored rows' cells parsed against the operation's schema: the rows to apply, and failures for the rest. */
export function parseStoredRows(
  definition: OperationDefinition,
  rows: { rowNumber: number; data: Record<string, string> }[],
) {
  const parsedRows: ParsedRow<Record<string, unknown>>[] = [];
  const invalid: BulkRowResult[] = [];
  for (const { rowNumber, data } of rows) {
    const parsed = parseRow(definition.rowSchema, data);
    if (parsed.ok) {
      parsedRows.push({ rowNumber, row: parsed.row });
    } else {
      invalid.push(failure(rowNumber, parsed.code, parsed.column, parsed.message));
    }
  }
  return { parsedRows, invalid };
}

async function recordResults(sql: RawSql, context: ChunkContext, results: BulkRowResult[]) {
  if (results.length === 0) {
    return 0;
  }
  const preview = context.mode === "preview";
  // A previewed creation's ids were rolled back with it.
  const recorded = preview
    ? results.map((r) => (r.status === "created" ? { ...r, courseId: null, courseRunId: null } : r))
    : results;
  const written = await writeRowResults(sql, context.operationId, recorded, { preview });
  const count = (status: BulkRowResult["status"]) => (preview ? 0 : written.filter((w) => w.status === status).length);
  const now = new Date().toISOString();
  await sql.$executeRawUnsafe(
    `UPDATE "BulkOperation" SET "processedRows" = "processedRows" + $2, "createdCount" = "createdCount" + $3, ` +
      `"updatedCount" = "updatedCount" + $4, "unchangedCount" = "unchangedCount" + $5, "failedCount" = "failedCount" + $6, ` +
      `"heartbeatAt" = $7::timestamp(3), "updatedAt" = $7::timestamp(3) WHERE "id" = $1`,
    context.operationId,
    written.length,
    count("created"),
    count("updated"),
    count("unchanged"),
    count("failed"),
    now,
  );
  return written.length;
}

function databaseReason(error: unknown) {
  return error instanceof Error ? (error.message.split("\n").filter(Boolean).pop() ?? error.message) : String(error);
}
