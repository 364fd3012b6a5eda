// The one command: an embedded PostgreSQL (data in .data/postgres) unless DATABASE_URL is set, migrations, seed,
// a production build when the sources changed, then the app, listening on 127.0.0.1 unless HOST says
// otherwise. `--dev` runs `next dev` instead; `--rebuild` forces `next build`.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { isLoopbackHost } from "../lib/env";
import { PrismaClient } from "../lib/generated/prisma/client";
import { seedDatabase } from "../prisma/seed-data";
import { type EmbeddedDatabase, startEmbeddedPostgres, stopOrphanedPostgres } from "./embedded-postgres";
import { EMBEDDED_DATABASE_ENV_FILE, LOCAL_DATA_DIR } from "./local-data";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const dataDir = LOCAL_DATA_DIR;
const postgresDir = path.join(dataDir, "postgres");

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => a !== "--dev" && a !== "--rebuild");
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(" ")}. Usage: tsx scripts/start.ts [--dev] [--rebuild]`);
  process.exit(2);
}
const devMode = args.has("--dev");

function log(message: string) {
  console.log(`[start] ${message}`);
}

// Same files Next reads; variables already in the environment win.
for (const file of [".env.local", ".env"]) {
  if (fs.existsSync(path.join(root, file))) {
    process.loadEnvFile(path.join(root, file));
  }
}

/** `host` as it goes in a URL (IPv6 in brackets). */
function inUrl(host: string) {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

const WILDCARDS = ["0.0.0.0", "::"];

/** Where a browser on this machine reaches a server listening on `host`: all interfaces include loopback. */
function browserHost(host: string) {
  return host === "127.0.0.1" || WILDCARDS.includes(host) ? "localhost" : inUrl(host);
}

/** An address of `host` to connect to, for the readiness probe. */
function probeHost(host: string) {
  return WILDCARDS.includes(host) ? "127.0.0.1" : inUrl(host);
}

const appPort = Number(process.env.PORT ?? 3000);
// This machine only unless told otherwise: the local outbox hands a sign-in link to whoever can read it.
// Node listens on an IPv6 address written without brackets.
const appHost = process.env.HOST?.trim().replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
const loopbackOnly = isLoopbackHost(appHost);
const dbPort = Number(process.env.EMBEDDED_DB_PORT ?? 5433);
const appUrl = process.env.APP_URL ?? `http://${browserHost(appHost)}:${appPort}`;

// ---------------------------------------------------------------------------------------------
// Child processes and shutdown

let database: EmbeddedDatabase | undefined;
let app: ChildProcess | undefined;
let current: ChildProcess | undefined;
let shuttingDown = false;

function waitForExit(child: ChildProcess, ms: number) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return resolve();
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The app first, then the database it talks to. */
async function shutdown(code: number) {
  if (shuttingDown) {
    return;
  }
  shuttingDown = true;
  for (const child of [app, current]) {
    if (child) {
      child.kill("SIGTERM");
      await waitForExit(child, 10_000);
    }
  }
  await database?.stop();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0));
}

/** Runs a command to completion; output goes to the terminal unless `quiet`, then only on failure. */
function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv, quiet = false) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: quiet ? "pipe" : "inherit" });
    current = child;
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      current = undefined;
      if (code === 0) {
        resolve();
      } else {
        reject(
          new Error(
            `${path.basename(command)} ${commandArgs.join(" ")} failed (${signal ?? `exit ${code}`})\n${output}`,
          ),
        );
      }
    });
  });
}

