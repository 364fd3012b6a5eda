import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";

import { requeueStalledOperations } from "@/inngest/functions/requeue-stalled-operations";
import { STALLED_AFTER_MINUTES } from "@/lib/bulk/runner/find-stalled-operations";
import { db } from "@/lib/db";

import { courseCreateCsv } from "../fixtures/course-create-csv";
import { createTestOrg, createTestUser } from "../fixtures/factories";
import { actingUser, upload } from "../fixtures/operations";

describe("the watchdog", () => {
  it("re-sends the event of an operation whose heartbeat stopped, and leaves live and finished ones alone", async () => {
    const organization = await createTestOrg();
    const user = await actingUser((await createTestUser({ isStaff: true })).id);
    const { csv } = courseCreateCsv({ organization: organization.key, rows: 1 });
    const longAgo = new Date(Date.now() - (STALLED_AFTER_MINUTES + 1) * 60_000);
    const [stalled, confirmed, live, finished] = await Promise.all(
      [1, 2, 3, 4].map(() => upload({ user, type: "course_create", csv })),
    );
    await db.bulkOperation.update({ where: { id: stalled.id }, data: { status: "processing", heartbeatAt: longAgo } });
    await db.bulkOperation.update({
      where: { id: confirmed.id },
      data: { status: "processing", heartbeatAt: longAgo, confirmedAt: longAgo },
    });
    await db.bulkOperation.update({ where: { id: live.id }, data: { status: "processing", heartbeatAt: new Date() } });
    await db.bulkOperation.update({ where: { id: finished.id }, data: { status: "completed", heartbeatAt: longAgo } });

    // Sending to Inngest is the one thing that leaves the machine, so only that step is mocked.
    const { ctx, result } = await new InngestTestEngine({
      function: requeueStalledOperations,
      steps: [{ id: "requeue", handler: () => ({ ids: [] }) }],
    }).execute();

    const sent = (
      ctx.step.sendEvent as unknown as {
        mock: { calls: [string, { data: { operationId: string; phase: string } }[]][] };
      }
    ).mock.calls;
    expect(sent).toHaveLength(1);
    const requeued = new Map(sent[0][1].map((e) => [e.data.operationId, e.data.phase]));
    expect(requeued.get(stalled.id)).toBe("start");
    expect(requeued.get(confirmed.id)).toBe("confirm");
    expect(requeued.has(live.id)).toBe(false);
    expect(requeued.has(finished.id)).toBe(false);
    expect(result).toEqual({ requeued: requeued.size });
  });
});
