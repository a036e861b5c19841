import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import {
  LISTING_MOVES,
  LISTING_STATUSES,
  availableListingMoves,
  canMoveListing,
  isListingMove,
  isListingStatus,
  listingIsSearchable,
  moveListing,
  type ListingMove,
  type ListingStatus,
} from "./listing-status";
import { ORGANIZATION_STATUSES } from "./roles";

/** The whole table, written out independently of LISTING_TRANSITIONS: every legal move and its result. */
const LEGAL: Record<ListingMove, Partial<Record<ListingStatus, ListingStatus>>> = {
  publish: { draft: "published", unlisted: "published" },
  unlist: { published: "unlisted" },
  block: { published: "blocked", unlisted: "blocked" },
  unblock: { blocked: "unlisted" },
};

const cases = LISTING_MOVES.flatMap((move) => LISTING_STATUSES.map((from) => ({ move, from, to: LEGAL[move][from] })));
const ok = { sellerStatus: "active", reason: "Counterfeit goods" } as const;

function expectError(fn: () => unknown, code: string, fieldErrors: Record<string, string[]>): void {
  try {
    fn();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    expect(isDomainError(error) && error.fieldErrors).toEqual(fieldErrors);
    return;
  }
  expect.fail(`expected a ${code} DomainError`);
}

describe("listing state machine", () => {
  it.each(cases.filter((c) => c.to))("$move from $from → $to", ({ move, from, to }) => {
    expect(canMoveListing(from, move)).toBe(true);
    expect(moveListing(from, move, ok)).toBe(to);
  });

  it.each(cases.filter((c) => !c.to))("$move from $from is refused", ({ move, from }) => {
    expect(canMoveListing(from, move)).toBe(false);
    expectError(() => moveListing(from, move, ok), "ILLEGAL_TRANSITION", { move: ["listing.illegal_transition"] });
  });

  it("unblock lands on unlisted even when the listing was published before the block", () => {
    const blocked = moveListing("published", "block", ok);
    expect(moveListing(blocked, "unblock", ok)).toBe("unlisted");
  });

  it.each(ORGANIZATION_STATUSES.filter((s) => s !== "active"))("a %s seller cannot publish", (sellerStatus) => {
    for (const from of ["draft", "unlisted"] as const) {
      expectError(() => moveListing(from, "publish", { sellerStatus }), "FORBIDDEN", { move: ["listing.seller_not_active"] });
    }
  });

  it("a seller that is not active can still unlist, and operators can still block and unblock", () => {
    expect(moveListing("published", "unlist", { sellerStatus: "suspended" })).toBe("unlisted");
    expect(moveListing("published", "block", { sellerStatus: "suspended", reason: "Fraud" })).toBe("blocked");
    expect(moveListing("blocked", "unblock", { sellerStatus: "suspended" })).toBe("unlisted");
  });

  it("checks legality before the seller's status", () => {
    expectError(() => moveListing("blocked", "publish", { sellerStatus: "suspended" }), "ILLEGAL_TRANSITION", {
      move: ["listing.illegal_transition"],
    });
  });

  it.each([undefined, null, "", "   \n"])("block needs a reason (%j)", (reason) => {
    expectError(() => moveListing("published", "block", { sellerStatus: "active", reason }), "VALIDATION", {
      reason: ["listing.reason_required"],
    });
  });

  it("offers each side only its legal moves", () => {
    expect(availableListingMoves("draft", "seller")).toEqual(["publish"]);
    expect(availableListingMoves("published", "seller")).toEqual(["unlist"]);
    expect(availableListingMoves("unlisted", "seller")).toEqual(["publish"]);
    expect(availableListingMoves("blocked", "seller")).toEqual([]);
    expect(availableListingMoves("draft", "operator")).toEqual([]);
    expect(availableListingMoves("published", "operator")).toEqual(["block"]);
    expect(availableListingMoves("unlisted", "operator")).toEqual(["block"]);
    expect(availableListingMoves("blocked", "operator")).toEqual(["unblock"]);
  });

  it("shows a listing in search only while published and its seller active", () => {
    const searchable = LISTING_STATUSES.flatMap((s) => ORGANIZATION_STATUSES.filter((o) => listingIsSearchable(s, o)).map((o) => `${s}/${o}`));
    expect(searchable).toEqual(["published/active"]);
  });

  it("recognises statuses and moves, not junk", () => {
    expect(isListingStatus("blocked")).toBe(true);
    expect(isListingStatus("deleted")).toBe(false);
    expect(isListingMove("unblock")).toBe(true);
    expect(isListingMove("approve")).toBe(false);
    expect(isListingMove(undefined)).toBe(false);
  });
});
