// The one command: an embedded PostgreSQL (PGlite) unless DATABASE_URL is set, migrations, seed,
// a production build when the sources changed, then the app. `--dev` runs `next dev` instead;
// `--rebuild` forces `next build`.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "../lib/generated/prisma/client";
import { seedDatabase } from "../prisma/seed-data";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const dataDir = path.join(root, ".data");
const pgliteDir = path.join(dataDir, "pglite");
const pglitePidFile = path.join(dataDir, "pglite.pid");

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

const appPort = Number(process.env.PORT ?? 3000);
const dbPort = Number(process.env.EMBEDDED_DB_PORT ?? 5433);
const appUrl = process.env.APP_URL ?? `http://localhost:${appPort}`;

// ---------------------------------------------------------------------------------------------
// Child processes and shutdown

let pglite: ChildProcess | undefined;
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

/** The app first, then the database it talks to, so PGlite closes its files after the last query. */
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
  if (pglite) {
    pglite.kill("SIGTERM");
    await waitForExit(pglite, 15_000);
    fs.rmSync(pglitePidFile, { force: true });
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0));
}
// Last resort (an exception, process.exit elsewhere): never leave the detached database running.
process.on("exit", () => {
  if (pglite && pglite.exitCode === null) {
    pglite.kill("SIGTERM");
  }
});

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

function portIsFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1" }, () => server.close(() => resolve(true)));
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

/** A pglite-server left behind by a killed run still holds the data folder; stop it. */
async function stopOrphanedPglite() {
  if (!fs.existsSync(pglitePidFile)) {
    return;
  }
  const pid = Number(fs.readFileSync(pglitePidFile, "utf8"));
  fs.rmSync(pglitePidFile, { force: true });
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return;
  }
  if (!cmdline.includes("pglite-server") || !cmdline.includes(pgliteDir)) {
    return;
  }
  log(`Stopping the embedded database left running by an earlier run (pid ${pid}).`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && fs.existsSync(`/proc/${pid}`)) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startEmbeddedDatabase() {
  await stopOrphanedPglite();
  if (!(await portIsFree(dbPort))) {
    throw new Error(`Port ${dbPort} for the embedded database is in use. Set EMBEDDED_DB_PORT to a free port.`);
  }
  fs.mkdirSync(pgliteDir, { recursive: true });
  log(`Starting the embedded database (PGlite) in .data/pglite on port ${dbPort}...`);
  // Own process group: Ctrl-C reaches us, and we stop it only after the app has stopped. The app's
  // pool, build workers and migrations together open more than pglite's default single connection.
  const child = spawn(
    process.execPath,
    [bin("pglite-server"), `--db=${pgliteDir}`, `--port=${dbPort}`, "--max-connections=24"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  pglite = child;
  fs.writeFileSync(pglitePidFile, String(child.pid));
  // Its stdout logs every connection; keep the tail for error reports only.
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    tail.push(...chunk.toString().split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on("data", remember);
  child.stderr?.on("data", remember);
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`[start] The embedded database stopped (${signal ?? `exit ${code}`}):\n${tail.join("\n")}`);
      void shutdown(1);
    }
  });

  const url = `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`;
  await waitFor(
    "The embedded database",
    async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("select 1");
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => {});
      }
    },
    120_000,
    () => child.exitCode === null,
  );
  return url;
}

/** `prisma migrate deploy` takes seconds even when there is nothing to do (more on PGlite). */
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
  distDir,
  ".next",
  ".data",
  ".ci",
  "tests",
  "scripts",
  "prisma", // the schema reaches the build through lib/generated
  "test-results",
  "playwright-report",
  "next-env.d.ts", // rewritten by next dev and next build themselves
  "playwright.config.ts",
  "vitest.config.mts",
]);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (
      NOT_BUILD_INPUTS.has(name) ||
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
  if (!(await portIsFree(appPort))) {
    throw new Error(`Port ${appPort} is in use. Stop what runs there or set PORT to a free port.`);
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
    app = spawn(bin("next"), ["dev", "--port", String(appPort)], { cwd: root, env, stdio: "inherit" });
  } else {
    const stale = args.has("--rebuild") ? "--rebuild" : buildIsStale();
    if (stale) {
      log(`Building the app (${stale}); this takes a few minutes on a small machine...`);
      await run(bin("next"), ["build"], env);
    }
    log("Starting next start...");
    app = spawn(bin("next"), ["start", "--port", String(appPort)], { cwd: root, env, stdio: "inherit" });
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
        await fetch(`http://127.0.0.1:${appPort}/`, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
        return true;
      } catch {
        return false;
      }
    },
    300_000,
    () => server.exitCode === null,
  );

  console.log(
    [
      "",
      `  Catalog bulk operations is running at ${appUrl}`,
      `  Sign in as admin@example.com: enter the address at ${appUrl}/signin, then open the magic link from the local outbox at ${appUrl}/outbox`,
      `  Database: ${embedded ? `embedded PGlite in .data/pglite (port ${dbPort})` : describeDatabase(databaseUrl)}. Stop with Ctrl-C.`,
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
