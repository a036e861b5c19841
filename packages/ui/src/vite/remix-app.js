// Plain JS on purpose: Vite loads config files with Node, which cannot import a workspace `.ts`.

/**
 * Workspace packages are TypeScript sources that Node runs through tsx; they must stay imports in
 * the server build so that kysely, pg and argon2 load from node_modules at run time (decision 0001).
 * `ssr.external` alone is not enough: Vite only externalises files it could load as JavaScript
 * (.js/.mjs/.cjs), so the server build also lists them as Rollup externals. `@souk/ui/server` is one
 * of them: its Express and Remix adapters resolve from @souk/ui, not from the app.
 */
export const SERVER_ONLY_PACKAGES = ["@souk/services", "@souk/auth", "@souk/domain", "@souk/ui/server"];

const isServerOnly = (id) => SERVER_ONLY_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`));

/**
 * The Vite config of a Souk Remix app. The app passes its own Remix plugin (`vitePlugin` of
 * @remix-run/dev, its devDependency) so that one copy of the plugin and of Vite runs the build.
 * @param {(options: { future: Record<string, boolean> }) => unknown} remix
 */
export function remixAppConfig(remix) {
  return ({ isSsrBuild, mode }) => ({
    plugins: [
      // Vitest runs in mode "test", where the Remix plugin must stay out.
      mode !== "test" &&
        remix({
          // Every v3 flag, so that a later move to React Router 7 stays mechanical.
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
    build: isSsrBuild ? { rollupOptions: { external: isServerOnly } } : {},
  });
}
