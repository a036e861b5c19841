import { describe, expect, it } from "vitest";
import { loadConfig } from "./env";

describe("loadConfig", () => {
  it("has working defaults outside production", () => {
    expect(loadConfig({ NODE_ENV: "development" })).toMatchObject({
      databaseUrl: "postgres://postgres@127.0.0.1:5432/souk",
      redisUrl: "redis://127.0.0.1:6379",
      queuePrefix: "souk",
      healthPort: 3004,
      mail: { transport: "log" },
      relayIntervalMs: 250,
    });
  });

  it("reads and coerces every variable", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://u@db:5432/souk",
      REDIS_URL: "redis://cache:6379/2",
      QUEUE_PREFIX: "souk-staging",
      HEALTH_PORT: "9000",
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: "smtp://user:pass@smtp.example.com:587",
      RELAY_INTERVAL_MS: "500",
    });
    expect(config).toMatchObject({
      databaseUrl: "postgres://u@db:5432/souk",
      redisUrl: "redis://cache:6379/2",
      queuePrefix: "souk-staging",
      healthPort: 9000,
      mail: { transport: "smtp", url: "smtp://user:pass@smtp.example.com:587" },
      relayIntervalMs: 500,
    });
  });

  it("refuses a missing production URL, SMTP without SMTP_URL and a prefix with ':'", () => {
    expect(() => loadConfig({ NODE_ENV: "production", REDIS_URL: "redis://x" })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ NODE_ENV: "production", REDIS_URL: "redis://x", DATABASE_URL: "postgres://db/souk" })).toThrow(/MAIL_TRANSPORT/);
    expect(() => loadConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(/SMTP_URL: required when MAIL_TRANSPORT=smtp/);
    expect(() => loadConfig({ QUEUE_PREFIX: "souk:prod" })).toThrow(/QUEUE_PREFIX/);
    expect(() => loadConfig({ HEALTH_PORT: "http" })).toThrow(/HEALTH_PORT/);
  });
});
