import { ZodError } from "zod";

import { logger } from "@/lib/logger";
import { QUERY_CANCELED } from "@/lib/query-signal";

export type AppErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "INVALID_FILE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS";

const STATUS: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  INVALID_FILE: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
};

/** An error whose message is safe to show to the user. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: AppErrorCode, options: { userMessage: string; details?: unknown }) {
    super(options.userMessage);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.details = options.details;
  }
}

/** The one mapper route handlers use: known errors keep their message, the rest become a generic 500. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json(
      { error: { code: error.code, message: error.message, details: error.details } },
      { status: error.status },
    );
  }
  if (error instanceof ZodError) {
    return Response.json(
      {
        error: {
          code: "INVALID_REQUEST",
          message: error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "),
          details: error.issues,
        },
      },
      { status: 422 },
    );
  }
  if (isQueryCanceled(error)) {
    return Response.json(
      {
        error: {
          code: "DATABASE_TIMEOUT",
          message: "The database took too long to answer; try again, or narrow the search or filters.",
        },
      },
      { status: 503 },
    );
  }
  if (isPrismaNotFound(error)) {
    return Response.json({ error: { code: "NOT_FOUND", message: "Not found" } }, { status: 404 });
  }
  logger.error("unexpected error", { error: describeError(error) });
  return Response.json(
    { error: { code: "INTERNAL", message: "Something went wrong on our side; the error was logged." } },
    { status: 500 },
  );
}

/** The longest message logged: Prisma's validation messages repeat the call's arguments, row data included. */
const MAX_LOGGED_MESSAGE = 500;

/**
 * An unexpected error as log fields: name, code, message (capped) and the stack's frames (without its
 * first line, which repeats the message), with the same for its cause. It never sees the request, so no
 * header or body can be logged.
 */
function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { name: typeof error, message: String(error).slice(0, MAX_LOGGED_MESSAGE) };
  }
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    message: error.message.slice(0, MAX_LOGGED_MESSAGE),
    stack: error.stack
      ?.split("\n")
      .filter((line) => line.trimStart().startsWith("at "))
      .join("\n"),
    ...(error.cause !== undefined && depth < 2 ? { cause: describeError(error.cause, depth + 1) } : {}),
  };
}

/**
 * The SQLSTATE of a database error, as pg reports it or as Prisma wraps it (its driver adapter error, or
 * P2010's meta for raw SQL); undefined for anything else.
 */
export function databaseCode(error: unknown): string | undefined {
  const e = error as {
    code?: string;
    meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string } } };
  } | null;
  return (
    e?.meta?.driverAdapterError?.cause?.originalCode ??
    e?.meta?.code ??
    (/^\d{2}[0-9A-Z]{3}$/.test(e?.code ?? "") ? e?.code : undefined)
  );
}

/** Postgres data exceptions (22xxx) and integrity violations (23xxx) are about the rows, not the server. */
export function isDataError(error: unknown): boolean {
  const sqlState = databaseCode(error);
  return sqlState !== undefined && (sqlState.startsWith("22") || sqlState.startsWith("23"));
}

/**
 * A statement PostgreSQL cancelled (SQLSTATE 57014): it ran past the statement timeout, or its request was
 * abandoned. pg reports the code itself; Prisma wraps it in a driver adapter error, or in P2010 for raw SQL.
 */
function isQueryCanceled(error: unknown) {
  const e = error as {
    code?: unknown;
    cause?: { originalCode?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  } | null;
  return (
    e?.code === QUERY_CANCELED ||
    e?.cause?.originalCode === QUERY_CANCELED ||
    e?.meta?.driverAdapterError?.cause?.originalCode === QUERY_CANCELED
  );
}

function isPrismaNotFound(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2025";
}
