export * from "./common";
export * from "./approval-rules";
export * from "./approvals";
export * from "./orders";
export * from "./order-lifecycle";
export * from "./disputes";
