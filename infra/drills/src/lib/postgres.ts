import { chownSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createDb, migrateToLatest, type Database } from "@souk/db";
import type { Kysely } from "kysely";
import { drillsEnv } from "../env";
import type { Drill } from "./drill";
import { freePort, run } from "./process";

/**
 * A throwaway PostgreSQL cluster of the drill's own (initdb into its temp directory), so that a
 * drill can stop or restart it without touching the machine's shared server on 5432. Trust auth,
 * listening on 127.0.0.1 and a socket in its own directory. fsync is off: nothing here has to
 * survive a power cut, and the drills restart the server cleanly (`-m fast`) or not at all.
 *
 * initdb refuses to run as root: as root, the binaries run as `postgres` (runuser) in a directory
 * it owns. Any other user runs them as itself.
 */
export interface Cluster {
  port: number;
  /** The connection string of database `name` as the superuser `postgres`. */
  url(name: string, user?: string): string;
  /** `pg_ctl restart -m <mode>`: resolves once the server accepts connections again. */
  restart(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** The server's log (for a failed drill's report). */
  logFile: string;
}

function binDir(): string {
  if (drillsEnv.pgBin) return drillsEnv.pgBin;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("no PostgreSQL binaries in /usr/lib/postgresql/*/bin (set PG_BIN)");
  return path.join(root, newest, "bin");
}

export async function startCluster(drill: Drill): Promise<Cluster> {
  const bin = binDir();
  const home = path.join(drill.dir, "postgres");
  const data = path.join(home, "data");
  const logFile = path.join(home, "server.log");
  mkdirSync(home);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).trim());
    const gid = Number((await run("id", ["-g", "postgres"])).trim());
    chownSync(home, uid, gid);
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { timeoutMs: 60_000 }) : run(path.join(bin, tool), args, { timeoutMs: 60_000 });

  await pgRun("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${home}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c full_page_writes=off", "-c max_connections=200"].join(" ");
  const pgCtl = (action: string, extra: string[] = []) => pgRun("pg_ctl", [action, "-D", data, "-l", logFile, "-w", "-t", "60", ...extra]);

  const cluster: Cluster = {
    port,
    logFile,
    url: (name, user = "postgres") => `postgres://${user}@127.0.0.1:${port}/${name}`,
    start: async () => {
      await pgCtl("start", ["-o", options]);
    },
    restart: async (mode = "fast") => {
      await pgCtl("restart", ["-m", mode, "-o", options]);
    },
    stop: async (mode = "fast") => {
      await pgCtl("stop", ["-m", mode]);
    },
  };
  await cluster.start();
  drill.defer("stop the PostgreSQL cluster", () => cluster.stop("immediate").catch(() => undefined));
  return cluster;
}

/** Runs SQL on the cluster's `postgres` database as the superuser. */
export async function adminQuery(cluster: Cluster, text: string, database = "postgres"): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: cluster.url(database) });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new database in the cluster, migrated with @souk/db's migrator; the handle is closed at the end of the drill. */
export async function createDrillDatabase(drill: Drill, cluster: Cluster, name = "souk"): Promise<{ url: string; db: Kysely<Database> }> {
  await adminQuery(cluster, `create database "${name}"`);
  const url = cluster.url(name);
  const db = createDb({ connectionString: url, max: 4, applicationName: "souk-drill" });
  drill.defer("close the drill's database handle", () => db.destroy());
  const started = Date.now();
  await migrateToLatest(db);
  drill.log(`database ${name} migrated in ${Date.now() - started} ms`);
  return { url, db };
}
