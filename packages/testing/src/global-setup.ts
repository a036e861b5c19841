import { ensureTemplate } from "./template";

/** Vitest global setup for integration tests: one migrated template per run. */
export default async function setup(): Promise<void> {
  await ensureTemplate();
}
