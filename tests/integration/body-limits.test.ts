import { afterEach, describe, expect, it, vi } from "vitest";

import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { createApiToken } from "@/lib/auth/api-tokens";

import { chunkedRequest, countingBody } from "../fixtures/counting-body";
import { createTestOrg, createTestUser } from "../fixtures/factories";

// Chunked bodies (no Content-Length) larger than the route accepts: the route answers 413, or 403 when the
// caller may not use it at all, after pulling about its limit from the body at most, never the whole body.

const KB = 1024;
const MB = 1024 * KB;
/** What a limited reader may pull past its limit: the chunk that crossed it, and one in flight. */
const SLACK = 2 * 64 * KB;
const noParams = { params: Promise.resolve({} as Record<string, never>) };

async function tokens() {
  const organization = await createTestOrg();
  const staff = await createTestUser({ isStaff: true });
  const member = await createTestUser({ memberships: [{ organization }] });
  return {
    staff: (await createApiToken({ userId: staff.id, name: "test" })).token,
    member: (await createApiToken({ userId: member.id, name: "test" })).token,
    memberId: member.id,
    organization,
  };
}

function hugeJson(token: string, method: string, url: string) {
  const body = countingBody({ totalBytes: 50 * MB, prefix: '{"name":"' });
  const request = chunkedRequest(url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body.stream,
  });
  return { request, pulledBytes: body.pulledBytes };
}

describe("users routes", () => {
  it("refuse a member before reading the body (403), and stop reading a staff member's at 1 MB (413)", async () => {
    const { staff, member, memberId } = await tokens();
    const idParams = { params: Promise.resolve({ id: memberId }) };

    const memberPatch = hugeJson(member, "PATCH", `http://localhost/api/users/${memberId}`);
    expect((await userRoute.PATCH(memberPatch.request, idParams)).status).toBe(403);
    expect(memberPatch.pulledBytes()).toBe(0);

    const memberPost = hugeJson(member, "POST", "http://localhost/api/users");
    expect((await usersRoute.POST(memberPost.request, noParams)).status).toBe(403);
    expect(memberPost.pulledBytes()).toBe(0);

    const staffPatch = hugeJson(staff, "PATCH", `http://localhost/api/users/${memberId}`);
    const refused = await userRoute.PATCH(staffPatch.request, idParams);
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(staffPatch.pulledBytes()).toBeLessThanOrEqual(MB + SLACK);

    const staffPost = hugeJson(staff, "POST", "http://localhost/api/users");
    expect((await usersRoute.POST(staffPost.request, noParams)).status).toBe(413);
    expect(staffPost.pulledBytes()).toBeLessThanOrEqual(MB + SLACK);
  });
});

describe("POST /api/bulk-operations", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("stops reading a chunked upload at MAX_UPLOAD_BYTES plus the multipart allowance (413 naming the limit)", async () => {
    const { member } = await tokens();
    // lib/env.ts reads the environment once per module instance.
    vi.stubEnv("MAX_UPLOAD_BYTES", String(MB));
    vi.resetModules();
    const uploadRoute = await import("@/app/api/bulk-operations/route");

    const boundary = "----limit-test";
    const prefix =
      `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\ncourse_create\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const body = countingBody({ totalBytes: 50 * MB, prefix });
    const response = await uploadRoute.POST(
      chunkedRequest("http://localhost/api/bulk-operations", {
        headers: { authorization: `Bearer ${member}`, "content-type": `multipart/form-data; boundary=${boundary}` },
        body: body.stream,
      }),
      noParams,
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toMatch(/1\.0 MB/);
    expect(body.pulledBytes()).toBeLessThanOrEqual(MB + 64 * KB + SLACK);
  });
});
