import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/list-operations";
import { db } from "@/lib/db";

export type OperationWarning = { code: string; message: string };

/** Failed rows of one error code; `example` is the first such row. */
export type ErrorGroup = {
  code: string;
  count: number;
  example: { rowNumber: number; column: string | null; message: string | null };
};

/** Group of failed rows whose writer set no code (the name the summary email uses too). */
export const UNCODED_ERROR = "UNKNOWN";

export type OperationDetail = NonNullable<Awaited<ReturnType<typeof getOperation>>>;

/** One operation as its detail screen shows it, or null when it does not exist or is not visible to the user. */
export async function getOperation({ user, id }: { user: ActingUser; id: string }) {
  const operation = await db.bulkOperation.findFirst({
    where: { AND: [{ id }, visibleOperationsWhere(user)] },
    select: {
      id: true,
      type: true,
      status: true,
      mode: true,
      stage: true,
      fileName: true,
      fileSize: true,
      fileChecksum: true,
      totalRows: true,
      processedRows: true,
      createdCount: true,
      updatedCount: true,
      unchangedCount: true,
      failedCount: true,
      warnings: true,
      errorMessage: true,
      cancelRequested: true,
      emailSentAt: true,
      createdAt: true,
      updatedAt: true,
      startedAt: true,
      finishedAt: true,
      uploader: { select: { id: true, email: true, username: true, name: true } },
    },
  });
  if (!operation) {
    return null;
  }

  const groups = await db.bulkOperationRow.groupBy({
    by: ["errorCode"],
    where: { operationId: id, status: "failed" },
    _count: { _all: true },
    _min: { rowNumber: true },
  });
  const examples = groups.length
    ? await db.bulkOperationRow.findMany({
        where: { operationId: id, rowNumber: { in: groups.map((g) => g._min.rowNumber ?? 0) } },
        select: { rowNumber: true, errorColumn: true, errorMessage: true },
      })
    : [];
  const exampleByRow = new Map(examples.map((e) => [e.rowNumber, e]));
  const errorGroups: ErrorGroup[] = groups
    .map((g) => {
      const example = exampleByRow.get(g._min.rowNumber ?? 0);
      return {
        code: g.errorCode ?? UNCODED_ERROR,
        count: g._count._all,
        example: {
          rowNumber: g._min.rowNumber ?? 0,
          column: example?.errorColumn ?? null,
          message: example?.errorMessage ?? null,
        },
      };
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

  return {
    ...operation,
    warnings: parseWarnings(operation.warnings),
    emailSentAt: operation.emailSentAt?.toISOString() ?? null,
    createdAt: operation.createdAt.toISOString(),
    updatedAt: operation.updatedAt.toISOString(),
    startedAt: operation.startedAt?.toISOString() ?? null,
    finishedAt: operation.finishedAt?.toISOString() ?? null,
    errorGroups,
  };
}

// The column is free-form JSON; keep only well-formed entries so the page never renders garbage.
function parseWarnings(value: unknown): OperationWarning[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((w) =>
    typeof w === "object" && w !== null && typeof (w as OperationWarning).message === "string"
      ? [{ code: String((w as OperationWarning).code ?? "WARNING"), message: (w as OperationWarning).message }]
      : [],
  );
}
