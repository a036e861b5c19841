export * from "./common";
export * from "./budgets-pages";
export * from "./approval-chain";
