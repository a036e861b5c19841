import { z } from "zod";
import { APP, DEFAULT_PORT } from "./lib/app";

/**
 * The app's whole configuration, parsed once when the server starts. Nothing else reads
 * process.env. Development gets working defaults; production must say where the database is.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_PORT),
    DATABASE_URL: z.url().optional(),
    PUBLIC_URL: z.url().optional(),
    BUYER_URL: z.url().default("http://localhost:3001"),
    SELLER_URL: z.url().default("http://localhost:3002"),
    OPERATOR_URL: z.url().default("http://localhost:3003"),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  })
  .transform((raw, ctx) => {
    if (!raw.DATABASE_URL && raw.NODE_ENV === "production") {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "DATABASE_URL is required in production" });
      return z.NEVER;
    }
    const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
    const publicUrls = { buyer: raw.BUYER_URL, seller: raw.SELLER_URL, operator: raw.OPERATOR_URL };
    // This app's own address is PUBLIC_URL, whatever the *_URL of its kind says.
    publicUrls[APP] = publicUrl;
    return {
      nodeEnv: raw.NODE_ENV,
      isProduction: raw.NODE_ENV === "production",
      port: raw.PORT,
      databaseUrl: raw.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/souk",
      dbPoolSize: raw.DB_POOL_SIZE,
      publicUrl,
      publicUrls,
    };
  });

export type Env = z.output<typeof schema>;

function parseEnv(): Env {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment for the ${APP} app:\n${problems}`);
  }
  return result.data;
}

export const env: Env = parseEnv();
