export * from "./relay-outbox";
export * from "./transport";
export * from "./transport-redactions";
