export * from "./types";
export * from "./timeline";
export * from "./buyer-negotiation-page";
export * from "./seller-negotiation-page";
