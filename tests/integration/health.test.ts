import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, describe, expect, it } from "vitest";

import { GET } from "@/app/api/health/route";
import { validateEnvironment } from "@/lib/env";
import { checkHealth } from "@/lib/health/check-health";

import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../scripts/embedded-postgres";
import { freePort } from "../fixtures/wait";

const root = path.resolve(__dirname, "../..");
const databases: EmbeddedDatabase[] = [];
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

afterAll(async () => {
  await Promise.all(databases.map((database) => database.stop()));
  for (const socket of sockets) {
    socket.destroy();
  }
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * The database checks run with an Inngest configuration, so that the job check does not depend on an
 * in-process runner (which this test process does not start: it would take work from other test files).
 */
function environmentFor(databaseUrl: string) {
  const check = validateEnvironment({
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    INNGEST_EVENT_KEY: "evt",
    INNGEST_SIGNING_KEY: "signkey-test-00",
  });
  if (!check.ok) {
    throw new Error(JSON.stringify(check.problems));
  }
  return check.env;
}

/** A throwaway PostgreSQL server over `dataDir` (initialised on first use), on `port`. */
async function startDatabase(port: number, dataDir: string) {
  const database = await startEmbeddedPostgres({ dataDir, port, password: "health" });
  databases.push(database);
  return database;
}

async function migrate(databaseUrl: string) {
  await promisify(execFile)(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

describe("checkHealth", () => {
  it("is ok against the migrated test database", async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const report = await checkHealth({ environment: environmentFor(databaseUrl) });
    expect(report).toEqual({
      status: "ok",
      checks: {
        database: { ok: true, latencyMs: expect.any(Number) },
        migrations: { ok: true, expected: expect.any(Number), applied: expect.any(Number) },
        jobs: { ok: true, backend: "inngest", eventKey: true, signingKey: true, dev: false },
      },
    });
    expect(report.checks.migrations.expected).toBeGreaterThanOrEqual(3);
    expect(report.checks.migrations.applied).toBe(report.checks.migrations.expected);
  });

  it("is unavailable, naming the database, when nothing listens at DATABASE_URL", async () => {
    const databaseUrl = `postgresql://postgres:secret@127.0.0.1:${await freePort()}/catalog`;
    const report = await checkHealth({ environment: environmentFor(databaseUrl) });
    expect(report.status).toBe("unavailable");
    expect(report.reasons).toEqual(["database: unreachable (connection refused)"]);
    expect(report.checks.database.ok).toBe(false);
    expect(report.checks.migrations.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain("secret");
  });

  it("gives up after its timeout when the database accepts connections but never answers", async () => {
    const silent = net.createServer((socket) => {
      socket.on("error", () => undefined);
      sockets.push(socket);
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const started = Date.now();
    const report = await checkHealth({
      environment: environmentFor(`postgresql://postgres@127.0.0.1:${port}/catalog`),
      timeoutMs: 300,
    });
    expect(report.reasons).toEqual(["database: unreachable (no answer within 300 ms)"]);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("names a missing migrations folder and pending migrations", async () => {
    const environment = environmentFor(process.env.DATABASE_URL!);
    const missing = await checkHealth({ environment, migrationsDir: path.join(root, "no-such-folder") });
    expect(missing.reasons).toEqual([expect.stringMatching(/^migrations: .*folder is missing/)]);
    const ahead = await checkHealth({ environment, migrationsDir: path.join(root, "tests") });
    expect(ahead.status).toBe("unavailable");
    expect(ahead.reasons).toEqual([
      expect.stringMatching(/^migrations: \d+ not applied \(.*integration.*\): run `prisma migrate deploy`/),
    ]);
  });

  it("reports the job backend: Inngest needs its event key, the in-process runner must be running", async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const inProcess = validateEnvironment({ NODE_ENV: "test", DATABASE_URL: databaseUrl });
    const report = await checkHealth({ environment: inProcess.ok ? inProcess.env : undefined });
    // This test process never starts the runner; `next start` does in instrumentation.ts (see the e2e tests).
    expect(report.checks.jobs).toEqual({
      ok: false,
      backend: "in-process",
      started: false,
      activeOperations: 0,
      error: expect.any(String),
    });
    expect(report.reasons).toEqual(["jobs: the in-process job runner is not running"]);

    const dev = validateEnvironment({ NODE_ENV: "test", DATABASE_URL: databaseUrl, INNGEST_DEV: "1" });
    expect((await checkHealth({ environment: dev.ok ? dev.env : undefined })).checks.jobs).toMatchObject({
      ok: true,
      backend: "inngest",
      dev: true,
    });
  });
});

describe("GET /api/health", () => {
  it("answers 503 with its reasons, uncached, instead of failing", async () => {
    const response = await GET();
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ status: "unavailable", checks: { database: { ok: true }, migrations: { ok: true } } });
    expect(body.reasons).toEqual(["jobs: the in-process job runner is not running"]);
  });
});

describe("a database that goes away and comes back", () => {
  it("turns the health check from ok to unavailable (naming the database) and back", async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bulkops-health-"));
    let server = await startDatabase(port, dataDir);
    const environment = environmentFor(server.url);

    const fresh = await checkHealth({ environment });
    expect(fresh.status).toBe("unavailable");
    expect(fresh.reasons).toEqual([expect.stringMatching(/^migrations: \d+ not applied/)]);

    await migrate(server.url);
    expect(await checkHealth({ environment })).toMatchObject({ status: "ok" });

    await server.stop();
    const down = await checkHealth({ environment });
    expect(down.status).toBe("unavailable");
    expect(down.reasons).toEqual(["database: unreachable (connection refused)"]);

    // Same port and data: healthy again.
    server = await startDatabase(port, dataDir);
    expect(await checkHealth({ environment })).toMatchObject({
      status: "ok",
      checks: { database: { ok: true }, migrations: { ok: true } },
    });
    await server.stop();
  }, 180_000);
});
