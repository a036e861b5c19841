import { createServiceDeps, type ServiceDeps } from "@souk/services";
import { env } from "./env.server";
import { APP } from "./lib/app";

type Services = ServiceDeps & { close(): Promise<void> };

// Kept on globalThis so that Vite's module reloading in development does not open a new pool per edit.
const holder = globalThis as typeof globalThis & { __soukServices?: Services };

/** The one pool of this process. */
export const services: Services = (holder.__soukServices ??= createServiceDeps({
  databaseUrl: env.databaseUrl,
  publicUrls: env.publicUrls,
  applicationName: `souk-${APP}`,
  poolSize: env.dbPoolSize,
}));

export async function closeServices(): Promise<void> {
  if (holder.__soukServices) {
    const s = holder.__soukServices;
    holder.__soukServices = undefined;
    await s.close();
  }
}
