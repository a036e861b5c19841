import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourcesOf } from "../../i18n/message-key-scan.server";
import { JOB_QUEUES } from "./jobs";

describe("jobs messages", () => {
  it("translate, in English and French, every message key the operations services produce", () => {
    const keys = messageKeysIn(sourcesOf("services/src/operations"), ["jobs."]);
    expect(keys.length).toBeGreaterThan(4);
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });

  it("name every queue of @souk/jobs (the page lists the services' queues with these labels)", () => {
    const source = sourcesOf("jobs/src").join("\n");
    const declared = [...source.slice(source.indexOf("export const QUEUES = {"), source.indexOf("} as const;", source.indexOf("export const QUEUES = {"))).matchAll(/^\s+([a-z]+): "([a-z]+)",/gm)].map((m) => m[2]);
    expect([...JOB_QUEUES].sort()).toEqual([...declared].sort());
    for (const queue of JOB_QUEUES) {
      expect(Object.hasOwn(en, `jobs.queue.${queue}`)).toBe(true);
      expect(Object.hasOwn(fr, `jobs.queue.${queue}`)).toBe(true);
    }
  });
});
