import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { OrganizationKind, OrganizationStatus } from "@souk/domain";

/** Database types, kept by hand beside the migrations (one place to read the schema). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string | undefined, string>;
/** `bigint` columns come back from pg as strings unless parsed; we parse them to strings on purpose
 * (ids) and let money code convert to BigInt explicitly. */
type BigIntId = ColumnType<string, never, never>;

export interface OrganizationsTable {
  id: Generated<string>;
  kind: OrganizationKind;
  name: string;
  status: OrganizationStatus;
  parent_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  locale: Generated<"en" | "fr">;
  created_at: CreatedAt;
  password_changed_at: Timestamp;
}

export interface MembershipsTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  role: string;
  created_at: CreatedAt;
}

export interface InvitationsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export type AppName = "buyer" | "seller" | "operator";

export interface SessionsTable {
  id: string;
  user_id: string;
  app: AppName;
  active_organization_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditLogTable {
  id: BigIntId;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  actor_organization_id: string | null;
  organization_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  reason: string | null;
  data: Json;
}

export interface OutboxTable {
  id: BigIntId;
  topic: string;
  payload: Json;
  created_at: CreatedAt;
  available_at: Timestamp;
  sent_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** Random, so a BullMQ job id built from it is never reused after a database restore (migration 0004). */
  job_key: Generated<string>;
  /** The request (or job) that wrote the row, carried onto its job for the logs (migration 0009). */
  request_id: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  outbox_id: string | null;
  organization_id: string | null;
  user_id: string | null;
  channel: "email" | "in_app";
  template: string;
  locale: Generated<string>;
  to_address: string | null;
  subject: string;
  body: string;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  read_at: Timestamp | null;
}

export interface CategoriesTable {
  id: Generated<string>;
  parent_id: string | null;
  slug: string;
  name_en: string;
  name_fr: string;
  position: Generated<number>;
}

export interface SellerApplicationsTable {
  organization_id: string;
  legal_name: Generated<string>;
  trading_name: Generated<string>;
  country: Generated<string>;
  company_number: Generated<string>;
  address_line1: Generated<string>;
  address_line2: Generated<string>;
  postal_code: Generated<string>;
  city: Generated<string>;
  contact_name: Generated<string>;
  contact_email: Generated<string>;
  contact_phone: Generated<string>;
  description: Generated<string>;
  submitted_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SellerApplicationCategoriesTable {
  organization_id: string;
  category_id: string;
}

export type DocumentContentType = "application/pdf" | "image/png" | "image/jpeg" | "image/webp";

export interface SellerDocumentsTable {
  id: Generated<string>;
  organization_id: string;
  original_name: string;
  content_type: DocumentContentType;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export type SellerMoveName = "submit" | "resubmit" | "approve" | "reject" | "request_info" | "suspend" | "reinstate";

export interface SellerDecisionsTable {
  id: BigIntId;
  organization_id: string;
  move: SellerMoveName;
  from_status: string;
  to_status: string;
  message: string | null;
  actor_user_id: string | null;
  actor_organization_id: string | null;
  created_at: CreatedAt;
}

/** The PostgreSQL search adapter's index (written only by packages/search). */
export interface SearchListingsTable {
  id: string;
  seller_id: string;
  category_ids: string[];
  currency: string;
  /** bigint: pg returns it as a string. */
  list_price_minor: ColumnType<string, string, string>;
  price_band: string;
  min_order_quantity: number;
  min_order_band: string;
  lead_time_days: number;
  lead_time_band: string;
  in_stock: boolean;
  visible_to_everyone: boolean;
  visibility_groups: string[];
  title: string;
  search_vector: ColumnType<string, never, never>;
  document: Json;
  checksum: string;
  updated_at: Timestamp;
  indexed_at: CreatedAt;
}

/** bigint money columns: pg returns them as strings; services convert with BigInt explicitly. */
type Minor = ColumnType<string, string | bigint, string | bigint>;
type MinorWithDefault = ColumnType<string, string | bigint | undefined, string | bigint>;

export type ListingStatusColumn = "draft" | "published" | "unlisted" | "blocked";
export type ListingVisibilityColumn = "everyone" | "groups";

export interface ListingsTable {
  id: Generated<string>;
  seller_id: string;
  sku: string;
  title: string;
  description: Generated<string>;
  category_id: string;
  unit: string;
  currency: string;
  list_price_minor: Minor;
  min_order_quantity: Generated<number>;
  stock: Generated<number>;
  lead_time_days: Generated<number>;
  /** A JSON object of string values (`{ "colour": "red" }`); written as JSON text. */
  attributes: ColumnType<Record<string, string>, string | undefined, string>;
  visibility: Generated<ListingVisibilityColumn>;
  status: Generated<ListingStatusColumn>;
  blocked_reason: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ListingPriceTiersTable {
  listing_id: string;
  min_quantity: number;
  unit_price_minor: Minor;
}

export type ListingImageContentType = "image/png" | "image/jpeg" | "image/webp";

export interface ListingImagesTable {
  id: Generated<string>;
  listing_id: string;
  seller_id: string;
  original_name: string;
  content_type: ListingImageContentType;
  size_bytes: number;
  storage_key: string;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface CustomerGroupsTable {
  id: Generated<string>;
  seller_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface CustomerGroupMembersTable {
  group_id: string;
  seller_id: string;
  buyer_id: string;
  added_at: CreatedAt;
}

export interface ListingVisibilityTable {
  listing_id: string;
  group_id: string;
  seller_id: string;
}

export interface PriceListsTable {
  id: Generated<string>;
  seller_id: string;
  name: string;
  currency: string;
  valid_from: Timestamp | null;
  valid_to: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PriceListEntriesTable {
  price_list_id: string;
  listing_id: string;
  seller_id: string;
  min_quantity: number;
  unit_price_minor: Minor;
}

export interface PriceListAssignmentsTable {
  id: Generated<string>;
  price_list_id: string;
  seller_id: string;
  buyer_id: string | null;
  group_id: string | null;
  priority: Generated<number>;
  created_at: CreatedAt;
}

export type JobRunStatus = "queued" | "running" | "succeeded" | "failed";

export interface CatalogueImportError {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  /** The CSV column, or null for a whole-row or whole-file problem. */
  column: string | null;
  /** A message key (translated by the app). */
  reason: string;
}

export interface CatalogueImportsTable {
  id: Generated<string>;
  seller_id: string;
  created_by: string | null;
  file_name: string;
  content: Buffer;
  status: Generated<JobRunStatus>;
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  unchanged_count: Generated<number>;
  error_count: Generated<number>;
  errors: ColumnType<CatalogueImportError[], string | undefined, string>;
  failure: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface SearchIndexRunsTable {
  id: Generated<string>;
  kind: "reconcile" | "reindex";
  requested_by: string | null;
  status: Generated<JobRunStatus>;
  expected_count: number | null;
  indexed_count: number | null;
  missing_count: number | null;
  stale_count: number | null;
  extra_count: number | null;
  failure: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export type RfqStatusColumn = "draft" | "open" | "closed" | "final_round" | "awarded" | "cancelled";
export type Incoterm = "EXW" | "FCA" | "CPT" | "CIP" | "DAP" | "DPU" | "DDP" | "FAS" | "FOB" | "CFR" | "CIF";

export interface RfqsTable {
  id: Generated<string>;
  number: BigIntId;
  buyer_id: string;
  created_by: string | null;
  title: string;
  description: Generated<string>;
  category_id: string;
  currency: string;
  incoterm: Incoterm;
  delivery_place: string;
  deadline: Timestamp | null;
  visibility: Generated<"open" | "invited">;
  sealing: Generated<"sealed" | "open">;
  anti_sniping_minutes: number | null;
  anti_sniping_max: number | null;
  extensions: Generated<number>;
  status: Generated<RfqStatusColumn>;
  cancel_reason: string | null;
  source_listing_id: string | null;
  chain_head: string | null;
  chain_length: Generated<number>;
  chain_verified_at: Timestamp | null;
  published_at: Timestamp | null;
  closed_at: Timestamp | null;
  /** Set when a best-and-final round opened: the first round's deadline (`deadline` is then the final round's). */
  first_deadline: Timestamp | null;
  final_opened_at: Timestamp | null;
  final_opened_by: string | null;
  /** Set with first_deadline: the first round's anti-sniping extensions (the final round counts its own in `extensions`). */
  first_extensions: number | null;
  /** Set with first_deadline: the receipts chain's length when the final round opened. */
  first_chain_length: number | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RfqFinalSellersTable {
  rfq_id: string;
  seller_id: string;
}

export type CounterStatus = "pending" | "accepted" | "declined" | "revised" | "expired" | "superseded";

export interface OfferCountersTable {
  id: Generated<string>;
  rfq_id: string;
  offer_id: string;
  seller_id: string;
  buyer_id: string;
  round: number;
  message: Generated<string>;
  respond_by: Timestamp;
  offer_revision: number;
  status: Generated<CounterStatus>;
  created_by: string | null;
  created_at: CreatedAt;
  answered_by: string | null;
  answered_at: Timestamp | null;
  decline_reason: string | null;
  answer_revision: number | null;
}

export interface OfferCounterLinesTable {
  counter_id: string;
  rfq_id: string;
  line_id: string;
  previous_unit_price_minor: Minor;
  previous_quantity: number;
  target_unit_price_minor: Minor | null;
  target_quantity: number | null;
}

export type ConversationSubjectKind = "listing" | "rfq" | "order";

export interface ConversationsTable {
  id: Generated<string>;
  buyer_id: string;
  seller_id: string;
  subject_kind: ConversationSubjectKind;
  subject_id: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_message_at: Timestamp;
}

export interface ConversationMessagesTable {
  id: Generated<string>;
  conversation_id: string;
  author_side: "buyer" | "seller";
  author_user_id: string | null;
  body: string;
  created_at: CreatedAt;
}

export interface ConversationAttachmentsTable {
  id: Generated<string>;
  conversation_id: string;
  message_id: string;
  original_name: string;
  content_type: DocumentContentType;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

export interface ConversationReadsTable {
  conversation_id: string;
  user_id: string;
  last_read_at: Timestamp;
}

export interface ConversationDigestMarksTable {
  user_id: string;
  organization_id: string;
  digested_until: Timestamp;
}

export interface ConversationDigestPendingTable {
  organization_id: string;
  due_at: Timestamp;
}

export interface ConversationReportsTable {
  id: Generated<string>;
  conversation_id: string;
  reported_by_org: string;
  reported_by: string | null;
  reason: string;
  created_at: CreatedAt;
}

export type BudgetPeriod = "month" | "quarter";
export type BudgetOnExceed = "approval" | "refuse";

export interface BudgetsTable {
  id: Generated<string>;
  buyer_id: string;
  organization_id: string | null;
  user_id: string | null;
  currency: string;
  amount_minor: Minor;
  period: BudgetPeriod;
  on_exceed: BudgetOnExceed;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RfqLinesTable {
  id: Generated<string>;
  rfq_id: string;
  position: number;
  description: string;
  quantity: number;
  unit: string;
  target_price_minor: Minor | null;
  listing_id: string | null;
}

export interface RfqAttachmentsTable {
  id: Generated<string>;
  rfq_id: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface RfqInvitationsTable {
  rfq_id: string;
  seller_id: string;
  invited_at: CreatedAt;
}

export interface RfqQuestionsTable {
  id: Generated<string>;
  rfq_id: string;
  seller_id: string;
  asked_by: string | null;
  question: string;
  asked_at: CreatedAt;
  answer: string | null;
  answer_visibility: "private" | "public" | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export type OfferStatusColumn = "submitted" | "revised" | "withdrawn" | "locked";

export interface OffersTable {
  id: Generated<string>;
  rfq_id: string;
  seller_id: string;
  status: OfferStatusColumn;
  revision: Generated<number>;
  currency: string;
  lead_time_days: number;
  valid_until: Timestamp;
  notes: Generated<string>;
  total_minor: Minor;
  submitted_by: string | null;
  submitted_at: Timestamp;
  updated_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface OfferLinesTable {
  offer_id: string;
  rfq_id: string;
  line_id: string;
  unit_price_minor: Minor;
  quantity: number;
}

export interface OfferAttachmentsTable {
  id: Generated<string>;
  offer_id: string;
  rfq_id: string;
  seller_id: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface OfferRevisionsTable {
  id: Generated<string>;
  rfq_id: string;
  offer_id: string;
  seller_id: string;
  revision: number;
  kind: "submitted" | "revised" | "withdrawn";
  sequence: number;
  /** The canonical JSON text exactly as hashed. */
  content: string;
  recorded_at: Timestamp;
  previous_hash: string | null;
  hash: string;
  recorded_by: string | null;
}

export type ApproverRole = "admin" | "approver";

export interface ApprovalRulesTable {
  id: Generated<string>;
  buyer_id: string;
  branch_id: string | null;
  currency: string;
  threshold_minor: Minor;
  approver_role: ApproverRole;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AwardsTable {
  id: Generated<string>;
  rfq_id: string;
  buyer_id: string;
  status: "pending_approval" | "approved" | "rejected";
  currency: string;
  total_minor: Minor;
  note: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  decided_at: Timestamp | null;
}

export interface AwardLinesTable {
  award_id: string;
  rfq_id: string;
  line_id: string;
  offer_id: string;
  seller_id: string;
  quantity: number;
  unit_price_minor: Minor;
}

/** A `withdrawn` approval is a catalogue purchase its requester took back before anyone decided (no decider). */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "withdrawn";

export interface ApprovalsTable {
  id: Generated<string>;
  buyer_id: string;
  subject_kind: "award" | "purchase";
  subject_id: string;
  rule_id: string | null;
  approver_role: ApproverRole;
  currency: string;
  amount_minor: Minor;
  threshold_minor: Minor;
  status: Generated<ApprovalStatus>;
  requested_by: string | null;
  requested_at: CreatedAt;
  decided_by: string | null;
  decided_at: Timestamp | null;
  comment: Generated<string>;
  level: Generated<1 | 2>;
  reason: Generated<"threshold" | "budget">;
  budget_id: string | null;
  next_rule_id: string | null;
  next_approver_role: ApproverRole | null;
  previous_decided_by: string | null;
}

export type OrderStatusColumn = "placed" | "accepted" | "rejected" | "shipped" | "delivered" | "settled" | "cancelled";

export interface OrdersTable {
  id: Generated<string>;
  number: BigIntId;
  buyer_id: string;
  seller_id: string;
  rfq_id: string | null;
  award_id: string | null;
  status: Generated<OrderStatusColumn>;
  currency: string;
  total_minor: Minor;
  lead_time_days: Generated<number>;
  placed_at: Timestamp;
  expected_delivery_at: Timestamp | null;
  delivered_at: Timestamp | null;
  disputed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  purchase_id: string | null;
  po_number: Generated<string>;
  /** A DeliveryAddress (JSON); null for orders placed before addresses existed. */
  delivery_address: Json | null;
  category_id: string | null;
  accepted_at: Timestamp | null;
  rejected_at: Timestamp | null;
  reject_reason: string | null;
  shipped_at: Timestamp | null;
  carrier: string | null;
  tracking_reference: string | null;
  delivery_confirmed_by: "buyer" | "auto" | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  cancellation_requested_by: "buyer" | "seller" | null;
  cancellation_requested_at: Timestamp | null;
  cancellation_reason: string | null;
  settled_at: Timestamp | null;
  version: Generated<number>;
}

export interface OrderLinesTable {
  id: Generated<string>;
  order_id: string;
  seller_id: string;
  position: number;
  rfq_line_id: string | null;
  listing_id: string | null;
  description: string;
  unit: string;
  quantity: number;
  unit_price_minor: Minor;
  line_total_minor: Minor;
}

/** An address as copied onto a purchase and its orders (later edits of the address book don't change it). */
export interface DeliveryAddress {
  label: string;
  recipient: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface OrganizationAddressesTable {
  id: Generated<string>;
  organization_id: string;
  label: string;
  recipient: string;
  line1: string;
  line2: Generated<string>;
  postal_code: string;
  city: string;
  country: string;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CartsTable {
  id: Generated<string>;
  buyer_id: string;
  user_id: string;
  updated_at: Timestamp;
}

export interface CartLinesTable {
  cart_id: string;
  buyer_id: string;
  listing_id: string;
  quantity: number;
  added_at: CreatedAt;
}

export interface RequisitionListsTable {
  id: Generated<string>;
  buyer_id: string;
  name: string;
  description: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RequisitionListItemsTable {
  list_id: string;
  buyer_id: string;
  listing_id: string;
  quantity: number;
  note: Generated<string>;
  added_by: string | null;
  added_at: CreatedAt;
}

export type PurchaseStatus = "pending_approval" | "placed" | "rejected" | "withdrawn";

export interface PurchasesTable {
  id: Generated<string>;
  number: BigIntId;
  buyer_id: string;
  placed_by: string | null;
  currency: string;
  total_minor: Minor;
  po_number: Generated<string>;
  delivery_address: Json;
  status: PurchaseStatus;
  created_at: CreatedAt;
  decided_at: Timestamp | null;
}

export interface PurchaseLinesTable {
  purchase_id: string;
  buyer_id: string;
  position: number;
  listing_id: string | null;
  seller_id: string;
  sku: string;
  description: string;
  unit: string;
  quantity: number;
  unit_price_minor: Minor;
  line_total_minor: Minor;
}

export type OrderActorKind = "buyer" | "seller" | "operator" | "system";

export interface OrderEventsTable {
  id: BigIntId;
  order_id: string;
  buyer_id: string;
  seller_id: string;
  kind: string;
  actor_user_id: string | null;
  actor_kind: OrderActorKind;
  data: Json;
  at: CreatedAt;
}

export interface DisputesTable {
  id: Generated<string>;
  order_id: string;
  buyer_id: string;
  seller_id: string;
  reason: string;
  opened_by: string | null;
  opened_at: CreatedAt;
  status: Generated<"open" | "resolved">;
  resolution: "release" | "partial_refund" | "full_refund" | null;
  refund_minor: MinorWithDefault;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  note: Generated<string>;
}

export type CommissionScope = "default" | "category" | "seller";

export interface CommissionRulesTable {
  id: Generated<string>;
  scope: CommissionScope;
  category_id: string | null;
  seller_id: string | null;
  currency: string;
  rate_bps: number;
  fixed_minor: MinorWithDefault;
  floor_minor: MinorWithDefault;
  cap_minor: Minor | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  archived_at: Timestamp | null;
}

export type LedgerAccountKind = "buyer_receivable" | "seller_payable" | "commission_revenue" | "payouts_in_transit" | "cash";

export interface LedgerAccountsTable {
  id: Generated<string>;
  kind: LedgerAccountKind;
  organization_id: string | null;
  counterparty_id: string | null;
  currency: string;
  created_at: CreatedAt;
}

export type JournalKind = "settlement" | "refund" | "payout" | "payout_paid" | "payout_failed";

export interface JournalsTable {
  id: Generated<string>;
  number: BigIntId;
  idempotency_key: string;
  kind: JournalKind;
  order_id: string | null;
  payout_id: string | null;
  currency: string;
  memo: Generated<string>;
  posted_by: string | null;
  posted_at: CreatedAt;
}

export interface LedgerEntriesTable {
  id: BigIntId;
  journal_id: string;
  account_id: string;
  currency: string;
  /** Debit positive, credit negative. */
  amount_minor: Minor;
}

export interface SettlementsTable {
  order_id: string;
  buyer_id: string;
  seller_id: string;
  journal_id: string;
  currency: string;
  gross_minor: Minor;
  commission_minor: Minor;
  net_minor: Minor;
  /** The commission rule applied, frozen (JSON). */
  rule: Json;
  refunded_minor: MinorWithDefault;
  commission_refunded_minor: MinorWithDefault;
  settled_at: CreatedAt;
}

export interface RefundsTable {
  id: Generated<string>;
  order_id: string;
  dispute_id: string | null;
  journal_id: string;
  currency: string;
  amount_minor: Minor;
  commission_minor: Minor;
  net_minor: Minor;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PayoutRunsTable {
  id: Generated<string>;
  trigger: "schedule" | "operator";
  requested_by: string | null;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  payouts: Generated<number>;
}

export type PayoutStatus = "pending" | "held" | "paid" | "failed";

export interface PayoutsTable {
  id: Generated<string>;
  number: BigIntId;
  seller_id: string;
  currency: string;
  amount_minor: Minor;
  status: Generated<PayoutStatus>;
  run_id: string | null;
  provider: Generated<string>;
  provider_reference: string | null;
  /** When submitPayout handed the payout to the provider; null: not yet. */
  submitted_at: Timestamp | null;
  failure_reason: string | null;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: Timestamp | null;
  journal_id: string | null;
}

export interface PayoutItemsTable {
  payout_id: string;
  seller_id: string;
  journal_id: string;
  amount_minor: Minor;
}

export interface Database {
  rfq_final_sellers: RfqFinalSellersTable;
  offer_counters: OfferCountersTable;
  offer_counter_lines: OfferCounterLinesTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  conversation_attachments: ConversationAttachmentsTable;
  conversation_reads: ConversationReadsTable;
  conversation_digest_marks: ConversationDigestMarksTable;
  conversation_digest_pending: ConversationDigestPendingTable;
  conversation_reports: ConversationReportsTable;
  budgets: BudgetsTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  categories: CategoriesTable;
  seller_applications: SellerApplicationsTable;
  seller_application_categories: SellerApplicationCategoriesTable;
  seller_documents: SellerDocumentsTable;
  seller_decisions: SellerDecisionsTable;
  search_listings: SearchListingsTable;
  listings: ListingsTable;
  listing_price_tiers: ListingPriceTiersTable;
  listing_images: ListingImagesTable;
  customer_groups: CustomerGroupsTable;
  customer_group_members: CustomerGroupMembersTable;
  listing_visibility: ListingVisibilityTable;
  price_lists: PriceListsTable;
  price_list_entries: PriceListEntriesTable;
  price_list_assignments: PriceListAssignmentsTable;
  catalogue_imports: CatalogueImportsTable;
  search_index_runs: SearchIndexRunsTable;
  rfqs: RfqsTable;
  rfq_lines: RfqLinesTable;
  rfq_attachments: RfqAttachmentsTable;
  rfq_invitations: RfqInvitationsTable;
  rfq_questions: RfqQuestionsTable;
  offers: OffersTable;
  offer_lines: OfferLinesTable;
  offer_attachments: OfferAttachmentsTable;
  offer_revisions: OfferRevisionsTable;
  approval_rules: ApprovalRulesTable;
  awards: AwardsTable;
  award_lines: AwardLinesTable;
  approvals: ApprovalsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  organization_addresses: OrganizationAddressesTable;
  carts: CartsTable;
  cart_lines: CartLinesTable;
  requisition_lists: RequisitionListsTable;
  requisition_list_items: RequisitionListItemsTable;
  purchases: PurchasesTable;
  purchase_lines: PurchaseLinesTable;
  order_events: OrderEventsTable;
  disputes: DisputesTable;
  commission_rules: CommissionRulesTable;
  ledger_accounts: LedgerAccountsTable;
  journals: JournalsTable;
  ledger_entries: LedgerEntriesTable;
  settlements: SettlementsTable;
  refunds: RefundsTable;
  payout_runs: PayoutRunsTable;
  payouts: PayoutsTable;
  payout_items: PayoutItemsTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Membership = Selectable<MembershipsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type Notification = Selectable<NotificationsTable>;
export type Category = Selectable<CategoriesTable>;
export type SellerApplication = Selectable<SellerApplicationsTable>;
export type SellerDocument = Selectable<SellerDocumentsTable>;
export type SellerDecisionRow = Selectable<SellerDecisionsTable>;
export type SearchListingRow = Selectable<SearchListingsTable>;
export type Listing = Selectable<ListingsTable>;
export type CustomerGroup = Selectable<CustomerGroupsTable>;
export type PriceList = Selectable<PriceListsTable>;
export type CatalogueImport = Selectable<CatalogueImportsTable>;
export type SearchIndexRun = Selectable<SearchIndexRunsTable>;
export type Rfq = Selectable<RfqsTable>;
export type Offer = Selectable<OffersTable>;
export type Order = Selectable<OrdersTable>;
export type Purchase = Selectable<PurchasesTable>;
export type CommissionRuleRow = Selectable<CommissionRulesTable>;
export type Payout = Selectable<PayoutsTable>;
export type Journal = Selectable<JournalsTable>;
