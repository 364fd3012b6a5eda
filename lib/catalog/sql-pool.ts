import "server-only";

import pg from "pg";

import type { RawSql } from "./tables";

/**
 * A small pg pool beside Prisma's, for the bulk pipeline's statements that are not part of a Prisma
 * transaction and carry megabytes: storing a file's rows, reading the stored file. Through Prisma a
 * parameter is copied through its query compiler, which costs more than the statement itself at that
 * size, and a `bytea` comes back as an array of numbers.
 */
// Prisma stores `DateTime` as `timestamp(3)` in UTC; pg would read it in the process's time zone.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

const globalForPool = globalThis as unknown as { bulkSqlPool?: pg.Pool };

export function sqlPool(): pg.Pool {
  if (!globalForPool.bulkSqlPool) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set (the embedded default sets it; see README.md)");
    }
    // Idle connections close quickly and never keep a script or test process alive.
    const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 5_000, allowExitOnIdle: true, types });
    pool.on("error", () => undefined);
    globalForPool.bulkSqlPool = pool;
  }
  return globalForPool.bulkSqlPool;
}

/**
 * Runs `work` in a transaction on one pooled connection. Besides atomicity, this keeps each statement
 * whole on the embedded database: pglite-server interleaves the protocol messages of concurrent
 * connections unless one of them is inside a transaction, and a large parameter arrives in many pieces.
 */
export async function inTransaction<T>(work: (sql: RawSql, client: pg.PoolClient) => PromiseLike<T>): Promise<T> {
  const client = await sqlPool().connect();
  // A connection lost between statements surfaces on the next one as "not queryable"; report the
  // loss itself, so that callers see the database went away rather than a failed statement.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(sqlOn(client), client);
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

/** Raw statements on one pg connection (a pool or a checked-out client), in the shape of Prisma's raw API. */
export function sqlOn(client: pg.Pool | pg.PoolClient): RawSql {
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await client.query(query, values)).rowCount ?? 0;
    },
  };
}

/**
 * One `bytea` value, read over a short-lived connection in binary mode: as text it would arrive as
 * hex, a string twice the size of the bytes (a 50 MB upload would briefly hold 150 MB).
 */
export async function readBytes(query: string, values: unknown[]): Promise<Buffer | null> {
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL,
    // Binary results (pg supports it; its types omit the option) hand bytes over as Buffers.
    ...{ binary: true },
    types: { getTypeParser: ((oid: number) => (oid === pg.types.builtins.BYTEA ? (value: Buffer) => value : String)) as never },
  });
  await client.connect();
  try {
    // A transaction keeps the statement whole on the embedded database (see `inTransaction`).
    await client.query("BEGIN");
    const { rows } = await client.query<Record<string, Buffer | null>>(query, values);
    await client.query("COMMIT");
    return rows.length > 0 ? Object.values(rows[0])[0] : null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

