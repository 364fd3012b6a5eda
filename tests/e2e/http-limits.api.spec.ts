import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";

import { expect, test } from "@playwright/test";

import { apiTokenFor, bearer } from "./fixtures/api-token";

// Over real HTTP: chunked bodies (no Content-Length) larger than a route accepts are refused while they
// stream in, so the client has sent little more than the limit (plus what the sockets buffer) when the
// answer arrives; and malformed paths and query strings are client errors, never a 500.

const MB = 1024 * 1024;
/** What localhost sockets may hold between the client's writes and the server's reads. */
const SOCKET_BUFFERS = 16 * MB;
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

type Answer = { status: number; body: string; sentBytes: number };

/**
 * Sends up to `totalBytes` as a chunked body, as fast as the server takes it, and stops writing when the
 * answer arrives: `sentBytes` is how much the server had let in by then.
 */
function sendChunked(
  path: string,
  {
    method = "POST",
    headers = {},
    prefix = "",
    totalBytes,
  }: { method?: string; headers?: Record<string, string>; prefix?: string; totalBytes: number },
): Promise<Answer> {
  const url = new URL(path, `http://localhost:${process.env.E2E_PORT}`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(
      url,
      { method, headers: { ...headers, "transfer-encoding": "chunked" } },
      (response) => {
        answered = true;
        const sentBytes = sent;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => (body += text));
        response.on("end", () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, body, sentBytes });
        });
      },
    );
    request.on("error", (error) => {
      if (!answered) {
        reject(
          new Error(`${method} ${path}: the connection failed before an answer (${error.message}) after ${sent} bytes`),
        );
      }
    });
    const filler = Buffer.alloc(64 * 1024, "a");
    const write = () => {
      while (!answered && sent < totalBytes) {
        const piece = sent === 0 && prefix ? Buffer.from(prefix) : filler;
        sent += piece.length;
        if (!request.write(piece)) {
          request.once("drain", write);
          return;
        }
      }
      if (!answered) {
        request.end();
      }
    };
    write();
  });
}

/** Resident memory of the server process listening on the test port (Linux: ss and /proc). */
function serverRssBytes() {
  const listening = execFileSync("ss", ["-ltnpH", `sport = :${process.env.E2E_PORT}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) {
    throw new Error(`No process found listening on port ${process.env.E2E_PORT}: ${listening}`);
  }
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
}

test.describe("chunked bodies past the limit", () => {
  test("Auth.js's endpoints refuse an anonymous one after a few KB (413)", async () => {
    const answer = await sendChunked("/api/auth/signin/email", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      prefix: "email=",
      totalBytes: 200 * MB,
    });
    expect(answer.status, answer.body).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(answer.sentBytes).toBeLessThan(SOCKET_BUFFERS);
  });

  test("the users API refuses a member unread (403) and stops reading staff's at 1 MB (413)", async () => {
    const json = { "content-type": "application/json" };
    const member = await sendChunked(`/api/users/${NO_SUCH_ID}`, {
      method: "PATCH",
      headers: { ...json, ...bearer(apiTokenFor("coordinator@example.com")) },
      prefix: '{"name":"',
      totalBytes: 200 * MB,
    });
    expect(member.status, member.body).toBe(403);
    expect(member.sentBytes).toBeLessThan(SOCKET_BUFFERS);

    const staff = await sendChunked("/api/users", {
      headers: { ...json, ...bearer(apiTokenFor("admin@example.com")) },
      prefix: '{"name":"',
      totalBytes: 200 * MB,
    });
    expect(staff.status, staff.body).toBe(413);
    expect(staff.sentBytes).toBeLessThan(MB + SOCKET_BUFFERS);
  });

  test("an upload is refused once more than MAX_UPLOAD_BYTES (50 MB) plus the multipart allowance has arrived", async () => {
    const boundary = "----chunked-upload";
    const answer = await sendChunked("/api/bulk-operations", {
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        ...bearer(apiTokenFor("coordinator@example.com")),
      },
      prefix:
        `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\ncourse_create\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      totalBytes: 300 * MB,
    });
    expect(answer.status, answer.body).toBe(413);
    expect(JSON.parse(answer.body).error.message).toMatch(/50\.0 MB/);
    expect(answer.sentBytes).toBeLessThan(50 * MB + 64 * 1024 + SOCKET_BUFFERS);
  });

  test("a server action past serverActions.bodySizeLimit (1 MB) is a 413, and the server holds at most a few MB of it", async ({
    request,
  }) => {
    // The sign-in form's action, as the page renders it for browsers without JavaScript.
    const page = await (await request.get("/signin")).text();
    const actionId = /name="\$ACTION_ID_([0-9a-f]+)"/.exec(page)?.[1];
    expect(actionId, "the sign-in page renders its server action's id").toBeTruthy();
    const boundary = "----chunked-action";
    const before = serverRssBytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, serverRssBytes())), 50);
    const answer = await sendChunked("/signin", {
      headers: {
        "next-action": actionId!,
        accept: "text/x-component",
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      prefix: `--${boundary}\r\nContent-Disposition: form-data; name="1_email"\r\n\r\n`,
      totalBytes: 200 * MB,
    }).finally(() => clearInterval(sampler));
    expect(answer.status, answer.body.slice(0, 300)).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    // Next passes page requests through proxy.ts with their body buffered up to proxyClientMaxBodySize
    // (2 MB) and reads the rest to the end, discarding it, before the proxy's answer goes out: all 200 MB
    // are sent, none is kept.
    test.info().annotations.push({
      type: "server memory",
      description: `RSS ${Math.round(before / MB)} MB before, peak ${Math.round(peak / MB)} MB while 200 MB streamed in`,
    });
    expect(peak - before).toBeLessThan(100 * MB);
  });
});

