export * from "./relay-outbox";
