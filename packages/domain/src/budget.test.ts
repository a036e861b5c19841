import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { budgetPeriodBounds, budgetRemaining, budgetVerdict, combineBudgetVerdicts, isBudgetOnExceed, isBudgetPeriod } from "./budget";
import { isDomainError } from "./errors";

const iso = (d: Date) => d.toISOString();

describe("budget periods (UTC calendar)", () => {
  it("a month runs from the 1st 00:00 UTC to the next 1st, whatever the instant inside it", () => {
    const b = budgetPeriodBounds("month", new Date("2026-03-15T12:34:56Z"));
    expect([iso(b.start), iso(b.end)]).toEqual(["2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]);
  });

  it("month boundaries: the last millisecond of a month is in it, its end instant is in the next", () => {
    expect(iso(budgetPeriodBounds("month", new Date("2026-01-31T23:59:59.999Z")).start)).toBe("2026-01-01T00:00:00.000Z");
    expect(iso(budgetPeriodBounds("month", new Date("2026-02-01T00:00:00.000Z")).start)).toBe("2026-02-01T00:00:00.000Z");
    // December rolls over into the next year.
    const dec = budgetPeriodBounds("month", new Date("2026-12-31T23:00:00Z"));
    expect([iso(dec.start), iso(dec.end)]).toEqual(["2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    // A leap February.
    expect(iso(budgetPeriodBounds("month", new Date("2028-02-29T10:00:00Z")).end)).toBe("2028-03-01T00:00:00.000Z");
  });

  it("is decided in UTC, not in the instant's local time: 23:30 on 31 March in New York is already April", () => {
    const b = budgetPeriodBounds("month", new Date("2026-03-31T23:30:00-04:00"));
    expect(iso(b.start)).toBe("2026-04-01T00:00:00.000Z");
    const paris = budgetPeriodBounds("month", new Date("2026-04-01T01:30:00+02:00"));
    expect(iso(paris.start)).toBe("2026-03-01T00:00:00.000Z");
  });

  it("quarters start on 1 January, 1 April, 1 July and 1 October UTC", () => {
    const cases: [string, string, string][] = [
      ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
      ["2026-03-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
      ["2026-04-01T00:00:00Z", "2026-04-01T00:00:00.000Z", "2026-07-01T00:00:00.000Z"],
      ["2026-08-15T08:00:00Z", "2026-07-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"],
      ["2026-12-31T23:59:59Z", "2026-10-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    ];
    for (const [at, start, end] of cases) {
      const b = budgetPeriodBounds("quarter", new Date(at));
      expect([iso(b.start), iso(b.end)], at).toEqual([start, end]);
    }
  });

  it("every instant lies in its period, and periods follow one another without gap", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), fc.constantFrom("month" as const, "quarter" as const), (at, period) => {
        const b = budgetPeriodBounds(period, at);
        expect(b.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(b.end.getTime());
        expect(b.start.getUTCDate()).toBe(1);
        expect(b.start.getUTCHours() + b.start.getUTCMinutes() + b.start.getUTCSeconds() + b.start.getUTCMilliseconds()).toBe(0);
        if (period === "quarter") expect(b.start.getUTCMonth() % 3).toBe(0);
        expect(budgetPeriodBounds(period, b.end).start.getTime()).toBe(b.end.getTime());
        expect(budgetPeriodBounds(period, new Date(b.start.getTime() - 1)).end.getTime()).toBe(b.start.getTime());
      }),
    );
  });

  it("refuses an unknown period or an invalid instant", () => {
    for (const call of [() => budgetPeriodBounds("year" as never, new Date()), () => budgetPeriodBounds("month", new Date(Number.NaN))]) {
      try {
        call();
        expect.fail("expected an INVARIANT");
      } catch (error) {
        expect(isDomainError(error) && error.code).toBe("INVARIANT");
      }
    }
    expect(isBudgetPeriod("month")).toBe(true);
    expect(isBudgetPeriod("week")).toBe(false);
    expect(isBudgetOnExceed("refuse")).toBe(true);
    expect(isBudgetOnExceed("warn")).toBe(false);
  });
});

describe("remaining and the verdict", () => {
  const usage = { amountMinor: 100_000n, spentMinor: 60_000n, committedMinor: 15_000n };

  it("remaining = amount − spent − committed, negative once over", () => {
    expect(budgetRemaining(usage)).toBe(25_000n);
    expect(budgetRemaining({ ...usage, spentMinor: 120_000n })).toBe(-35_000n);
  });

  it("a purchase fits up to exactly the remaining amount; one minor unit more is over", () => {
    expect(budgetVerdict({ ...usage, onExceed: "refuse" }, 25_000n)).toBe("fits");
    expect(budgetVerdict({ ...usage, onExceed: "refuse" }, 25_001n)).toBe("refuse");
    expect(budgetVerdict({ ...usage, onExceed: "approval" }, 25_001n)).toBe("approval");
    expect(budgetVerdict({ ...usage, onExceed: "approval" }, 0n)).toBe("fits");
  });

  it("committed counts as much as spent: pending purchases hold their share", () => {
    expect(budgetVerdict({ amountMinor: 100n, spentMinor: 0n, committedMinor: 100n, onExceed: "refuse" }, 1n)).toBe("refuse");
    expect(budgetVerdict({ amountMinor: 100n, spentMinor: 100n, committedMinor: 0n, onExceed: "refuse" }, 1n)).toBe("refuse");
  });

  it("stays exact beyond 2^53", () => {
    const big = 2n ** 62n;
    expect(budgetVerdict({ amountMinor: big, spentMinor: big - 1n, committedMinor: 0n, onExceed: "refuse" }, 1n)).toBe("fits");
    expect(budgetVerdict({ amountMinor: big, spentMinor: big - 1n, committedMinor: 0n, onExceed: "refuse" }, 2n)).toBe("refuse");
  });

  it("fits exactly when spent + committed + purchase ≤ amount (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), (amountMinor, spentMinor, committedMinor, purchase) => {
        const verdict = budgetVerdict({ amountMinor, spentMinor, committedMinor, onExceed: "refuse" }, purchase);
        expect(verdict === "fits").toBe(purchase <= budgetRemaining({ amountMinor, spentMinor, committedMinor }));
      }),
    );
  });

  it("refuses nonsense figures", () => {
    for (const call of [
      () => budgetVerdict({ amountMinor: 0n, spentMinor: 0n, committedMinor: 0n, onExceed: "refuse" }, 1n),
      () => budgetVerdict({ amountMinor: 10n, spentMinor: -1n, committedMinor: 0n, onExceed: "refuse" }, 1n),
      () => budgetVerdict({ amountMinor: 10n, spentMinor: 0n, committedMinor: 0n, onExceed: "refuse" }, -1n),
    ]) {
      try {
        call();
        expect.fail("expected an INVARIANT");
      } catch (error) {
        expect(isDomainError(error) && error.code).toBe("INVARIANT");
      }
    }
  });

  it("several budgets: any refusal refuses, else any excess needs approval", () => {
    expect(combineBudgetVerdicts([])).toBe("fits");
    expect(combineBudgetVerdicts(["fits", "fits"])).toBe("fits");
    expect(combineBudgetVerdicts(["fits", "approval"])).toBe("approval");
    expect(combineBudgetVerdicts(["approval", "refuse", "fits"])).toBe("refuse");
  });
});
