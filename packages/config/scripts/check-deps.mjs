#!/usr/bin/env node
// Enforces the dependency rules of DESIGN.md §3 across the workspace.
//
//   node packages/config/scripts/check-deps.mjs [--root <dir>]
//
// Exit 0 when every rule holds, 1 with one line per violation otherwise, 2 on a usage error.
// Imports are read with the TypeScript parser (the root's own devDependency) rather than regexes,
// so comments, strings and JSX cannot produce false hits and `import type` is not missed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SCOPE = "@souk/";

// Which workspaces each workspace may import (short names: "db" is @souk/db). A workspace missing
// here is itself a violation, so a new package cannot slip in without a decision about its edges.
const APP_EDGES = ["services", "auth", "domain", "ui"];
const RULES = {
  domain: [],
  db: ["domain"],
  search: ["domain", "db"],
  jobs: ["domain", "db"],
  auth: ["domain", "db"],
  services: ["domain", "db", "search", "jobs", "auth"],
  // Components for the browser, plus the apps' server glue (@souk/ui/server: guards, cookies, the
  // Origin check) built on auth. Never services, db or jobs: each app wires its own use cases in.
  ui: ["domain", "auth"],
  buyer: APP_EDGES,
  seller: APP_EDGES,
  operator: APP_EDGES,
  worker: ["services", "jobs", "search", "domain"],
  // Below services only. A package whose own tests use testing cannot be imported here either:
  // that is a cycle through devDependencies, which turbo refuses and the cycle check reports.
  testing: ["domain", "db", "search", "jobs", "auth"],
  // Benchmarks (infra/bench) drive the real packages; the worker they measure runs as its own process.
  bench: ["domain", "db", "search", "services"],
  // Fault drills (infra/drills) break the real processes; they reuse the worker's settlement fixtures.
  drills: ["domain", "db", "search", "jobs", "services", "worker"],
  config: [],
  e2e: [],
};
const APPS = new Set(["buyer", "seller", "operator", "worker"]);
const REMIX_APPS = ["buyer", "seller", "operator"];

// Build and test tooling: any workspace may use them, but only from tests and config files.
const DEV_TOOLS = new Set(["config", "testing"]);

// domain is pure and also reaches the browser (through ui and the apps), where no Node built-in
// exists: every node: module is refused, node:crypto included. These are the stack's I/O libraries.
const IO_LIBRARIES = new Set([
  "pg", "pg-pool", "postgres", "kysely", "ioredis", "redis", "bullmq", "meilisearch", "nodemailer",
  "@node-rs/argon2", "undici", "node-fetch", "axios", "express",
  "@remix-run/node", "@remix-run/express", "@remix-run/serve", "@electric-sql/pglite",
]);

const ROUTE_SQL_LIBRARIES = new Set(["kysely", "pg", "pg-pool", "postgres"]);
const QUERY_BUILDER_METHODS = new Set(["selectFrom", "insertInto", "updateTable", "deleteFrom", "mergeInto", "replaceInto"]);

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(["node_modules", "build", "dist", "coverage", "test-results", "playwright-report"]);
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const TEST_DIR = /(?:^|\/)(?:__tests__|tests?|fixtures)\//;
const TOOLING_FILE = /(?:^|\/)[^/]+\.config\.[cm]?[jt]s$|(?:^|\/)vitest\.[^/]+\.[cm]?[jt]s$/;
const BUILTINS = new Set(builtinModules);

function parseArgs(argv) {
  const scriptRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  let root = scriptRoot;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--root" && argv[i + 1]) root = path.resolve(argv[++i]);
    else if (argv[i].startsWith("--root=")) root = path.resolve(argv[i].slice("--root=".length));
    else usage(`unknown argument ${argv[i]}`);
  }
  return { root };
}

class UsageError extends Error {}

function usage(message) {
  throw new UsageError(message);
}

