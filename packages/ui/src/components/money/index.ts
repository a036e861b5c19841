export * from "./common";
export * from "./commission-rules";
export * from "./ledger";
export * from "./payouts";
export * from "./seller-money";
export * from "./buyer-balances";
