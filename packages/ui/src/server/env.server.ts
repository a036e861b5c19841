import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { AppKind } from "../types";

/**
 * Uploaded documents in development: `.data/storage` at the repository's root (gitignored), outside
 * every app's public folder and build. Production names its own directory with STORAGE_DIR.
 */
export const DEFAULT_STORAGE_DIR = fileURLToPath(new URL("../../../../.data/storage", import.meta.url));

function blank(value: string | undefined): string | null {
  return value && value.trim() !== "" ? value.trim() : null;
}

/** One entry of TRUST_PROXY: an address, a CIDR range, or one of Express's named ranges. */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: which peers may tell the client's address in X-Forwarded-For (Express's "trust
 * proxy"). Unset: none, the socket's address is the client's. A number is the count of proxy hops
 * in front of the app; otherwise a comma-separated list of addresses, CIDR ranges or loopback,
 * linklocal, uniquelocal. Behind a load balancer, without it every visitor would share the
 * balancer's address, and the sign-in throttle's per-address budget with it.
 */
const trustProxySchema = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx): number | string[] | false => {
    if (!value) return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(",").map((e) => e.trim());
    const wrong = entries.filter((e) => !isProxyAddress(e));
    if (wrong.length > 0) {
      ctx.addIssue({ code: "custom", message: `not a hop count, an address, a CIDR range, loopback, linklocal or uniquelocal: ${wrong.join(", ")}` });
      return z.NEVER;
    }
    return entries;
  });

function schemaFor(app: AppKind, defaultPort: number) {
  return z
    .object({
      NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
      PORT: z.coerce.number().int().min(1).max(65535).default(defaultPort),
      DATABASE_URL: z.url().optional(),
      PUBLIC_URL: z.url().optional(),
      BUYER_URL: z.url().default("http://localhost:3001"),
      SELLER_URL: z.url().default("http://localhost:3002"),
      OPERATOR_URL: z.url().default("http://localhost:3003"),
      DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
      STORAGE_DIR: z.string().trim().min(1).optional(),
      MEILI_URL: z.url().optional().or(z.literal("")),
      MEILI_ADMIN_KEY: z.string().optional(),
      MEILI_MASTER_KEY: z.string().optional(),
      MEILI_SEARCH_KEY: z.string().optional(),
      MEILI_INDEX: z.string().optional(),
      // Blank or unset: /metrics is open outside production and closed in it; see decision 0018.
      METRICS_TOKEN: z.string().trim().refine((t) => t === "" || t.length >= 16, "at least 16 characters, or empty").optional(),
      TRUST_PROXY: trustProxySchema,
    })
    .transform((raw, ctx) => {
      if (!raw.DATABASE_URL && raw.NODE_ENV === "production") {
        ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "DATABASE_URL is required in production" });
        return z.NEVER;
      }
      const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
      const publicUrls = { buyer: raw.BUYER_URL, seller: raw.SELLER_URL, operator: raw.OPERATOR_URL };
      // This app's own address is PUBLIC_URL, whatever the *_URL of its kind says.
      publicUrls[app] = publicUrl;
      return {
        nodeEnv: raw.NODE_ENV,
        isProduction: raw.NODE_ENV === "production",
        port: raw.PORT,
        databaseUrl: raw.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/souk",
        dbPoolSize: raw.DB_POOL_SIZE,
        // Absolute, so that it does not depend on the directory the server was started from.
        storageDir: path.resolve(raw.STORAGE_DIR ?? DEFAULT_STORAGE_DIR),
        publicUrl,
        publicUrls,
        // Without MEILI_URL the catalogue is searched with PostgreSQL full text (packages/search).
        search: {
          meiliUrl: blank(raw.MEILI_URL),
          meiliAdminKey: blank(raw.MEILI_ADMIN_KEY) ?? blank(raw.MEILI_MASTER_KEY),
          meiliSearchKey: blank(raw.MEILI_SEARCH_KEY),
          meiliIndexUid: blank(raw.MEILI_INDEX),
        },
        /** The bearer token /metrics asks for; null: /metrics is open, or closed in production. */
        metricsToken: blank(raw.METRICS_TOKEN),
        /** Express's "trust proxy" (TRUST_PROXY); false: the socket's address is the client's. */
        trustProxy: raw.TRUST_PROXY,
      };
    });
}

export type AppEnv = z.output<ReturnType<typeof schemaFor>>;

/**
 * A Remix app's whole configuration, parsed once at start-up from what its env module passes
 * (only that module reads process.env). Development gets working defaults; production must say
 * where the database is.
 */
export function parseAppEnv(source: Record<string, string | undefined>, options: { app: AppKind; defaultPort: number }): AppEnv {
  const result = schemaFor(options.app, options.defaultPort).safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment for the ${options.app} app:\n${problems}`);
  }
  return result.data;
}
