// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the committed schema (HEAD) to the working prisma/schema.prisma. `prisma migrate dev`
// cannot be used: its shadow-database cleanup fails with the pg adapter (see PLATFORM notes).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const migrationsDir = path.join(root, "prisma", "migrations");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const name = (process.argv[2] ?? "")
  .trim()
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_+|_+$/g, "");
if (!name) {
  fail("usage: npm run db:migration -- <name>   (e.g. add_course_notes)");
}

// The CLI loads prisma.config.ts, whose adapter connects even for a schema-to-schema diff.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "new-migration-"));
try {
  let from = ["--from-empty"];
  try {
    const previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
    });
    fs.writeFileSync(path.join(tmp, "schema.prisma"), previous);
    from = ["--from-schema-datamodel", path.join(tmp, "schema.prisma")];
  } catch {
    console.log("No committed prisma/schema.prisma: diffing from an empty database.");
  }

  let sql: string;
  try {
    sql = execFileSync(
      path.join(root, "node_modules", ".bin", "prisma"),
      ["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    fail(
      `prisma migrate diff failed (is DATABASE_URL=${process.env.DATABASE_URL} reachable? run \`npx prisma validate\` too):\n${stdout ?? ""}${stderr ?? ""}`,
    );
  }

  if (!/^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, ""))) {
    fail("prisma/schema.prisma has no changes since HEAD: nothing to migrate.");
  }

  // Directory names order the migrations: never sort before an existing one, whatever the clock says.
  const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const latest = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
    .map((e) => e.name.slice(0, 14))
    .sort()
    .at(-1);
  const timestamp = latest && latest >= now ? String(BigInt(latest) + 1n) : now;

  const dir = path.join(migrationsDir, `${timestamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Wrote ${path.relative(root, dir)}/migration.sql. Review it, then apply with \`npm run db:migrate\`.`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
