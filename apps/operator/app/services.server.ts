import { createJobsDeps, createServiceDeps, resolveSession, type JobsDeps } from "@souk/services";
import { createAppContext } from "@souk/ui/server";
import { env, jobsConfig } from "./env.server";
import { APP } from "./lib/app";

/** This process's database pool, the deps of each request, and the guards, wired to @souk/services. */
const context = createAppContext({ app: APP, env, createServiceDeps, resolveSession });
export const { services, requestDeps, guards } = context;

type OpenJobs = ReturnType<typeof createJobsDeps>;
// On globalThis for the same reason as the pool (one Redis connection across Vite's reloads), and
// opened on first use: only the Jobs page talks to Redis, so the rest of the console does not wait
// for it, nor fail when it is down.
const holder = globalThis as typeof globalThis & { __soukJobs?: OpenJobs };

/** The queues the Jobs page reads and retries (the worker's, under its QUEUE_PREFIX). */
export function jobs(): JobsDeps {
  const { close: _close, ...deps } = (holder.__soukJobs ??= createJobsDeps(jobsConfig));
  return deps;
}

export async function closeServices(): Promise<void> {
  const open = holder.__soukJobs;
  holder.__soukJobs = undefined;
  await Promise.all([context.closeServices(), open?.close()]);
}
