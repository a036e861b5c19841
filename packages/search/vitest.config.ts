import { soukVitestConfig } from "@souk/config/vitest";

export default soukVitestConfig({ integration: true });
