/*
 * The RFQ shapes both the buyer's and the operator's RFQ pages get from @souk/services (its
 * rfq/rfq-view.ts). This package never imports @souk/services, so they are written again here.
 * Client-safe.
 */

export interface RfqMoney {
  amountMinor: string;
  currency: string;
}

/** The RFQ's own fields (ISO instants; `deadline` is the final round's once one opened). */
export interface RfqHeaderView {
  id: string;
  reference: string;
  title: string;
  description: string;
  status: string;
  sealing: string;
  visibility: string;
  currency: string;
  incoterm: string;
  deliveryPlace: string;
  category: { id: string; nameEn: string; nameFr: string };
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
  targetPrice: RfqMoney | null;
}

export interface RfqInvitationView {
  sellerId: string;
  name: string;
  active: boolean;
  invitedAt: string;
}
