import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAppEnv } from "./env.server";

describe("parseAppEnv", () => {
  it("gives development working defaults, and the app's own URL is its PUBLIC_URL", () => {
    const env = parseAppEnv({ PUBLIC_URL: "https://seller.souk.example/" }, { app: "seller", defaultPort: 3002 });
    expect(env).toMatchObject({ nodeEnv: "development", isProduction: false, port: 3002, publicUrl: "https://seller.souk.example", dbPoolSize: 10 });
    expect(env.publicUrls).toEqual({ buyer: "http://localhost:3001", seller: "https://seller.souk.example", operator: "http://localhost:3003" });
    expect(parseAppEnv({ PORT: "4000" }, { app: "buyer", defaultPort: 3001 }).publicUrl).toBe("http://localhost:4000");
  });

  it("requires DATABASE_URL in production and names every problem", () => {
    expect(() => parseAppEnv({ NODE_ENV: "production" }, { app: "operator", defaultPort: 3003 })).toThrow(/operator app:\n {2}DATABASE_URL: DATABASE_URL is required in production/);
    expect(() => parseAppEnv({ PORT: "0", BUYER_URL: "nope" }, { app: "buyer", defaultPort: 3001 })).toThrow(/PORT[\s\S]*BUYER_URL/);
  });

  it("keeps uploaded documents in the repository's gitignored .data/storage unless STORAGE_DIR says where", () => {
    const env = parseAppEnv({}, { app: "seller", defaultPort: 3002 });
    expect(env.storageDir).toBe(fileURLToPath(new URL("../../../../.data/storage", import.meta.url)));
    expect(parseAppEnv({ STORAGE_DIR: "/srv/souk/documents/" }, { app: "operator", defaultPort: 3003 }).storageDir).toBe("/srv/souk/documents");
    // A relative setting is made absolute once, at start-up.
    expect(parseAppEnv({ STORAGE_DIR: "data" }, { app: "seller", defaultPort: 3002 }).storageDir).toBe(path.resolve("data"));
    expect(() => parseAppEnv({ STORAGE_DIR: " " }, { app: "seller", defaultPort: 3002 })).toThrow(/STORAGE_DIR/);
  });

  it("trusts no proxy unless TRUST_PROXY names hops or addresses, and refuses what is neither", () => {
    const trust = (TRUST_PROXY?: string) => parseAppEnv({ TRUST_PROXY }, { app: "buyer", defaultPort: 3001 }).trustProxy;
    expect(trust(undefined)).toBe(false);
    expect(trust(" ")).toBe(false);
    expect(trust("1")).toBe(1);
    expect(trust("loopback, 10.0.0.0/8, fd00::/8, 192.0.2.10")).toEqual(["loopback", "10.0.0.0/8", "fd00::/8", "192.0.2.10"]);
    for (const wrong of ["true", "10.0.0.0/33", "10.0.0/8", "fd00::/129", "loopback,,", "*"]) {
      expect(() => trust(wrong), wrong).toThrow(/TRUST_PROXY: not a hop count/);
    }
  });
});
