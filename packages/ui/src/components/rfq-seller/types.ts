/*
 * The shapes the seller's RFQ pages show: those of @souk/services' listRfqInbox and getSellerRfq
 * (this package never imports @souk/services, so they are written again here). JSON-safe: money as
 * minor units in a string with its currency, dates as ISO strings.
 */

export interface SellerRfqMoney {
  amountMinor: string;
  currency: string;
}

export interface SellerRfqCategory {
  id: string;
  nameEn: string;
  nameFr: string;
}

export interface SellerRfqInboxRow {
  id: string;
  reference: string;
  title: string;
  buyerName: string;
  category: SellerRfqCategory;
  currency: string;
  deadline: string;
  publishedAt: string | null;
  lineCount: number;
  sealing: "sealed" | "open";
  invited: boolean;
  /** A best-and-final round this seller is shortlisted for (`deadline` is the round's). */
  finalRound: boolean;
  myOffer: { status: string; revision: number } | null;
}

export interface SellerRfqInboxView {
  items: readonly SellerRfqInboxRow[];
  page: number;
  pageSize: number;
  total: number;
  sellerActive: boolean;
  sort: "newest" | "closing";
  serverNow: string;
}

export interface SellerRfqLine {
  id: string;
  position: number;
  description: string;
  quantity: number;
  unit: string;
  targetPrice: SellerRfqMoney | null;
}

export interface SellerRfqQuestion {
  id: string;
  question: string;
  askedAt: string;
  mine: boolean;
  answer: string | null;
  answerVisibility: "private" | "public" | null;
  answeredAt: string | null;
}

export interface SellerRfqFile {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
}

export interface SellerRfqOffer {
  id: string;
  status: string;
  revision: number;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  total: SellerRfqMoney;
  submittedAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
  lines: readonly { lineId: string; unitPrice: SellerRfqMoney; quantity: number; lineTotal: SellerRfqMoney }[];
  attachments: readonly SellerRfqFile[];
}

export interface SellerRfqReceipt {
  /** Only once the RFQ is no longer open (see getSellerRfq). */
  sequence?: number;
  kind: "submitted" | "revised" | "withdrawn";
  revision: number;
  recordedAt: string;
  /** Only once the RFQ is no longer open. */
  previousHash?: string | null;
  hash: string;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  total: SellerRfqMoney;
  lines: readonly { lineId: string; quantity: number; unitPrice: SellerRfqMoney }[];
  reason: string | null;
}

export interface SellerRfqView {
  rfq: {
    id: string;
    reference: string;
    title: string;
    description: string;
    buyerName: string;
    category: SellerRfqCategory;
    currency: string;
    incoterm: string;
    deliveryPlace: string;
    deadline: string;
    status: string;
    sealing: "sealed" | "open";
    visibility: "open" | "invited";
    invited: boolean;
    antiSniping: { windowMinutes: number; maxExtensions: number; extensionsUsed: number } | null;
    publishedAt: string | null;
    closedAt: string | null;
    cancelReason: string | null;
  };
  /** The best-and-final round, for its shortlisted sellers only (`rfq.deadline` is then the round's). */
  finalRound: { firstDeadline: string; openedAt: string } | null;
  lines: readonly SellerRfqLine[];
  attachments: readonly SellerRfqFile[];
  questions: readonly SellerRfqQuestion[];
  offer: SellerRfqOffer | null;
  receipts: readonly SellerRfqReceipt[];
  ranks: readonly { lineId: string; rank: number }[] | null;
  chain: { head: string | null; length: number; verifiedAt: string | null } | null;
  outcome: { result: "won"; orders: readonly { id: string; number: string; total: SellerRfqMoney }[] } | { result: "lost" } | null;
  serverNow: string;
  moves: { ask: boolean; submit: boolean; revise: boolean; withdraw: boolean; attach: boolean };
}

/** What each form of the RFQ page asks its action to do (its `intent`). */
export const SELLER_RFQ_INTENT = {
  save: "save",
  withdraw: "withdraw",
  ask: "ask",
  upload: "upload",
  removeFile: "remove-file",
} as const;

/** What the files section explains (the service enforces it for real). */
export interface SellerOfferFileRules {
  maxBytes: number;
  maxPerOffer: number;
  accept: string;
}
