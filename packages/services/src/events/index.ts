export * from "./registry";
export { BUILT_IN_CONSUMERS } from "./consumers";
