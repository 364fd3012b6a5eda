import { defineConfig, devices } from "@playwright/test";

// Set here so the spec workers, which load this file too, can reach the same server and database.
process.env.E2E_PORT ??= "3100";
process.env.E2E_DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/bulkops_e2e";
const baseURL = `http://localhost:${process.env.E2E_PORT}`;
const databaseUrl = process.env.E2E_DATABASE_URL;

export default defineConfig({
  testDir: "tests/e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: { baseURL, trace: "retain-on-failure" },
  projects: [
    { name: "api", testMatch: /.*\.api\.spec\.ts$/ },
    {
      name: "ui",
      testMatch: /.*\.ui\.spec\.ts$/,
      use: {
        ...devices["Desktop Chrome"],
        // `npx playwright install` cannot download here; Debian's Chromium is the browser.
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    // A fresh database per run; start.ts migrates, seeds the demo data and builds when needed.
    command: `npx tsx scripts/reset-database.ts ${databaseUrl} && npx tsx scripts/start.ts`,
    url: baseURL,
    env: { DATABASE_URL: databaseUrl, PORT: process.env.E2E_PORT, APP_URL: baseURL },
    reuseExistingServer: !process.env.CI,
    // `next build` on two cores takes minutes.
    timeout: 10 * 60_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
