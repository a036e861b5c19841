export * from "./budget-form";
export * from "./list-budgets";
export * from "./get-budget";
export * from "./create-budget";
export * from "./update-budget";
export * from "./delete-budget";
export * from "./get-budget-status";
export type { BudgetStatusView } from "./shared";
