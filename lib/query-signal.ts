import { AsyncLocalStorage } from "node:async_hooks";

/** PostgreSQL's SQLSTATE for a statement cancelled by a cancel request or by `statement_timeout`. */
export const QUERY_CANCELED = "57014";

// Kept apart from lib/db.ts so the HTTP layer can mark requests without creating a database client. One
// store per process, like the client itself: Next bundles this module into several entries (routes,
// instrumentation), and the client created by the first of them must see the signal set by any other.
const globalForSignal = globalThis as unknown as { requestSignal?: AsyncLocalStorage<AbortSignal> };
const requestSignal = (globalForSignal.requestSignal ??= new AsyncLocalStorage<AbortSignal>());

/**
 * Runs `work` so that every query it sends through `db` is cancelled in PostgreSQL as soon as `signal`
 * aborts (a GET whose client went away): the statement stops instead of running on for nobody.
 */
export function cancelQueriesOnAbort<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  // Awaited inside the context: a Prisma query is a lazy thenable that starts when awaited.
  return requestSignal.run(signal, async () => await work());
}

/** The abort signal of the request whose work is running here, if it asked for cancellation. */
export function querySignal(): AbortSignal | undefined {
  return requestSignal.getStore();
}
