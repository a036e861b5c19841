import { createDb, createPgListener, type AppName, type Db } from "@souk/db";
import type { Actor } from "@souk/domain";
import { createListingIndex, type ListingIndex, type SearchEnv } from "@souk/search";
import { createLocalDiskStorage } from "./storage/local-disk-storage";
import type { StorageDeps } from "./storage/document-storage";
import { createRfqEventHub, type RfqEventHub } from "./rfq/live";

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
  /** The search settings (readSearchEnv); the deps then carry `listingIndex`. */
  search?: SearchEnv;
}

/** The listing index (Meilisearch, or PostgreSQL full text when MEILI_URL is not set). */
export interface SearchDeps {
  listingIndex: ListingIndex;
}

/** Live RFQ events (PostgreSQL LISTEN, one connection per process, opened on the first subscription). */
export interface LiveDeps {
  rfqEvents: RfqEventHub;
}

/** Where uploaded documents are kept (local-disk storage), outside any web root. */
export interface StorageConfig {
  storageDir: string;
}

type Closable = { close(): Promise<void> };

/**
 * One pool per process: create at start-up, `close()` on shutdown. With a storage directory the
 * deps also carry `storage` (see createLocalDiskStorage).
 */
// Calls take the first overload that fits, so the fullest come first; a caller inferring its type
// from this function's (the apps' createAppContext) reads the last one, so the fullest ends it too.
export function createServiceDeps(config: ServiceDepsConfig & StorageConfig & { search: SearchEnv }): ServiceDeps & StorageDeps & SearchDeps & LiveDeps & Closable;
export function createServiceDeps(config: ServiceDepsConfig & { search: SearchEnv }): ServiceDeps & SearchDeps & LiveDeps & Closable;
export function createServiceDeps(config: ServiceDepsConfig & StorageConfig): ServiceDeps & StorageDeps & LiveDeps & Closable;
export function createServiceDeps(config: ServiceDepsConfig): ServiceDeps & LiveDeps & Closable;
export function createServiceDeps(config: ServiceDepsConfig & StorageConfig & { search: SearchEnv }): ServiceDeps & StorageDeps & SearchDeps & LiveDeps & Closable;
export function createServiceDeps(config: ServiceDepsConfig & Partial<StorageConfig>): ServiceDeps & Partial<StorageDeps> & Partial<SearchDeps> & LiveDeps & Closable {
  // First: a bad storage setting fails before a pool is opened.
  const storage = config.storageDir !== undefined ? createLocalDiskStorage(config.storageDir) : undefined;
  const db = createDb({
    connectionString: config.databaseUrl,
    max: config.poolSize,
    applicationName: config.applicationName,
  });
  const listener = createPgListener({ connectionString: config.databaseUrl, applicationName: `${config.applicationName ?? "souk"}-listen` });
  const deps: ServiceDeps & Partial<StorageDeps> & Partial<SearchDeps> & LiveDeps & Closable = {
    db,
    publicUrls: {
      buyer: trimSlash(config.publicUrls.buyer),
      seller: trimSlash(config.publicUrls.seller),
      operator: trimSlash(config.publicUrls.operator),
    },
    rfqEvents: createRfqEventHub(listener),
    close: async () => {
      await listener.close();
      await db.destroy();
    },
  };
  if (storage) deps.storage = storage;
  if (config.search) {
    try {
      deps.listingIndex = createListingIndex({ db, search: config.search });
    } catch (error) {
      // MEILI_URL without its keys: fail before anything runs, without leaking the pool.
      void db.destroy();
      throw error;
    }
  }
  return deps;
}

// Links are built as `${url}/path`; a configured trailing slash would give `//path`.
function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
