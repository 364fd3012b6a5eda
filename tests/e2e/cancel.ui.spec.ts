import { expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

// Enough rows that the job is still running once its page has loaded (it applies thousands a second).
const ROWS = 40_000;

test("a coordinator cancels a running operation from its page: applied rows stay, the rest are left pending", async ({
  page,
}) => {
  await signInAs(page, "coordinator@example.com", { callbackUrl: "/bulk-operations/new" });
  const tag = `CX${Date.now().toString(36)}`;
  const lines = [
    "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price",
  ];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(
      `edX,Cancelled batch ${tag} ${i},${tag}-${i},Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-03-01,25`,
    );
  }

  await page.getByLabel("Operation").selectOption("course_create");
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: `${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n")) });
  await page.getByRole("button", { name: /Upload and apply/ }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const read = async () =>
    (await (await page.request.get(`/api/bulk-operations/${id}`)).json()) as {
      status: string;
      totalRows: number;
      processedRows: number;
      createdCount: number;
      failedCount: number;
    };

  // Cancel once the first chunk has been applied.
  await expect.poll(async () => (await read()).processedRows, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(0);
  await page.getByTestId("cancel-operation").click();
  // The page follows the job without a reload: the request is acknowledged, then the job stops.
  await expect(page.getByTestId("operation-status")).toHaveText("cancelled", { timeout: 60_000 });
  await expect(page.getByTestId("cancel-operation")).toHaveCount(0);

  const operation = await read();
  expect(operation).toMatchObject({ status: "cancelled", totalRows: ROWS, failedCount: 0 });
  expect(operation.processedRows).toBeGreaterThan(0);
  expect(operation.processedRows).toBeLessThan(ROWS);
  // Every processed row created its course and the rest wrote nothing: the last chunk never ran.
  expect(operation.createdCount).toBe(operation.processedRows);
  expect((await page.request.get(`/api/courses/${encodeURIComponent(`edX+${tag}-1`)}`)).status()).toBe(200);
  expect((await page.request.get(`/api/courses/${encodeURIComponent(`edX+${tag}-${ROWS}`)}`)).status()).toBe(404);
});
