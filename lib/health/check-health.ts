import "server-only";

import { readdir } from "node:fs/promises";
import path from "node:path";

import pg from "pg";

import { runnerStatus } from "@/lib/bulk/runner/process-runner";
import { env, type ServerEnv, usesInngestServer } from "@/lib/env";
import { logger } from "@/lib/logger";

export type HealthOptions = {
  /** Defaults to DATABASE_URL. */
  databaseUrl?: string;
  /** Defaults to prisma/migrations under the working directory (the app's root under `next start`). */
  migrationsDir?: string;
  /** Connecting and each query; the whole check takes at most about twice this. Default 2000 ms. */
  timeoutMs?: number;
  /** Defaults to the validated process environment. */
  environment?: ServerEnv;
};

export type HealthReport = {
  status: "ok" | "unavailable";
  checks: {
    database: { ok: boolean; latencyMs?: number; error?: string };
    migrations: { ok: boolean; expected?: number; applied?: number; pending?: string[]; error?: string };
    jobs: {
      ok: boolean;
      backend?: "inngest" | "in-process";
      eventKey?: boolean;
      signingKey?: boolean;
      dev?: boolean;
      started?: boolean;
      activeOperations?: number;
      error?: string;
    };
  };
  /** One line per failed check, naming it; only when `status` is "unavailable". */
  reasons?: string[];
};

/**
 * Whether this instance can serve: the database answers, every migration in prisma/migrations is
 * applied, and a job backend is ready. Never throws: every failure becomes a check with `ok: false`
 * and a reason. Details that would reveal internals (hosts, credentials) are logged, not returned.
 */
export async function checkHealth(options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const reasons: string[] = [];
  const checks: HealthReport["checks"] = {
    database: { ok: false },
    migrations: { ok: false },
    jobs: { ok: false },
  };

  let environment = options.environment;
  if (!environment) {
    try {
      environment = env();
    } catch (error) {
      logger.warn("health: invalid environment", { error });
    }
  }

  const databaseUrl = options.databaseUrl ?? environment?.DATABASE_URL ?? process.env.DATABASE_URL;
  const database = await checkDatabase(
    databaseUrl,
    options.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations"),
    timeoutMs,
  );
  checks.database = database.database;
  checks.migrations = database.migrations;
  if (!checks.database.ok) {
    reasons.push(`database: ${checks.database.error}`);
  } else if (!checks.migrations.ok) {
    reasons.push(`migrations: ${checks.migrations.error}`);
  }

  checks.jobs = checkJobs(environment);
  if (!checks.jobs.ok) {
    reasons.push(`jobs: ${checks.jobs.error}`);
  }

  return reasons.length === 0 ? { status: "ok", checks } : { status: "unavailable", checks, reasons };
}

async function checkDatabase(
  databaseUrl: string | undefined,
  migrationsDir: string,
  timeoutMs: number,
): Promise<Pick<HealthReport["checks"], "database" | "migrations">> {
  const notChecked = { ok: false, error: "not checked: the database is unavailable" };
  if (!databaseUrl) {
    return { database: { ok: false, error: "DATABASE_URL is not set" }, migrations: notChecked };
  }
  // A client of its own per check: it reports on the database, not on the state of the app's pool,
  // and it cannot be starved by busy job transactions.
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "health-check",
  });
  client.on("error", () => undefined);
  const started = Date.now();
  try {
    await withTimeout(client.connect(), timeoutMs);
    await client.query("SELECT 1");
  } catch (error) {
    logger.warn("health: database unreachable", { error });
    void client.end().catch(() => undefined);
    return {
      database: { ok: false, error: `unreachable (${describeDatabaseError(error, timeoutMs)})` },
      migrations: notChecked,
    };
  }
  const database = { ok: true, latencyMs: Date.now() - started };
  try {
    return { database, migrations: await checkMigrations(client, migrationsDir) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every migration folder shipped with the app must be applied; extra ones in the database (a newer deploy rolling out) are fine. */
async function checkMigrations(
  client: pg.Client,
  migrationsDir: string,
): Promise<HealthReport["checks"]["migrations"]> {
  let expected: string[];
  try {
    expected = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    logger.warn("health: cannot read the migrations folder", { migrationsDir, error });
    return { ok: false, error: "the prisma/migrations folder is missing from the deployment" };
  }
  let applied: Set<string>;
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (error) {
    if ((error as { code?: string }).code !== "42P01") {
      logger.warn("health: cannot read _prisma_migrations", { error });
      return { ok: false, expected: expected.length, error: "cannot read _prisma_migrations" };
    }
    applied = new Set(); // undefined_table: nothing was ever migrated
  }
  const pending = expected.filter((name) => !applied.has(name));
  const result = { expected: expected.length, applied: expected.length - pending.length };
  if (pending.length > 0) {
    return {
      ok: false,
      ...result,
      pending,
      error: `${pending.length} not applied (${pending.join(", ")}): run \`prisma migrate deploy\``,
    };
  }
  return { ok: true, ...result };
}

function checkJobs(environment: ServerEnv | undefined): HealthReport["checks"]["jobs"] {
  if (!environment) {
    return { ok: false, error: "the environment is invalid (see the server log)" };
  }
  if (usesInngestServer(environment)) {
    const eventKey = Boolean(environment.INNGEST_EVENT_KEY);
    const dev = Boolean(environment.INNGEST_DEV);
    const check = { backend: "inngest" as const, eventKey, signingKey: Boolean(environment.INNGEST_SIGNING_KEY), dev };
    return eventKey || dev ? { ok: true, ...check } : { ok: false, ...check, error: "INNGEST_EVENT_KEY is not set" };
  }
  const { started, activeOperations } = runnerStatus();
  return started
    ? { ok: true, backend: "in-process", started, activeOperations }
    : {
        ok: false,
        backend: "in-process",
        started,
        activeOperations,
        error: "the in-process job runner is not running",
      };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "TIMEOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short cause without hosts or credentials: the endpoint needs no authentication. */
function describeDatabaseError(error: unknown, timeoutMs: number) {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
    case "EPIPE":
      return "connection reset";
    case "TIMEOUT":
    case "ETIMEDOUT":
      return `no answer within ${timeoutMs} ms`;
    case "28P01":
    case "28000":
      return "authentication failed";
    case "3D000":
      return "the database does not exist";
    case "57P03":
      return "the server is starting up or shutting down";
    default:
      return /timeout/i.test(message) ? `no answer within ${timeoutMs} ms` : "query failed";
  }
}
