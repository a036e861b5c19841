export * from "./send-counter";
export * from "./answer-counter";
export * from "./get-offer-negotiation";
export * from "./get-seller-negotiation";
export type { CounterLineView, CounterView, NegotiationLineView, NegotiationOfferView, ReceiptChange, ReceiptEntryView, TimelineEntry } from "./shared";
