import type { KnipConfig } from "knip";

// `npx knip` (part of `npm run lint`): unused files, exports, types and dependencies. The Next.js, Vitest,
// Playwright and Prisma plugins find their own entry points (app/** pages, layouts and routes, proxy.ts,
// instrumentation.ts, the vitest projects and their setup files, the playwright configs and tests/e2e,
// prisma.config.ts and its seed), npm scripts are read from package.json, and what .gitignore lists
// (lib/generated, Prisma's client) is left out. What is left is listed here.
const config: KnipConfig = {
  entry: [
    // Started as child processes by file name: scripts/bench.ts's runHelper runs each in its own process.
    "scripts/bench/{ceiling,end-to-end,generate-csv,parse-rate}.ts",
    // The "server-only" stand-in that vitest.config.mts and tsconfig.scripts.json alias the guard to.
    "scripts/server-only-allowed.ts",
  ],
  // iproute2's `ss`, which tests/e2e/http-limits.api.spec.ts reads the server's memory with.
  ignoreBinaries: ["ss"],
  // The exports of a bench helper run as a process are as dead when unused as any other file's.
  includeEntryExports: true,
};

export default config;
