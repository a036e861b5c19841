import { describe, expect, test } from "vitest";
import { z } from "zod";
import { isDomainError } from "@souk/domain";
import { emailField, newPasswordField, parseInput, requiredText } from "./input";

function fieldErrors(schema: z.ZodType, raw: unknown) {
  try {
    parseInput(schema, raw);
  } catch (error) {
    if (isDomainError(error)) return error.fieldErrors;
    throw error;
  }
  return null;
}

describe("parseInput", () => {
  const schema = z.object({ email: emailField, password: newPasswordField, title: requiredText("title", 5), count: z.number() });

  test("turns zod issues into message keys per field, one key per problem", () => {
    expect(fieldErrors(schema, { email: "nope", password: "short", title: "  ", count: "x" })).toEqual({
      email: ["email.invalid"],
      password: ["password.too_short"],
      title: ["title.required"],
      count: ["count.invalid"],
    });
    expect(fieldErrors(schema, { email: "a@b.co", password: "p".repeat(300), title: "toolong", count: 1 })).toEqual({
      password: ["password.too_long"],
      title: ["title.too_long"],
    });
  });

  test("normalises: trims text, lower-cases e-mail, keeps passwords exactly", () => {
    expect(parseInput(schema, { email: "  Ann@Example.COM ", password: "  spaces count  ", title: " ok ", count: 2 })).toEqual({
      email: "ann@example.com",
      password: "  spaces count  ",
      title: "ok",
      count: 2,
    });
  });

  test("null, undefined and non-objects are validation errors", () => {
    expect(fieldErrors(schema, null)).toMatchObject({ email: ["email.required"] });
    expect(fieldErrors(schema, 7)).toEqual({ _form: ["form.invalid"] });
  });
});
