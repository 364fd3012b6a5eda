// Imported first by the scripts that use the database (token, worker, seed, Prisma's CLI): without
// DATABASE_URL they use the embedded database that `npm start` runs.
import fs from "node:fs";

import { EMBEDDED_DATABASE_ENV_FILE } from "./local-data";

if (!process.env.DATABASE_URL && fs.existsSync(EMBEDDED_DATABASE_ENV_FILE)) {
  process.loadEnvFile(EMBEDDED_DATABASE_ENV_FILE);
}