// Only the `packages:` list of pnpm-workspace.yaml matters, and only `dir`/`dir/*` patterns are
// used, so a full YAML parser would be a dependency for nothing.
function workspacePatterns(root) {
  const file = path.join(root, "pnpm-workspace.yaml");
  if (!existsSync(file)) usage(`no pnpm-workspace.yaml in ${root}`);
  const patterns = [];
  let inPackages = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (inPackages && /^\s+-\s+/.test(line)) patterns.push(line.replace(/^\s+-\s+/, "").replace(/\s+#.*$/, "").replace(/^["']|["']$/g, "").trim());
    else if (inPackages && /^\S/.test(line)) inPackages = false;
  }
  return patterns;
}

function findWorkspaces(root) {
  const dirs = [];
  for (const pattern of workspacePatterns(root)) {
    if (pattern.startsWith("!")) continue;
    if (pattern.endsWith("/*")) {
      const parent = path.join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.push(path.join(parent, entry.name));
      }
    } else if (!pattern.includes("*")) {
      dirs.push(path.join(root, pattern));
    } else {
      usage(`unsupported workspace pattern "${pattern}" in pnpm-workspace.yaml`);
    }
  }
  return dirs
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .map((dir) => {
      const manifestPath = path.join(dir, "package.json");
      const text = readFileSync(manifestPath, "utf8");
      const manifest = JSON.parse(text);
      return {
        dir,
        manifestPath,
        manifestText: text,
        name: manifest.name,
        short: typeof manifest.name === "string" && manifest.name.startsWith(SCOPE) ? manifest.name.slice(SCOPE.length) : null,
        dependencies: { ...manifest.optionalDependencies, ...manifest.peerDependencies, ...manifest.dependencies },
        devDependencies: { ...manifest.devDependencies },
      };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

function* sourceFiles(dir, otherWorkspaceDirs) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith(".") || otherWorkspaceDirs.has(full)) continue;
      yield* sourceFiles(full, otherWorkspaceDirs);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      yield full;
    }
  }
}

