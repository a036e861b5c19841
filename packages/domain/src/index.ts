export * from "./ids";
export * from "./errors";
export * from "./roles";
export * from "./money";
export * from "./actor";
export * from "./seller-vetting";
export * from "./company-number";
