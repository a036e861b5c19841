/**
 * Branded identifiers: a UserId cannot be passed where an OrganizationId is expected, although
 * both are UUID strings at run time.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type OrganizationId = Brand<string, "OrganizationId">;
export type UserId = Brand<string, "UserId">;
export type MembershipId = Brand<string, "MembershipId">;
export type InvitationId = Brand<string, "InvitationId">;
export type SessionId = Brand<string, "SessionId">;
export type OutboxId = Brand<string, "OutboxId">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Narrows an untrusted string to a branded id; returns null when it is not a UUID. */
export function parseId<B extends string>(value: unknown): Brand<string, B> | null {
  return isUuid(value) ? (value.toLowerCase() as Brand<string, B>) : null;
}