function portIsFree(port: number, host = "127.0.0.1") {
  return new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host }, () => server.close(() => resolve(true)));
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, alive: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) {
      throw new Error(`${what} exited before it was ready`);
    }
    if (await probe()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

// ---------------------------------------------------------------------------------------------
// Embedded database

/** The database's password, made on first use and kept beside its data (loopback only, but not guessable). */
function databasePassword() {
  const file = path.join(dataDir, "postgres-password");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function startEmbeddedDatabase() {
  if (fs.existsSync(path.join(dataDir, "pglite"))) {
    log(
      "Note: .data/pglite holds the data of the earlier PGlite database; it is no longer used and is left as it was.",
    );
  }
  // A server a killed run left over this folder holds the port: stop it before judging the port taken.
  await stopOrphanedPostgres(postgresDir);
  if (!(await portIsFree(dbPort))) {
    throw new Error(`Port ${dbPort} for the embedded database is in use. Set EMBEDDED_DB_PORT to a free port.`);
  }
  log(`Starting the embedded PostgreSQL in ${path.relative(root, postgresDir) || postgresDir} on port ${dbPort}...`);
  const tail: string[] = [];
  database = await startEmbeddedPostgres({
    dataDir: postgresDir,
    port: dbPort,
    password: databasePassword(),
    database: "catalog",
    onLog: (line) => tail.splice(0, Math.max(0, tail.push(line) - 20)),
  }).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : error}\n${tail.join("\n")}`, { cause: error });
  });
  // Scripts run beside the app (token, worker, seed, migrations) read it from here.
  fs.writeFileSync(EMBEDDED_DATABASE_ENV_FILE, `DATABASE_URL=${database.url}\n`, { mode: 0o600 });
  return database.url;
}

/** `prisma migrate deploy` takes seconds even when there is nothing to do. */
async function migrationsPending(databaseUrl: string) {
  const local = fs
    .readdirSync(path.join(root, "prisma", "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      `select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return local.some((name) => !applied.has(name));
  } catch {
    return true; // no migrations table yet
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Build staleness: rebuild when any file the build reads is newer than the last build.

/** Next's build folder; NEXT_DIST_DIR lets two checkouts' test runs build side by side. */
const distDir = process.env.NEXT_DIST_DIR ?? ".next";

const NOT_BUILD_INPUTS = new Set([
  "node_modules",
  ".git",
  ".data",
  ".ci",
  "tests",
  "scripts",
  "prisma", // the schema reaches the build through lib/generated
  "test-results",
  "playwright-report",
  "next-env.d.ts", // rewritten by next dev and next build themselves
  "playwright.config.ts",
  "playwright.embedded.config.ts",
  "vitest.config.mts",
  "knip.config.ts",
]);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (
      NOT_BUILD_INPUTS.has(name) ||
      name.startsWith(".next") || // build folders, this run's NEXT_DIST_DIR and any other
      name.endsWith(".md") ||
      name.startsWith(".env") ||
      name.endsWith(".tsbuildinfo")
    ) {
      continue;
    }
    const full = path.join(dir, name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) {
    return "no build yet";
  }
  return newestMtime(root) > fs.statSync(buildId).mtimeMs ? "sources changed since the last build" : undefined;
}

// ---------------------------------------------------------------------------------------------

function authSecret() {
  if (process.env.AUTH_SECRET) {
    return process.env.AUTH_SECRET;
  }
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** Host and database of DATABASE_URL, without credentials. */
function describeDatabase(url: string) {
  const { host, pathname } = new URL(url);
  return `PostgreSQL at ${host}${pathname}`;
}

async function main() {
  if (!(await portIsFree(appPort, appHost))) {
    throw new Error(
      `Port ${appPort} on ${appHost} is in use or not an address of this machine. Stop what runs there, or set PORT (or HOST).`,
    );
  }

  const embedded = !process.env.DATABASE_URL;
  const databaseUrl = embedded ? await startEmbeddedDatabase() : process.env.DATABASE_URL!;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BULKOPS_EMBEDDED: "1",
    APP_URL: appUrl,
    AUTH_SECRET: authSecret(),
    PORT: String(appPort),
    // Tells the app whether only this machine can connect, which decides who may read the outbox.
    BULKOPS_LISTEN_HOST: appHost,
    // A local tool should not phone home; set it to 0 to opt back in.
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
  };

  if (await migrationsPending(databaseUrl)) {
    log("Applying database migrations...");
    await run(bin("prisma"), ["migrate", "deploy"], env, true);
  } else {
    log("Database schema is up to date.");
  }

  const demo = process.env.SEED_DEMO !== "0";
  log(`Seeding reference data${demo ? " and demo data" : ""}...`);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    await seedDatabase(db, { demo });
  } finally {
    await db.$disconnect();
  }

  if (devMode) {
    log("Starting next dev...");
    app = spawn(bin("next"), ["dev", "--hostname", appHost, "--port", String(appPort)], {
      cwd: root,
      env,
      stdio: "inherit",
    });
  } else {
    const stale = args.has("--rebuild") ? "--rebuild" : buildIsStale();
    if (stale) {
      log(`Building the app (${stale}); this takes a few minutes on a small machine...`);
      await run(bin("next"), ["build"], env);
    }
    log("Starting next start...");
    app = spawn(bin("next"), ["start", "--hostname", appHost, "--port", String(appPort)], {
      cwd: root,
      env,
      stdio: "inherit",
    });
  }
  const server = app;
  server.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`[start] The app stopped (${signal ?? `exit ${code}`}).`);
      void shutdown(code || 1);
    }
  });

  await waitFor(
    "The app",
    async () => {
      try {
        await fetch(`http://${probeHost(appHost)}:${appPort}/`, {
          redirect: "manual",
          signal: AbortSignal.timeout(60_000),
        });
        return true;
      } catch {
        return false;
      }
    },
    300_000,
    () => server.exitCode === null,
  );

  const outbox = !env.RESEND_API_KEY;
  const signIn = outbox
    ? loopbackOnly
      ? `enter the address at ${appUrl}/signin, then open the magic link from the local outbox at ${appUrl}/outbox`
      : `enter the address at ${appUrl}/signin. The outbox, where sign-in links land without RESEND_API_KEY, is for signed-in staff only while other machines can connect: set RESEND_API_KEY (or OIDC_*) to sign in from elsewhere`
    : `enter the address at ${appUrl}/signin and follow the emailed link`;
  console.log(
    [
      "",
      `  Catalog bulk operations is running at ${appUrl}`,
      loopbackOnly
        ? `  Listening on ${appHost}, port ${appPort}: only this machine can connect (set HOST to listen elsewhere).`
        : `  Listening on ${appHost}, port ${appPort}: other machines can connect${process.env.APP_URL ? "" : "; set APP_URL to the URL they use, as sign-in links point there"}.`,
      `  Sign in as admin@example.com: ${signIn}.`,
      `  Database: ${embedded ? `embedded PostgreSQL in ${path.relative(root, postgresDir) || postgresDir} (port ${dbPort})` : describeDatabase(databaseUrl)}. Stop with Ctrl-C.`,
      "",
    ].join("\n"),
  );
}

main().catch((error) => {
  if (!shuttingDown) {
    console.error(`[start] ${error instanceof Error ? error.message : error}`);
    void shutdown(1);
  }
});
