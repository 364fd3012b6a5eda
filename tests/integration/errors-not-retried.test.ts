import { randomUUID } from "node:crypto";

import { InngestTestEngine } from "@inngest/test";
import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";

import { processBulkOperation } from "@/inngest/functions/process-bulk-operation";
import { JOB_RETRIES } from "@/lib/bulk/runner/retry-policy";

describe("the Inngest function and the retry policy", () => {
  it("retries as often as the in-process runner", () => {
    expect(processBulkOperation.opts.retries).toBe(JOB_RETRIES);
  });

  it("tells Inngest not to retry a permanent error: an operation that does not exist", async () => {
    const engine = new InngestTestEngine({ function: processBulkOperation });
    const { error } = await engine.execute({
      events: [{ name: "bulk/operation.requested", data: { operationId: randomUUID(), phase: "start", attempt: 0 } }],
    });
    // Serialized as Inngest sends it: the SDK and the server go by the name.
    expect(error).toMatchObject({ name: NonRetriableError.name, cause: { code: "P2025" } });
  });
});
