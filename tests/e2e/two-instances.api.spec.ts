import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { resetDatabase } from "../../scripts/reset-database";
import { freePort, waitFor } from "../fixtures/wait";
import { bearer } from "./fixtures/api-token";

// Runs as many stateless instances (issue 5): two `next start` processes of the e2e build share one
// database; one is SIGKILLed while processing an operation it claimed, and the survivor finishes
// everything with no row lost or duplicated. Also: a production start with a bad variable refuses to run.

const root = path.resolve(__dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const run = promisify(execFile);

/** `closed`: the exit status, once the process has exited and its output is fully read. */
type Instance = {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: string[];
  closed: Promise<number | null>;
};
const instances: Instance[] = [];

/** Node runs Next's CLI itself (no wrapper process), so SIGKILL hits the server that holds the leases. */
function startNext(name: string, port: number, env: NodeJS.ProcessEnv): Instance {
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  // Whole lines only, so that a JSON log line split across two chunks still parses.
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let partial = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      output.push(...lines.filter(Boolean));
      output.splice(0, Math.max(0, output.length - 2_000));
    });
    stream?.on("end", () => partial && output.push(partial));
  };
  collect(child.stdout);
  collect(child.stderr);
  const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const instance = { name, port, url: `http://127.0.0.1:${port}`, child, output, closed };
  instances.push(instance);
  return instance;
}

async function kill(instance: Instance) {
  instance.child.kill("SIGKILL");
  await instance.closed;
}

/** JSON log lines of an instance (lib/logger.ts), parsed. */
function logEvents(instance: Instance) {
  return instance.output.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

// eslint-disable-next-line no-empty-pattern -- Playwright passes test info second, after the (unused) fixtures.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const instance of instances) {
      await testInfo.attach(`instance ${instance.name} output`, {
        body: instance.output.join("\n"),
        contentType: "text/plain",
      });
    }
  }
});

test.afterAll(async () => {
  await Promise.all(instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).map(kill));
});

test.describe("a production start", () => {
  test("exits with a non-zero status naming a missing AUTH_SECRET", async () => {
    test.setTimeout(90_000);
    const port = await freePort();
    // A clean environment: nothing inherited may make it embedded or complete.
    const server = startNext("misconfigured", port, {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      APP_URL: `http://127.0.0.1:${port}`,
      RESEND_API_KEY: "re_test",
      EMAIL_FROM: "Catalog <bulk@example.org>",
    });
    const code = await Promise.race([
      server.closed,
      new Promise<"running">((r) => setTimeout(() => r("running"), 60_000)),
    ]);
    const output = server.output.join("\n");
    expect(code, `the server kept running:\n${output}`).not.toBe("running");
    expect(code).not.toBe(0);
    // Only the missing variable is named: the others given are well-formed.
    expect(output).toMatch(/Invalid environment configuration for production .*: AUTH_SECRET$/m);
    expect(output).toMatch(/AUTH_SECRET is required in production/);
  });
});

