import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string) {
  const url = parseUrl(value);
  return url !== undefined && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** `postgresql://` or `postgres://` with a host (or a `?host=` socket folder). */
function isPostgresUrl(value: string) {
  const url = parseUrl(value);
  return (
    url !== undefined &&
    (url.protocol === "postgresql:" || url.protocol === "postgres:") &&
    (url.hostname !== "" || url.searchParams.has("host"))
  );
}

/** An optional http(s) URL: blank counts as unset, anything else must parse. */
const optionalHttpUrl = optionalString.refine((v) => v === undefined || isHttpUrl(v), {
  message: "must be an http:// or https:// URL",
});

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .positive("must be positive")
    .default(fallback);

const serverEnvSchema = z.object({
  NODE_ENV: z
    .enum(["development", "test", "production"], { error: "must be development, test or production" })
    .default("development"),
  DATABASE_URL: z
    .string({ error: "is required: the PostgreSQL connection string (postgresql://user:password@host:5432/database)" })
    .trim()
    .min(1, "is required: the PostgreSQL connection string (postgresql://user:password@host:5432/database)")
    .refine(isPostgresUrl, "must be a postgresql:// URL (postgresql://user:password@host:5432/database)"),
  /** Absolute base URL used in emails and magic links. */
  APP_URL: z
    .string()
    .trim()
    .default("http://localhost:3000")
    .refine(isHttpUrl, "must be the absolute http:// or https:// URL of the app"),
  AUTH_SECRET: optionalString,
  /** Set by the embedded start command: local outbox and in-process jobs even under `next start`. */
  BULKOPS_EMBEDDED: optionalString,
  /** Set by the embedded start command: the address it made Next listen on (`HOST`, default 127.0.0.1). */
  BULKOPS_LISTEN_HOST: optionalString,
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalHttpUrl,
  EMAIL_FROM: z.string().default("Catalog Bulk Operations <bulk-operations@localhost>"),
  OIDC_ISSUER: optionalHttpUrl,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: z.string().default("Single sign-on"),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString,
  INNGEST_BASE_URL: optionalHttpUrl,
  MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
  MAX_ROWS_PER_FILE: positiveInt(200_000),
  /** Operations one user may have queued or running at once; more get HTTP 429. */
  MAX_ACTIVE_OPERATIONS_PER_USER: positiveInt(5),
  /** Longest a page's or API request's database statement may run before it is cancelled (HTTP 503). */
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(10_000),
  /** Seconds without a heartbeat after which another runner takes over an operation. */
  JOB_LEASE_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(2, "must be at least 2 seconds")
    .default(30),
  /** Chunks of one operation applied at once (parallel steps under Inngest, concurrent chunks in-process). */
  BULK_CHUNK_PARALLELISM: positiveInt(2),
  /**
   * How far V8 lets the heap grow between full collections in processes that run jobs, in percent; V8's
   * own default when unset. 20 keeps a 45 MB upload's job near +125 MB instead of +340 MB, at a cost in
   * speed (README, Performance).
   */
  JOB_HEAP_GROWING_PERCENT: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .optional(),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error"], { error: "must be debug, info, warn or error" })
    .default("info"),
  /**
   * Reverse proxies in front of the app that append to X-Forwarded-For; the per-client sign-in email limit
   * keys on the address the outermost one saw. 1 also when clients connect directly (see clientAddress).
   */
  TRUSTED_PROXIES: positiveInt(1),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** One configuration problem, named by its variable. Values are never echoed: they may be secrets. */
export type EnvironmentProblem = { variable: string; message: string };

export type EnvironmentCheck =
  | { ok: true; env: ServerEnv; production: boolean; warnings: EnvironmentProblem[] }
  | { ok: false; production: boolean; problems: EnvironmentProblem[]; warnings: EnvironmentProblem[] };

type Source = Record<string, string | undefined>;

/**
 * A production deployment: `next start` (or a worker) with NODE_ENV=production, except the embedded
 * default (`npm start` sets BULKOPS_EMBEDDED=1) and `next build`, which runs without runtime secrets.
 */
function isProductionDeployment(source: Source = process.env) {
  return (
    source.NODE_ENV === "production" &&
    source.BULKOPS_EMBEDDED?.trim() !== "1" &&
    source.NEXT_PHASE !== "phase-production-build"
  );
}

const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** `Name <address@domain>` or `address@domain`, as Resend accepts it. */
function isSender(value: string) {
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim());
  return EMAIL_ADDRESS.test(named ? named[1].trim() : value.trim());
}

/**
 * What a production deployment needs on top of well-formed values: the rules that span several
 * variables or make an optional one required. Reads the raw strings, so a blank value counts as unset.
 */
function productionProblems(source: Source): { problems: EnvironmentProblem[]; warnings: EnvironmentProblem[] } {
  const problems: EnvironmentProblem[] = [];
  const warnings: EnvironmentProblem[] = [];
  const set = (name: string) => Boolean(source[name]?.trim());
  const require = (variable: string, message: string) => problems.push({ variable, message });

  const secret = source.AUTH_SECRET?.trim() ?? "";
  if (!secret) {
    require("AUTH_SECRET", "is required in production: it signs sessions (generate one with `openssl rand -base64 32`)");
  } else if (secret.length < 32) {
    require("AUTH_SECRET", "is too short: use at least 32 random characters (`openssl rand -base64 32`)");
  }
  if (!set("APP_URL")) {
    require("APP_URL", "is required in production: the public https:// URL of the app, used in emails and sign-in links");
  }

  const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"];
  const oidcSet = oidc.filter(set);
  if (oidcSet.length > 0 && oidcSet.length < oidc.length) {
    for (const variable of oidc.filter((name) => !set(name))) {
      require(variable, `is required because ${oidcSet.join(" and ")} ${oidcSet.length > 1 ? "are" : "is"} set: single sign-on needs all of ${oidc.join(", ")} (or none)`);
    }
  }

  if (set("RESEND_API_KEY")) {
    if (!set("EMAIL_FROM")) {
      require("EMAIL_FROM", 'is required with RESEND_API_KEY: the sender, on a domain verified in Resend ("Name <address@your-domain>")');
    } else if (!isSender(source.EMAIL_FROM!)) {
      require("EMAIL_FROM", 'must be "Name <address@domain>" or "address@domain"');
    }
  } else if (set("EMAIL_FROM")) {
    require("RESEND_API_KEY", "is required because EMAIL_FROM is set: without it no email is sent in production");
  } else if (oidcSet.length === oidc.length) {
    warnings.push({ variable: "RESEND_API_KEY", message: "is not set: operation summary emails are not delivered" });
  } else {
    require("RESEND_API_KEY", "is required in production (with EMAIL_FROM): sign-in links are emailed through Resend; the local outbox exists only in the embedded mode. Alternatively configure single sign-on (OIDC_*)");
  }

  if (set("INNGEST_EVENT_KEY") && !set("INNGEST_SIGNING_KEY")) {
    require("INNGEST_SIGNING_KEY", "is required because INNGEST_EVENT_KEY is set: /api/inngest verifies Inngest's requests with it");
  }
  if (set("INNGEST_SIGNING_KEY") && !set("INNGEST_EVENT_KEY")) {
    require("INNGEST_EVENT_KEY", "is required because INNGEST_SIGNING_KEY is set: without it events never reach Inngest and jobs run in-process");
  }
  if (set("INNGEST_DEV")) {
    require("INNGEST_DEV", "must not be set in production: the Inngest dev mode accepts unsigned requests at /api/inngest");
  }
  return { problems, warnings };
}

/**
 * Checks an environment without touching the process: every malformed value, and in a production
 * deployment every missing or inconsistent one, each named by its variable.
 */
export function validateEnvironment(source: Source = process.env): EnvironmentCheck {
  const production = isProductionDeployment(source);
  const parsed = serverEnvSchema.safeParse(source);
  const extra = production ? productionProblems(source) : { problems: [], warnings: [] };
  const all: EnvironmentProblem[] = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "environment"), message: i.message }))),
    ...extra.problems,
  ];
  // One line per variable, the first found: a malformed value says more than a later "required".
  const problems = all.filter((p, i) => all.findIndex((q) => q.variable === p.variable) === i);
  if (!parsed.success || problems.length > 0) {
    return { ok: false, production, problems, warnings: extra.warnings };
  }
  return { ok: true, env: parsed.data, production, warnings: extra.warnings };
}

