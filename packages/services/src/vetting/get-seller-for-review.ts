import { sql } from "kysely";
import { z } from "zod";
import { notFound, type OrganizationKind, type Role, type SellerDecision, type SellerMove, type SellerStatus } from "@souk/domain";
import type { DocumentContentType } from "@souk/db";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertReviewer, categoriesOf, decisionsFor, existingId, type ReviewCategory } from "./shared";

export const getSellerForReviewSchema = z.object({ organizationId: z.unknown() });
export type GetSellerForReviewInput = z.input<typeof getSellerForReviewSchema>;

export interface ReviewApplication {
  legalName: string;
  tradingName: string;
  country: string;
  companyNumber: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  description: string;
  submittedAt: Date | null;
  updatedAt: Date;
}

export interface ReviewDocument {
  id: string;
  originalName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  createdAt: Date;
  uploadedByName: string | null;
}

export interface ReviewHistoryEntry {
  id: string;
  move: SellerMove;
  fromStatus: SellerStatus;
  toStatus: SellerStatus;
  message: string | null;
  createdAt: Date;
  /** Who moved: an operator (decisions) or one of the seller's members (submissions); null once the account is gone. */
  actor: { name: string; email: string; side: OrganizationKind | null } | null;
}

export interface ReviewMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

export interface SellerForReview {
  organization: { id: string; name: string; status: SellerStatus; createdAt: Date };
  /** Null when the seller never saved an application (sellers activated before the review existed). */
  application: ReviewApplication | null;
  categories: ReviewCategory[];
  documents: ReviewDocument[];
  /** Oldest first. */
  history: ReviewHistoryEntry[];
  /** Owners first: they are the ones told of every decision. */
  members: ReviewMember[];
  /** The operator's question while the seller is asked for more information. */
  openQuestion: string | null;
  availableDecisions: SellerDecision[];
}

/**
 * Everything an operator needs to decide on a seller: the application with its categories and
 * documents, the history of submissions and decisions with who made them, the members, and the
 * decisions open now. For reviewers only (review:sellers:any); any id that is not a seller's is
 * NOT_FOUND.
 */
export async function getSellerForReview(deps: ActorDeps, input: unknown): Promise<SellerForReview> {
  assertReviewer(deps.actor);
  const organizationId = existingId(parseInput(getSellerForReviewSchema, input).organizationId, "Seller");
  const { db } = deps;

  const organization = await db
    .selectFrom("organizations")
    .select(["id", "name", "status", "created_at as createdAt"])
    .where("id", "=", organizationId)
    .where("kind", "=", "seller")
    .executeTakeFirst();
  if (!organization) throw notFound("Seller");
  const status = organization.status as SellerStatus;

  const application = await db
    .selectFrom("seller_applications")
    .select([
      "legal_name as legalName",
      "trading_name as tradingName",
      "country",
      "company_number as companyNumber",
      "address_line1 as addressLine1",
      "address_line2 as addressLine2",
      "postal_code as postalCode",
      "city",
      "contact_name as contactName",
      "contact_email as contactEmail",
      "contact_phone as contactPhone",
      "description",
      "submitted_at as submittedAt",
      "updated_at as updatedAt",
    ])
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();

  const documents = await db
    .selectFrom("seller_documents as d")
    .leftJoin("users as u", "u.id", "d.uploaded_by")
    .select(["d.id", "d.original_name as originalName", "d.content_type as contentType", "d.size_bytes as sizeBytes", "d.created_at as createdAt", "u.name as uploadedByName"])
    .where("d.organization_id", "=", organizationId)
    .orderBy("d.created_at")
    .orderBy("d.id")
    .execute();

  const history = await db
    .selectFrom("seller_decisions as h")
    .leftJoin("users as u", "u.id", "h.actor_user_id")
    .leftJoin("organizations as ao", "ao.id", "h.actor_organization_id")
    .select(["h.id", "h.move", "h.from_status as fromStatus", "h.to_status as toStatus", "h.message", "h.created_at as createdAt", "u.name as actorName", "u.email as actorEmail", "ao.kind as actorKind"])
    .where("h.organization_id", "=", organizationId)
    .orderBy("h.id", "asc")
    .execute();

  const members = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id as userId", "u.name", "u.email", "m.role"])
    .where("m.organization_id", "=", organizationId)
    .orderBy(sql`m.role = 'owner'`, "desc")
    .orderBy("u.name")
    .orderBy("u.id")
    .execute();

  const lastRequest = [...history].reverse().find((h) => h.move === "request_info");
  return {
    organization: { id: organization.id, name: organization.name, status, createdAt: organization.createdAt },
    application: application ?? null,
    categories: (await categoriesOf(db, [organizationId])).get(organizationId) ?? [],
    documents: documents.map((d) => ({ ...d, sizeBytes: Number(d.sizeBytes) })),
    history: history.map((h) => ({
      id: String(h.id),
      move: h.move,
      fromStatus: h.fromStatus as SellerStatus,
      toStatus: h.toStatus as SellerStatus,
      message: h.message,
      createdAt: h.createdAt,
      actor: h.actorName !== null && h.actorEmail !== null ? { name: h.actorName, email: h.actorEmail, side: h.actorKind } : null,
    })),
    members: members.map((m) => ({ ...m, role: m.role as Role })),
    openQuestion: status === "info_requested" ? (lastRequest?.message ?? null) : null,
    availableDecisions: decisionsFor(status, Boolean(application?.submittedAt)),
  };
}
