import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, it } from "vitest";

import { PrismaClient } from "@/lib/generated/prisma/client";

import { seedDatabase } from "../../prisma/seed-data";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../scripts/embedded-postgres";
import { courseCreateCsv } from "../fixtures/course-create-csv";
import { freePort, waitFor } from "../fixtures/wait";

const root = path.resolve(__dirname, "../..");
const children: ChildProcess[] = [];

function stop(child: ChildProcess, signal: NodeJS.Signals) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return resolve();
    }
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

const databases: EmbeddedDatabase[] = [];

afterAll(async () => {
  for (const child of children) {
    await stop(child, "SIGKILL");
  }
  await Promise.all(databases.map((database) => database.stop()));
});

/** A PostgreSQL server this test can stop and start again over the same data folder. */
async function startDatabase(dataDir: string, port: number) {
  const database = await startEmbeddedPostgres({ dataDir, port, password: "outage" });
  databases.push(database);
  return database;
}

describe("the database going away during an operation", () => {
  it("is waited out: the operation resumes when the database is back and finishes with every row applied once", async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bulkops-outage-"));
    const database = await startDatabase(dataDir, port);
    const { url } = database;
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
    await waitFor("the database", () => client.$queryRawUnsafe("SELECT 1").then(() => true));
    execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "ignore",
    });
    await seedDatabase(client, { demo: false });
    const organization = await client.organization.create({
      data: { key: `Outage${port}`, name: "Outage University" },
    });
    const user = await client.user.create({ data: { email: `outage-${randomUUID()}@example.test`, isStaff: true } });

    const rows = 6_000;
    const { prefix, csv } = courseCreateCsv({ organization: organization.key, rows });
    const bytes = Buffer.from(csv);
    const { id } = await client.bulkOperation.create({
      data: {
        type: "course_create",
        uploaderId: user.id,
        fileName: "outage.csv",
        fileSize: bytes.length,
        fileChecksum: "test",
        fileBytes: bytes,
      },
    });

    const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
        JOB_LEASE_SECONDS: "2",
        LOG_LEVEL: "error",
      },
      stdio: "ignore",
    });
    children.push(worker);

    await waitFor("rows to be applied", async () => {
      const { processedRows, status } = await client.bulkOperation.findUniqueOrThrow({ where: { id } });
      return status === "processing" && processedRows > 0 && processedRows < rows;
    });
    await database.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await startDatabase(dataDir, port);

    const finished = await waitFor(
      "the operation to finish",
      async () => {
        const operation = await client.bulkOperation.findUniqueOrThrow({ where: { id } });
        return operation.emailSentAt ? operation : null;
      },
      120_000,
    );
    expect(finished).toMatchObject({ status: "completed", createdCount: rows, failedCount: 0, processedRows: rows });
    expect(await client.course.count({ where: { key: { startsWith: `${organization.key}+${prefix}-` } } })).toBe(rows);
    expect(
      await client.courseRun.count({ where: { course: { key: { startsWith: `${organization.key}+${prefix}-` } } } }),
    ).toBe(rows);
    await client.$disconnect();
    await stop(worker, "SIGTERM");
  }, 240_000);
});
