import "server-only";

import { createElement } from "react";

import { errorGroups } from "@/lib/bulk/results/error-groups";
import { operationLabel } from "@/lib/bulk/vocabulary/operation-types";
import { db } from "@/lib/db";
import { sendEmail } from "@/lib/email/send";
import {
  BulkOperationFinishedEmail,
  bulkOperationFinishedSubject,
  type BulkOperationFinishedEmailProps,
} from "@/lib/email/templates/bulk-operation-finished";
import { env } from "@/lib/env";

/** One email per finished operation: the idempotency key and `emailSentAt` keep replays from sending twice. */
export async function sendOperationEmail(operationId: string): Promise<{ sent: boolean }> {
  const operation = await db.bulkOperation.findUniqueOrThrow({
    where: { id: operationId },
    include: { uploader: { select: { email: true } } },
    // The stored file can be tens of megabytes, and the email does not need it.
    omit: { fileBytes: true },
  });
  if (operation.emailSentAt) {
    return { sent: false };
  }
  const base = env().APP_URL.replace(/\/$/, "");
  const props: BulkOperationFinishedEmailProps = {
    operationLabel: operationLabel(operation.type),
    fileName: operation.fileName,
    status: operation.status,
    counts: {
      total: operation.totalRows,
      created: operation.createdCount,
      updated: operation.updatedCount,
      unchanged: operation.unchangedCount,
      failed: operation.failedCount,
    },
    topErrors: (await errorGroups(operationId))
      .slice(0, 5)
      .map((g) => ({ code: g.code, count: g.count, example: g.example.message ?? "" })),
    operationUrl: `${base}/bulk-operations/${operation.id}`,
    errorsUrl: operation.failedCount > 0 ? `${base}/api/bulk-operations/${operation.id}/errors.csv` : null,
  };
  await sendEmail({
    to: operation.uploader.email,
    subject: bulkOperationFinishedSubject(props),
    react: createElement(BulkOperationFinishedEmail, props),
    idempotencyKey: `bulk-operation-finished-${operation.id}`,
  });
  await db.bulkOperation.update({
    where: { id: operationId },
    data: { emailSentAt: new Date() },
    select: { id: true },
  });
  return { sent: true };
}
