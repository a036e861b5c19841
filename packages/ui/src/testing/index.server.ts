/** @souk/ui/testing — helpers for the apps' tests (server-only, test-only). */
export * from "./app-process.server";
export * from "./app-server-suite.server";
export * from "./route-harness.server";
export * from "./event-stream-reader.server";
