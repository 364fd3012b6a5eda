// `npm run lint`: flat config (Next 16 has no `next lint`); type-aware rules need the TypeScript project.
import js from "@eslint/js";
import inngest from "@inngest/eslint-plugin";
import tseslint from "typescript-eslint";

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
    files: ["**/*.{js,mjs,cjs}", "*.config.mts"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
