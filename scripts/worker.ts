// Runs bulk-operation jobs without the web app: `npm run worker`. Any number of workers (and app
// instances) can share one database; each operation is leased to one of them at a time.
import { startInProcessRunner, stopInProcessRunner } from "@/lib/bulk/runner/in-process-runner";
import { exitOnInvalidEnvironment } from "@/lib/env";
import { logger } from "@/lib/logger";

// A misconfigured worker stops here, naming the variable, instead of polling in vain.
exitOnInvalidEnvironment();

const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 2);
const runner = startInProcessRunner(concurrency);
logger.info("worker ready", { instanceId: runner.instanceId, concurrency });

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // The lease lapses and another runner resumes whatever this one was doing.
    stopInProcessRunner();
    process.exit(0);
  });
}
