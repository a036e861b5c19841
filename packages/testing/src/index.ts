export * from "./env";
export * from "./database";
export * from "./redis";
export * from "./clock";
