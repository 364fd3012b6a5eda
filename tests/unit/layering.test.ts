import { fileURLToPath } from "node:url";

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layering of ARCHITECTURE.md is enforced by `npm run lint` (eslint.config.mjs). These probes lint an
// existing file's path with one forbidden import added, and expect the rule that names the boundary.
const root = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("the layering the linter keeps", { timeout: 60_000 }, () => {
  it("refuses lib/catalog importing lib/bulk", async () => {
    expect(
      await problems(
        "lib/catalog/slugify.ts",
        'import { operationLabel } from "@/lib/bulk/vocabulary/operation-types";\nexport const label = operationLabel;\n',
      ),
    ).toContainEqual(expect.stringMatching(/^import-x\/no-restricted-paths: .*lib\/catalog sits below lib\/bulk/));
  });

  it("refuses an operation importing the pipeline that runs it", async () => {
    expect(
      await problems(
        "lib/bulk/operations/permissions.ts",
        'import { processChunk } from "@/lib/bulk/pipeline/process-chunk";\nexport const run = processChunk;\n',
      ),
    ).toContainEqual(
      expect.stringMatching(/^import-x\/no-restricted-paths: .*operations\/ hold each operation's rules/),
    );
  });

  it("refuses a page reaching into the job pipeline or the database", async () => {
    const found = await problems(
      "app/(app)/bulk-operations/page.tsx",
      'import { runOperation } from "@/lib/bulk/pipeline/run-operation";\nimport { db } from "@/lib/db";\nexport const x = [runOperation, db];\n',
    );
    expect(found).toContainEqual(expect.stringMatching(/Pages and routes use lib\/bulk through/));
    expect(found).toContainEqual(expect.stringMatching(/Only lib\/ talks to the database/));
  });

  it("refuses an import circle in lib/", async () => {
    // registry.ts imports every operation; an operation importing the registry closes a circle.
    expect(
      await problems(
        "lib/bulk/operations/course-fields.ts",
        'import { operationDefinitions } from "./registry";\nexport const all = operationDefinitions;\n',
      ),
    ).toContainEqual(expect.stringMatching(/^import-x\/no-cycle:/));
  });
});
