import "server-only";

import { db } from "@/lib/db";
import { type BulkRowResult, type Tx, writeRowResults } from "@/lib/catalog/tables";

import type { OperationDefinition, ParsedRow, Uploader } from "./operation-definition";
import { operationDefinition } from "./operations";
import { isFinalStatus } from "./operation-types";
import { parseRow } from "./parse-row";

export type ChunkOutcome = { processed: number; cancelled: boolean };

type Mode = "apply" | "preview";

interface ChunkContext {
  definition: OperationDefinition;
  operationId: string;
  uploader: Uploader;
  mode: Mode;
}

/**
 * Applies the still-pending rows numbered first..last in one transaction that also records their
 * results and the operation's counters, so a chunk is either wholly applied or not at all, and a
 * replayed chunk finds nothing pending. In preview mode the same writes run and are rolled back:
 * each row keeps what it would do (outcome and field changes) and stays pending.
 */
export async function processChunk(options: { operationId: string; first: number; last: number; mode: Mode }): Promise<ChunkOutcome> {
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
    mode,
    uploader: {
      id: operation.uploader.id,
      isStaff: operation.uploader.isStaff,
      organizationIds: new Set(operation.uploader.memberships.map((m) => m.organizationId)),
    },
  };
  const rows = await db.bulkOperationRow.findMany({
    where: { operationId, status: "pending", rowNumber: { gte: first, lte: last } },
    select: { rowNumber: true },
    orderBy: { rowNumber: "asc" },
  });
  return { processed: await processIsolated(context, rows.map((r) => r.rowNumber)), cancelled: false };
}

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
async function processIsolated(context: ChunkContext, rowNumbers: number[]): Promise<number> {
  if (rowNumbers.length === 0) {
    return 0;
  }
  try {
    if (context.mode === "apply") {
      return await db.$transaction(
        async (tx) => recordResults(tx, context, await computeResults(tx, context, rowNumbers)),
        { timeout: 120_000, maxWait: 30_000 },
      );
    }
    const results = await db
      .$transaction(
        async (tx) => {
          throw new PreviewRollback(await computeResults(tx, context, rowNumbers));
        },
        { timeout: 120_000, maxWait: 30_000 },
      )
      .catch((error: unknown) => {
        if (error instanceof PreviewRollback) {
          return error.results;
        }
        throw error;
      });
    return await db.$transaction((tx) => recordResults(tx, context, results));
  } catch (error) {
    if (!isDataError(error)) {
      throw error;
    }
    if (rowNumbers.length === 1) {
      const reason = `the database rejected this row (${databaseReason(error)})`;
      return db.$transaction((tx) =>
        recordResults(tx, context, [failure(rowNumbers[0], context.definition.rejectedRowCode, null, reason)]),
      );
    }
    const middle = Math.ceil(rowNumbers.length / 2);
    return (
      (await processIsolated(context, rowNumbers.slice(0, middle))) +
      (await processIsolated(context, rowNumbers.slice(middle)))
    );
  }
}

async function computeResults(tx: Tx, context: ChunkContext, rowNumbers: number[]) {
  const { definition, operationId, uploader } = context;
  // Row locks make a concurrent attempt at the same chunk wait, then find these rows no longer pending.
  const rows = await tx.$queryRawUnsafe<{ rowNumber: number; data: Record<string, string> }[]>(
    `SELECT "rowNumber", "data" FROM "BulkOperationRow" WHERE "operationId" = $1 AND "rowNumber" = ANY($2::int[]) ` +
      `AND "status" = 'pending' ORDER BY "rowNumber" FOR UPDATE`,
    operationId,
    rowNumbers,
  );
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
  const results = await definition.apply({ tx, operationId, uploader, now: new Date() }, parsedRows);
  return [...invalid, ...results];
}

async function recordResults(tx: Tx, context: ChunkContext, results: BulkRowResult[]) {
  const preview = context.mode === "preview";
  // A previewed creation's ids were rolled back with it.
  const recorded = preview
    ? results.map((r) => (r.status === "created" ? { ...r, courseId: null, courseRunId: null } : r))
    : results;
  const written = await writeRowResults(tx, context.operationId, recorded, { preview });
  const count = (status: BulkRowResult["status"]) => (preview ? 0 : written.filter((w) => w.status === status).length);
  await tx.bulkOperation.update({
    where: { id: context.operationId },
    data: {
      processedRows: { increment: written.length },
      createdCount: { increment: count("created") },
      updatedCount: { increment: count("updated") },
      unchangedCount: { increment: count("unchanged") },
      failedCount: { increment: count("failed") },
      heartbeatAt: new Date(),
    },
  });
  return written.length;
}

export function failure(rowNumber: number, code: string, column: string | null, message: string): BulkRowResult {
  return {
    rowNumber,
    status: "failed",
    targetKey: null,
    errorCode: code,
    errorColumn: column,
    errorMessage: message.startsWith("Row ") ? message : `Row ${rowNumber}${column ? `, column ${column}` : ""}: ${message}`,
    courseId: null,
    courseRunId: null,
    changes: null,
  };
}

/** Postgres data exceptions (22xxx) and integrity violations (23xxx) are about the rows, not the server. */
function isDataError(error: unknown): boolean {
  const sqlState = databaseCode(error);
  return sqlState !== undefined && (sqlState.startsWith("22") || sqlState.startsWith("23"));
}

function databaseCode(error: unknown): string | undefined {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.meta?.driverAdapterError?.cause?.originalCode ?? e?.meta?.code ?? (/^\d{2}[0-9A-Z]{3}$/.test(e?.code ?? "") ? e.code : undefined);
}

function databaseReason(error: unknown) {
  return error instanceof Error ? error.message.split("\n").filter(Boolean).pop() ?? error.message : String(error);
}