test.describe("malformed paths and query strings", () => {
  test("are a 400 or 404, never a 500; well-formed escapes still work", async ({ request }) => {
    const headers = bearer(apiTokenFor("admin@example.com"));
    const paths = [
      "/api/courses/%25",
      "/api/courses/%E0%A4%A",
      "/api/courses/%E0%A4",
      "/api/courses/edX%2B%00",
      "/api/course-runs/%25",
      "/api/course-runs/%E0%A4%A",
      "/api/bulk-operations/%zz",
      "/api/bulk-operations/%00",
      "/api/bulk-operations/not-a-uuid",
      "/api/bulk-operations/not-a-uuid/errors.csv",
      "/api/bulk-operations/%25/file",
      "/api/bulk-operations/%E0%A4%A/rows",
      "/api/bulk-operations/templates/%zz",
      "/api/users/%zz",
      "/api/users/not-a-uuid",
      "/courses/%zz",
      "/bulk-operations/%E0%A4%A",
    ];
    const statuses = [];
    for (const path of paths) {
      statuses.push([path, (await request.get(path, { headers })).status()]);
    }
    expect(statuses.filter(([, status]) => status !== 400 && status !== 404)).toEqual([]);
    const answer = await request.get("/api/courses/%E0%A4%A", { headers });
    expect(await answer.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });

    for (const query of ["/api/courses?q=%00", "/api/bulk-operations?uploader=%00", "/api/users?q=%00"]) {
      expect((await request.get(query, { headers })).status(), query).toBe(400);
    }
    // URLSearchParams keeps a malformed escape as text.
    expect((await request.get("/api/users?q=%E0%A4%A", { headers })).status()).toBe(200);

    for (const method of ["POST", "PATCH"]) {
      const response = await request.fetch("/api/users/%zz", { method, headers, data: {} });
      expect(response.status(), `${method} /api/users/%zz`).toBeLessThan(500);
    }
    expect((await request.get("/api/courses/edX%2BDemoX", { headers })).status()).toBe(200);
    expect(
      (await request.get(`/api/course-runs/${encodeURIComponent("course-v1:edX+DemoX+1T2026")}`, { headers })).status(),
    ).toBe(200);
  });

  test("/api/inngest answers a JSON 404 while jobs run in-process", async ({ request }) => {
    for (const method of ["GET", "POST", "PUT"]) {
      const response = await request.fetch("/api/inngest", { method, data: method === "GET" ? undefined : {} });
      expect(response.status(), method).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });
});
