import { Inngest } from "inngest";

/**
 * One client for the app. With INNGEST_EVENT_KEY (Cloud or self-hosted) or INNGEST_DEV=1 (dev server)
 * events go to Inngest, which calls /api/inngest; otherwise lib/bulk/runner/in-process-runner.ts runs the same
 * functions inside the app process.
 */
export const inngest = new Inngest({ id: "catalog-bulk-operations" });
