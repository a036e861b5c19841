export type LogLevel = "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line (what log shippers expect); errors keep their name and message. */
export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, message };
    for (const [key, value] of Object.entries(fields)) {
      entry[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
    }
    write(JSON.stringify(entry));
  };
  return {
    log,
    info: (message, fields) => log("info", message, fields),
    warn: (message, fields) => log("warn", message, fields),
    error: (message, fields) => log("error", message, fields),
  };
}
