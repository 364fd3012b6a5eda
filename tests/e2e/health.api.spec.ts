import { expect, test } from "@playwright/test";

test("the app answers on /", async ({ request }) => {
  const response = await request.get("/");
  expect(response.status()).toBe(200);
});
