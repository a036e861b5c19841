/**
 * @souk/ui/server — the server half of the apps' framework glue: HTTP hardening and start-up,
 * guards, the domain-error → response mapping, request helpers and page data. Server-only: every
 * file is named *.server.ts, so Remix refuses to build a client bundle that reaches one. It never
 * imports @souk/services: each app wires its guards to services itself.
 */
export * from "./app-context.server";
export * from "./app-server.server";
export * from "./download.server";
export * from "./env.server";
export * from "./errors.server";
export * from "./guards.server";
export * from "./page-data.server";
export * from "./request.server";
export * from "./security.server";
export * from "./list-page.server";
export * from "./logging.server";
export * from "./metrics.server";
export * from "./event-stream.server";
export * from "./upload-form.server";
