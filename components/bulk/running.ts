// Statuses in which the job moves on its own; awaiting_confirmation waits for the user, so nothing polls it.
const RUNNING_STATUSES: readonly string[] = ["pending", "validating", "processing"];

export function isRunning(status: string) {
  return RUNNING_STATUSES.includes(status);
}
