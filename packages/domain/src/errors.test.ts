import { describe, expect, it } from "vitest";
import {
  DomainError,
  ERROR_CODES,
  conflict,
  forbidden,
  httpStatusOf,
  isDomainError,
  notFound,
  validationError,
  type ErrorCode,
} from "./errors";

describe("DomainError", () => {
  it.each(Object.entries(ERROR_CODES) as [ErrorCode, number][])("%s maps to HTTP %i", (code, status) => {
    const error = new DomainError(code, "x");
    expect(error.status).toBe(status);
    expect(httpStatusOf(error)).toBe(status);
  });

  it("keeps the stable code → status contract", () => {
    expect(ERROR_CODES).toEqual({
      VALIDATION: 422,
      UNAUTHENTICATED: 401,
      INVALID_CREDENTIALS: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      ILLEGAL_TRANSITION: 409,
      INVITATION_INVALID: 410,
      CSRF: 403,
      INVARIANT: 500,
      UNAVAILABLE: 503,
    });
  });

  it("treats anything else as a 500", () => {
    expect(httpStatusOf(new Error("boom"))).toBe(500);
    expect(httpStatusOf("boom")).toBe(500);
    expect(httpStatusOf(null)).toBe(500);
    expect(isDomainError(new Error("boom"))).toBe(false);
  });

  it("is a real Error with a name, a code and field errors", () => {
    const error = validationError({ email: ["email.invalid"] });
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(error.name).toBe("DomainError");
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({ email: ["email.invalid"] });
    expect(new DomainError("CONFLICT", "x").fieldErrors).toEqual({});
  });

  it("helpers carry the expected codes", () => {
    expect(notFound("Organization")).toMatchObject({ code: "NOT_FOUND", message: "Organization not found" });
    expect(forbidden().code).toBe("FORBIDDEN");
    expect(conflict("taken", { email: ["email.taken"] })).toMatchObject({ code: "CONFLICT", fieldErrors: { email: ["email.taken"] } });
  });
});
