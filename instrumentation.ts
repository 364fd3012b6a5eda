/**
 * Runs once per server start, before the first request: refuses to start with a bad configuration
 * (exit 1, naming each variable), then starts the in-process job runner when no Inngest server is
 * configured (the embedded default).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") {
    return;
  }
  const { exitOnInvalidEnvironment, usesInngestServer } = await import("@/lib/env");
  const environment = exitOnInvalidEnvironment();
  const { logger } = await import("@/lib/logger");
  const jobBackend = usesInngestServer(environment) ? "inngest" : "in-process";
  logger.info("server starting", {
    mode: environment.BULKOPS_EMBEDDED === "1" ? "embedded" : environment.NODE_ENV,
    jobBackend,
    email: environment.RESEND_API_KEY ? "resend" : "outbox",
  });
  if (jobBackend === "inngest") {
    // Inngest calls this process to run the job's steps; the in-process runner tunes its own process.
    const { tuneHeapForJobs } = await import("@/lib/job-memory");
    tuneHeapForJobs();
  } else {
    const { startInProcessRunner } = await import("@/lib/bulk/runner/in-process-runner");
    startInProcessRunner();
  }
}
