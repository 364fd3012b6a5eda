import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient } from "@/lib/generated/prisma/client";

function createClient() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set (the embedded default sets it; see README.md)");
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

// One client per process, surviving Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { db?: PrismaClient };
export const db = globalForDb.db ?? (globalForDb.db = createClient());

export type Db = PrismaClient;
