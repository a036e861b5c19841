import type { DateLike } from "../../types";

/** What the conversation pages show (structurally the services' views; this package never imports services). */

export type ConversationSubjectKind = "listing" | "rfq" | "order";
export type ConversationSideView = "buyer" | "seller";

export interface ConversationSubjectView {
  kind: ConversationSubjectKind;
  id: string;
  label: string;
}

export interface ConversationRowView {
  id: string;
  subject: ConversationSubjectView;
  counterparty: { id: string; name: string };
  lastMessageAt: DateLike;
  unread: number;
}

export interface ConversationListView {
  items: readonly ConversationRowView[];
  page: number;
  pageSize: number;
  total: number;
  unreadTotal: number;
}

export interface ConversationMessageView {
  id: string;
  side: ConversationSideView;
  authorName: string | null;
  body: string;
  createdAt: DateLike;
  attachments: readonly { id: string; name: string; contentType: string; sizeBytes: number }[];
}

export interface ConversationThreadView {
  id: string;
  side: ConversationSideView;
  subject: ConversationSubjectView;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  messages: readonly ConversationMessageView[];
  canWrite: boolean;
  reported: boolean;
}

export interface ConversationStartView {
  subject: { kind: ConversationSubjectKind; id: string; label: string; sellerId: string; counterpartyName: string };
}

export interface ModeratedConversationRowView {
  id: string;
  subject: ConversationSubjectView;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  lastMessageAt: DateLike;
  dispute: { id: string; status: "open" | "resolved" } | null;
  reportCount: number;
}

export interface ModeratedConversationView extends ModeratedConversationRowView {
  messages: readonly ConversationMessageView[];
  reports: readonly { id: string; reason: string; reportedBy: string; at: DateLike }[];
}

/** The intents of the thread page's forms. */
export const CONVERSATION_INTENT = { send: "send", report: "report" } as const;

/** The file picker's hint (a hint to the browser, not a check). */
export const CONVERSATION_FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp";

/** Where a thread's subject lives in an app. */
export function subjectHref(app: "buyer" | "seller" | "operator", subject: { kind: ConversationSubjectKind; id: string }): string | null {
  if (subject.kind === "order") return app === "operator" ? null : `/orders/${subject.id}`;
  if (subject.kind === "rfq") return app === "operator" ? null : `/rfqs/${subject.id}`;
  if (app === "buyer") return `/catalogue/${subject.id}`;
  return `/listings/${subject.id}`;
}

/** The link that opens (or starts) the thread about a subject: the "new message" page goes to the existing thread if there is one. */
export function newConversationHref(subject: { kind: ConversationSubjectKind; id: string; sellerId?: string }): string {
  const query = new URLSearchParams({ subjectKind: subject.kind, subjectId: subject.id });
  if (subject.sellerId) query.set("sellerId", subject.sellerId);
  return `/messages/new?${query.toString()}`;
}
