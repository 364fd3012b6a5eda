import "server-only";

import pg from "pg";

import type { RawSql } from "./set-writes";

// A small pg pool beside Prisma's, for the bulk pipeline's statements that carry megabytes: storing an
// upload and its rows, reading the upload back, and the chunk transactions of the high-volume
// operations. Through Prisma every parameter and result is copied through its query compiler, which
// at that size costs more than the statements themselves, and a `bytea` arrives as an array of numbers.

// Prisma stores `DateTime` as `timestamp(3)` in UTC; pg would read it in the process's time zone.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

// The pipeline looks up thousands of keys per statement in tables that sit in memory or on SSD. At the
// default random_page_cost (4, for spinning disks) the planner reads all 100,000 courses instead of 2,500
// B-tree probes (58 ms against 10-22 ms per chunk); 1.1 is the usual setting for SSD-backed databases.
const options = "-c random_page_cost=1.1";

const globalForPool = globalThis as unknown as { bulkSqlPool?: pg.Pool };

function databaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set (the embedded default sets it; see README.md)");
  }
  return url;
}

export function sqlPool(): pg.Pool {
  if (!globalForPool.bulkSqlPool) {
    // Idle connections close quickly and never keep a script or test process alive.
    const pool = new pg.Pool({
      connectionString: databaseUrl(),
      max: 4,
      idleTimeoutMillis: 5_000,
      allowExitOnIdle: true,
      options,
      types,
    });
    pool.on("error", () => undefined);
    globalForPool.bulkSqlPool = pool;
  }
  return globalForPool.bulkSqlPool;
}

/**
 * Runs `work` in a transaction on one pooled connection. With `ownConnection`, a connection of its own, closed afterwards: pg keeps a connection's receive
 * buffer at the size of the largest message it got, so a statement that reads megabytes uses one.
 */
export async function inTransaction<T>(
  work: (sql: RawSql) => PromiseLike<T>,
  { ownConnection = false } = {},
): Promise<T> {
  const client = ownConnection ? await connectOwn() : await sqlPool().connect();
  // A connection lost between statements surfaces on the next one as "not queryable"; report the
  // loss itself, so that callers see the database went away rather than a failed statement.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(sqlOn(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw lost ?? error;
  } finally {
    client.off("error", onError);
    // A broken connection is closed instead of going back to the pool.
    client.release(lost);
  }
}

async function connectOwn(): Promise<pg.PoolClient> {
  const client = new pg.Client({ connectionString: databaseUrl(), options, types });
  await client.connect();
  return Object.assign(client, { release: () => void client.end().catch(() => undefined) });
}

/** Raw statements on a pg connection, in the shape of Prisma's raw API (see `RawSql`). */
export function sqlOn(client: pg.ClientBase): RawSql {
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rowCount ?? 0;
    },
  };
}
