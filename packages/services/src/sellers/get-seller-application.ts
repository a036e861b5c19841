import { z } from "zod";
import type { DocumentContentType, SellerMoveName } from "@souk/db";
import { can, notFound, type SellerStatus } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertSellerCan, categoryIdsOf, fieldsOf, isEditable, type ApplicationFields } from "./shared";

export const getSellerApplicationSchema = z.object({});

export interface SellerApplicationView extends ApplicationFields {
  submittedAt: Date | null;
}

export interface SellerDocumentView {
  id: string;
  originalName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  createdAt: Date;
}

export interface SellerHistoryEntry {
  move: SellerMoveName;
  fromStatus: string;
  toStatus: string;
  /** The seller's answer, or the operator's question or reason. */
  message: string | null;
  createdAt: Date;
}

export interface SellerNotificationView {
  id: string;
  subject: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface SellerApplicationPage {
  organizationName: string;
  status: SellerStatus;
  application: SellerApplicationView;
  documents: SellerDocumentView[];
  /** Oldest first: submissions and operator decisions. */
  history: SellerHistoryEntry[];
  /** The operator's question while more information is requested, else null. */
  openQuestion: string | null;
  /** The reason given with the decision that put the seller in its current status (rejected, suspended), else null. */
  statusReason: string | null;
  /** The actor may change the application now (its role allows it and the application is a draft or reopened). */
  canEdit: boolean;
  /** The actor may submit (or resubmit) now; whether the fields are complete is checked on submission. */
  canSubmit: boolean;
  /** "Messages from Souk": the organisation's in-app notifications, newest first. */
  notifications: SellerNotificationView[];
}

const NOTIFICATIONS_SHOWN = 20;

/**
 * The seller's application as its page shows it: the fields (prefilled from the organisation and
 * the actor before the first save), documents, history, the open question or the reason of the
 * current status, what the actor may do now, and Souk's messages to the organisation. Every query
 * is scoped to the actor's organisation; any seller member may read it, only the owner edits.
 */
export async function getSellerApplication(deps: ActorDeps, input: unknown = {}): Promise<SellerApplicationPage> {
  parseInput(getSellerApplicationSchema, input);
  const { db, actor } = deps;
  assertSellerCan(actor, "read:organization:org");
  const organizationId = actor.organizationId;

  const organization = await db.selectFrom("organizations").select(["name", "status"]).where("id", "=", organizationId).where("kind", "=", "seller").executeTakeFirst();
  if (!organization) throw notFound("Organisation");
  const status = organization.status as SellerStatus;

  const row = await db.selectFrom("seller_applications").selectAll().where("organization_id", "=", organizationId).executeTakeFirst();
  const fields = fieldsOf(row, row ? await categoryIdsOf(db, organizationId) : []);
  if (!row) {
    // Nothing saved yet: start from what sign-up already told us.
    const user = await db.selectFrom("users").select(["name", "email"]).where("id", "=", actor.userId).executeTakeFirst();
    fields.legalName = organization.name;
    fields.contactName = user?.name ?? "";
    fields.contactEmail = user?.email ?? "";
  }

  const documents = await db
    .selectFrom("seller_documents")
    .select(["id", "original_name as originalName", "content_type as contentType", "size_bytes as sizeBytes", "created_at as createdAt"])
    .where("organization_id", "=", organizationId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

  const history = await db
    .selectFrom("seller_decisions")
    .select(["move", "from_status as fromStatus", "to_status as toStatus", "message", "created_at as createdAt"])
    .where("organization_id", "=", organizationId)
    .orderBy("id")
    .execute();

  const notifications = await db
    .selectFrom("notifications")
    .select(["id", "subject", "body", "created_at as createdAt", "read_at as readAt"])
    .where("organization_id", "=", organizationId)
    .where("channel", "=", "in_app")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(NOTIFICATIONS_SHOWN)
    .execute();

  // The decision that led to the current status is the last move into it.
  const current = history.findLast((h) => h.toStatus === status);
  const submittedAt = row?.submitted_at ?? null;
  const canEdit = can(actor.organizationKind, actor.role, "manage:application:org") && isEditable(status, submittedAt);
  return {
    organizationName: organization.name,
    status,
    application: { ...fields, submittedAt },
    documents,
    history,
    openQuestion: status === "info_requested" && current?.move === "request_info" ? current.message : null,
    statusReason: (status === "rejected" || status === "suspended") && current ? current.message : null,
    canEdit,
    canSubmit: canEdit,
    notifications,
  };
}
