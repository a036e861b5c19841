export * from "./env";
export * from "./database";
export * from "./redis";
