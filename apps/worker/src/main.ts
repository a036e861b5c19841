import { loadConfig } from "./env";
import { createLogger } from "./logger";
import { startWorker } from "./worker";

// Past this, a stop that hangs (a job that never ends) is cut short so the orchestrator is not
// left waiting; it should be below the orchestrator's own kill timeout.
const SHUTDOWN_TIMEOUT_MS = 25_000;

const logger = createLogger({ service: "worker" });

async function main() {
  const config = loadConfig();
  const worker = await startWorker(config, { logger });

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info("shutdown requested", { signal });
    setTimeout(() => {
      logger.error("shutdown timed out", { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  logger.error("worker failed to start", { error });
  process.exit(1);
});
