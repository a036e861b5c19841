import { hostname } from "node:os";
import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoLogger } from "pino";
import { redactForLog, redactText } from "./redact";
import { currentRequestId } from "./request-context";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/**
 * The one logging interface of every Souk process: a message, then structured fields. The message
 * is a constant sentence ("job completed"); what varies goes in the fields, so log stores can
 * count and filter by it.
 */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface CreateLoggerOptions {
  /** Which process writes: "worker", "buyer"... (the `service` field of every line). */
  service: string;
  /** Lines below this level are dropped (default "info"). */
  level?: LogLevel;
  /** Where each line goes (tests capture them); default stdout. */
  write?: (line: string) => void;
}

/**
 * Structured JSON logs (pino): one object per line with `time` (ISO), `level` (a name, not pino's
 * number), `service`, `message`, the fields, and `requestId` whenever the line is written while a
 * request, or a job caused by one, is in progress (request-context.ts). Every field and the message
 * go through redactForLog first: no secret and no e-mail address is ever written.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination: DestinationStream | undefined = options.write ? { write: (chunk: string) => options.write!(chunk.replace(/\n$/, "")) } : undefined;
  const base: PinoLogger = pino(
    {
      level: options.level ?? "info",
      messageKey: "message",
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    // Without a sink, pino's default: buffered writes to stdout, flushed when the process exits.
    destination,
  );
  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (!base.isLevelEnabled(level)) return;
    base[level](fields ? (redactForLog(fields) as LogFields) : {}, redactText(message));
  };
  return {
    log,
    debug: (message, fields) => log("debug", message, fields),
    info: (message, fields) => log("info", message, fields),
    warn: (message, fields) => log("warn", message, fields),
    error: (message, fields) => log("error", message, fields),
  };
}
