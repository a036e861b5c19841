export * from "./views";
export * from "./conversation-pages";
export * from "./moderation-pages";
export * from "./message-link";
