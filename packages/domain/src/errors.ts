/**
 * Typed domain errors with stable codes. Services throw them; one helper (`@souk/ui/server`) maps them to
 * HTTP responses (see `httpStatusOf`). Codes are part of the public contract: never rename one.
 */
export const ERROR_CODES = {
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
  /** A dependency that cannot answer now (the search index): try again later. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Field name → list of message keys (translated by the UI), e.g. { email: ["email.invalid"] }. */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export const validationError = (fieldErrors: FieldErrors, message = "Invalid input") =>
  new DomainError("VALIDATION", message, fieldErrors);
export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "Forbidden") => new DomainError("FORBIDDEN", message);
export const conflict = (message: string, fieldErrors: FieldErrors = {}) =>
  new DomainError("CONFLICT", message, fieldErrors);
/** `message` is a message key: the error page says it to the user. */
export const unavailable = (message: string) => new DomainError("UNAVAILABLE", message);

export function httpStatusOf(error: unknown): number {
  return isDomainError(error) ? error.status : 500;
}
