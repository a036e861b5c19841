import { createDb, type AppName, type Db } from "@souk/db";
import type { Actor } from "@souk/domain";

export interface PublicUrls {
  buyer: string;
  seller: string;
  operator: string;
}

/** What every use case gets: the database (root handle or a transaction) and where each app lives. */
export interface ServiceDeps {
  db: Db;
  publicUrls: PublicUrls;
}

/** Trusted facts about the HTTP request, filled in by the app, never read from a form. */
export interface RequestMeta {
  app: AppName;
  ip: string | null;
  userAgent: string | null;
}

export interface RequestDeps extends ServiceDeps {
  request: RequestMeta;
}

/** A request that carries a validated session cookie of `request.app`. */
export interface SessionDeps extends RequestDeps {
  session: { id: string; userId: string };
}

/** A session plus the membership of its active organisation. */
export interface ActorDeps extends SessionDeps {
  actor: Actor;
}

export interface ServiceDepsConfig {
  databaseUrl: string;
  publicUrls: PublicUrls;
  applicationName?: string;
  poolSize?: number;
}

/** One pool per process: create at start-up, `close()` on shutdown. */
export function createServiceDeps(config: ServiceDepsConfig): ServiceDeps & { close(): Promise<void> } {
  const db = createDb({
    connectionString: config.databaseUrl,
    max: config.poolSize,
    applicationName: config.applicationName,
  });
  return {
    db,
    publicUrls: {
      buyer: trimSlash(config.publicUrls.buyer),
      seller: trimSlash(config.publicUrls.seller),
      operator: trimSlash(config.publicUrls.operator),
    },
    close: () => db.destroy(),
  };
}

// Links are built as `${url}/path`; a configured trailing slash would give `//path`.
function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
