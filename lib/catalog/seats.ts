import { orderedId } from "@/lib/ids";

import type { SeatInsert } from "./tables";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Default upgrade deadline: the run's end minus 10 days, at 23:59:59 UTC. */
export function defaultUpgradeDeadline(runEnd: Date | null): Date | null {
  if (!runEnd) {
    return null;
  }
  const day = new Date(runEnd.getTime() - 10 * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 23, 59, 59));
}

/**
 * The seats a run type defines. Audit is free and has no upgrade deadline; paid seats cost the row's
 * verified price and may be upgraded to until the override or the default deadline.
 */
export function seatsForRun(options: {
  runId: string;
  seatTypes: string[];
  price: string | null;
  runEnd: Date | null;
  upgradeDeadlineOverride: Date | null;
}): SeatInsert[] {
  const { runId, seatTypes, price, runEnd, upgradeDeadlineOverride } = options;
  return seatTypes.map((type) => ({
    id: orderedId(),
    runId,
    type,
    price: type === "audit" ? "0" : (price ?? "0"),
    currency: "USD",
    upgradeDeadline: type === "audit" ? null : (upgradeDeadlineOverride ?? defaultUpgradeDeadline(runEnd)),
  }));
}
