import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.url({ message: "must be a postgresql:// URL" }),
  /** Absolute base URL used in emails and magic links. */
  APP_URL: z.url().default("http://localhost:3000"),
  AUTH_SECRET: optionalString,
  /** Set by the embedded start command: local outbox and in-process jobs even under `next start`. */
  BULKOPS_EMBEDDED: optionalString,
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString,
  EMAIL_FROM: z.string().default("Catalog Bulk Operations <bulk-operations@localhost>"),
  OIDC_ISSUER: optionalString,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: z.string().default("Single sign-on"),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString,
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  MAX_ROWS_PER_FILE: z.coerce.number().int().positive().default(200_000),
  /** Operations one user may have queued or running at once; more get HTTP 429. */
  MAX_ACTIVE_OPERATIONS_PER_USER: z.coerce.number().int().positive().default(5),
  /** Seconds without a heartbeat after which another runner takes over an operation. */
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).default(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

let cached: ServerEnv | undefined;

/** Server environment, validated on first use; a bad variable fails with its name. */
export function env(): ServerEnv {
  if (!cached) {
    const parsed = serverEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n  ");
      throw new Error(`Invalid environment configuration:\n  ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Jobs go to Inngest when it is configured; otherwise the in-process runner executes them. */
export function usesInngestServer(e: ServerEnv = env()) {
  return Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_DEV);
}

/** The outbox page exists only where mail is not really sent and this is not a production deployment. */
export function outboxEnabled(e: ServerEnv = env()) {
  return !e.RESEND_API_KEY && (e.NODE_ENV !== "production" || e.BULKOPS_EMBEDDED === "1");
}
