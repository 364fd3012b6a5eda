import { describe, expect, it } from "vitest";

import { classifyJobError, JOB_ATTEMPTS, JOB_RETRIES } from "@/lib/bulk/runner/retry-policy";
import { Prisma } from "@/lib/generated/prisma/client";

const clientVersion = "6.19.3";

/** A Prisma error as the pg driver adapter reports a PostgreSQL error. */
function prismaError(code: string, sqlState?: string) {
  return new Prisma.PrismaClientKnownRequestError(`Prisma error ${code}`, {
    code,
    clientVersion,
    meta: sqlState ? { driverAdapterError: { cause: { originalCode: sqlState } } } : undefined,
  });
}

/** An error as pg itself throws it, with its SQLSTATE. */
function pgError(sqlState: string, message = "database error") {
  return Object.assign(new Error(message), { code: sqlState });
}

describe("the retry policy", () => {
  it("gives both backends the same attempts: the first plus the retries", () => {
    expect(JOB_ATTEMPTS).toBe(4);
    expect(JOB_RETRIES).toBe(JOB_ATTEMPTS - 1);
  });

  it.each([
    ["connection refused", pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432")],
    ["connection closed by the server", new Error("Connection terminated unexpectedly")],
    ["Prisma cannot reach the database", prismaError("P1001")],
    ["the connection pool timed out", prismaError("P2024")],
  ])("calls %s an outage: waited out, not a spent attempt", (_, error) => {
    expect(classifyJobError(error)).toBe("outage");
  });

  it.each([
    ["a statement timeout (57014)", pgError("57014", "canceling statement due to statement timeout")],
    ["a deadlock (40P01)", prismaError("P2010", "40P01")],
    ["a serialization failure (40001)", pgError("40001")],
    ["a lock not available (55P03)", pgError("55P03")],
    ["too many connections (53300)", pgError("53300")],
    ["an expired interactive transaction", prismaError("P2028")],
    ["a Prisma operation timeout", prismaError("P1008")],
    [
      "an unreachable mail API",
      new TypeError("fetch failed", { cause: pgError("ENOTFOUND", "getaddrinfo ENOTFOUND") }),
    ],
    ["a timeout of another service", new Error("Request timed out after 30000 ms")],
    ["an error nobody classified", new Error("something odd happened")],
    ["a thrown string", "oops"],
  ])("calls %s transient: retried", (_, error) => {
    expect(classifyJobError(error)).toBe("transient");
  });

  it.each([
    ["a missing operation (findUniqueOrThrow)", prismaError("P2025")],
    ["a unique violation isolation could not handle (23505)", prismaError("P2002", "23505")],
    ["a data exception from raw SQL (22P02)", pgError("22P02", "invalid input syntax for type uuid")],
    ["an undefined column (42703)", pgError("42703", 'column "x" does not exist')],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'timeout')")],
    ["a ReferenceError", new ReferenceError("x is not defined")],
    ["a SyntaxError", new SyntaxError("Unexpected token < in JSON")],
    ["an invalid Prisma query", new Prisma.PrismaClientValidationError("Unknown argument `foo`", { clientVersion })],
  ])("calls %s permanent: not retried", (_, error) => {
    expect(classifyJobError(error)).toBe("permanent");
  });
});
