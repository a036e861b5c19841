import { can, forbidden, type Actor } from "@souk/domain";

/** Helpers of the buyer's catalogue use cases (not exported from the package). */

/** The catalogue is read as a buyer organisation: a seller or an operator member gets no buyer's view (nor prices). */
export function assertBuyerCatalogue(actor: Actor): void {
  if (actor.organizationKind !== "buyer" || !can(actor.organizationKind, actor.role, "read:catalogue:org")) {
    throw forbidden("Missing permission read:catalogue:org");
  }
}
