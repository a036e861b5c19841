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

export interface Database {
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
