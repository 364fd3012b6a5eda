import { randomBytes } from "node:crypto";

import { type Page, expect, test } from "@playwright/test";

import { signInAs } from "./fixtures/sign-in";

// Other specs run in parallel on the same database: every test makes its own course and re-runs or edits that one.

const uniqueNumber = (prefix: string) => `${prefix}${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

/** Submits a CSV on the "New bulk operation" screen and waits on the detail page for the final status. */
async function uploadThroughUi(page: Page, type: string, csv: string, expectedStatus = "completed") {
  await page.goto("/bulk-operations/new");
  await page.getByLabel("Operation").selectOption(type);
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles({ name: `${type}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("csv-preview")).toBeVisible();
  await page.getByRole("button", { name: /Upload and apply/ }).click();
  await page.waitForURL(/\/bulk-operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText(expectedStatus, { timeout: 30_000 });
}

/** An edX course with one run starting in January 2027 (run key …+1T2027), made through the upload screen. */
async function createEdxCourse(page: Page, number: string, title: string) {
  await uploadThroughUi(
    page,
    "course_create",
    [
      "Organization,Title,Number,Course Enrollment Track,Course Run Enrollment Track,Course Pacing,Start Date,End Date,Verified Price,Minimum Effort,Maximum Effort,Length,Content Language",
      `edX,${title},${number},Verified and Audit,Verified and Audit,instructor_paced,2027-01-11,2027-04-30,75,3,5,10,en-us`,
    ].join("\r\n"),
  );
  await expect(page.getByTestId("row-results")).toContainText(`edX+${number}`);
}

const coursePath = (number: string) => `/courses/${encodeURIComponent(`edX+${number}`)}`;

test("staff re-runs a course and adds a coordinator as its editor through the browser", async ({ page }) => {
  await signInAs(page, "admin@example.com", { callbackUrl: "/bulk-operations/new" });
  const number = uniqueNumber("RR");
  await createEdxCourse(page, number, "Re-run source course");
  const source = `course-v1:edX+${number}+1T2027`;

  // Two re-runs in one term: the second gets the next free key. A third names a run that does not exist.
  await uploadThroughUi(
    page,
    "course_rerun",
    [
      "last_active_run_key,start_date,end_date,run_type,pacing_type",
      `${source},2027-09-06,2027-12-17,Verified and Audit,self_paced`,
      `${source},10/04/2027,01/28/2028,Audit Only,instructor_paced`,
      `course-v1:edX+${number}+9T2099,2027-09-06,2027-12-17,Verified and Audit,self_paced`,
    ].join("\r\n"),
    "partially_completed",
  );
  const rowResults = page.getByTestId("row-results");
  await expect(rowResults).toContainText(`course-v1:edX+${number}+3T2027`);
  await expect(rowResults).toContainText(`course-v1:edX+${number}+3T2027a`);
  await expect(page.getByTestId("error-groups")).toContainText("COURSE_RUN_NOT_FOUND");

  await page.goto(coursePath(number));
  await expect(page.getByTestId("course-title")).toHaveText("Re-run source course");
  const runs = page.getByTestId("course-runs");
  await expect(runs).toContainText("Runs (3)");
  const rerun = page
    .getByTestId("course-run")
    .filter({ hasText: `course-v1:edX+${number}+3T2027` })
    .first();
  // Copied from the source run: effort, length, language and the verified price.
  await expect(rerun).toContainText("3–5 hours/week");
  await expect(rerun).toContainText("10 weeks");
  await expect(rerun).toContainText("en-us");
  await expect(rerun).toContainText("75.00");
  await expect(rerun).toContainText("self paced");
  await expect(rerun).toContainText("unpublished");

  await uploadThroughUi(
    page,
    "course_editor_update",
    [
      "username_or_email,course_key_or_uuid,action",
      `coordinator@example.com,edX+${number},add`,
      // An author at MITx only: cannot edit an edX course.
      `author@example.com,edX+${number},add`,
    ].join("\r\n"),
    "partially_completed",
  );
  await expect(page.getByTestId("error-groups")).toContainText("USER_ORG_MISMATCH");

  await page.goto(coursePath(number));
  const editors = page.getByTestId("course-editors");
  await expect(editors).toContainText("coordinator@example.com");
  await expect(editors).toContainText("admin@example.com");
  await expect(editors).not.toContainText("author@example.com");
});

test("staff creates a user on the Users screen, edits their memberships, and makes them a course editor", async ({
  page,
}) => {
  const suffix = randomBytes(4).toString("hex");
  // Filtered to this test's user: other tests add users, and the list shows a page at a time.
  await signInAs(page, "admin@example.com", { callbackUrl: `/users?q=${suffix}` });
  const email = `ui-author-${suffix}@example.com`;
  const username = `ui.author_${suffix}`;

  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toBeVisible();
  const form = page.getByTestId("new-user-form");
  // The form checks with the API's schema before posting.
  await form.getByLabel("Email", { exact: true }).fill("not an email");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form).toContainText("is not a valid email address");
  await expect(form).toContainText("Username is required");

  await form.getByLabel("Email", { exact: true }).fill(`UI-Author-${suffix}@Example.com`);
  await form.getByLabel("Username", { exact: true }).fill(username);
  await form.getByLabel("Name", { exact: true }).fill("Ana Lópes");
  await form.getByRole("button", { name: "+ Add membership" }).click();
  await form.getByLabel("Organization 1").selectOption("edX");
  await form.getByLabel("Role 1").selectOption("author");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("new-user-created")).toContainText(`Created ${email} (author at edX)`);
  await expect(page.getByTestId("users-table")).toContainText(email);

  // The API's 409 comes back as a message on the email field.
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Username", { exact: true }).fill(`${username}.2`);
  await form.getByLabel("Name", { exact: true }).fill("Twin");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("new-user-error")).toContainText(`A user with the email ${email} already exists.`);

  await page.getByTestId("users-table").getByRole("link", { name: email }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  const edit = page.getByTestId("edit-user-form");
  await edit.getByRole("button", { name: "+ Add membership" }).click();
  await edit.getByLabel("Organization 2").selectOption("MITx");
  await edit.getByLabel("Role 2").selectOption("coordinator");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("edit-user-saved")).toBeVisible();
  await page.reload();
  // Memberships come back ordered by organization key, so compare them as a set.
  const membershipsShown = () =>
    page
      .getByTestId("user-memberships")
      .locator("select")
      .evaluateAll((selects) => {
        const values = selects.map((s) => (s as HTMLSelectElement).value);
        return values.flatMap((v, i) => (i % 2 === 0 ? [`${v}:${values[i + 1]}`] : [])).sort();
      });
  await expect.poll(membershipsShown).toEqual(["MITx:coordinator", "edX:author"]);

  const number = uniqueNumber("UE");
  await createEdxCourse(page, number, "Course for a new editor");
  await uploadThroughUi(
    page,
    "course_editor_update",
    `username_or_email,course_key_or_uuid,action\r\n${username},edX+${number},add`,
  );
  await page.goto(coursePath(number));
  await expect(page.getByTestId("course-editors")).toContainText(email);
});

test("members who are not staff see a 403 on the Users screen and no Users link", async ({ page }) => {
  await signInAs(page, "coordinator@example.com", { callbackUrl: "/users" });
  await expect(page.getByTestId("staff-only")).toContainText("403");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  const response = await page.request.post("/api/users", {
    data: { email: `x-${randomBytes(4).toString("hex")}@example.com`, username: "x", name: "X" },
  });
  expect(response.status()).toBe(403);
});
