import { describe, expect, it } from "vitest";
import { isUuid, parseId, type OrganizationId } from "./ids";

describe("parseId", () => {
  it("accepts UUIDs and normalises them to lower case", () => {
    const id = parseId<"OrganizationId">("0F8FAD5B-D9CB-469F-A165-70867728950E");
    expect(id).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
    const typed: OrganizationId | null = id;
    expect(typed).not.toBeNull();
    expect(parseId("01936b2e-8f3a-7c4d-9e5f-0a1b2c3d4e5f")).not.toBeNull(); // v7
  });

  it.each([
    "",
    "not-a-uuid",
    "0f8fad5b-d9cb-469f-a165-70867728950",
    "0f8fad5b-d9cb-469f-a165-70867728950e0",
    "0f8fad5bd9cb469fa16570867728950e",
    " 0f8fad5b-d9cb-469f-a165-70867728950e",
    "00000000-0000-0000-0000-000000000000",
    "0f8fad5b-d9cb-969f-a165-70867728950e",
    "0f8fad5b-d9cb-469f-c165-70867728950e",
    "zf8fad5b-d9cb-469f-a165-70867728950e",
  ])("rejects %j", (value) => {
    expect(parseId(value)).toBeNull();
    expect(isUuid(value)).toBe(false);
  });

  it("rejects non-strings", () => {
    for (const value of [undefined, null, 42, {}, ["0f8fad5b-d9cb-469f-a165-70867728950e"]]) {
      expect(parseId(value)).toBeNull();
    }
  });
});
