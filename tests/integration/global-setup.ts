import { execFileSync } from "node:child_process";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import type { TestProject } from "vitest/node";

import { PrismaClient } from "../../lib/generated/prisma/client";
import { seedDatabase } from "../../prisma/seed-data";
import { resetDatabase } from "../../scripts/reset-database";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
  }
}

/** A fresh, migrated and seeded database for this run; setup-env.ts hands its URL to the tests. */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const url = new URL(adminUrl);
  url.pathname = `/${process.env.TEST_DATABASE_NAME ?? "bulkops_test"}`;
  const databaseUrl = url.href;

  await resetDatabase(databaseUrl, adminUrl);
  const prisma = path.join(project.config.root, "node_modules", ".bin", "prisma");
  try {
    execFileSync(prisma, ["migrate", "deploy"], {
      cwd: project.config.root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer; stderr?: Buffer }).stdout?.toString() ?? "";
    throw new Error(`prisma migrate deploy failed:\n${output}${(error as { stderr?: Buffer }).stderr ?? ""}`, {
      cause: error,
    });
  }

  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    await seedDatabase(db);
  } finally {
    await db.$disconnect();
  }

  project.provide("databaseUrl", databaseUrl);
}
