import { DomainError, forbidden, notFound, validationError } from "@souk/domain";
import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { errorResponse, formAction, formFailure, forbiddenPage, notFoundPage, orErrorPage } from "./errors.server";

interface Outcome {
  type: string;
  data: unknown;
  init: { status?: number } | null;
}

const request = (acceptLanguage = "en") => new Request("http://localhost/x", { headers: { "accept-language": acceptLanguage } });

function thrown(fn: () => unknown): Outcome {
  try {
    fn();
  } catch (error) {
    return error as Outcome;
  }
  throw new Error("nothing thrown");
}

describe("formFailure", () => {
  it("translates field errors in the request's language and keeps the typed values", () => {
    const result = formFailure(request("fr"), validationError({ email: ["email.invalid"] }), { email: "x" }) as unknown as Outcome;
    expect(result.init?.status).toBe(422);
    expect(result.data).toEqual({ ok: false, fieldErrors: { email: [translate("fr", "email.invalid")] }, formError: null, values: { email: "x" } });
  });

  it("shows a whole-form error at the top: `_form`, or the message key of an error without fields", () => {
    const form = formFailure(request(), validationError({ _form: ["form.invalid"], name: ["field.invalid"] }), {}) as unknown as Outcome;
    expect(form.data).toMatchObject({ fieldErrors: { name: [translate("en", "field.invalid")] }, formError: translate("en", "form.invalid") });
    const credentials = formFailure(request(), new DomainError("INVALID_CREDENTIALS", "auth.invalid_credentials"), {}) as unknown as Outcome;
    expect(credentials.init?.status).toBe(401);
    expect(credentials.data).toMatchObject({ fieldErrors: {}, formError: translate("en", "auth.invalid_credentials") });
    const raw = formFailure(request(), new DomainError("CONFLICT", "some internal text"), {}) as unknown as Outcome;
    expect(raw.data).toMatchObject({ formError: translate("en", "form.invalid") });
  });

  it("throws page errors to the ErrorBoundary and rethrows anything that is not a domain error", () => {
    expect(thrown(() => formFailure(request(), notFound("member"), {})).init?.status).toBe(404);
    expect(thrown(() => formFailure(request(), forbidden(), {})).init?.status).toBe(403);
    const bug = new TypeError("bug");
    expect(thrown(() => formFailure(request(), bug, {}))).toBe(bug);
  });
});

describe("formAction", () => {
  const post = (fields: Record<string, string>) => new Request("http://localhost/x", { method: "POST", body: new URLSearchParams(fields) });

  it("runs the call with the form's fields and returns its result", async () => {
    expect(await formAction(post({ a: "1" }), async (input) => ({ got: input.a }))).toEqual({ got: "1" });
  });

  it("turns a domain error into the form shown again, without echoing passwords", async () => {
    const result = (await formAction(post({ email: "a@b.c", password: "secret", newPassword: "secret2" }), async () => {
      throw validationError({ email: ["email.taken"] });
    })) as unknown as Outcome;
    expect(result.init?.status).toBe(422);
    expect((result.data as { values: unknown }).values).toEqual({ email: "a@b.c" });
  });
});

describe("error pages", () => {
  it("carry the code and only a message key, never raw error text", async () => {
    const gone = errorResponse(new DomainError("INVITATION_INVALID", "invitation.expired")) as Outcome;
    expect(gone.init?.status).toBe(410);
    expect(gone.data).toEqual({ code: "INVITATION_INVALID", messageKey: "invitation.expired" });
    expect((errorResponse(new DomainError("NOT_FOUND", "listing 42 of org 7")) as Outcome).data).toEqual({ code: "NOT_FOUND", messageKey: null });
    await expect(orErrorPage(Promise.reject(forbidden()))).rejects.toMatchObject({ init: { status: 403 } });
    expect(await orErrorPage(Promise.resolve(7))).toBe(7);
    expect(thrown(notFoundPage).init?.status).toBe(404);
    expect(thrown(forbiddenPage).init?.status).toBe(403);
  });
});
