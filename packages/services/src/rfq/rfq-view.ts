import type { Selectable } from "kysely";
import type { RfqsTable } from "@souk/db";
import type { RfqStatus } from "@souk/domain";
import { moneyOf, type MoneyView } from "../catalogue/pricing/money-view";
import { rfqReference } from "./common";

/**
 * What the buyer's and the operator's RFQ pages both read of an RFQ, mapped once (not exported
 * from the package). Nothing of the offers: each page decides what of them its reader may see.
 */

export interface RfqHeaderView {
  id: string;
  reference: string;
  title: string;
  description: string;
  status: RfqStatus;
  sealing: "sealed" | "open";
  visibility: "open" | "invited";
  currency: string;
  incoterm: string;
  deliveryPlace: string;
  category: { id: string; nameEn: string; nameFr: string };
  /** ISO instants (the views are also sent as JSON); `deadline` is the final round's once one opened. */
  deadline: string | null;
  antiSniping: { minutes: number; maxExtensions: number; extensionsUsed: number } | null;
  cancelReason: string | null;
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
}

export interface RfqLineView {
  id: string;
  position: number;
  description: string;
  quantity: number;
  unit: string;
  targetPrice: MoneyView | null;
}

export interface RfqInvitationView {
  sellerId: string;
  name: string;
  active: boolean;
  invitedAt: string;
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function rfqHeaderView(rfq: Selectable<RfqsTable>, category: { id: string; name_en: string; name_fr: string }): RfqHeaderView {
  return {
    id: rfq.id,
    reference: rfqReference(rfq.number),
    title: rfq.title,
    description: rfq.description,
    status: rfq.status,
    sealing: rfq.sealing,
    visibility: rfq.visibility,
    currency: rfq.currency,
    incoterm: rfq.incoterm,
    deliveryPlace: rfq.delivery_place,
    category: { id: category.id, nameEn: category.name_en, nameFr: category.name_fr },
    deadline: isoOrNull(rfq.deadline),
    antiSniping: rfq.anti_sniping_minutes !== null && rfq.anti_sniping_max !== null ? { minutes: rfq.anti_sniping_minutes, maxExtensions: rfq.anti_sniping_max, extensionsUsed: rfq.extensions } : null,
    cancelReason: rfq.cancel_reason,
    createdAt: rfq.created_at.toISOString(),
    publishedAt: isoOrNull(rfq.published_at),
    closedAt: isoOrNull(rfq.closed_at),
  };
}

/** A line of an RFQ read from rfq_lines; its target price is in the RFQ's currency. */
export function rfqLineView(l: { id: string; position: number; description: string; quantity: number; unit: string; target_price_minor: string | null }, currency: string): RfqLineView {
  return { id: l.id, position: l.position, description: l.description, quantity: l.quantity, unit: l.unit, targetPrice: l.target_price_minor === null ? null : moneyOf(l.target_price_minor, currency) };
}

/** An invitation read from rfq_invitations joined to the seller's organisation (its name and status). */
export function rfqInvitationView(i: { seller_id: string; name: string; status: string; invited_at: Date }): RfqInvitationView {
  return { sellerId: i.seller_id, name: i.name, active: i.status === "active", invitedAt: i.invited_at.toISOString() };
}
