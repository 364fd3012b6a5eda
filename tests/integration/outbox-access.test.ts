import { describe, expect, it } from "vitest";

import { outboxAccess } from "@/lib/email/outbox";
import { isLoopbackHost, type ServerEnv } from "@/lib/env";

// Who may read the local outbox (issue 11, finding 7). The outbox holds magic links: reading it is signing in.

const embedded = {
  NODE_ENV: "production",
  BULKOPS_EMBEDDED: "1",
  RESEND_API_KEY: undefined,
  APP_URL: "http://localhost:3000",
  BULKOPS_LISTEN_HOST: "127.0.0.1",
} as unknown as ServerEnv;

describe("outbox access", () => {
  it("is open to anyone when the app listens on loopback only and the request names this machine", () => {
    for (const listen of ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]) {
      for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "LOCALHOST:3000", "localhost"]) {
        expect(outboxAccess(host, { ...embedded, BULKOPS_LISTEN_HOST: listen }), `${listen} ${host}`).toBe("anyone");
      }
    }
    // APP_URL names this app even when it is not a loopback name (an /etc/hosts alias).
    expect(outboxAccess("catalog.test:3000", { ...embedded, APP_URL: "http://catalog.test:3000" })).toBe("anyone");
  });

  it("needs a signed-in staff user when the app listens on other interfaces, whatever the request claims", () => {
    for (const listen of ["0.0.0.0", "::", "192.0.2.2", "catalog.example", "127.0.0.1.example"]) {
      for (const host of ["localhost:3000", "127.0.0.1:3000", "192.0.2.2:3000"]) {
        expect(outboxAccess(host, { ...embedded, BULKOPS_LISTEN_HOST: listen }), `${listen} ${host}`).toBe("staff");
      }
    }
  });

  it("needs staff when nobody said where the app listens (next dev or next start run by hand)", () => {
    expect(outboxAccess("localhost:3000", { ...embedded, BULKOPS_LISTEN_HOST: undefined })).toBe("staff");
    expect(
      outboxAccess("localhost:3000", {
        ...embedded,
        NODE_ENV: "development",
        BULKOPS_EMBEDDED: undefined,
        BULKOPS_LISTEN_HOST: undefined,
      }),
    ).toBe("staff");
  });

  it("needs staff for a request naming another host on a loopback listener (DNS rebinding, a proxy on this machine)", () => {
    for (const host of [
      "evil.example",
      "evil.example:3000",
      "localhost.evil.example",
      "127.0.0.1.evil.example",
      "",
      null,
    ]) {
      expect(outboxAccess(host, embedded), String(host)).toBe("staff");
    }
  });

  it("is not served at all where mail is really sent or in a production deployment", () => {
    expect(outboxAccess("localhost:3000", { ...embedded, RESEND_API_KEY: "re_x" })).toBe("none");
    expect(outboxAccess("localhost:3000", { ...embedded, BULKOPS_EMBEDDED: undefined })).toBe("none");
  });

  it("recognizes loopback listening addresses only", () => {
    expect(["127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "::1", "[::1]"].filter(isLoopbackHost)).toHaveLength(6);
    expect(
      ["0.0.0.0", "::", "", "192.0.2.2", "128.0.0.1", "127.0.0.1.nip.io", "localhost.example", "::ffff:7f00:1"].filter(
        isLoopbackHost,
      ),
    ).toEqual([]);
  });
});
