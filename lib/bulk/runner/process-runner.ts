import "server-only";

/** What the rest of the process needs of its in-process runner, without loading the job engine. */
export interface ProcessRunner {
  readonly instanceId: string;
  readonly activeOperations: number;
  wake(): void;
  stop(): void;
}

// One runner per process, surviving Next's module duplication between instrumentation and route bundles.
const globalForRunner = globalThis as unknown as { bulkRunner?: ProcessRunner };

export function currentRunner(): ProcessRunner | undefined {
  return globalForRunner.bulkRunner;
}

export function setCurrentRunner(runner: ProcessRunner | undefined) {
  globalForRunner.bulkRunner = runner;
}

/** For the health check: whether this process runs jobs, and how many it is running now. */
export function runnerStatus(): { started: boolean; activeOperations: number } {
  const runner = currentRunner();
  return { started: Boolean(runner), activeOperations: runner?.activeOperations ?? 0 };
}

/** Looks for work now instead of at the next poll; nothing when this process runs no jobs. */
export function wakeInProcessRunner() {
  currentRunner()?.wake();
}
