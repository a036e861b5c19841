export * from "./list-operator-rfqs";
export * from "./get-operator-rfq";
