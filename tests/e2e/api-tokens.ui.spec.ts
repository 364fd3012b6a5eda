import { createHash, randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { apiTokenFor, bearer } from "./fixtures/api-token";
import { signInAs } from "./fixtures/sign-in";
import { createUser } from "./fixtures/users";

const DAY_MS = 24 * 60 * 60 * 1000;

async function tokenId(token: string) {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(`select id from "ApiToken" where "tokenHash" = $1`, [
      createHash("sha256").update(token).digest("hex"),
    ]);
    return rows[0].id;
  } finally {
    await db.end();
  }
}

test("a user creates a token on the API tokens page, sees it once, uses it, revokes it, and then it gets 401", async ({
  page,
  request,
}) => {
  await signInAs(page, await createUser({ organization: "edX" }));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

  const name = `deploy ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires in").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token-value");
  await expect(shown).toBeVisible();
  const token = await shown.inputValue();
  expect(token).toMatch(/^cbo_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("new-token")).toContainText(/only once/i);
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("active");

  const used = await request.get("/api/bulk-operations", { headers: bearer(token) });
  expect(used.status()).toBe(200);

  // Shown once: after a reload the page has the token's row, never the token.
  await page.reload();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(token.slice(4));
  await expect(row.getByTestId("token-last-used")).toContainText("UTC");
  const expires = new Date((await row.getByTestId("token-expires").locator("time").getAttribute("datetime"))!);
  expect(Math.abs(expires.getTime() - (Date.now() + 30 * DAY_MS))).toBeLessThan(60 * 60 * 1000);

  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(row).toContainText(/revoke .* now\?/i);
  await row.getByRole("button", { name: "Keep" }).click();
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);

  const refused = await request.get("/api/bulk-operations", { headers: bearer(token) });
  expect(refused.status()).toBe(401);
});

test("the tokens API in the browser session: validation names the field, the token is answered once, lists only one's own", async ({
  page,
  request,
}) => {
  await signInAs(page, await createUser({ organization: "MITx" }));
  const post = (data: unknown) => page.request.post("/api/tokens", { data });

  const invalid = await post({ name: "   ", expiresInDays: 0 });
  expect(invalid.status()).toBe(422);
  const { message } = (await invalid.json()).error as { message: string };
  expect(message).toMatch(/name/);
  expect(message).toMatch(/expiresInDays/);
  expect((await (await post({ name: "x", expiresInDays: "never" })).json()).error.message).toMatch(/^expiresInDays: /);
  const notJson = await page.request.post("/api/tokens", {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{oops"),
  });
  expect(notJson.status()).toBe(400);

  const created = await post({ name: " script " });
  expect(created.status()).toBe(201);
  expect(created.headers()["cache-control"]).toMatch(/no-store/);
  const body = (await created.json()) as { id: string; name: string; token: string; expiresAt: string };
  expect(Object.keys(body).sort()).toEqual(["expiresAt", "id", "name", "token"]);
  expect(body.name).toBe("script");
  expect(Math.abs(new Date(body.expiresAt).getTime() - (Date.now() + 90 * DAY_MS))).toBeLessThan(60 * 60 * 1000);
  expect((await request.get("/api/courses", { headers: bearer(body.token) })).status()).toBe(200);

  // Someone else's token is neither listed nor revocable.
  const adminTokenId = await tokenId(apiTokenFor("admin@example.com"));
  const listed = await page.request.get("/api/tokens?pageSize=100");
  expect(listed.status()).toBe(200);
  const list = (await listed.json()) as { items: { id: string; status: string }[] };
  expect(list.items.map((t) => t.id)).toContain(body.id);
  expect(list.items.map((t) => t.id)).not.toContain(adminTokenId);
  expect(JSON.stringify(list)).not.toContain(body.token.slice(4));
  expect((await page.request.delete(`/api/tokens/${adminTokenId}`)).status()).toBe(404);

  // A token cannot mint tokens: a leaked one would otherwise outlive its revocation.
  const minted = await request.post("/api/tokens", { headers: bearer(body.token), data: { name: "child" } });
  expect(minted.status()).toBe(403);

  const revoked = await page.request.delete(`/api/tokens/${body.id}`);
  expect(revoked.status()).toBe(200);
  expect(await revoked.json()).toMatchObject({ id: body.id, status: "revoked" });
  expect((await request.get("/api/courses", { headers: bearer(body.token) })).status()).toBe(401);
});

test("the API tokens page fits a phone and a desktop screen", async ({ page }) => {
  await signInAs(page, await createUser({ organization: "edX" }), { callbackUrl: "/tokens" });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/tokens");
    await expect(page.getByRole("button", { name: "Create token" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
  }
});
