import { expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

const ROWS = 20_000;

test("the operation page keeps following a running job through failed refreshes, without an error page", async ({
  page,
}) => {
  await signInAs(page, "admin@example.com", { callbackUrl: "/bulk-operations/new" });
  const tag = `LR${Date.now().toString(36)}`;
  const lines = [
    "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
  ];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(
      `edX,Live ${tag} ${i},${tag}-${i},Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-03-01,25`,
    );
  }
  await page.getByLabel("Operation").selectOption("course_create");
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: `${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n")) });

  // While the job runs, every refresh probe fails for a while (a server restarting, a network blip).
  let failing = true;
  await page.route(/\/api\/bulk-operations\/[0-9a-f-]{36}$/, (route) =>
    failing ? route.fulfill({ status: 503, body: "unavailable" }) : route.continue(),
  );
  await page.getByRole("button", { name: /Upload and apply/ }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);

  await expect(page.getByTestId("refresh-retrying")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
  await expect(page.getByTestId("operation-progress")).toBeVisible();

  failing = false;
  await expect(page.getByTestId("operation-status")).toHaveText("completed", { timeout: 120_000 });
  await expect(page.getByTestId("refresh-retrying")).toHaveCount(0);
});
