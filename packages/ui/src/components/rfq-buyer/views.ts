import type { DateLike } from "../../types";
import type { RfqHeaderView, RfqInvitationView, RfqLineView, RfqMoney } from "../rfq-common/views";

export type { RfqMoney } from "../rfq-common/views";

/*
 * The shapes of the buyer's RFQ pages, as @souk/services returns them (listBuyerRfqs,
 * getBuyerRfq, getRfqComparison, findSellersToInvite, prefillRfqFromListing). This package never
 * imports @souk/services, so they are written again here. Client-safe.
 */

export interface BuyerRfqRowView {
  id: string;
  reference: string;
  title: string;
  status: string;
  sealing: string;
  visibility: string;
  currency: string;
  categoryName: { en: string; fr: string };
  deadline: DateLike | null;
  lineCount: number;
  offerCount: number;
  createdAt: DateLike;
  updatedAt: DateLike;
}

export interface BuyerRfqListView {
  items: readonly BuyerRfqRowView[];
  page: number;
  pageSize: number;
  total: number;
  counts: Readonly<Record<string, number>>;
}

export interface BuyerRfqOfferView {
  id: string;
  seller: { id: string; name: string };
  status: string;
  revision: number;
  total: RfqMoney;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  submittedAt: string;
  updatedAt: string;
  lines: readonly { lineId: string; quantity: number; unitPrice: RfqMoney; lineTotal: RfqMoney }[];
}

export interface BuyerRfqAwardView {
  id: string;
  status: string;
  total: RfqMoney;
  note: string;
  createdAt: string;
  decidedAt: string | null;
  lines: readonly { lineId: string; offerId: string; sellerId: string; sellerName: string; quantity: number; unitPrice: RfqMoney }[];
  approval: { id: string; status: string; approverRole: string; requestedAt: string; decidedAt: string | null; comment: string } | null;
  orders: readonly { id: string; number: string; sellerName: string; status: string; total: RfqMoney }[];
}

export interface BuyerRfqLineView extends RfqLineView {
  listing: { id: string; title: string } | null;
}

export interface BuyerRfqAttachmentView {
  id: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: string;
}

export interface BuyerRfqDetailView extends RfqHeaderView {
  sourceListing: { id: string; title: string } | null;
  version: number;
  updatedAt: string;
  lines: readonly BuyerRfqLineView[];
  attachments: readonly BuyerRfqAttachmentView[];
  invitations: readonly RfqInvitationView[];
  questions: readonly { id: string; askedBy: string | null; question: string; askedAt: string; answer: string | null; answerVisibility: string | null; answeredAt: string | null }[];
  offerCount: number;
  offersVisible: boolean;
  offers: readonly BuyerRfqOfferView[] | null;
  receipts: { chainHead: string | null; chainLength: number; verifiedAt: string | null } | null;
  /** The best-and-final round, once opened (`deadline` is then the round's). */
  finalRound: { firstDeadline: string; openedAt: string; sellers: readonly { id: string; name: string }[] } | null;
  award: BuyerRfqAwardView | null;
  serverNow: string;
  moves: readonly string[];
  can: { edit: boolean; publish: boolean; cancel: boolean; answer: boolean; compare: boolean; award: boolean; manageAttachments: boolean; finalRound: boolean };
}

export interface ComparisonCellView {
  offerId: string;
  quantity: number;
  unitPrice: RfqMoney;
  lineTotal: RfqMoney;
  best: boolean;
  short: boolean;
}

export interface BuyerRfqComparisonView {
  rfq: { id: string; reference: string; title: string; status: string; sealing: string; currency: string; deadline: string | null; closedAt: string | null };
  weights: { price: number; leadTime: number; trackRecord: number };
  offers: readonly {
    id: string;
    seller: { id: string; name: string };
    status: string;
    revision: number;
    total: RfqMoney;
    leadTimeDays: number;
    validUntil: string;
    notes: string;
    attachments: readonly { id: string; name: string; sizeBytes: number }[];
    linesOffered: number;
    trackRecord: { completedOrders: number; onTimeRate: number; disputes: number };
    score: { price: number; leadTime: number; trackRecord: number; total: number; rank: number };
  }[];
  lines: readonly (RfqLineView & { bestUnitPrice: RfqMoney | null; cells: readonly (ComparisonCellView | null)[] })[];
  award: BuyerRfqAwardView | null;
  canAward: boolean;
}

export interface SellerChoiceView {
  id: string;
  name: string;
  servesCategory: boolean;
}

export interface SellersToInviteView {
  matches: readonly SellerChoiceView[];
  selected: readonly SellerChoiceView[];
}

/** The RFQ form's starting values from a listing (prefillRfqFromListing). */
export interface RfqPrefillView {
  sourceListingId: string;
  title: string;
  categoryId: string;
  currency: string;
  lines: readonly { description: string; quantity: string; unit: string; targetPrice: string; listingId: string }[];
  listing: { id: string; title: string; sellerName: string };
}
