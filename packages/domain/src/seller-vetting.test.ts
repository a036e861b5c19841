import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import { ORGANIZATION_STATUSES, type OrganizationStatus } from "./roles";
import { availableDecisions, canMoveSeller, isSellerDecision, moveSeller, sellerCanTrade, type SellerMove } from "./seller-vetting";

/** The whole table, written out independently of SELLER_TRANSITIONS: every legal move and its result. */
const LEGAL: Record<SellerMove, Partial<Record<OrganizationStatus, OrganizationStatus>>> = {
  submit: { pending: "pending" },
  resubmit: { info_requested: "pending" },
  approve: { pending: "active" },
  reject: { pending: "rejected", info_requested: "rejected" },
  request_info: { pending: "info_requested" },
  suspend: { active: "suspended" },
  reinstate: { suspended: "active" },
};

const cases = (Object.keys(LEGAL) as SellerMove[]).flatMap((move) => ORGANIZATION_STATUSES.map((from) => ({ move, from, to: LEGAL[move][from] })));

describe("seller vetting state machine", () => {
  it.each(cases.filter((c) => c.to))("$move from $from → $to", ({ move, from, to }) => {
    expect(canMoveSeller(from, move)).toBe(true);
    expect(moveSeller(from, move)).toBe(to);
  });

  it.each(cases.filter((c) => !c.to))("$move from $from is refused", ({ move, from }) => {
    expect(canMoveSeller(from, move)).toBe(false);
    try {
      moveSeller(from, move);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe("ILLEGAL_TRANSITION");
      expect(isDomainError(error) && error.fieldErrors).toEqual({ decision: ["seller.illegal_transition"] });
    }
  });

  it("refuses the examples of the issue: approving a rejected seller, suspending a pending one", () => {
    expect(() => moveSeller("rejected", "approve")).toThrow("seller.illegal_transition");
    expect(() => moveSeller("pending", "suspend")).toThrow("seller.illegal_transition");
  });

  it("offers operators only the decisions that are legal now", () => {
    expect(availableDecisions("pending")).toEqual(["approve", "reject", "request_info"]);
    expect(availableDecisions("info_requested")).toEqual(["reject"]);
    expect(availableDecisions("active")).toEqual(["suspend"]);
    expect(availableDecisions("suspended")).toEqual(["reinstate"]);
    expect(availableDecisions("rejected")).toEqual([]);
  });

  it("lets only an active seller trade", () => {
    expect(ORGANIZATION_STATUSES.filter(sellerCanTrade)).toEqual(["active"]);
  });

  it("recognises decisions, not the seller's own moves or junk", () => {
    expect(isSellerDecision("approve")).toBe(true);
    expect(isSellerDecision("submit")).toBe(false);
    expect(isSellerDecision("drop table")).toBe(false);
    expect(isSellerDecision(undefined)).toBe(false);
  });
});
