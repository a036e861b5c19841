export declare const SERVER_ONLY_PACKAGES: readonly string[];

/** A Vite config function (`export default remixAppConfig(remix)` in the app's vite.config.ts). */
export declare function remixAppConfig(remix: (options: { future: Record<string, boolean> }) => unknown): (env: { isSsrBuild?: boolean; mode: string }) => {
  plugins: unknown[];
  ssr: { external: string[] };
  build: object;
};
