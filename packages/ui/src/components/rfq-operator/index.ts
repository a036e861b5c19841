export * from "./views";
export * from "./rfq-operator-pages";