/** A message naming each problem variable, for a person reading a failed start. */
export function describeEnvironmentProblems(problems: EnvironmentProblem[], production: boolean) {
  const lines = problems.map((p) => `  ${p.variable} ${p.message}`);
  return [
    `Invalid environment configuration${production ? " for production (NODE_ENV=production)" : ""}: ${problems.map((p) => p.variable).join(", ")}`,
    ...lines,
    "Every variable is described in .env.example.",
  ].join("\n");
}

let cached: ServerEnv | undefined;

/** Server environment, validated on first use; a bad variable fails with its name. */
export function env(): ServerEnv {
  if (!cached) {
    const check = validateEnvironment(process.env);
    if (!check.ok) {
      throw new Error(describeEnvironmentProblems(check.problems, check.production));
    }
    cached = check.env;
  }
  return cached;
}

/**
 * Start-up guard for servers and workers: prints every problem and exits with status 1, so a
 * misconfigured instance never starts taking traffic. Warnings are printed and the start goes on.
 */
export function exitOnInvalidEnvironment(): ServerEnv {
  const check = validateEnvironment(process.env);
  for (const warning of check.warnings) {
    console.warn(`Configuration warning: ${warning.variable} ${warning.message}`);
  }
  if (!check.ok) {
    console.error(describeEnvironmentProblems(check.problems, check.production));
    process.exit(1);
  }
  return check.env;
}

/** Jobs go to Inngest when it is configured; otherwise the in-process runner executes them. */
export function usesInngestServer(e: ServerEnv = env()) {
  return Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_DEV);
}

/**
 * A name or address that only this machine can reach: `localhost`, 127.0.0.0/8 or ::1. Anything else,
 * including the wildcards 0.0.0.0 and ::, counts as reachable from other machines.
 */
export function isLoopbackHost(host: string) {
  const name = host.trim().toLowerCase();
  return (
    name === "localhost" || name === "::1" || name === "[::1]" || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name)
  );
}

/** The outbox page exists only where mail is not really sent and this is not a production deployment. */
export function outboxEnabled(e: ServerEnv = env()) {
  return !e.RESEND_API_KEY && (e.NODE_ENV !== "production" || e.BULKOPS_EMBEDDED === "1");
}
