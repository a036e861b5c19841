import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  // Types loader data as single fetch serialises it (Dates stay Dates).
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * Workspace packages are TypeScript sources that Node runs through tsx; they must stay imports in
 * the server build so that kysely, pg and argon2 load from node_modules at run time. `ssr.external`
 * alone is not enough: Vite only externalises files it could load as JavaScript (.js/.mjs/.cjs),
 * so the server build also lists them as Rollup externals.
 */
const SERVER_ONLY_PACKAGES = ["@souk/services", "@souk/auth", "@souk/domain"];

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [
    !process.env.VITEST &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
  ],
  ssr: { external: SERVER_ONLY_PACKAGES },
  build: isSsrBuild ? { rollupOptions: { external: (id: string) => SERVER_ONLY_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`)) } } : {},
}));
