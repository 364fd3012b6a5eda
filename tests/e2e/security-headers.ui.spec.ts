import { type Page, expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

// Pages run under a nonce-based Content-Security-Policy, and the app still works under it: no page below
// reports a violation while it loads, runs its client components, navigates and calls server actions.

const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

/** Every CSP violation the page reports, from the DOM event and from Chromium's console message. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text())) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });
  return violations;
}

test("pages carry a per-request nonce policy, the frame, sniffing and referrer headers, and no X-Powered-By", async ({
  page,
}) => {
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const policy = headers["content-security-policy"];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-powered-by"]).toBeUndefined();

  // Next puts the nonce on the scripts it renders, and every request gets its own.
  expect(await response!.text()).toContain(`nonce="${nonceOf(policy)}"`);
  const again = await page.request.get("/signin");
  expect(nonceOf(again.headers()["content-security-policy"])).not.toBe(nonceOf(policy));
});

test("API responses are not stored, cannot be rendered as a document or framed, and carry no X-Powered-By", async ({
  page,
}) => {
  const anonymous = await page.request.get("/api/courses");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["cache-control"]).toBe("no-store");

  await signInAs(page, "coordinator@example.com");
  const response = await page.request.get("/api/courses");
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers["cache-control"]).toBe("no-store");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-powered-by"]).toBeUndefined();
});

test("sign-in, the bulk operation pages and a course page work under the policy without violations", async ({
  page,
}) => {
  const violations = await watchViolations(page);

  // The sign-in form is a server action.
  await page.goto("/signin");
  await page.getByLabel("Email").fill("author@example.com");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByText(/find your link/)).toBeVisible();

  await signInAs(page, "coordinator@example.com", { callbackUrl: "/bulk-operations" });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // The submit screen previews the file in the browser, uploads with fetch and navigates to the result.
  await page.goto("/bulk-operations/new");
  await page.getByLabel("Operation").selectOption("course_update");
  const tag = `CSP${Date.now().toString(36)}`;
  await page.locator('input[type="file"][name="file"]').setInputFiles({
    name: `${tag}.csv`,
    mimeType: "text/csv",
    buffer: Buffer.from(`Course Key,Title\r\nedX+${tag}MISSING,Nobody home\r\n`),
  });
  await expect(page.getByTestId("csv-preview")).toContainText("Nobody home");
  await page.getByRole("button", { name: "Upload and apply" }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("error-csv-link")).toBeVisible({ timeout: 30_000 });

  await page.goto(`/courses/${encodeURIComponent("edX+DemoX")}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // Client-side navigation, then the sign-out server action in the layout.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bulk operations" }).click();
  await page.waitForURL(/\/bulk-operations$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  expect(violations).toEqual([]);
});
