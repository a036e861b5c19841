export type { AppName, Session } from "@souk/db";
export * from "./password";
export * from "./session";
export * from "./cookie";
export * from "./throttle";
export * from "./origin";
