import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { apiHandler, readJsonBody } from "@/lib/api-handler";
import { AppError } from "@/lib/errors";

const context = { params: Promise.resolve({}) };
const ok = apiHandler(async () => Response.json({ ok: true }));

function post(headers: Record<string, string>, body = "{}") {
  return new Request("http://app.example/api/things", {
    method: "POST",
    headers: { host: "app.example", ...headers },
    body,
  });
}

describe("apiHandler", () => {
  it("refuses cookie-authenticated mutations from another origin", async () => {
    const crossOrigin: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossOrigin) {
      const response = await ok(post(headers), context);
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toMatch(/Cross-origin/);
    }
  });

  it("lets same-origin, originless (scripts) and Bearer-token mutations through", async () => {
    expect((await ok(post({ origin: "http://app.example" }), context)).status).toBe(200);
    expect((await ok(post({}), context)).status).toBe(200);
    expect((await ok(post({ origin: "https://evil.example", authorization: "Bearer cbo_x" }), context)).status).toBe(
      200,
    );
  });

  it("refuses an oversized body before reading it", async () => {
    const response = await ok(post({ "content-length": String(2 * 1024 * 1024) }), context);
    expect(response.status).toBe(413);
  });

  it("maps known errors to their status and hides unknown ones behind a generic 500", async () => {
    const notFound = apiHandler(async () => {
      throw new AppError("NOT_FOUND", { userMessage: "No such thing" });
    });
    expect(await (await notFound(new Request("http://app.example/x"), context)).json()).toEqual({
      error: { code: "NOT_FOUND", message: "No such thing" },
    });
    const invalid = apiHandler(async () => Response.json(z.object({ page: z.number() }).parse({ page: "x" })));
    expect((await invalid(new Request("http://app.example/x"), context)).status).toBe(422);

    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = apiHandler(async () => {
      throw new Error("secret connection string leaked");
    });
    const response = await broken(new Request("http://app.example/x"), context);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("secret");
    consoleError.mockRestore();
  });

  it("reads a JSON body within its limit and names the problem otherwise", async () => {
    await expect(readJsonBody(post({}, '{"a":1}'))).resolves.toEqual({ a: 1 });
    await expect(readJsonBody(post({}, "{not json"))).rejects.toThrow(/not valid JSON/);
    await expect(readJsonBody(post({}, JSON.stringify({ a: "x".repeat(100) })), 50)).rejects.toThrow(
      /larger than 50 bytes/,
    );
  });
});
