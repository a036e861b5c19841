import { describe, expect, it } from "vitest";
import { clearFlashCookie, flashCookie, formValues, readFlash, requestMeta, safeRedirectPath, signInPath } from "./request.server";

describe("request helpers", () => {
  it("accept only a path of this site as a redirect target", () => {
    expect(safeRedirectPath("/members?tab=1")).toBe("/members?tab=1");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/%09/evil.example".replace("%09", "\t"), "\\/evil.example", "members", null, undefined])
      expect(safeRedirectPath(bad)).toBe("/");
    expect(safeRedirectPath(null, "/sign-in")).toBe("/sign-in");
  });

  it("refuse a path whose dot segments resolve to another host ('/..//evil' is '//evil' once resolved)", () => {
    for (const bad of ["/..//evil.example", "/../..//evil.example/x", "/./\\evil.example", "/a/../..//evil.example", "/%2e%2e//evil.example", "/..\\/evil.example"]) {
      expect(safeRedirectPath(bad), bad).toBe("/");
    }
    // Dot segments that stay on this site are fine, and encoded slashes are just characters of a path.
    expect(safeRedirectPath("/rfqs/../members")).toBe("/members");
    expect(safeRedirectPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("send to sign-in with the way back, except from the home page", () => {
    expect(signInPath(new Request("http://localhost/members?x=1"))).toBe(`/sign-in?redirectTo=${encodeURIComponent("/members?x=1")}`);
    expect(signInPath(new Request("http://localhost/"))).toBe("/sign-in");
  });

  it("take the client address from the server's header and cap the user agent", () => {
    const request = new Request("http://localhost/", { headers: { "x-souk-client-address": "10.0.0.7", "user-agent": "x".repeat(600) } });
    const meta = requestMeta(request, "seller");
    expect(meta).toMatchObject({ app: "seller", ip: "10.0.0.7" });
    expect(meta.userAgent).toHaveLength(512);
    expect(requestMeta(new Request("http://localhost/"), "buyer")).toEqual({ app: "buyer", ip: null, userAgent: null });
  });

  it("never echo a password field", () => {
    const form = new FormData();
    form.set("email", "a@b.c");
    form.set("password", "p");
    form.set("currentPassword", "p");
    expect(formValues(form)).toEqual({ email: "a@b.c" });
  });

  it("carry a flash message key across one redirect, and honour only flash keys of the dictionary", () => {
    const cookie = flashCookie("flash.welcome", { secure: false });
    expect(cookie).not.toContain("Secure");
    expect(flashCookie("flash.welcome", { secure: true })).toContain("; Secure");
    expect(clearFlashCookie({ secure: false })).toContain("Max-Age=0");
    const read = (value: string) => readFlash(new Request("http://localhost/", { headers: { cookie: `a=1; souk_flash=${value}` } }));
    expect(read(cookie.split(";")[0]?.split("=")[1] ?? "")).toBe("flash.welcome");
    expect(read("nav.members")).toBeNull();
    expect(read("flash.made-up")).toBeNull();
    expect(read("%E0%A4%A")).toBeNull();
  });
});
