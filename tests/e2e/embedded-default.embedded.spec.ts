import { expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

const ROWS = 20_000;

test("on the embedded default, a 20,000-row upload through the browser shows its progress to the end", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAs(page, "coordinator@example.com", { callbackUrl: "/bulk-operations/new" });
  const tag = `EMB${Date.now().toString(36)}`;
  const lines = [
    "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
  ];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(
      `edX,Embedded ${tag} ${i},${tag}-${i},Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-03-01,25`,
    );
  }
  await page.getByLabel("Operation").selectOption("course_create");
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: `${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n")) });
  await page.getByRole("button", { name: /Upload and apply/ }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  const operationPath = new URL(page.url()).pathname;

  // Follow the page as it refreshes itself: it must stay this page (no error page, no sign-in bounce) and
  // show the rows moving until the final status.
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        expect(new URL(page.url()).pathname).toBe(operationPath);
        await expect(page.getByText("Something went wrong")).toHaveCount(0);
        await expect(page.getByText("This page couldn't load")).toHaveCount(0);
        // The progress view goes away once the job ends: read it only while it is there.
        const progress = await page
          .getByTestId("operation-progress")
          .innerText({ timeout: 250 })
          .catch(() => null);
        if (progress !== null) {
          seen.add(progress.replace(/\s+/g, " "));
        }
        return page.getByTestId("operation-status").innerText();
      },
      { timeout: 180_000, intervals: [500] },
    )
    .toBe("completed");
  expect(seen.size, [...seen].join(" | ")).toBeGreaterThan(1);
  await expect(page.getByTestId("operation-status")).toHaveText("completed");
  expect((await page.request.get(`/api/courses/${encodeURIComponent(`edX+${tag}-${ROWS}`)}`)).status()).toBe(200);
});
