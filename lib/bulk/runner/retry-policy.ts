import { databaseCode, isDataError } from "@/lib/errors";

// How a failed job is retried, for both backends: the in-process runner reads it directly, the Inngest
// function turns it into `retries` and NonRetriableError.

/** Retries after a job's first failed attempt, on either backend (Inngest's `retries`). */
export const JOB_RETRIES = 3;
/** Attempts in all before the operation is marked errored. */
export const JOB_ATTEMPTS = 1 + JOB_RETRIES;

/**
 * - `outage`: the database is away; the in-process runner waits it out without spending an attempt.
 * - `transient`: another attempt may succeed (timeouts, deadlocks, and anything not known to be permanent).
 * - `permanent`: another attempt would fail the same way (a bug, a data error row isolation could not
 *   handle, a missing operation); the operation is marked errored at once.
 */
export type JobErrorKind = "outage" | "transient" | "permanent";

export function classifyJobError(error: unknown): JobErrorKind {
  if (isDatabaseUnreachable(error)) {
    return "outage";
  }
  if (causes(error).some(isTransient)) {
    return "transient";
  }
  return isPermanent(error) ? "permanent" : "transient";
}

/** Connection refused, reset or closed, pool timeouts: the database is away, not the data wrong. */
function isDatabaseUnreachable(error: unknown) {
  const code = (error as { code?: string } | null)?.code;
  return (
    ["P1001", "P1002", "P1017", "P2024"].includes(code ?? "") ||
    /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|connection (is )?closed|DatabaseNotReachable|Can't reach database|Closed the connection|server closed the connection/i.test(
      String(error),
    )
  );
}

// Prisma: operation timed out, transaction expired or closed, write conflict or deadlock.
const TRANSIENT_PRISMA_CODES = ["P1008", "P2028", "P2034"];
// SQLSTATE classes 08 (connection), 40 (rollback: serialization, deadlock), 53 (insufficient resources),
// 57 (cancelled by timeout, shutdown), and 55P03 (lock not available).
const TRANSIENT_SQLSTATE = /^(08|40|53|57)|^55P03$/;

function isTransient(error: unknown) {
  const code = (error as { code?: unknown } | null)?.code;
  const sqlState = databaseCode(error);
  return (
    (typeof code === "string" && TRANSIENT_PRISMA_CODES.includes(code)) ||
    (sqlState !== undefined && TRANSIENT_SQLSTATE.test(sqlState)) ||
    /ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET/.test(String(error)) ||
    // fetch (Resend, Inngest) reports an unreachable host as TypeError("fetch failed").
    (error instanceof TypeError && error.message === "fetch failed") ||
    // A bug's message may well mention a timeout ("reading 'timeout'") without being one.
    (!isBug(error) && /timed out|timeout/i.test(String(error)))
  );
}

function isPermanent(error: unknown) {
  const code = (error as { code?: unknown } | null)?.code;
  const sqlState = databaseCode(error);
  return (
    // findUniqueOrThrow on an operation that no longer exists.
    code === "P2025" ||
    isDataError(error) ||
    // 42xxx: a statement that does not fit the schema (syntax, undefined column or table).
    sqlState?.startsWith("42") === true ||
    isBug(error)
  );
}

function isBug(error: unknown) {
  return (
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    (error instanceof Error && error.name === "PrismaClientValidationError")
  );
}

/** The error and the causes it wraps (a few levels: enough for fetch and the driver adapter). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 4; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}
