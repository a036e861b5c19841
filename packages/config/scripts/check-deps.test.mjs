// Builds small fake workspaces in a temporary directory and runs the checker on them as CI does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "./check-deps.mjs";

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "check-deps.mjs");

const app = { dependencies: ["services", "auth", "domain", "ui"], devDependencies: ["config", "testing"] };
// A tree that follows DESIGN.md §3; each test breaks exactly one thing.
const WORKSPACES = {
  "packages/domain": { devDependencies: ["config"] },
  "packages/db": { dependencies: ["domain"], devDependencies: ["config"] },
  "packages/search": { dependencies: ["domain", "db"], devDependencies: ["config", "testing"] },
  "packages/jobs": { dependencies: ["domain", "db"], devDependencies: ["config", "testing"] },
  "packages/auth": { dependencies: ["domain", "db"], devDependencies: ["config", "testing"] },
  "packages/services": { dependencies: ["domain", "db", "search", "jobs", "auth"], devDependencies: ["config", "testing"] },
  "packages/ui": { dependencies: ["domain", "auth"], devDependencies: ["config"] },
  "packages/testing": { dependencies: ["domain", "db"], devDependencies: ["config"] },
  "packages/config": {},
  "apps/buyer": app,
  "apps/seller": app,
  "apps/operator": app,
  "apps/worker": { dependencies: ["services", "jobs", "search", "domain"], devDependencies: ["config", "testing"] },
  e2e: { devDependencies: ["config"] },
};

const CLEAN_FILES = {
  "packages/domain/src/money.ts": `import { z } from "zod";\nexport type Money = { amount: bigint };\nexport const schema = z.string();\n`,
  "packages/domain/src/money.test.ts": `import fc from "fast-check";\nimport { test } from "vitest";\nimport { schema } from "./money";\n`,
  "packages/domain/vitest.config.ts": `import { soukVitestConfig } from "@souk/config/vitest";\nexport default soukVitestConfig();\n`,
  "packages/domain/eslint.config.js": `export { default } from "@souk/config/eslint";\n`,
  "packages/db/src/client.ts": `import { Kysely, sql } from "kysely";\nimport pg from "pg";\nimport type { Money } from "@souk/domain";\nexport const q = (db: Kysely<any>) => db.selectFrom("users").where(sql\`true\`);\n`,
  "packages/services/src/identity/sign-up.ts": `import { createDb } from "@souk/db";\nimport { hashPassword } from "@souk/auth";\nexport * from "@souk/jobs";\nconst lazy = () => import("@souk/search");\n`,
  "packages/services/src/identity/sign-up.test.ts": `import { createTestDatabase } from "@souk/testing";\n`,
  "packages/testing/src/index.ts": `import { createDb } from "@souk/db";\nimport { readFileSync } from "node:fs";\n`,
  "apps/buyer/app/routes/_index.tsx": `// No .selectFrom( here: comments and strings are not code.\nimport { signUp } from "@souk/services";\nimport { Button } from "@souk/ui";\nconst help = "use sql\`...\` in services";\nexport default function Index() { return <Button>{help}</Button>; }\n`,
  "apps/buyer/app/root.tsx": `import { Layout } from "@souk/ui";\nimport { readSessionToken } from "@souk/auth";\n`,
  "packages/ui/src/server/guards.server.ts": `import { readSessionToken } from "@souk/auth";\nimport type { Actor } from "@souk/domain";\n`,
  "apps/buyer/build/server/index.js": `import pg from "pg"; import "@souk/seller";\n`,
  "apps/buyer/node_modules/x/index.js": `import "@souk/seller";\n`,
  "apps/worker/src/main.ts": `const { relayOutbox } = require("@souk/services");\nimport { QUEUES } from "@souk/jobs";\nimport http from "node:http";\n`,
  "e2e/buyer.spec.ts": `import { test } from "@playwright/test";\n`,
};

let root;

