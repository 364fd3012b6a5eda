// The words of an operation's life: its statuses and the stages of its job. Client-safe: the screens use
// them as the server does.

/** The operation is over; nothing changes it any more. */
export const FINAL_STATUSES = ["completed", "partially_completed", "failed", "errored", "cancelled"] as const;

/**
 * The job moves on its own (queued, validating, applying): it counts against the uploader's active
 * operations, a runner may claim it, the watchdog re-queues it when stalled, screens poll it. A preview
 * awaiting confirmation is neither running nor final: it waits for a person.
 */
export const RUNNING_STATUSES = ["pending", "validating", "processing"] as const;

export function isFinalStatus(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function isRunningStatus(status: string): boolean {
  return (RUNNING_STATUSES as readonly string[]).includes(status);
}

/** What the job is doing while it runs (BulkOperation.stage), in words. */
export const STAGE_LABELS = {
  validating: "Validating the file",
  previewing: "Computing the preview",
  applying: "Applying rows",
  awaiting_confirmation: "Waiting for confirmation",
} as const;

export type Stage = keyof typeof STAGE_LABELS;
