import { data } from "@remix-run/node";
import { isDomainError } from "@souk/domain";
import { isMessageKey, translate, translateFieldErrors } from "../i18n/i18n";
import type { ErrorPageData, FormFailure } from "../types";
import { formValues, localeOf } from "./request.server";

/** Domain error codes that mean "show the form again with a message", not "show an error page". */
const FORM_CODES = new Set(["VALIDATION", "INVALID_CREDENTIALS", "CONFLICT", "ILLEGAL_TRANSITION", "UNAUTHENTICATED"]);

/**
 * The one mapping from domain errors to HTTP responses. A form problem comes back as
 * `data(FormFailure, 4xx)` for the route to render (messages translated, typed values kept, never
 * passwords); NOT_FOUND / FORBIDDEN / INVITATION_INVALID... are thrown to the ErrorBoundary with
 * their status; anything else is rethrown and becomes a 500.
 */
export function formFailure(request: Request, error: unknown, values: Record<string, string>) {
  if (!isDomainError(error)) throw error;
  if (!FORM_CODES.has(error.code)) throw errorResponse(error);
  const locale = localeOf(request);
  const failure: FormFailure = {
    ok: false,
    fieldErrors: translateFieldErrors(locale, error.fieldErrors),
    formError: null,
    values,
  };
  // A whole-form error ("_form", or an error without fields such as invalid credentials, whose
  // message is a message key) is shown at the top of the form rather than beside a field.
  const formLevel = failure.fieldErrors._form;
  if (formLevel) {
    failure.formError = formLevel.join(" ");
    delete failure.fieldErrors._form;
  } else if (Object.keys(failure.fieldErrors).length === 0) {
    failure.formError = translate(locale, isMessageKey(error.message) ? error.message : "form.invalid");
  }
  return data(failure, { status: error.status });
}

/** A submitted form's fields, as services take them (`input` is parsed by the service's schema). */
export type FormInput = Record<string, FormDataEntryValue>;

/**
 * The body of an action that submits a form: reads it, runs the service call with its fields, and
 * turns a domain error into the form shown again (see formFailure). Guards run before, so that an
 * unauthorised request is refused without its body being read.
 */
export async function formAction<T>(request: Request, run: (input: FormInput, form: FormData) => Promise<T>) {
  const form = await request.formData();
  try {
    return await run(Object.fromEntries(form), form);
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

/** A thrown value for the ErrorBoundary: `data(ErrorPageData, status)` for domain errors; the error itself otherwise. */
export function errorResponse(error: unknown): unknown {
  if (!isDomainError(error)) return error;
  const body: ErrorPageData = { code: error.code, messageKey: isMessageKey(error.message) ? error.message : null };
  return data(body, { status: error.status });
}

/** Runs a service call made by a loader: domain errors become error pages with their status. */
export async function orErrorPage<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw errorResponse(error);
  }
}

export function notFoundPage(): never {
  throw data({ code: "NOT_FOUND", messageKey: null } satisfies ErrorPageData, { status: 404 });
}

export function forbiddenPage(): never {
  throw data({ code: "FORBIDDEN", messageKey: null } satisfies ErrorPageData, { status: 403 });
}
