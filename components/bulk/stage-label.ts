// Client-safe labels for the `stage` column and the durations shown next to progress bars.

import { STAGE_LABELS } from "@/lib/bulk/vocabulary/statuses";

const labels: Record<string, string> = STAGE_LABELS;

/** What the job is doing, in words; falls back on the status when no stage is recorded. */
export function stageLabel(stage: string | null, status: string): string {
  if (stage) {
    return labels[stage] ?? humanize(stage);
  }
  if (status === "pending") {
    return "Queued";
  }
  return labels[status === "processing" ? "applying" : status] ?? humanize(status);
}

function humanize(value: string) {
  const words = value.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `2.4 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) {
    return `${Math.max(0, Math.round(seconds * 10) / 10)} s`;
  }
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  const total = Math.round(seconds);
  if (total < 3600) {
    const s = total % 60;
    return `${Math.floor(total / 60)} min${s ? ` ${s} s` : ""}`;
  }
  const m = Math.floor((total % 3600) / 60);
  return `${Math.floor(total / 3600)} h${m ? ` ${m} min` : ""}`;
}

export function formatRate(rowsPerSecond: number): string {
  const value =
    rowsPerSecond >= 100
      ? Math.round(rowsPerSecond).toLocaleString("en-US")
      : String(Math.round(rowsPerSecond * 10) / 10);
  return `${value} rows/s`;
}

export function formatEta(etaSeconds: number): string {
  return etaSeconds < 1 ? "almost done" : `about ${formatDuration(etaSeconds)} left`;
}
