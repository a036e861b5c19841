import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The three apps share their server, guards, error mapping and most routes as identical copies
 * (apps may not import each other, and these pieces need @souk/services, which @souk/ui must not).
 * This test keeps the copies from drifting apart: only the files listed here may differ.
 */
const appsDir = fileURLToPath(new URL("../../", import.meta.url));
const MAY_DIFFER = new Set(["app/lib/app.ts", "app/routes/_index.tsx", "app/identity.test.ts", "app/shared-files.test.ts"]);
/** Files only some apps have: operators never sign up. */
const ONLY_IN = new Map([["app/routes/sign-up.tsx", ["buyer", "seller"]]]);
const SKIP_DIRS = new Set(["node_modules", "build", ".cache", ".turbo", "public"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : files(path);
    return /\.(ts|tsx|json|js)$/.test(name) && name !== "package.json" ? [path] : [];
  });
}

describe("files shared by the three apps", () => {
  const buyer = join(appsDir, "buyer");
  const shared = files(buyer)
    .map((f) => relative(buyer, f))
    .filter((f) => !MAY_DIFFER.has(f));

  it.each(["seller", "operator"])("are identical in the %s app", (app) => {
    const different: string[] = [];
    for (const file of shared) {
      const other = join(appsDir, app, file);
      const expected = ONLY_IN.get(file);
      if (expected && !expected.includes(app)) {
        if (existsSync(other)) different.push(`${file} (must not exist)`);
        continue;
      }
      if (!existsSync(other) || readFileSync(other, "utf8") !== readFileSync(join(buyer, file), "utf8")) different.push(file);
    }
    expect(different).toEqual([]);
  });
});
