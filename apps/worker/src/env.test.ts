import { describe, expect, it } from "vitest";
import { loadConfig } from "./env";

describe("loadConfig", () => {
  it("has working defaults outside production", () => {
    expect(loadConfig({ NODE_ENV: "development" })).toMatchObject({
      databaseUrl: "postgres://postgres@127.0.0.1:5432/souk",
      redisUrl: "redis://127.0.0.1:6379",
      queuePrefix: "souk",
      healthPort: 3004,
      metricsToken: null,
      production: false,
      mail: { transport: "log" },
      relayIntervalMs: 250,
      reconcileIntervalMs: 600_000,
      rfqSweepIntervalMs: 30_000,
      search: { meiliUrl: null, meiliAdminKey: null, meiliSearchKey: null, meiliIndexUid: null },
    });
  });

  it("reads the search settings and the reconciliation interval (0 turns the schedule off)", () => {
    const config = loadConfig({
      MEILI_URL: "http://search:7700",
      MEILI_MASTER_KEY: "master",
      MEILI_SEARCH_KEY: "search-only",
      MEILI_INDEX: "listings_staging",
      RECONCILE_INTERVAL_MS: "0",
    });
    expect(config.search).toEqual({ meiliUrl: "http://search:7700", meiliAdminKey: "master", meiliSearchKey: "search-only", meiliIndexUid: "listings_staging" });
    expect(config.reconcileIntervalMs).toBe(0);
    expect(loadConfig({ RECONCILE_INTERVAL_MS: "60000" }).reconcileIntervalMs).toBe(60_000);
    for (const bad of ["500", "-1", "soon", "86400001"]) {
      expect(() => loadConfig({ RECONCILE_INTERVAL_MS: bad }), bad).toThrow(/RECONCILE_INTERVAL_MS/);
    }
  });

  it("reads the conversation digest delay in minutes (default 15, 0 sends at once, at most a week)", () => {
    expect(loadConfig({}).conversationDigestMinutes).toBe(15);
    expect(loadConfig({ CONVERSATION_DIGEST_MINUTES: "0" }).conversationDigestMinutes).toBe(0);
    expect(loadConfig({ CONVERSATION_DIGEST_MINUTES: "60" }).conversationDigestMinutes).toBe(60);
    for (const bad of ["-1", "10081", "soon", "1.5"]) {
      expect(() => loadConfig({ CONVERSATION_DIGEST_MINUTES: bad }), bad).toThrow(/CONVERSATION_DIGEST_MINUTES/);
    }
  });

  it("reads the RFQ sweep interval (0 turns the sweep off)", () => {
    expect(loadConfig({ RFQ_SWEEP_INTERVAL_MS: "0" }).rfqSweepIntervalMs).toBe(0);
    expect(loadConfig({ RFQ_SWEEP_INTERVAL_MS: "5000" }).rfqSweepIntervalMs).toBe(5_000);
    for (const bad of ["50", "-1", "often", "3600001"]) {
      expect(() => loadConfig({ RFQ_SWEEP_INTERVAL_MS: bad }), bad).toThrow(/RFQ_SWEEP_INTERVAL_MS/);
    }
  });

  it("reads the settlement settings: concurrency, batch, overdue sweep (0 off), lock, payout cycle (0 off), auto-confirmation", () => {
    expect(loadConfig({})).toMatchObject({
      settlementConcurrency: 400,
      settlementBatchMax: 200,
      settlementBatchesInFlight: 2,
      settlementOverdueMinutes: 60,
      settlementLockMs: 30_000,
      payoutCycleDays: 10,
      payoutCheckIntervalMs: 600_000,
      orderAutoConfirmDays: 7,
      orderSweepIntervalMs: 60_000,
    });
    // Independent of WORKER_CONCURRENCY: settle jobs waiting for their batch hold no connection.
    expect(loadConfig({ WORKER_CONCURRENCY: "3" }).settlementConcurrency).toBe(400);
    expect(
      loadConfig({
        WORKER_CONCURRENCY: "3",
        SETTLEMENT_CONCURRENCY: "12",
        SETTLEMENT_BATCH_MAX: "40",
        SETTLEMENT_BATCHES_IN_FLIGHT: "1",
        SETTLEMENT_OVERDUE_MINUTES: "0",
        SETTLEMENT_LOCK_MS: "1500",
        PAYOUT_CYCLE_DAYS: "0",
        PAYOUT_CHECK_INTERVAL_MS: "250",
        ORDER_AUTO_CONFIRM_DAYS: "14",
        ORDER_SWEEP_INTERVAL_MS: "0",
      }),
    ).toMatchObject({ settlementConcurrency: 12, settlementBatchMax: 40, settlementBatchesInFlight: 1, settlementOverdueMinutes: 0, settlementLockMs: 1_500, payoutCycleDays: 0, payoutCheckIntervalMs: 250, orderAutoConfirmDays: 14, orderSweepIntervalMs: 0 });
    const refused: [string, string][] = [
      ["SETTLEMENT_CONCURRENCY", "0"],
      ["SETTLEMENT_CONCURRENCY", "1001"],
      ["SETTLEMENT_BATCH_MAX", "0"],
      ["SETTLEMENT_BATCHES_IN_FLIGHT", "9"],
      ["SETTLEMENT_OVERDUE_MINUTES", "-1"],
      ["SETTLEMENT_LOCK_MS", "999"],
      ["SETTLEMENT_LOCK_MS", "soon"],
      ["PAYOUT_CYCLE_DAYS", "-1"],
      ["PAYOUT_CYCLE_DAYS", "1.5"],
      ["PAYOUT_CHECK_INTERVAL_MS", "0"],
      ["ORDER_AUTO_CONFIRM_DAYS", "0"],
      ["ORDER_SWEEP_INTERVAL_MS", "50"],
      ["ORDER_SWEEP_INTERVAL_MS", "86400001"],
    ];
    for (const [name, bad] of refused) {
      expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(name));
    }
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
      production: true,
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
