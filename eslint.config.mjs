// `npm run lint`: flat config (Next 16 has no `next lint`); type-aware rules need the TypeScript project.
import js from "@eslint/js";
import inngest from "@inngest/eslint-plugin";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// The layers of ARCHITECTURE.md ("Layers"), bottom to top: an import that crosses one of these lines
// upward (or sideways where noted) fails `npm run lint`, and so `npm test`.
const bulk = (folder) => `./lib/bulk/${folder}`;
const LAYER_ZONES = [
  {
    target: "./lib/sql",
    from: ["./lib/catalog", "./lib/bulk", "./lib/auth", "./lib/users", "./lib/email", "./lib/health"],
    message: "lib/sql is generic SQL: it imports no domain module.",
  },
  {
    target: "./lib/catalog",
    from: "./lib/bulk",
    message: "lib/catalog sits below lib/bulk: move what both need down (lib/catalog, lib/sql).",
  },
  {
    target: "./lib",
    from: ["./app", "./components", "./scripts", "./tests", "./inngest/functions", "./inngest/index.ts"],
    message: "lib/ never imports pages, components, scripts, tests or Inngest functions.",
  },
  {
    target: [
      "./lib/sql",
      "./lib/catalog",
      ...["vocabulary", "csv", "operations", "upload", "access", "results", "pipeline", "actions"].map(bulk),
    ],
    from: "./inngest",
    message: "Only lib/bulk/runner/ hands work to Inngest.",
  },
  {
    target: [bulk("vocabulary"), bulk("csv")],
    from: "./lib",
    except: ["./bulk/vocabulary", "./bulk/csv"],
    message: "vocabulary/ and csv/ are leaves the browser can load too.",
  },
  {
    target: bulk("operations"),
    from: ["upload", "access", "results", "pipeline", "runner", "actions"].map(bulk),
    message: "operations/ hold each operation's rules; they never depend on the job that runs them or the screens.",
  },
  {
    target: [bulk("upload"), bulk("access")],
    from: ["operations", "results", "pipeline", "runner", "actions"].map(bulk),
    message: "upload/ and access/ sit below operations/, results/, pipeline/, runner/ and actions/.",
  },
  {
    target: bulk("results"),
    from: ["pipeline", "runner", "actions"].map(bulk),
    message: "results/ (what screens and the API read) never imports the job pipeline, runner or actions.",
  },
  {
    target: bulk("pipeline"),
    from: ["runner", "actions"].map(bulk),
    message: "pipeline/ never imports runner/ or actions/.",
  },
  { target: bulk("runner"), from: bulk("actions"), message: "runner/ never imports actions/." },
  {
    target: ["./app", "./components"],
    from: "./lib/bulk",
    except: ["./vocabulary", "./results", "./actions", "./csv", "./upload/read-upload.ts"],
    message: "Pages and routes use lib/bulk through vocabulary/, csv/, results/, actions/ and upload/read-upload.ts.",
  },
  {
    target: ["./app", "./components"],
    from: ["./lib/db.ts", "./lib/sql"],
    message: "Only lib/ talks to the database.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "lib/generated/**",
      ".next*/**",
      ".data/**",
      "node_modules/**",
      "playwright-report/**",
      "test-results/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@inngest": inngest },
    rules: {
      curly: ["error", "all"],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@inngest/await-inngest-send": "error",
      "@inngest/no-nested-steps": "error",
      "@inngest/no-variable-mutation-in-step": "error",
    },
  },
  {
    files: ["**/*.{ts,tsx,mts}"],
    plugins: { "import-x": importX },
    settings: {
      // Imported modules are parsed too (for import-x/no-cycle): as TypeScript.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json", alwaysTryTypes: true })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: LAYER_ZONES }],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["**/*.{js,mjs,cjs}", "*.config.mts"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
