import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient } from "../lib/generated/prisma/client";
import "../scripts/embedded-database-env";
import { seedDatabase } from "./seed-data";

// CLI entry (`npm run db:seed`, `prisma db seed`); SEED_DEMO=0 seeds reference data only.
async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set");
  }
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  try {
    const demo = process.env.SEED_DEMO !== "0";
    await seedDatabase(db, { demo });
    console.log(`Seeded reference data${demo ? " and demo data" : ""}.`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
