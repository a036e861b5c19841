import { sellerCanTrade, type Permission } from "@souk/domain";
import { guards } from "../services.server";

/**
 * Guard of the pages where a seller trades (listings, offers, payouts): a signed-in seller member
 * with `permission`, whose organisation is active. A seller still under review, rejected or
 * suspended is sent to its application page, which says where it stands and what comes next.
 */
export async function requireTradingSeller(request: Request, permission?: Permission) {
  const context = await guards.requireActor(request, permission);
  if (!sellerCanTrade(context.actor.organizationStatus)) throw guards.redirectWith("/application", { flash: "flash.sellerNotTrading" });
  return context;
}
