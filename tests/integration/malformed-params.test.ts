import { afterEach, describe, expect, it, vi } from "vitest";

import * as cancelRoute from "@/app/api/bulk-operations/[id]/cancel/route";
import * as confirmRoute from "@/app/api/bulk-operations/[id]/confirm/route";
import * as errorsRoute from "@/app/api/bulk-operations/[id]/errors.csv/route";
import * as fileRoute from "@/app/api/bulk-operations/[id]/file/route";
import * as operationRoute from "@/app/api/bulk-operations/[id]/route";
import * as rowsRoute from "@/app/api/bulk-operations/[id]/rows/route";
import * as courseRunRoute from "@/app/api/course-runs/[key]/route";
import * as courseRoute from "@/app/api/courses/[keyOrUuid]/route";
import * as coursesRoute from "@/app/api/courses/route";
import * as userRoute from "@/app/api/users/[id]/route";
import { createApiToken } from "@/lib/auth/api-tokens";

import { createTestOrg, createTestUser } from "../fixtures/factories";

// Path parameters arrive decoded by Next: "/api/courses/%25" gives "%", and a malformed escape such as
// "%E0%A4%A" arrives as written. None of them may end in a 500; a value that names nothing is a 404.

const MALFORMED = ["%", "%E0%A4%A", "%zz", "\0", "edX+\0", "not-a-uuid", "00000000-0000-4000-8000-00000000000"];

async function staffToken() {
  const staff = await createTestUser({ isStaff: true, memberships: [{ organization: await createTestOrg() }] });
  return (await createApiToken({ userId: staff.id, name: "test" })).token;
}

function request(token: string, method = "GET", url = "http://localhost/api/x") {
  return new Request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: method === "GET" ? undefined : "{}",
  });
}

const params = <T>(value: T) => ({ params: Promise.resolve(value) });

describe("malformed path parameters", () => {
  it("are a 404 on the course and course-run routes, never a 500", async () => {
    const token = await staffToken();
    for (const value of MALFORMED) {
      const course = await courseRoute.GET(request(token), params({ keyOrUuid: value }));
      expect([course.status, JSON.stringify(value)]).toEqual([404, JSON.stringify(value)]);
      const run = await courseRunRoute.GET(request(token), params({ key: value }));
      expect([run.status, JSON.stringify(value)]).toEqual([404, JSON.stringify(value)]);
    }
  });

  it("are a 404 on every route taking an operation or user id, never a 500", async () => {
    const token = await staffToken();
    const routes = [
      ["GET /api/bulk-operations/{id}", operationRoute.GET, "GET"],
      ["GET /api/bulk-operations/{id}/rows", rowsRoute.GET, "GET"],
      ["GET /api/bulk-operations/{id}/errors.csv", errorsRoute.GET, "GET"],
      ["GET /api/bulk-operations/{id}/file", fileRoute.GET, "GET"],
      ["POST /api/bulk-operations/{id}/cancel", cancelRoute.POST, "POST"],
      ["POST /api/bulk-operations/{id}/confirm", confirmRoute.POST, "POST"],
      ["GET /api/users/{id}", userRoute.GET, "GET"],
      ["PATCH /api/users/{id}", userRoute.PATCH, "PATCH"],
    ] as const;
    for (const [name, handler, method] of routes) {
      for (const id of MALFORMED) {
        const response = await handler(request(token, method), params({ id }));
        expect([name, JSON.stringify(id), response.status]).toEqual([name, JSON.stringify(id), 404]);
      }
    }
  });
});

describe("query strings holding a NUL character", () => {
  it("are refused with 400, not passed to PostgreSQL", async () => {
    const token = await staffToken();
    const response = await coursesRoute.GET(request(token, "GET", "http://localhost/api/courses?q=%00"), params({}));
    expect(response.status).toBe(400);
  });
});

describe("/api/inngest without Inngest configured", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("answers every method with a JSON 404 saying jobs run in-process", async () => {
    vi.stubEnv("INNGEST_EVENT_KEY", undefined);
    vi.stubEnv("INNGEST_SIGNING_KEY", undefined);
    vi.stubEnv("INNGEST_DEV", undefined);
    vi.resetModules();
    const route = await import("@/app/api/inngest/route");
    for (const method of ["GET", "POST", "PUT"] as const) {
      const response = await route[method](
        new Request("http://localhost/api/inngest", {
          method,
          body: method === "GET" ? undefined : "{}",
          headers: { "content-type": "application/json" },
        }) as never,
        undefined as never,
      );
      expect([method, response.status]).toEqual([method, 404]);
      expect(await response.json()).toMatchObject({
        error: { code: "NOT_FOUND", message: expect.stringMatching(/Inngest is not configured/) },
      });
    }
  });
});
