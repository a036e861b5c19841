import { isSecureOrigin } from "@souk/auth";
import type { AppKind } from "../types";
import type { AppEnv } from "./env.server";
import { createGuards, type GuardedSession } from "./guards.server";
import { requestMeta, type RequestMeta } from "./request.server";

/** What @souk/services' createServiceDeps takes. */
export interface ServicesConfig {
  databaseUrl: string;
  publicUrls: AppEnv["publicUrls"];
  applicationName: string;
  poolSize: number;
  /** Where uploaded documents are kept (the deps then carry `storage`). */
  storageDir: string;
  /** The search settings (the deps then carry `listingIndex`). */
  search: AppEnv["search"];
}

/** The services' deps for one request: the process's deps (database, public URLs...) plus the trusted request facts. */
export type RequestDepsOf<S> = Omit<S, "close"> & { request: RequestMeta };

export interface AppContextOptions<S extends { close(): Promise<void> }, R extends GuardedSession> {
  app: AppKind;
  env: Pick<AppEnv, "databaseUrl" | "publicUrls" | "dbPoolSize" | "publicUrl" | "storageDir" | "search">;
  /** @souk/services' createServiceDeps. */
  createServiceDeps: (config: ServicesConfig) => S;
  /** @souk/services' resolveSession. */
  resolveSession: (deps: RequestDepsOf<S>, input: { token: string }) => Promise<R | null>;
}

/**
 * An app's server-side context, wired to the use cases it is given: the process's one set of
 * service deps (its database pool), the deps of each request, and the app's guards.
 */
export function createAppContext<S extends { close(): Promise<void> }, R extends GuardedSession>(options: AppContextOptions<S, R>) {
  const { app, env } = options;
  // Kept on globalThis so that Vite's module reloading in development does not open a new pool per
  // edit, and so that server.ts (loaded by Node) and the routes (loaded by Vite) share one pool.
  const holder = globalThis as typeof globalThis & { __soukServices?: S };
  const services: S = (holder.__soukServices ??= options.createServiceDeps({
    databaseUrl: env.databaseUrl,
    publicUrls: env.publicUrls,
    applicationName: `souk-${app}`,
    poolSize: env.dbPoolSize,
    storageDir: env.storageDir,
    search: env.search,
  }));
  const { close: _close, ...processDeps } = services;

  function requestDeps(request: Request): RequestDepsOf<S> {
    return { ...processDeps, request: requestMeta(request, app) };
  }

  const guards = createGuards({
    app,
    secure: isSecureOrigin(env.publicUrl),
    requestDeps,
    resolveSession: (request, token) => options.resolveSession(requestDeps(request), { token }),
  });

  async function closeServices(): Promise<void> {
    const open = holder.__soukServices;
    holder.__soukServices = undefined;
    await open?.close();
  }

  return { services, requestDeps, guards, closeServices };
}
