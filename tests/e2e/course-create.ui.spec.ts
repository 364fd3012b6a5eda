import { expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

test("a coordinator uploads a course_create CSV, watches it finish, and opens the created course", async ({ page }) => {
  await signInAs(page, "coordinator@example.com", { callbackUrl: "/bulk-operations/new" });
  const number = `UI${Date.now().toString(36)}`;
  const csv = [
    "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
    `edX,Browser-made course,${number},Verified and Audit,Verified and Audit,instructor_paced,2027-05-02,2027-08-01,40`,
    `MITx,Not my organization,${number}M,Verified and Audit,Verified and Audit,instructor_paced,2027-05-02,2027-08-01,40`,
  ].join("\r\n");

  await page.getByLabel("Operation").selectOption("course_create");
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: "from-browser.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("csv-preview")).toContainText("Browser-made course");
  await page.getByRole("button", { name: /Upload and apply/ }).click();

  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("partially_completed", { timeout: 30_000 });
  await expect(page.getByTestId("error-groups")).toContainText("PERMISSION_DENIED");
  await expect(page.getByTestId("row-results")).toContainText(`edX+${number}`);

  await page
    .getByTestId("row-results")
    .getByRole("link", { name: `edX+${number}` })
    .click();
  await expect(page.getByTestId("course-title")).toHaveText("Browser-made course");
  await expect(page.getByTestId("course-runs")).toContainText(`course-v1:edX+${number}+2T2027`);
  await expect(page.getByTestId("course-editors")).toContainText("coordinator@example.com");
});