function writeTree(files = {}, manifests = {}) {
  const write = (rel, text) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write("pnpm-workspace.yaml", `packages:\n  - "apps/*"\n  - packages/*\n  - e2e # end-to-end\n`);
  for (const [dir, spec] of Object.entries(WORKSPACES)) {
    const deps = (list = []) => Object.fromEntries(list.map((d) => [`@souk/${d}`, "workspace:*"]));
    const manifest = { name: `@souk/${path.basename(dir)}`, dependencies: deps(spec.dependencies), devDependencies: deps(spec.devDependencies), ...manifests[dir] };
    write(`${dir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  for (const [rel, text] of Object.entries({ ...CLEAN_FILES, ...files })) write(rel, text);
}

// In-process: the TypeScript parser loads once instead of once per case.
function check() {
  const out = [];
  const err = [];
  const status = main(["--root", root], { log: (s) => out.push(s), error: (s) => err.push(s) });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

function assertViolation(files, expected, manifests) {
  writeTree(files, manifests);
  const { status, err } = check();
  assert.equal(status, 1, `expected a failure, got:\n${err}`);
  for (const fragment of [expected].flat()) assert.match(err, fragment);
  return err;
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "check-deps-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("check-deps", () => {
  it("passes on a clean tree and ignores build output, node_modules, comments and strings", () => {
    writeTree();
    const { status, out, err } = check();
    assert.equal(status, 0, err);
    assert.match(out, /^dependency rules: 14 workspaces, \d+ files, \d+ imports checked — OK$/m);
  });

  it("refuses an I/O library in domain", () => {
    assertViolation(
      { "packages/domain/src/repo.ts": `\nimport type { Kysely } from "kysely";\nimport pg from "pg";\n` },
      [/packages\/domain\/src\/repo\.ts:2: import "kysely" — domain is pure: no I\/O library/, /packages\/domain\/src\/repo\.ts:3: import "pg"/],
    );
  });

  it("refuses every Node built-in in domain, node:crypto included", () => {
    assertViolation(
      { "packages/domain/src/ids.ts": `import { randomUUID } from "node:crypto";\nconst fs = require("fs");\n` },
      [/ids\.ts:1: import "node:crypto" — domain is pure: no Node built-in/, /ids\.ts:2: import "fs"/],
    );
  });

  it("refuses any workspace import from domain", () => {
    assertViolation(
      { "packages/domain/src/x.ts": `export { createDb } from "@souk/db";\n` },
      /packages\/domain\/src\/x\.ts:1: import "@souk\/db" — forbidden: @souk\/domain may import nothing from the workspace/,
    );
  });

  it("refuses an app importing another app", () => {
    assertViolation(
      { "apps/buyer/app/lib/offers.ts": `const m = await import("@souk/seller/app/lib/offers");\n` },
      /apps\/buyer\/app\/lib\/offers\.ts:1: import "@souk\/seller\/app\/lib\/offers" — forbidden: an app never imports another app/,
    );
  });

  it("refuses an app importing db or jobs", () => {
    assertViolation(
      { "apps/seller/app/lib/x.ts": `import { createDb } from "@souk/db";\nimport { QUEUES } from "@souk/jobs";\n` },
      [/x\.ts:1: import "@souk\/db" — forbidden: @souk\/seller may import only @souk\/services, @souk\/auth, @souk\/domain, @souk\/ui/, /x\.ts:2: import "@souk\/jobs"/],
    );
  });

  it("lets ui use auth for the apps' server glue, but never services, db or jobs", () => {
    const err = assertViolation(
      { "packages/ui/src/server/guards.server.ts": `import { readSessionToken } from "@souk/auth";\nimport { resolveSession } from "@souk/services";\nimport { createDb } from "@souk/db";\nimport { QUEUES } from "@souk/jobs";\n` },
      [
        /guards\.server\.ts:2: import "@souk\/services" — forbidden: @souk\/ui may import only @souk\/domain, @souk\/auth/,
        /guards\.server\.ts:3: import "@souk\/db" — forbidden/,
        /guards\.server\.ts:4: import "@souk\/jobs" — forbidden/,
      ],
    );
    assert.doesNotMatch(err, /guards\.server\.ts:1:/);
  });

  it("refuses ui declaring services as a dependency", () => {
    assertViolation({}, /packages\/ui\/package\.json:\d+: @souk\/ui depends on @souk\/services — @souk\/ui may depend on only @souk\/domain, @souk\/auth/, {
      "packages/ui": { dependencies: { "@souk/domain": "workspace:*", "@souk/auth": "workspace:*", "@souk/services": "workspace:*" } },
    });
  });

  it("refuses services importing an app", () => {
    assertViolation(
      { "packages/services/src/leak.ts": `import type { loader } from "@souk/buyer";\n` },
      /packages\/services\/src\/leak\.ts:1: import "@souk\/buyer" — forbidden: @souk\/services may import only/,
    );
  });

  it("reports a cycle with its path and evidence", () => {
    const err = assertViolation(
      { "packages/db/src/users.ts": `import { hashPassword } from "@souk/auth";\n` },
      [/cycle: @souk\/auth → @souk\/db → @souk\/auth/, /@souk\/db → @souk\/auth \(packages\/db\/package\.json:\d+ \(dependencies\)\)/],
      { "packages/db": { dependencies: { "@souk/domain": "workspace:*", "@souk/auth": "workspace:*" } } },
    );
    assert.match(err, /packages\/db\/src\/users\.ts:1: import "@souk\/auth" — forbidden/);
  });

  it("finds a cycle made only of observed imports", () => {
    assertViolation(
      { "packages/db/src/users.ts": `import "@souk/auth";\n` },
      /cycle: @souk\/auth → @souk\/db → @souk\/auth\n\s+@souk\/auth → @souk\/db \(packages\/auth\/package\.json:\d+ \(dependencies\)\)\n\s+@souk\/db → @souk\/auth \(packages\/db\/src\/users\.ts:1\)/,
    );
  });

  it("refuses SQL in route files", () => {
    assertViolation(
      {
        "apps/operator/app/routes/sellers.$id.tsx": [
          `import { sql } from "kysely";`,
          `export async function loader({ db }: any) {`,
          `  await sql\`select 1\`.execute(db);`,
          `  return db`,
          `    .selectFrom("organizations")`,
          `    .selectAll();`,
          `}`,
          `export const save = (db: any) => db.insertInto("x").values({});`,
        ].join("\n"),
      },
      [
        /sellers\.\$id\.tsx:1: import "kysely" — no SQL in route files/,
        /sellers\.\$id\.tsx:3: sql`…` template — no SQL in route files/,
        /sellers\.\$id\.tsx:5: \.selectFrom\( — no SQL in route files/,
        /sellers\.\$id\.tsx:8: \.insertInto\( — no SQL in route files/,
      ],
    );
  });

  it("refuses @souk/testing in dependencies", () => {
    assertViolation({}, /packages\/services\/package\.json:\d+: @souk\/testing is in dependencies — testing may only be a devDependency/, {
      "packages/services": { dependencies: { "@souk/domain": "workspace:*", "@souk/testing": "workspace:*" } },
    });
  });

  it("refuses @souk/testing from production code but allows it in tests", () => {
    assertViolation(
      { "packages/services/src/identity/sign-in.ts": `import { createTestDatabase } from "@souk/testing";\n` },
      /sign-in\.ts:1: import "@souk\/testing" — @souk\/testing is a dev tool: only tests and config files may import it/,
    );
  });

  it("refuses an allowed workspace that is not declared in package.json", () => {
    assertViolation(
      { "packages/ui/src/price.tsx": `import { format } from "@souk/domain";\n` },
      /packages\/ui\/src\/price\.tsx:1: import "@souk\/domain" — @souk\/domain is not declared in packages\/ui\/package\.json/,
      { "packages/ui": { dependencies: {} } },
    );
  });

  it("refuses a devDependency-only workspace in non-test code, but not in tests", () => {
    const manifests = { "packages/ui": { dependencies: {}, devDependencies: { "@souk/domain": "workspace:*", "@souk/config": "workspace:*" } } };
    const err = assertViolation(
      {
        "packages/ui/src/price.tsx": `import { format } from "@souk/domain";\n`,
        "packages/ui/src/price.test.tsx": `import { money } from "@souk/domain";\n`,
      },
      /price\.tsx:1: import "@souk\/domain" — @souk\/domain is only a devDependency of @souk\/ui, but this is not a test or config file/,
      manifests,
    );
    assert.doesNotMatch(err, /price\.test\.tsx/);
  });

  it("refuses a forbidden workspace declared in package.json even before it is imported", () => {
    assertViolation({}, /apps\/buyer\/package\.json:\d+: @souk\/buyer depends on @souk\/db — @souk\/buyer may depend on only/, {
      "apps/buyer": { dependencies: { "@souk/services": "workspace:*", "@souk/db": "workspace:*" } },
    });
  });

  it("refuses a relative import into another workspace", () => {
    assertViolation(
      { "apps/buyer/app/lib/db.ts": `import { createDb } from "../../../../packages/db/src/client";\n` },
      /apps\/buyer\/app\/lib\/db\.ts:1: import "\.\.\/\.\.\/\.\.\/\.\.\/packages\/db\/src\/client" — reaches outside @souk\/buyer into @souk\/db by path/,
    );
  });

  it("refuses an unknown @souk package and a workspace without a rule", () => {
    assertViolation({ "packages/services/src/x.ts": `import "@souk/payments";\n` }, /x\.ts:1: import "@souk\/payments" — @souk\/payments is not a workspace/);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root);
    assertViolation({ "packages/payments/package.json": `{ "name": "@souk/payments" }\n` }, /packages\/payments\/package\.json:1: no dependency rule for @souk\/payments/);
  });

  it("runs as a CLI with the documented exit codes", () => {
    writeTree();
    const ok = spawnSync(process.execPath, [script, "--root", root], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /— OK\n$/);
    writeTree({ "apps/worker/src/routes.ts": `import "@souk/buyer";\n` });
    const failed = spawnSync(process.execPath, [script, `--root=${root}`], { encoding: "utf8" });
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /^apps\/worker\/src\/routes\.ts:1: import "@souk\/buyer" — forbidden: an app never imports another app/m);
    const bad = spawnSync(process.execPath, [script, "--bogus"], { encoding: "utf8" });
    assert.equal(bad.status, 2);
  });

  it("exits 2 on a root that is not a workspace", () => {
    const { status, err } = check();
    assert.equal(status, 2);
    assert.match(err, /no pnpm-workspace\.yaml/);
  });
});
