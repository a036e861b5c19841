import { vitePlugin as remix } from "@remix-run/dev";
import { remixAppConfig } from "@souk/ui/vite";

declare module "@remix-run/node" {
  // Types loader data as single fetch serialises it (Dates stay Dates).
  interface Future {
    v3_singleFetch: true;
  }
}

export default remixAppConfig(remix);