test.describe("two instances sharing one database", () => {
  test.describe.configure({ mode: "serial" });

  const OPERATIONS = 6;
  const ROWS = 4_000;
  let databaseUrl: string;
  let db: pg.Client;
  let token: string;
  let first: Instance;
  let second: Instance;

  test.beforeAll(async () => {
    test.setTimeout(5 * 60_000);
    const url = new URL(process.env.E2E_DATABASE_URL!);
    url.pathname = `${url.pathname}_scale`;
    databaseUrl = url.href;
    await resetDatabase(databaseUrl);
    const env = { ...process.env, DATABASE_URL: databaseUrl };
    await run(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env });
    await run(path.join(root, "node_modules/.bin/tsx"), ["prisma/seed.ts"], { cwd: root, env });
    token = (
      await run(
        path.join(root, "node_modules/.bin/tsx"),
        ["--tsconfig", "tsconfig.scripts.json", "scripts/token.ts", "admin@example.com"],
        { cwd: root, env },
      )
    ).stdout.trim();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();

    const [portA, portB] = [await freePort(), await freePort()];
    const instanceEnv = (port: number): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      BULKOPS_EMBEDDED: "1",
      AUTH_SECRET: "x",
      APP_URL: `http://127.0.0.1:${port}`,
      JOB_LEASE_SECONDS: "3",
      // All operations come from one user, queued at once.
      MAX_ACTIVE_OPERATIONS_PER_USER: "20",
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "info",
    });
    first = startNext("A", portA, instanceEnv(portA));
    second = startNext("B", portB, instanceEnv(portB));
    for (const instance of [first, second]) {
      await expect
        .poll(
          async () => {
            if (instance.child.exitCode !== null) {
              throw new Error(`instance ${instance.name} exited:\n${instance.output.join("\n")}`);
            }
            return (await fetch(`${instance.url}/api/health`).catch(() => null))?.status;
          },
          { timeout: 90_000, intervals: [250] },
        )
        .toBe(200);
    }
  });

  test.afterAll(async () => {
    await db?.end();
  });

  test("each instance reports itself healthy, running jobs in-process", async ({ request }) => {
    for (const instance of [first, second]) {
      const response = await request.get(`${instance.url}/api/health`);
      expect(response.status()).toBe(200);
      expect(response.headers()["cache-control"]).toBe("no-store");
      expect(await response.json()).toMatchObject({
        status: "ok",
        checks: {
          database: { ok: true },
          migrations: { ok: true },
          jobs: { ok: true, backend: "in-process", started: true },
        },
      });
    }
  });

  test("a killed instance's operation is finished by the other, with no row lost or duplicated", async ({
    request,
  }) => {
    test.setTimeout(5 * 60_000);
    const uploads: { id: string; prefix: string }[] = [];
    for (let n = 0; n < OPERATIONS; n++) {
      const prefix = `SC${randomBytes(4).toString("hex").toUpperCase()}N${n}`;
      const target = n % 2 === 0 ? first : second;
      const response = await request.post(`${target.url}/api/bulk-operations`, {
        headers: bearer(token),
        multipart: {
          type: "course_create",
          file: { name: `${prefix}.csv`, mimeType: "text/csv", buffer: Buffer.from(courseCsv(prefix, ROWS)) },
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      uploads.push({ id: (await response.json()).id, prefix });
    }

    // Wait until A holds the lease of an operation it is applying, then kill it on the spot.
    const claimPrefix = `${hostname()}-${first.child.pid}-`;
    const victim = await waitFor(
      "instance A to be processing an operation it claimed",
      async () => {
        const { rows } = await db.query<{ id: string; processedRows: number; totalRows: number }>(
          `SELECT "id", "processedRows", "totalRows" FROM "BulkOperation" WHERE "status" = 'processing' AND "processedRows" < "totalRows" AND "claimedBy" LIKE $1 || '%' AND "id" = ANY($2) LIMIT 1`,
          [claimPrefix, uploads.map((u) => u.id)],
        );
        return rows[0];
      },
      120_000,
    );
    await kill(first);
    expect(victim.processedRows).toBeLessThan(ROWS);
    expect((await fetch(`${first.url}/api/health`).catch(() => null)) ?? null).toBeNull();

    // Everything finishes through B once A's lease lapses.
    await expect
      .poll(
        async () => {
          const statuses = await Promise.all(
            uploads.map(
              async ({ id }) =>
                (
                  await (
                    await request.get(`${second.url}/api/bulk-operations/${id}`, { headers: bearer(token) })
                  ).json()
                ).status,
            ),
          );
          return statuses.every((s) => /^(completed|partially_completed|failed|errored|cancelled)$/.test(s));
        },
        { timeout: 4 * 60_000, intervals: [500] },
      )
      .toBe(true);

    for (const { id, prefix } of uploads) {
      const operation = await (
        await request.get(`${second.url}/api/bulk-operations/${id}`, { headers: bearer(token) })
      ).json();
      expect(operation, `operation ${id}${id === victim.id ? " (taken over from A)" : ""}`).toMatchObject({
        status: "completed",
        totalRows: ROWS,
        processedRows: ROWS,
        createdCount: ROWS,
        failedCount: 0,
      });
      const courses = await (
        await request.get(`${second.url}/api/courses?q=${prefix}&pageSize=1`, { headers: bearer(token) })
      ).json();
      expect(courses.total, `courses of ${prefix}`).toBe(ROWS);
      const { rows } = await db.query<{ runs: number; seats: number; emails: number }>(
        `SELECT
           (SELECT count(*)::int FROM "CourseRun" r JOIN "Course" c ON c."id" = r."courseId" WHERE c."key" LIKE 'edX+' || $1 || '-%') AS runs,
           (SELECT count(*)::int FROM "Seat" s JOIN "CourseRun" r ON r."id" = s."runId" JOIN "Course" c ON c."id" = r."courseId" WHERE c."key" LIKE 'edX+' || $1 || '-%') AS seats,
           (SELECT count(*)::int FROM "EmailMessage" WHERE "idempotencyKey" = 'bulk-operation-finished-' || $2) AS emails`,
        [prefix, id],
      );
      expect(rows[0], `runs, seats and summary emails of ${prefix}`).toEqual({
        runs: ROWS,
        seats: 2 * ROWS,
        emails: 1,
      });
    }

    const health = await request.get(`${second.url}/api/health`);
    expect(health.status()).toBe(200);

    // The survivor's structured log tells the story of the operation it took over.
    expect(logEvents(first).filter((e) => e.operationId === victim.id)).toContainEqual(
      expect.objectContaining({
        level: "info",
        message: "operation validated",
        stage: "validation",
        rows: ROWS,
        durationMs: expect.any(Number),
      }),
    );
    expect(logEvents(second).filter((e) => e.operationId === victim.id)).toContainEqual(
      expect.objectContaining({
        level: "info",
        message: "operation finished",
        stage: "finish",
        status: "completed",
        rows: ROWS,
        durationMs: expect.any(Number),
      }),
    );
  });
});

function courseCsv(prefix: string, rows: number) {
  const lines = [
    "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
  ];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `edX,Scale ${prefix} ${i},${prefix}-${i},Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-03-01,25`,
    );
  }
  return lines.join("\n") + "\n";
}
