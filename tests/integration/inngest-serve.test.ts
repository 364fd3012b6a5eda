import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function inngestRoute(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(env)) {
    vi.stubEnv(name, value);
  }
  vi.resetModules();
  return import("@/app/api/inngest/route");
}

const invoke = () =>
  new Request("http://localhost:3000/api/inngest?fnId=catalog-bulk-operations-process-bulk-operation&stepId=step", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      event: { name: "bulk/operation.requested", data: { operationId: "x", phase: "start", attempt: 0 } },
      events: [],
      steps: {},
      ctx: { run_id: "r", attempt: 0 },
    }),
  });

describe("/api/inngest", () => {
  it("refuses a call without Inngest's signature when a signing key is configured", async () => {
    const { POST } = await inngestRoute({
      INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      INNGEST_EVENT_KEY: "test-event-key",
      INNGEST_DEV: undefined,
    });
    const response = await POST(invoke() as never, undefined as never);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "Unauthorized" });
  });

  it("lets the same unsigned call through to the function with the local dev server (no signing key)", async () => {
    const { POST } = await inngestRoute({
      INNGEST_SIGNING_KEY: undefined,
      INNGEST_EVENT_KEY: undefined,
      INNGEST_DEV: "1",
    });
    const response = await POST(invoke() as never, undefined as never);
    expect(response.status).not.toBe(401);
  });
});
