import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { QUERY_CANCELED, querySignal } from "@/lib/query-signal";

type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * A connection that cancels its running query in PostgreSQL when the request it runs for is aborted (see
 * lib/query-signal.ts). The protocol cannot cancel on the busy connection itself, so a second, short-lived
 * one sends `pg_cancel_backend`. The query's outcome is handed back only after that, so by the time the
 * cancel lands this connection cannot have moved on to another caller's query.
 */
class CancellableClient extends pg.Client {
  private readonly connectionString: string | undefined;

  constructor(config: pg.ClientConfig = {}) {
    super(config);
    this.connectionString = config.connectionString;
  }

  async cancelRunningQuery() {
    const canceller = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5_000 });
    canceller.on("error", () => undefined);
    try {
      await canceller.connect();
      await canceller.query("SELECT pg_cancel_backend($1)", [(this as unknown as { processID: number }).processID]);
    } catch {
      // Best effort: the statement timeout still ends the query.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }
}

const plainQuery = pg.Client.prototype.query;

// pg calls `query` as query(config[, values][, callback]) (pg-pool with a callback, Prisma's adapter without),
// so the override wraps whichever way the outcome is delivered.
CancellableClient.prototype.query = function cancellableQuery(this: CancellableClient, ...args: unknown[]) {
  const signal = querySignal();
  const callback = typeof args.at(-1) === "function" ? (args.at(-1) as QueryCallback) : undefined;
  if (!signal || typeof (args[0] as { submit?: unknown })?.submit === "function") {
    return plainQuery.apply(this, args as never);
  }
  if (signal.aborted) {
    const error = Object.assign(new Error("canceling statement: the request was aborted"), {
      code: QUERY_CANCELED,
      severity: "ERROR",
    });
    if (callback) {
      process.nextTick(callback, error);
      return undefined;
    }
    return Promise.reject(error);
  }
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = this.cancelRunningQuery();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  const settled = async () => {
    signal.removeEventListener("abort", onAbort);
    await cancelling;
  };
  if (callback) {
    const wrapped: QueryCallback = (error, result) => void settled().then(() => callback(error, result));
    return plainQuery.apply(this, [...args.slice(0, -1), wrapped] as never);
  }
  return (plainQuery.apply(this, args as never) as unknown as Promise<unknown>).then(
    async (result) => {
      await settled();
      return result;
    },
    async (error: unknown) => {
      await settled();
      throw error;
    },
  );
} as typeof plainQuery;

function createClient() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set (the embedded default sets it; see README.md)");
  }
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      max: 10,
      // Every statement of a page or API request ends within this bound (a 503, not a query running on). Jobs
      // share this client for statements far below it; storing and reading back a whole file's rows and the
      // large chunk transactions run on lib/sql/sql-pool.ts, which has no such limit.
      statement_timeout: env().DATABASE_STATEMENT_TIMEOUT_MS,
      Client: CancellableClient,
    }),
  });
}

// One client per process, surviving Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { db?: PrismaClient };
export const db = globalForDb.db ?? (globalForDb.db = createClient());
