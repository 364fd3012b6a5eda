import { defineConfig } from "@playwright/test";

import baseConfig from "./playwright.config";

// The product as a newcomer runs it: `npm start` with nothing configured (its own embedded PostgreSQL, the
// local outbox, in-process jobs), over a data folder made fresh for each run.
const port = process.env.E2E_EMBEDDED_PORT ?? "3110";
const dataDir = process.env.E2E_EMBEDDED_DATA_DIR ?? "/tmp/bulkops-e2e-embedded";
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  ...baseConfig,
  testMatch: /.*\.embedded\.spec\.ts$/,
  projects: [{ name: "embedded", use: baseConfig.projects?.find((p) => p.name === "ui")?.use }],
  use: { ...baseConfig.use, baseURL },
  webServer: {
    command: `rm -rf ${dataDir} && npx tsx scripts/start.ts`,
    url: baseURL,
    env: {
      DATABASE_URL: "",
      PORT: port,
      EMBEDDED_DB_PORT: process.env.E2E_EMBEDDED_DB_PORT ?? "5443",
      BULKOPS_DATA_DIR: dataDir,
    },
    reuseExistingServer: false,
    timeout: 10 * 60_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
  },
});
