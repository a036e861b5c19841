import { describe, expect, test } from "vitest";
import { verifyOrigin } from "./origin";

const allowed = ["http://localhost:3001", "https://buyer.souk.example/"] as const;

function req(method: string, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost:3001/sign-in", { method, headers, body: method === "GET" || method === "HEAD" ? null : "x=1" });
}

describe("verifyOrigin", () => {
  test("a POST from our own origin passes", () => {
    expect(verifyOrigin(req("POST", { origin: "http://localhost:3001" }), allowed)).toBe(true);
    expect(verifyOrigin(req("POST", { origin: "https://buyer.souk.example" }), allowed)).toBe(true);
  });

  test("a POST from another origin is refused", () => {
    expect(verifyOrigin(req("POST", { origin: "https://evil.example" }), allowed)).toBe(false);
    expect(verifyOrigin(req("POST", { origin: "http://localhost:3002" }), allowed)).toBe(false);
    expect(verifyOrigin(req("POST", { origin: "https://buyer.souk.example.evil.example" }), allowed)).toBe(false);
    expect(verifyOrigin(req("POST", { origin: "null" }), allowed)).toBe(false);
  });

  test("no Origin: a Referer from our origin passes, another is refused", () => {
    expect(verifyOrigin(req("POST", { referer: "http://localhost:3001/sign-in?next=/" }), allowed)).toBe(true);
    expect(verifyOrigin(req("POST", { referer: "https://evil.example/http://localhost:3001" }), allowed)).toBe(false);
    expect(verifyOrigin(req("POST", { referer: "not a url" }), allowed)).toBe(false);
  });

  test("an Origin, when present, decides: a good Referer cannot rescue a foreign Origin", () => {
    expect(verifyOrigin(req("POST", { origin: "https://evil.example", referer: "http://localhost:3001/" }), allowed)).toBe(false);
  });

  test("neither Origin nor Referer is refused", () => {
    expect(verifyOrigin(req("POST"), allowed)).toBe(false);
  });

  test("every state-changing method is checked", () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(verifyOrigin(req(method, { origin: "https://evil.example" }), allowed)).toBe(false);
      expect(verifyOrigin(req(method, { origin: "http://localhost:3001" }), allowed)).toBe(true);
    }
  });

  test("GET, HEAD and OPTIONS always pass", () => {
    expect(verifyOrigin(req("GET", { origin: "https://evil.example" }), allowed)).toBe(true);
    expect(verifyOrigin(req("GET"), allowed)).toBe(true);
    expect(verifyOrigin(req("HEAD"), allowed)).toBe(true);
    expect(verifyOrigin(req("OPTIONS", { origin: "https://evil.example" }), allowed)).toBe(true);
  });

  test("an empty allow-list refuses every POST", () => {
    expect(verifyOrigin(req("POST", { origin: "http://localhost:3001" }), [])).toBe(false);
  });
});
