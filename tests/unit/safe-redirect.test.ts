import { describe, expect, it } from "vitest";

import { sameOriginPath } from "@/lib/auth/safe-redirect";

const APP_URL = "https://catalog.example.org";

describe("sameOriginPath", () => {
  it("keeps paths and APP_URL's own absolute URLs, as paths", () => {
    expect(sameOriginPath("/", APP_URL)).toBe("/");
    expect(sameOriginPath("/courses?q=a%20b#top", APP_URL)).toBe("/courses?q=a%20b#top");
    expect(sameOriginPath("https://catalog.example.org/users", APP_URL)).toBe("/users");
    expect(sameOriginPath("courses", APP_URL)).toBe("/courses");
    // Percent-encoded characters stay encoded: a browser does not decode them into a host.
    expect(sameOriginPath("/%5C%5Cevil.example", APP_URL)).toBe("/%5C%5Cevil.example");
  });

  it("refuses anything a browser could read as another site", () => {
    for (const value of [
      "https://evil.example/",
      "http://catalog.example.org/",
      "https://catalog.example.org.evil.example/",
      "//evil.example",
      "/\t/evil.example",
      "/\r\n/evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/.//evil.example",
      "/x/..//evil.example",
      " //evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      `/${"a".repeat(2000)}`,
      undefined,
      null,
      ["/"],
    ]) {
      expect(sameOriginPath(value, APP_URL), JSON.stringify(value)).toBeNull();
    }
  });
});
