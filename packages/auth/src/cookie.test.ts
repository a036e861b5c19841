import { describe, expect, test } from "vitest";
import type { AppName } from "@souk/db";
import { isSecureOrigin, readSessionToken, serializeBlankSessionCookie, serializeSessionCookie, sessionCookieName } from "./cookie";
import { APP_NAMES, generateSessionToken } from "./session";

function attrs(cookie: string): { name: string; value: string; attributes: Map<string, string | true> } {
  const [pair, ...rest] = cookie.split("; ");
  const eq = pair!.indexOf("=");
  const attributes = new Map<string, string | true>();
  for (const a of rest) {
    const i = a.indexOf("=");
    if (i === -1) attributes.set(a.toLowerCase(), true);
    else attributes.set(a.slice(0, i).toLowerCase(), a.slice(i + 1));
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

describe("session cookie", () => {
  test("one distinct name per app", () => {
    expect(sessionCookieName("buyer")).toBe("souk_buyer_session");
    expect(sessionCookieName("seller")).toBe("souk_seller_session");
    expect(sessionCookieName("operator")).toBe("souk_operator_session");
    expect(new Set(APP_NAMES.map(sessionCookieName)).size).toBe(3);
  });

  test("HttpOnly, SameSite=Lax, Path=/, expiry from the session, Secure when asked", () => {
    const token = generateSessionToken();
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const c = attrs(serializeSessionCookie("seller", token, expiresAt, { secure: true }));
    expect(c.name).toBe("souk_seller_session");
    expect(c.value).toBe(token);
    expect(c.attributes.get("httponly")).toBe(true);
    expect(c.attributes.get("samesite")).toBe("Lax");
    expect(c.attributes.get("path")).toBe("/");
    expect(c.attributes.get("secure")).toBe(true);
    expect(c.attributes.get("expires")).toBe(expiresAt.toUTCString());
    const maxAge = Number(c.attributes.get("max-age"));
    expect(Math.abs(maxAge - 30 * 24 * 3600)).toBeLessThanOrEqual(2);
  });

  test("no Secure attribute on a plain-http localhost app", () => {
    const cookie = serializeSessionCookie("buyer", generateSessionToken(), new Date(Date.now() + 1000), { secure: false });
    expect(attrs(cookie).attributes.has("secure")).toBe(false);
    expect(cookie).not.toMatch(/secure/i);
  });

  test("the blank cookie empties and expires the app's cookie with the same attributes", () => {
    for (const secure of [true, false]) {
      const c = attrs(serializeBlankSessionCookie("operator", { secure }));
      expect(c.name).toBe("souk_operator_session");
      expect(c.value).toBe("");
      expect(c.attributes.get("max-age")).toBe("0");
      expect(new Date(c.attributes.get("expires") as string).getTime()).toBe(0);
      expect(c.attributes.get("httponly")).toBe(true);
      expect(c.attributes.get("samesite")).toBe("Lax");
      expect(c.attributes.get("path")).toBe("/");
      expect(c.attributes.has("secure")).toBe(secure);
    }
  });

  test("an https public URL's session cookie is Secure; a plain-http localhost one is not (the apps pass isSecureOrigin(PUBLIC_URL))", () => {
    const expires = new Date(Date.now() + 60_000);
    for (const [publicUrl, secure] of [["https://buyer.souk.example", true], ["https://localhost:3001", true], ["http://localhost:3001", false]] as const) {
      const c = attrs(serializeSessionCookie("buyer", generateSessionToken(), expires, { secure: isSecureOrigin(publicUrl) }));
      expect(c.attributes.has("secure"), publicUrl).toBe(secure);
      expect(c.attributes.get("httponly"), publicUrl).toBe(true);
      expect(c.attributes.get("samesite"), publicUrl).toBe("Lax");
      expect(attrs(serializeBlankSessionCookie("buyer", { secure: isSecureOrigin(publicUrl) })).attributes.has("secure"), publicUrl).toBe(secure);
    }
  });

  test("Secure everywhere except plain http on loopback hosts", () => {
    expect(isSecureOrigin("http://localhost:3001")).toBe(false);
    expect(isSecureOrigin("http://127.0.0.1:3002/x")).toBe(false);
    expect(isSecureOrigin("http://[::1]:3003")).toBe(false);
    expect(isSecureOrigin(new URL("http://localhost"))).toBe(false);
    expect(isSecureOrigin("https://localhost:3001")).toBe(true);
    expect(isSecureOrigin("https://buyer.souk.example")).toBe(true);
    expect(isSecureOrigin("http://buyer.souk.example")).toBe(true);
    expect(isSecureOrigin("http://localhost.evil.example")).toBe(true);
  });
});

describe("readSessionToken", () => {
  const buyer = generateSessionToken();
  const seller = generateSessionToken();
  const header = `theme=dark; souk_seller_session=${seller}; souk_buyer_session=${buyer}; other=1`;

  test("reads this app's cookie only", () => {
    expect(readSessionToken(header, "buyer")).toBe(buyer);
    expect(readSessionToken(header, "seller")).toBe(seller);
  });

  test("ignores another app's session cookie", () => {
    expect(readSessionToken(`souk_buyer_session=${buyer}`, "seller")).toBeNull();
    expect(readSessionToken(`souk_buyer_session=${buyer}`, "operator")).toBeNull();
  });

  test.each<[string | null, AppName]>([
    [null, "buyer"],
    ["", "buyer"],
    ["souk_buyer_session=", "buyer"],
    ["souk_buyer_session=NOT-OURS!", "buyer"],
    ["xsouk_buyer_session=abc", "buyer"],
    ["souk_buyer_session", "buyer"],
  ])("nothing usable in %j → null", (h, app) => {
    expect(readSessionToken(h, app)).toBeNull();
  });

  test("tolerates spacing", () => {
    expect(readSessionToken(`a=b;souk_buyer_session=${buyer}  ;c=d`, "buyer")).toBe(buyer);
  });
});
