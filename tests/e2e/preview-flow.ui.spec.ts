import { type APIRequestContext, expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

const FINAL = /^(completed|partially_completed|failed|errored|cancelled)$/;

/** Uploads through the API with the page's session cookie and waits for the job to finish. */
async function uploadAndWait(request: APIRequestContext, type: string, name: string, csv: string) {
  const response = await request.post("/api/bulk-operations", {
    multipart: { type, file: { name, mimeType: "text/csv", buffer: Buffer.from(csv) } },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/bulk-operations/${id}`)).json()) as { status: string }).status, {
      timeout: 30_000,
    })
    .toMatch(FINAL);
  return id;
}

test("a coordinator previews a course_update, reviews the diff, confirms, and downloads the failed rows", async ({
  page,
}) => {
  await signInAs(page, "coordinator@example.com", { callbackUrl: "/bulk-operations" });
  const tag = `PV${Date.now().toString(36)}`;
  const keys = [`edX+${tag}A`, `edX+${tag}B`];
  const missing = `edX+${tag}MISSING`;

  // Courses of our own: other tests may change the demo courses.
  const created = await uploadAndWait(
    page.request,
    "course_create",
    `${tag}-create.csv`,
    [
      "organization,title,number,course_enrollment_track,course_run_enrollment_track,course_pacing,start_date,end_date,verified_price",
      `edX,Old title ${tag},${tag}A,Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-04-30,49`,
      `edX,Kept title ${tag},${tag}B,Verified and Audit,Verified and Audit,self_paced,2027-01-10,2027-04-30,49`,
    ].join("\n"),
  );
  expect(
    ((await (await page.request.get(`/api/bulk-operations/${created}`)).json()) as { status: string }).status,
  ).toBe("completed");

  // Upload the update with "preview first" through the form.
  await page.goto("/bulk-operations/new");
  await page.getByLabel("Operation").selectOption("course_update");
  const update = [
    "Course Key,Title",
    `${keys[0]},New title ${tag}`,
    `${keys[1]},Kept title ${tag}`,
    `${missing},Nobody home`,
  ].join("\r\n");
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: `${tag}-update.csv`, mimeType: "text/csv", buffer: Buffer.from(update) });
  await expect(page.getByTestId("csv-preview")).toContainText(`New title ${tag}`);
  await page.getByLabel("Validate only and preview changes first").check();
  await page.getByRole("button", { name: "Upload and validate" }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  const detailUrl = page.url();

  // The preview: nothing written, what would happen, and the field diff.
  const status = page.getByTestId("operation-status");
  await expect(status).toHaveText("awaiting_confirmation", { timeout: 30_000 });
  const panel = page.getByTestId("preview-panel");
  await expect(panel).toContainText("Preview: nothing has been written yet");
  for (const outcome of ["updated", "unchanged", "failed"]) {
    await expect(page.getByTestId(`preview-${outcome}`).locator(".stat-value")).toHaveText("1");
  }
  await expect(page.getByTestId("preview-created").locator(".stat-value")).toHaveText("0");
  const rows = page.getByTestId("row-results");
  await expect(rows.getByRole("row").filter({ hasText: keys[0] })).toContainText("would update");
  await expect(rows.getByTestId("row-diff")).toHaveText(`title: Old title ${tag} → New title ${tag}`);
  await expect(rows.getByRole("row").filter({ hasText: missing })).toContainText("would fail");
  await expect(rows).toContainText("COURSE_NOT_FOUND");
  // Still the old title: the preview wrote nothing.
  const course = (await (await page.request.get(`/api/courses/${encodeURIComponent(keys[0])}`)).json()) as {
    title: string;
  };
  expect(course.title).toBe(`Old title ${tag}`);

  // "Would fail" narrows the rows on the server.
  await page.getByTestId("preview-failed").click();
  await expect(page).toHaveURL(/previewStatus=failed/);
  await expect(rows.getByRole("row")).toHaveCount(2); // header + the missing course
  await expect(rows).toContainText(missing);
  await page.goto(detailUrl);

  // Confirm, then watch the page move on by itself to the final status (no reload).
  await page.getByRole("button", { name: "Confirm and apply" }).click();
  await expect(status).toHaveText("partially_completed", { timeout: 30_000 });
  await expect(page.getByTestId("preview-panel")).toHaveCount(0);
  await expect(page.getByTestId("operation-counts")).toContainText("Updated");
  await expect(page.locator(".live-indicator")).toHaveCount(0); // auto-refresh stopped at the final status
  await expect(rows.getByRole("row").filter({ hasText: keys[0] })).toContainText("updated");
  await expect(rows.getByTestId("row-diff")).toHaveText(`title: Old title ${tag} → New title ${tag}`);
  const applied = (await (await page.request.get(`/api/courses/${encodeURIComponent(keys[0])}`)).json()) as {
    title: string;
  };
  expect(applied.title).toBe(`New title ${tag}`);

  // The failed rows, and the error file ready to fix and re-upload.
  await page.getByTestId("failures-only").click();
  await expect(page).toHaveURL(/rowStatus=failed/);
  await expect(rows.getByRole("row")).toHaveCount(2);
  await expect(rows).toContainText(missing);
  await expect(rows).toContainText("COURSE_NOT_FOUND");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("error-csv-link").click()]);
  expect(download.suggestedFilename()).toBe(`${tag}-update-errors.csv`);
  const href = await page.getByTestId("error-csv-link").getAttribute("href");
  const errorCsv = await (await page.request.get(href!)).text();
  expect(errorCsv).toContain("error_code");
  expect(errorCsv).toContain(`${missing},Nobody home,COURSE_NOT_FOUND`);
  expect(errorCsv).not.toContain(keys[0]);

  // The history lists it with its outcome.
  await page.goto("/bulk-operations");
  const historyRow = page
    .getByTestId("operations-table")
    .getByRole("row")
    .filter({ hasText: `${tag}-update.csv` });
  await expect(historyRow).toContainText("partially_completed");
});
