import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "../../lib/generated/prisma/client";
import { seedDatabase } from "../../prisma/seed-data";
import { startEmbeddedPostgres } from "../embedded-postgres";
import { resetDatabase } from "../reset-database";

export interface BenchDatabase {
  url: string;
  /** What the figures were measured on, for the report. */
  label: string;
  stop(): Promise<void>;
}

/**
 * A fresh, migrated and seeded database: on PostgreSQL, the named database dropped and recreated;
 * embedded, the embedded PostgreSQL on a free port over a new temporary data folder.
 */
export async function prepareDatabase(options: {
  root: string;
  embedded: boolean;
  url: string;
}): Promise<BenchDatabase> {
  const database = options.embedded ? await startEmbedded() : await resetPostgres(options.url);
  try {
    await migrateAndSeed(options.root, database.url);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

/** A second fresh, migrated and seeded database on the server of `url`, named after it with `_<suffix>`. */
export async function prepareSiblingDatabase(options: { root: string; url: string; suffix: string }) {
  const url = new URL(options.url);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_${options.suffix}`;
  await resetDatabase(url.href);
  await migrateAndSeed(options.root, url.href);
  return url.href;
}

async function migrateAndSeed(root: string, url: string) {
  migrate(root, url);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    await seedDatabase(db);
  } finally {
    await db.$disconnect();
  }
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

export function migrate(root: string, url: string) {
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

/** The embedded default as `npm start` runs it: its own PostgreSQL over a new temporary data folder. */
async function startEmbedded(): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bulkops-bench-embedded-"));
  const port = await freePort();
  const database = await startEmbeddedPostgres({ dataDir, port, password: "bench", database: "catalog" });
  const stop = async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: database.url, label: `embedded PostgreSQL (the embedded default, port ${port})`, stop };
}
