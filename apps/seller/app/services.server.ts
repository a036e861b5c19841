import { createServiceDeps, resolveSession } from "@souk/services";
import { createAppContext } from "@souk/ui/server";
import { env } from "./env.server";
import { APP } from "./lib/app";

/** This process's database pool, the deps of each request, and the guards, wired to @souk/services. */
export const { services, requestDeps, guards, closeServices } = createAppContext({ app: APP, env, createServiceDeps, resolveSession });
