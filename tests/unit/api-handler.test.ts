import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { apiHandler, readJsonBody, withBufferedBody } from "@/lib/api-handler";
import { AppError } from "@/lib/errors";

import { chunkedRequest, countingBody } from "../fixtures/counting-body";

const context = { params: Promise.resolve({}) };
const KB = 1024;
const MB = 1024 * KB;
/** What a limited reader may pull past its limit: the chunk that crossed it, and one in flight. */
const SLACK = 2 * 64 * KB;
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

  it("refuses a chunked body (no Content-Length) once more than the limit has arrived, reading no further", async () => {
    const body = countingBody({ totalBytes: 50 * MB, prefix: '{"a":"' });
    const echo = apiHandler(async (request) => Response.json(await readJsonBody(request)));
    const response = await echo(
      chunkedRequest("http://app.example/api/things", { headers: { host: "app.example" }, body: body.stream }),
      context,
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(body.pulledBytes()).toBeLessThanOrEqual(MB + SLACK);
  });

  it("gives the handler a body limited to the route's maxBodyBytes, however the handler reads it", async () => {
    const handler = apiHandler(async (request) => new Response(await request.arrayBuffer()), {
      maxBodyBytes: 100 * KB,
    });
    const small = countingBody({ totalBytes: 90 * KB });
    const accepted = await handler(chunkedRequest("http://app.example/x", { body: small.stream }), context);
    expect(accepted.status).toBe(200);
    expect((await accepted.arrayBuffer()).byteLength).toBe(90 * KB);

    const large = countingBody({ totalBytes: 50 * MB });
    const refused = await handler(chunkedRequest("http://app.example/x", { body: large.stream }), context);
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.message).toMatch(/larger than 100 KB/);
    expect(large.pulledBytes()).toBeLessThanOrEqual(100 * KB + SLACK);
  });

  it("marks every response it returns as not to be stored by caches", async () => {
    expect((await ok(new Request("http://app.example/x"), context)).headers.get("cache-control")).toBe("no-store");
    const failing = apiHandler(async () => {
      throw new AppError("NOT_FOUND", { userMessage: "No such thing" });
    });
    expect((await failing(new Request("http://app.example/x"), context)).headers.get("cache-control")).toBe("no-store");
  });

  it("answers 404 for an `id` parameter that is not a UUID, and for any parameter holding a NUL, before the handler runs", async () => {
    let calls = 0;
    const handler = apiHandler<{ id?: string; key?: string }>(async () => {
      calls++;
      return Response.json({ ok: true });
    });
    const call = (params: { id?: string; key?: string }) =>
      handler(new Request("http://app.example/x"), { params: Promise.resolve(params) });
    for (const id of ["%zz", "not-a-uuid", "00000000-0000-4000-8000-00000000000", "\0", "%"]) {
      expect((await call({ id })).status, id).toBe(404);
    }
    expect((await call({ key: "edX+\0" })).status).toBe(404);
    expect(calls).toBe(0);
    expect((await call({ id: "00000000-0000-4000-8000-000000000000" })).status).toBe(200);
    expect((await call({ key: "edX+DemoX" })).status).toBe(200);
  });
});

describe("withBufferedBody (handlers that parse the body themselves, as Auth.js does)", () => {
  const echoForm = withBufferedBody(async (request) => Response.json(Object.fromEntries(await request.formData())), {
    maxBodyBytes: 8 * KB,
  });
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("hands a small form to the handler whole", async () => {
    const response = await echoForm(
      new Request("http://app.example/api/auth/signin/email", {
        method: "POST",
        headers: form,
        body: "email=a%40b.example",
      }),
    );
    expect(await response.json()).toEqual({ email: "a@b.example" });
  });

  it("answers 413 to a chunked body past the limit after reading about the limit, without calling the handler", async () => {
    const body = countingBody({ totalBytes: 50 * MB, prefix: "email=" });
    const response = await echoForm(
      chunkedRequest("http://app.example/api/auth/signin/email", { headers: form, body: body.stream }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(body.pulledBytes()).toBeLessThanOrEqual(8 * KB + SLACK);
  });

  it("refuses a declared Content-Length over the limit unread", async () => {
    const response = await echoForm(
      new Request("http://app.example/api/auth/signin/email", {
        method: "POST",
        headers: { ...form, "content-length": String(MB) },
        body: "email=x",
      }),
    );
    expect(response.status).toBe(413);
  });
});
