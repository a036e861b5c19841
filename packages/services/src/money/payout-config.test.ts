import { describe, expect, test } from "vitest";
import { readPayoutConfig } from "./payout-config";
import { DEFAULT_PAYOUT_CYCLE_DAYS } from "./shared";

describe("readPayoutConfig (PAYOUT_CYCLE_DAYS)", () => {
  test("defaults to the worker's 10 days; 0 turns the schedule off; anything else outside 0..365 stops the start-up", () => {
    expect(DEFAULT_PAYOUT_CYCLE_DAYS).toBe(10);
    expect(readPayoutConfig({})).toEqual({ cycleDays: 10 });
    expect(readPayoutConfig({ PAYOUT_CYCLE_DAYS: " " })).toEqual({ cycleDays: 10 });
    expect(readPayoutConfig({ PAYOUT_CYCLE_DAYS: "7" })).toEqual({ cycleDays: 7 });
    expect(readPayoutConfig({ PAYOUT_CYCLE_DAYS: "0" })).toEqual({ cycleDays: 0 });
    for (const value of ["-1", "366", "2.5", "weekly"]) expect(() => readPayoutConfig({ PAYOUT_CYCLE_DAYS: value })).toThrow(/PAYOUT_CYCLE_DAYS/);
  });
});
