/*
 * The shapes the negotiation pages show: those of @souk/services' getOfferNegotiation and
 * getSellerNegotiation (this package never imports @souk/services, so they are written again here).
 * JSON-safe: money as minor units in a string with its currency, dates as ISO strings.
 */

export interface NegotiationMoney {
  amountMinor: string;
  currency: string;
}

export type NegotiationCounterStatus = "pending" | "accepted" | "declined" | "revised" | "expired" | "superseded";

export interface NegotiationCounterLine {
  lineId: string;
  position: number;
  description: string;
  unit: string;
  askedQuantity: number;
  previousUnitPrice: NegotiationMoney;
  previousQuantity: number;
  targetUnitPrice: NegotiationMoney | null;
  targetQuantity: number | null;
}

export interface NegotiationCounter {
  id: string;
  round: number;
  status: NegotiationCounterStatus;
  message: string;
  respondBy: string;
  createdAt: string;
  createdBy: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  declineReason: string | null;
  offerRevision: number;
  answerRevision: number | null;
  lines: readonly NegotiationCounterLine[];
  previousTotal: NegotiationMoney;
  targetTotal: NegotiationMoney;
}

export interface NegotiationReceiptChange {
  lineId: string;
  position: number;
  description: string;
  before: { unitPrice: NegotiationMoney; quantity: number } | null;
  after: { unitPrice: NegotiationMoney; quantity: number } | null;
}

export interface NegotiationReceipt {
  revision: number;
  kind: "submitted" | "revised" | "withdrawn";
  reason: string | null;
  counterId: string | null;
  recordedAt: string;
  recordedBy: string | null;
  total: NegotiationMoney;
  changes: readonly NegotiationReceiptChange[];
}

export type NegotiationTimelineEntry = { kind: "counter"; at: string; counter: NegotiationCounter } | { kind: "receipt"; at: string; receipt: NegotiationReceipt };

export interface NegotiationOfferLine {
  lineId: string;
  position: number;
  description: string;
  unit: string;
  askedQuantity: number;
  unitPrice: NegotiationMoney;
  quantity: number;
  lineTotal: NegotiationMoney;
}

export interface NegotiationOffer {
  id: string;
  status: string;
  revision: number;
  total: NegotiationMoney;
  leadTimeDays: number;
  validUntil: string;
  lines: readonly NegotiationOfferLine[];
}

/** The buyer's page of one offer (getOfferNegotiation). */
export interface BuyerNegotiationView {
  rfq: { id: string; reference: string; title: string; status: string; sealing: "sealed" | "open"; currency: string; deadline: string | null; closedAt: string | null };
  seller: { id: string; name: string };
  offer: NegotiationOffer;
  counters: readonly NegotiationCounter[];
  timeline: readonly NegotiationTimelineEntry[];
  serverNow: string;
  canCounter: boolean;
  counterBlockedBy: string | null;
  latestRespondBy: string;
}

/** The seller's page of one RFQ (getSellerNegotiation). */
export interface SellerNegotiationView {
  rfq: { id: string; reference: string; title: string; buyerName: string; status: string; sealing: "sealed" | "open"; currency: string; deadline: string | null };
  offer: NegotiationOffer | null;
  counters: readonly NegotiationCounter[];
  timeline: readonly NegotiationTimelineEntry[];
  serverNow: string;
  canAnswer: boolean;
  answerBlockedBy: string | null;
}

/** What each form of the negotiation pages asks its action to do (its `intent`). */
export const NEGOTIATION_INTENT = {
  counter: "counter",
  accept: "accept",
  decline: "decline",
  revise: "revise",
} as const;

/** The flash message of each answer (the seller's action redirects with it). */
export const NEGOTIATION_FLASH = {
  counter: "flash.negotiation.sent",
  accept: "flash.negotiation.accepted",
  decline: "flash.negotiation.declined",
  revise: "flash.negotiation.revised",
} as const;
