import { soukVitestConfig } from "@souk/config/vitest";

// Pure unit tests: no migrated template database to build, so no integration global setup.
export default soukVitestConfig();
