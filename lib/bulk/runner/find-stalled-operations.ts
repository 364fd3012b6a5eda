import "server-only";

import { RUNNING_STATUSES } from "@/lib/bulk/vocabulary/statuses";
import { db } from "@/lib/db";

/** Minutes without a heartbeat after which a running operation counts as stalled. */
export const STALLED_AFTER_MINUTES = 10;

/**
 * Operations that should be running but whose job stopped reporting (its run was lost, or the
 * database was away when it gave up): the watchdog hands them to the job backend again.
 */
export async function findStalledOperations(now = new Date()) {
  const cutoff = new Date(now.getTime() - STALLED_AFTER_MINUTES * 60_000);
  const stalled = await db.bulkOperation.findMany({
    where: {
      status: { in: [...RUNNING_STATUSES] },
      OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }],
    },
    select: { id: true, confirmedAt: true },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  return stalled.map((o) => ({ operationId: o.id, phase: o.confirmedAt ? ("confirm" as const) : ("start" as const) }));
}
