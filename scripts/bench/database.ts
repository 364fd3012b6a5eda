import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "../../lib/generated/prisma/client";
import { seedDatabase } from "../../prisma/seed-data";
import { resetDatabase } from "../reset-database";

export interface BenchDatabase {
  url: string;
  /** What the figures were measured on, for the report. */
  label: string;
  stop(): Promise<void>;
}

/**
 * A fresh, migrated and seeded database: on PostgreSQL, the named database dropped and recreated;
 * embedded, a pglite-server on a free port over a new temporary data folder (PGlite has one database).
 */
export async function prepareDatabase(options: {
  root: string;
  embedded: boolean;
  url: string;
}): Promise<BenchDatabase> {
  const database = options.embedded ? await startPglite(options.root) : await resetPostgres(options.url);
  try {
    migrate(options.root, database.url);
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
    try {
      await seedDatabase(db);
    } finally {
      await db.$disconnect();
    }
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

async function resetPostgres(url: string): Promise<BenchDatabase> {
  await resetDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  await client.end();
  return {
    url,
    label: `PostgreSQL ${rows[0].server_version} (${new URL(url).pathname.slice(1)})`,
    stop: async () => {},
  };
}

function migrate(root: string, url: string) {
  try {
    execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`prisma migrate deploy failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The embedded default as `npm start` runs it: pglite-server with concurrent connections. */
async function startPglite(root: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bulkops-bench-pglite-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(root, "node_modules", ".bin", "pglite-server"),
      `--db=${dataDir}`,
      `--port=${port}`,
      "--max-connections=24",
    ],
    { cwd: root, stdio: "ignore" },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      child.kill("SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pglite-server exited (code ${child.exitCode}) before accepting connections`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error("pglite-server did not accept connections within 120 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { url, label: `pglite-server (embedded default, port ${port})`, stop };
}
