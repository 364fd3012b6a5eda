import pg from "pg";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Throws unless the URL points at this machine: tests drop and recreate databases. */
export function assertLocalDatabaseUrl(url: string) {
  const { hostname } = new URL(url);
  if (!LOCAL_HOSTS.has(hostname)) {
    throw new Error(`Refusing to touch a non-local database (${hostname}); tests only run against localhost.`);
  }
}

/**
 * Drops and recreates the database named in `databaseUrl`, connecting to the same server's
 * `postgres` database (or `adminUrl`) to do it.
 */
export async function resetDatabase(databaseUrl: string, adminUrl?: string) {
  assertLocalDatabaseUrl(databaseUrl);
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw new Error(`Unexpected database name "${name}": use letters, digits and underscores.`);
  }
  const admin = new URL(adminUrl ?? databaseUrl);
  if (!adminUrl) {
    admin.pathname = "/postgres";
  }
  assertLocalDatabaseUrl(admin.href);
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

// CLI: `tsx scripts/reset-database.ts <postgresql://localhost/...>` (used before the e2e server starts).
if (process.argv[1] && /reset-database\.ts$/.test(process.argv[1])) {
  const url = process.argv[2] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error("usage: tsx scripts/reset-database.ts <database url>");
    process.exit(2);
  }
  resetDatabase(url).then(
    () => console.log(`Fresh database ${new URL(url).pathname.slice(1)} is ready.`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
