import { soukVitestConfig } from "@souk/config/vitest";

// Not `integration: true`: @souk/testing depends on this package, so these tests migrate a
// database of their own instead of cloning the shared template.
export default soukVitestConfig();
