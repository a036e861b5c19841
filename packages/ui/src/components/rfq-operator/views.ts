import type { BuyerRfqAwardView, BuyerRfqOfferView } from "../rfq-buyer/views";
import type { RfqHeaderView, RfqInvitationView, RfqLineView } from "../rfq-common/views";

/*
 * The shapes of the operator's RFQ pages, as @souk/services returns them (listOperatorRfqs,
 * getOperatorRfq). This package never imports @souk/services, so they are written again here.
 * Client-safe.
 */

export interface OperatorRfqRowView {
  id: string;
  reference: string;
  title: string;
  buyer: { id: string; name: string };
  status: string;
  sealing: string;
  visibility: string;
  categoryName: { en: string; fr: string };
  deadline: string | null;
  publishedAt: string;
  offerCount: number;
}

export interface OperatorRfqListView {
  items: readonly OperatorRfqRowView[];
  page: number;
  pageSize: number;
  total: number;
  counts: Readonly<Record<string, number>>;
  buyers: readonly { id: string; name: string }[];
}

export interface OperatorRfqDetailView extends RfqHeaderView {
  buyer: { id: string; name: string };
  lines: readonly RfqLineView[];
  invitations: readonly RfqInvitationView[];
  finalRound: { firstDeadline: string; openedAt: string; sellers: readonly { id: string; name: string }[] } | null;
  offerCount: number;
  offersVisible: boolean;
  offers: readonly (BuyerRfqOfferView & { receipts: number })[] | null;
  receipts: {
    chainHead: string | null;
    chainLength: number;
    verifiedAt: string | null;
    entries: readonly { sequence: number; seller: { id: string; name: string }; kind: string; revision: number; reason: string | null; recordedAt: string; hash: string }[];
  } | null;
  award: BuyerRfqAwardView | null;
  events: readonly { id: string; occurredAt: string; action: string; actor: string | null; actorOrganization: string | null; reason: string | null }[];
  canReadLedger: boolean;
  serverNow: string;
}
