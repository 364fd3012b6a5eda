/** Starts the in-process job runner when no Inngest server is configured (the embedded default). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") {
    return;
  }
  const { usesInngestServer } = await import("@/lib/env");
  if (!usesInngestServer()) {
    const { startInProcessRunner } = await import("@/lib/bulk/in-process-runner");
    startInProcessRunner();
  }
}
