import "server-only";

import type { ActingUser } from "@/lib/auth/require-user";
import { visibleOperationsWhere } from "@/lib/bulk/list-operations";
import { db } from "@/lib/db";

import { errorGroups } from "./error-groups";

export type OperationWarning = { code: string; message: string };

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

  return {
    ...operation,
    warnings: parseWarnings(operation.warnings),
    emailSentAt: operation.emailSentAt?.toISOString() ?? null,
    createdAt: operation.createdAt.toISOString(),
    updatedAt: operation.updatedAt.toISOString(),
    startedAt: operation.startedAt?.toISOString() ?? null,
    finishedAt: operation.finishedAt?.toISOString() ?? null,
    errorGroups: await errorGroups(id),
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
