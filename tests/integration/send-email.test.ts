import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { createElement } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { db } from "@/lib/db";
import {
  BulkOperationFinishedEmail,
  bulkOperationFinishedSubject,
  type BulkOperationFinishedEmailProps,
} from "@/lib/email/templates/bulk-operation-finished";
import { MagicLinkEmail } from "@/lib/email/templates/magic-link";

// lib/env.ts parses the environment once per module instance, so each mode gets fresh modules.
async function loadSendEmail(vars: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(vars)) {
    vi.stubEnv(name, value);
  }
  vi.resetModules();
  return (await import("@/lib/email/send")).sendEmail;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

function magicLink() {
  const url = `http://localhost:3000/api/auth/callback/email?token=${randomUUID()}&email=a%40example.test`;
  return { url, react: createElement(MagicLinkEmail, { url, host: "localhost:3000" }) };
}

describe("sendEmail without RESEND_API_KEY (local outbox)", () => {
  it("stores the rendered HTML and text", async () => {
    const sendEmail = await loadSendEmail({ RESEND_API_KEY: undefined });
    const to = `outbox-${randomUUID()}@example.test`;
    const { url, react } = magicLink();

    const { id } = await sendEmail({ to, subject: "Sign in to localhost:3000", react });

    const stored = await db.emailMessage.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ to, subject: "Sign in to localhost:3000", idempotencyKey: null });
    expect(stored.html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
    expect(stored.text).toContain(url);
  });

  it("stores an email once per idempotency key", async () => {
    const sendEmail = await loadSendEmail({ RESEND_API_KEY: undefined });
    const to = `outbox-${randomUUID()}@example.test`;
    const idempotencyKey = `test-${randomUUID()}`;

    const first = await sendEmail({ to, subject: "Once", react: magicLink().react, idempotencyKey });
    const second = await sendEmail({ to, subject: "Once", react: magicLink().react, idempotencyKey });

    expect(second.id).toBe(first.id);
    expect(await db.emailMessage.count({ where: { to } })).toBe(1);
  });
});

type Captured = { method?: string; url?: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };

describe("sendEmail with RESEND_API_KEY (Resend API)", () => {
  let server: Server;
  let baseUrl: string;
  const captured: Captured[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: { id: "re_email_1" } };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      req.on("end", () => {
        captured.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw || "{}") });
        res.writeHead(reply.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  afterEach(() => {
    captured.length = 0;
    reply = { status: 200, body: { id: "re_email_1" } };
  });

  it("posts the rendered email to Resend with the idempotency key and stores nothing locally", async () => {
    const sendEmail = await loadSendEmail({
      RESEND_API_KEY: "re_test_dummy",
      RESEND_BASE_URL: baseUrl,
      EMAIL_FROM: "Bulk Ops <bulk@example.test>",
    });
    const to = `resend-${randomUUID()}@example.test`;
    const { url, react } = magicLink();

    const result = await sendEmail({ to, subject: "Sign in to localhost:3000", react, idempotencyKey: "magic-1" });

    expect(result).toEqual({ id: "re_email_1" });
    expect(captured).toHaveLength(1);
    const [request] = captured;
    expect(request).toMatchObject({ method: "POST", url: "/emails" });
    expect(request.headers.authorization).toBe("Bearer re_test_dummy");
    expect(request.headers["idempotency-key"]).toBe("magic-1");
    expect(request.body).toMatchObject({
      from: "Bulk Ops <bulk@example.test>",
      to,
      subject: "Sign in to localhost:3000",
    });
    expect(request.body.html).toContain(`href="${url.replace(/&/g, "&amp;")}"`);
    expect(request.body.text).toContain(url);
    expect(await db.emailMessage.count({ where: { to } })).toBe(0);
  });

  it("fails when Resend rejects the email", async () => {
    const sendEmail = await loadSendEmail({ RESEND_API_KEY: "re_test_dummy", RESEND_BASE_URL: baseUrl });
    reply = { status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } };

    await expect(sendEmail({ to: "not-an-address", subject: "x", react: magicLink().react })).rejects.toThrow(
      /validation_error: Invalid `to` field/,
    );
  });
});

describe("bulk operation finished email", () => {
  const props: BulkOperationFinishedEmailProps = {
    operationLabel: "Course Creation",
    fileName: "courses.csv",
    status: "partially_completed",
    counts: { total: 200, created: 190, updated: 0, unchanged: 5, failed: 5 },
    topErrors: [{ code: "MISSING_ORGANIZATION", count: 5, example: "Row 3, organization: no organization “Nope”" }],
    operationUrl: "http://localhost:3000/bulk-operations/op-1",
    errorsUrl: "http://localhost:3000/api/bulk-operations/op-1/errors.csv",
  };

  it("summarises the counts in its subject", () => {
    expect(bulkOperationFinishedSubject(props)).toBe("Course Creation: 195 of 200 rows succeeded (courses.csv)");
    expect(bulkOperationFinishedSubject({ ...props, status: "failed", counts: { ...props.counts, total: 0 } })).toBe(
      "Course Creation: the file was rejected (courses.csv)",
    );
  });

  it("renders status, counts, top errors and both links", async () => {
    const sendEmail = await loadSendEmail({ RESEND_API_KEY: undefined });
    const to = `finished-${randomUUID()}@example.test`;

    const { id } = await sendEmail({
      to,
      subject: bulkOperationFinishedSubject(props),
      react: createElement(BulkOperationFinishedEmail, props),
    });

    const { html, text } = await db.emailMessage.findUniqueOrThrow({ where: { id } });
    expect(html).toContain("Partially completed");
    expect(html).toContain('href="http://localhost:3000/bulk-operations/op-1"');
    expect(html).toContain('href="http://localhost:3000/api/bulk-operations/op-1/errors.csv"');
    expect(text).toContain("MISSING_ORGANIZATION");
    expect(text).toContain("Failed: 5");
    expect(text).toContain("courses.csv");
  });
});
