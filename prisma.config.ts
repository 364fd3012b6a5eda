import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

import "./scripts/embedded-database-env";

/**
 * Prisma 6.19's CLI runs offline only with the JavaScript schema engine over a driver adapter.
 * The pg adapter cannot decode Postgres' `name` type (oid 19, and its array 1003), which the
 * schema engine reads from the catalog (prisma/orm#27403), so migrations use a client that
 * reports those columns as text.
 */
const NAME_TO_TEXT: Record<number, number> = { 19: 25, 1003: 1009 };

function retypeNameColumns<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
      field.dataTypeID = NAME_TO_TEXT[field.dataTypeID] ?? field.dataTypeID;
    }
  }
  return result;
}

class CatalogTolerantClient extends pg.Client {
  // pg-pool calls query with a callback; Prisma's adapter awaits the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (err: Error | null, res: unknown) => last(err, err ? res : retypeNameColumns(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return out instanceof Promise ? out.then(retypeNameColumns) : out;
  }
}

/** Discrete pool fields: the adapter makes its shadow database by overriding `database`. */
function poolConfigFromUrl(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || undefined,
    Client: CatalogTolerantClient,
  };
}

// `prisma generate` (postinstall) only needs a well-formed URL; commands that connect use the real one: DATABASE_URL,
// else the embedded database `npm start` runs.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5433/catalog";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { seed: "tsx prisma/seed.ts" },
  adapter: async () => {
    return new PrismaPg(poolConfigFromUrl(process.env.DATABASE_URL!));
  },
});