function scriptKind(file) {
  if (file.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (file.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Every module specifier in a file, plus the spots that build SQL (reported only in routes). */
function scan(file) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, scriptKind(file));
  const imports = [];
  const sql = [];
  const lineOf = (node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const stringOf = (node) => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null);
  const addImport = (specifierNode, at) => {
    const specifier = stringOf(specifierNode);
    if (specifier !== null) imports.push({ specifier, line: lineOf(at) });
  };

  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) addImport(node.moduleSpecifier, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      addImport(node.moduleReference.expression, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      addImport(node.argument.literal, node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) {
        addImport(node.arguments[0], node);
      } else if (ts.isPropertyAccessExpression(callee)) {
        if (QUERY_BUILDER_METHODS.has(callee.name.text)) sql.push({ line: lineOf(callee.name), what: `.${callee.name.text}(` });
        else if (ts.isIdentifier(callee.expression) && callee.expression.text === "sql") sql.push({ line: lineOf(node), what: `sql.${callee.name.text}(` });
      }
    } else if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      if ((ts.isIdentifier(tag) && tag.text === "sql") || (ts.isPropertyAccessExpression(tag) && tag.name.text === "sql")) {
        sql.push({ line: lineOf(node), what: "sql`…` template" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, sql };
}

function packageNameOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function isBuiltin(specifier) {
  return specifier.startsWith("node:") || BUILTINS.has(specifier) || BUILTINS.has(packageNameOf(specifier));
}

function isInside(dir, file) {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function lineContaining(text, needle) {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

/** Line of `"<key>"` inside the manifest's `section` object, for pointing at package.json lines. */
function manifestLine(text, section, key) {
  const lines = text.split("\n");
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(`"${section}"`)) inSection = true;
    else if (inSection && lines[i].includes(`"${key}"`)) return i + 1;
    else if (inSection && /^\s*}/.test(lines[i])) inSection = false;
  }
  return 1;
}

function allowedList(short) {
  const allowed = RULES[short];
  return allowed.length === 0 ? "nothing from the workspace" : `only ${allowed.map((s) => SCOPE + s).join(", ")}`;
}

export function checkDependencies(root) {
  const workspaces = findWorkspaces(root);
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const workspaceDirs = new Set(workspaces.map((w) => w.dir));
  const violations = [];
  const rel = (file) => path.relative(root, file).split(path.sep).join("/");
  const report = (file, line, message) => violations.push({ where: `${rel(file)}:${line}`, message });

  // Edges for the cycle search; the first piece of evidence is kept to explain a cycle.
  const edges = new Map(workspaces.map((w) => [w.name, new Map()]));
  const addEdge = (from, to, evidence) => {
    if (from !== to && edges.has(from) && edges.has(to) && !edges.get(from).has(to)) edges.get(from).set(to, evidence);
  };

  for (const w of workspaces) {
    if (w.short === null || path.basename(w.dir) !== w.short) {
      report(w.manifestPath, lineContaining(w.manifestText, '"name"'), `workspace is named ${JSON.stringify(w.name)}; workspaces are named ${SCOPE}<folder> (${SCOPE}${path.basename(w.dir)})`);
    }
    if (w.short !== null && !(w.short in RULES)) {
      report(w.manifestPath, 1, `no dependency rule for ${w.name}: add its allowed edges to RULES in packages/config/scripts/check-deps.mjs`);
    }
    for (const [section, deps] of [["dependencies", w.dependencies], ["devDependencies", w.devDependencies]]) {
      for (const dep of Object.keys(deps).filter((d) => d.startsWith(SCOPE))) {
        const line = manifestLine(w.manifestText, section, dep);
        const target = byName.get(dep);
        if (!target) {
          report(w.manifestPath, line, `${section} lists ${dep}, which is not a workspace`);
          continue;
        }
        addEdge(w.name, dep, `${rel(w.manifestPath)}:${line} (${section})`);
        if (dep === "@souk/testing" && section === "dependencies") {
          report(w.manifestPath, line, `${dep} is in dependencies — testing may only be a devDependency`);
        } else if (w.short in RULES && !DEV_TOOLS.has(target.short) && !RULES[w.short].includes(target.short)) {
          report(w.manifestPath, line, `${w.name} depends on ${dep} — ${w.name} may depend on ${allowedList(w.short)} (DESIGN.md §3)`);
        }
      }
    }
  }

  let fileCount = 0;
  let importCount = 0;
  for (const w of workspaces) {
    const others = new Set([...workspaceDirs].filter((d) => d !== w.dir));
    const routeDirs = REMIX_APPS.includes(w.short) ? [path.join(w.dir, "app", "routes")] : [];
    for (const file of sourceFiles(w.dir, others)) {
      fileCount++;
      const relInWorkspace = path.relative(w.dir, file).split(path.sep).join("/");
      const isDevFile = w.short === "e2e" || TEST_FILE.test(relInWorkspace) || TEST_DIR.test(relInWorkspace) || TOOLING_FILE.test(relInWorkspace);
      const isTooling = TOOLING_FILE.test(relInWorkspace);
      const isRoute = routeDirs.some((dir) => isInside(dir, file));
      let scanned;
      try {
        scanned = scan(file);
      } catch (error) {
        report(file, 1, `could not be parsed: ${error.message}`);
        continue;
      }

      for (const { specifier, line } of scanned.imports) {
        importCount++;
        const at = `import ${JSON.stringify(specifier)}`;

        if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
          const resolved = path.resolve(path.dirname(file), specifier);
          if (!isInside(w.dir, resolved)) {
            const target = workspaces.find((o) => isInside(o.dir, resolved));
            report(file, line, `${at} — reaches outside ${w.name}${target ? ` into ${target.name}` : ""} by path; import workspaces by package name so the rules apply`);
          }
          continue;
        }

        if (specifier.startsWith(SCOPE)) {
          const targetName = packageNameOf(specifier);
          const target = byName.get(targetName);
          if (!target) {
            report(file, line, `${at} — ${targetName} is not a workspace`);
            continue;
          }
          if (target === w) continue;
          addEdge(w.name, target.name, `${rel(file)}:${line}`);
          const declaredProd = targetName in w.dependencies;
          const declaredDev = targetName in w.devDependencies;

          if (DEV_TOOLS.has(target.short)) {
            if (!isDevFile) report(file, line, `${at} — ${targetName} is a dev tool: only tests and config files may import it`);
          } else if (w.short in RULES && !RULES[w.short].includes(target.short)) {
            const why = APPS.has(w.short) && APPS.has(target.short)
              ? "an app never imports another app"
              : `${w.name} may import ${allowedList(w.short)}`;
            report(file, line, `${at} — forbidden: ${why} (DESIGN.md §3)`);
            continue;
          }
          if (!declaredProd && !declaredDev) {
            report(file, line, `${at} — ${targetName} is not declared in ${rel(w.manifestPath)}`);
          } else if (!declaredProd && !isDevFile) {
            report(file, line, `${at} — ${targetName} is only a devDependency of ${w.name}, but this is not a test or config file`);
          }
          continue;
        }

        const pkg = packageNameOf(specifier);
        if (w.short === "domain" && !isTooling) {
          if (isBuiltin(specifier)) report(file, line, `${at} — domain is pure: no Node built-in modules (DESIGN.md §3)`);
          else if (IO_LIBRARIES.has(pkg)) report(file, line, `${at} — domain is pure: no I/O library (DESIGN.md §3)`);
        }
        if (isRoute && ROUTE_SQL_LIBRARIES.has(pkg)) {
          report(file, line, `${at} — no SQL in route files: call a service instead (DESIGN.md §3)`);
        }
      }

      if (isRoute) {
        for (const { line, what } of scanned.sql) {
          report(file, line, `${what} — no SQL in route files: call a service instead (DESIGN.md §3)`);
        }
      }
    }
  }

  for (const cycle of findCycles(edges)) {
    const steps = cycle.slice(0, -1).map((from, i) => `${from} → ${cycle[i + 1]} (${edges.get(from).get(cycle[i + 1])})`);
    violations.push({ where: "cycle", message: `${cycle.join(" → ")}\n    ${steps.join("\n    ")}` });
  }

  return { ok: violations.length === 0, violations, workspaces: workspaces.length, files: fileCount, imports: importCount };
}

/** One representative cycle per strongly connected component (Tarjan), as a closed path. */
function findCycles(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const strongConnect = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v).keys()) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(new Set(component));
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) strongConnect(v);

  return components.map((component) => {
    // Shortest cycle through the component's first node (BFS), so the report is easy to read.
    const start = [...component].sort()[0];
    const previous = new Map([[start, null]]);
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift();
      for (const w of [...edges.get(v).keys()].sort()) {
        if (!component.has(w)) continue;
        if (w === start) {
          const cycle = [start];
          for (let u = v; u !== null; u = previous.get(u)) cycle.unshift(u);
          return cycle;
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

/** The CLI, callable in-process by the tests; returns the exit code. */
export function main(argv, out = console) {
  let result;
  try {
    result = checkDependencies(parseArgs(argv).root);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(`check-deps: ${error.message}\nusage: node packages/config/scripts/check-deps.mjs [--root <dir>]`);
    return 2;
  }
  const stats = `${result.workspaces} workspaces, ${result.files} files, ${result.imports} imports checked`;
  if (result.ok) {
    out.log(`dependency rules: ${stats} — OK`);
    return 0;
  }
  for (const v of result.violations) out.error(`${v.where}: ${v.message}`);
  out.error(`\ndependency rules: ${result.violations.length} violation(s) — ${stats} (see DESIGN.md §3)`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
