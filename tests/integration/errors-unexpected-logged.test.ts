import { afterEach, describe, expect, it, vi } from "vitest";

import { toErrorResponse } from "@/lib/errors";

afterEach(() => {
  vi.restoreAllMocks();
});

/** What toErrorResponse wrote to the console, one argument list per call. */
function captureConsole() {
  const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  return () => [...error.mock.calls, ...log.mock.calls];
}

describe("an unexpected error in a route", () => {
  it("is answered with a generic 500 and logged as one JSON line with its name, message and stack", async () => {
    const calls = captureConsole();
    const cause = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" });
    const error = new RangeError("Offset 12 is outside the file", { cause });

    const response = toErrorResponse(error);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: "INTERNAL", message: "Something went wrong on our side; the error was logged." },
    });
    const written = calls();
    expect(written).toHaveLength(1);
    expect(written[0]).toHaveLength(1);
    expect(typeof written[0][0]).toBe("string");
    const line = JSON.parse(written[0][0] as string);
    expect(line).toMatchObject({
      level: "error",
      message: "unexpected error",
      error: {
        name: "RangeError",
        message: "Offset 12 is outside the file",
        cause: { name: "Error", code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.1:5432" },
      },
    });
    expect(line.error.stack).toMatch(/^\s*at .*errors-unexpected-logged\.test\.ts/);
    expect(line.time).toEqual(expect.any(String));
  });

  it("logs a long message cut short, and a thrown non-error as its text", () => {
    const calls = captureConsole();

    toErrorResponse(new Error(`Invalid invocation: ${"x".repeat(5_000)}`));
    toErrorResponse("a thrown string");

    const [first, second] = calls().map(([line]) => JSON.parse(line as string));
    expect(first.error.message.length).toBeLessThanOrEqual(500);
    expect(second.error).toEqual({ name: "string", message: "a thrown string" });
  });
});
