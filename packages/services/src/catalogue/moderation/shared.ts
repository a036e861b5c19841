import { assertCan, type Actor } from "@souk/domain";

/**
 * Helpers of the operator's listing moderation, shared by the use cases of this folder. Not
 * exported from the package.
 */

/** Operators who moderate listings (admin, moderator); finance, sellers and buyers are FORBIDDEN. */
export function assertModerator(actor: Actor): void {
  assertCan(actor, "moderate:listings:any");
}

