import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { fr } from "./fr";
import { createTranslator, isMessageKey, localeFromAcceptLanguage, resolveLocale, translate, translateFieldErrors, translatePlural } from "./i18n";

describe("dictionaries", () => {
  it("have the same keys and no empty text in both languages", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(fr)]) expect(text.trim(), key).not.toBe("");
  });

  it("use the same placeholders in French as in English", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
  });

  /**
   * Services put message keys into their errors. Every key the identity use cases can produce must
   * be translated, or a user would read the generic fallback. The keys are read from the sources.
   */
  it("translate every message key the identity services can produce", () => {
    const root = fileURLToPath(new URL("../../../services/src/", import.meta.url));
    const files = [
      `${root}input.ts`,
      ...readdirSync(`${root}identity`)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
        .map((f) => `${root}identity/${f}`),
    ];
    const keys = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      for (const line of source.split("\n")) {
        if (/error|Error|conflict/.test(line)) for (const m of line.matchAll(/["`]([a-z][A-Za-z]*\.[a-z_]+)["`]/g)) keys.add(m[1] as string);
        if (line.includes("member.last_${founder}")) ["admin", "owner"].forEach((r) => keys.add(`member.last_${r}`));
      }
      for (const m of source.matchAll(/requiredText\("(\w+)"/g)) keys.add(`${m[1]}.required`).add(`${m[1]}.too_long`);
      for (const m of source.matchAll(/optionalText\("(\w+)"/g)) keys.add(`${m[1]}.invalid`).add(`${m[1]}.too_long`);
      for (const m of source.matchAll(/idField\("(\w+)"/g)) keys.add(`${m[1]}.required`).add(`${m[1]}.invalid`);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });
});

describe("translate", () => {
  it("fills placeholders and picks plural forms by language", () => {
    expect(translate("en", "members.invite.sent", { email: "a@b.c" })).toBe("Invitation sent to a@b.c.");
    expect(translatePlural("en", "dashboard.membersCount", 1)).toBe("1 member");
    expect(translatePlural("en", "dashboard.membersCount", 0)).toBe("0 members");
    expect(translatePlural("fr", "dashboard.membersCount", 0)).toBe("0 membre");
    expect(translatePlural("fr", "dashboard.membersCount", 3)).toBe("3 membres");
  });

  it("translates field errors from services and falls back for an unknown key", () => {
    expect(translateFieldErrors("fr", { email: ["email.invalid"], x: ["no.such_key"] })).toEqual({
      email: [fr["email.invalid"]],
      x: [fr["field.invalid"]],
    });
  });

  it("formats dates in UTC so server and browser agree", () => {
    const t = createTranslator("fr");
    expect(t.formatDate(new Date("2026-03-01T23:30:00Z"))).toBe("1 mars 2026");
  });
});

describe("locale", () => {
  const req = (headers: Record<string, string>) => new Request("http://x/", { headers });

  it("prefers the lang cookie, then Accept-Language, then English", () => {
    expect(resolveLocale(req({ cookie: "a=1; lang=fr", "accept-language": "en" }))).toBe("fr");
    expect(resolveLocale(req({ cookie: "lang=de", "accept-language": "fr-CA,en;q=0.5" }))).toBe("fr");
    expect(resolveLocale(req({ "accept-language": "de-DE,ja;q=0.8" }))).toBe("en");
    expect(resolveLocale(req({}))).toBe("en");
  });

  it("honours q-values", () => {
    expect(localeFromAcceptLanguage("en;q=0.4, fr;q=0.8")).toBe("fr");
    expect(localeFromAcceptLanguage("fr;q=0, en")).toBe("en");
    expect(localeFromAcceptLanguage("*")).toBeNull();
  });
});
