/**
 * The worker logs through the shared logger of @souk/jobs (pino, JSON lines, redaction, the current
 * request id on every line: decision 0018).
 */
export { createLogger, type LogFields, type Logger, type LogLevel } from "@souk/jobs";
