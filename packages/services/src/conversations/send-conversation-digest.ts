import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { can, ROLES, type OrganizationKind } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";

/** How long after the first message since the last digest the next digest goes out, by default. */
export const CONVERSATION_DIGEST_DEFAULT_MINUTES = 15;
/** The threads a digest names (the e-mail says how many more). */
const DIGEST_COUNTERPARTIES_MAX = 5;

export const sendConversationDigestSchema = z.object({
  organizationId: z.uuid(),
  /** CONVERSATION_DIGEST_MINUTES (the worker's setting). */
  delayMinutes: z.number().int().min(0).max(10_080).default(CONVERSATION_DIGEST_DEFAULT_MINUTES),
});
export type SendConversationDigestInput = z.input<typeof sendConversationDigestSchema>;

export type ConversationDigestResult =
  | { status: "nothing_pending" }
  | { status: "scheduled"; dueAt: string }
  | { status: "sent"; emails: number; messages: number };

/**
 * The `conversation.digest` job of one recipient organisation. The first message to it since its
 * last digest wrote the pending row (due_at = that message's time) and this job. Until due_at +
 * `delayMinutes` (database clock) the job only reschedules itself for then; once due, every
 * member of the organisation who reads threads (read:conversations:org) gets ONE e-mail summing up
 * their unread messages written after max(their read mark, their last digest), their digest mark
 * moves up to the newest message it told them about, and the pending row goes. All in one
 * transaction under the pending row's lock: a retry, a duplicate job or a second run finds no row
 * (or a row not yet due) and sends nothing; fifty messages make one e-mail per member.
 */
export async function sendConversationDigest(deps: ServiceDeps, input: unknown): Promise<ConversationDigestResult> {
  const { organizationId, delayMinutes } = parseInput(sendConversationDigestSchema, input);
  return withTransaction(deps.db, async (trx) => {
    const pending = await trx
      .selectFrom("conversation_digest_pending")
      .select(["organization_id", sql<Date>`due_at + make_interval(mins => ${delayMinutes})`.as("send_at"), sql<boolean>`due_at + make_interval(mins => ${delayMinutes}) <= now()`.as("due")])
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!pending) return { status: "nothing_pending" };
    if (!pending.due) {
      await writeOutbox(trx, "conversation.digest", { organizationId }, { availableAt: pending.send_at });
      return { status: "scheduled", dueAt: pending.send_at.toISOString() };
    }

    const org = await trx.selectFrom("organizations").select(["kind", "name"]).where("id", "=", organizationId).executeTakeFirstOrThrow();
    const kind = org.kind as OrganizationKind;
    let emails = 0;
    let messages = 0;
    if (kind === "buyer" || kind === "seller") {
      const readerRoles = (ROLES[kind] as readonly string[]).filter((role) => can(kind, role as never, "read:conversations:org"));
      const members = await trx
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.id", "u.email", "u.name", "u.locale"])
        .where("m.organization_id", "=", organizationId)
        .where("m.role", "in", readerRoles)
        .orderBy("u.id")
        .execute();
      const own = kind === "buyer" ? "c.buyer_id" : "c.seller_id";
      const other = kind === "buyer" ? "seller" : "buyer";
      const counterparty = kind === "buyer" ? "c.seller_id" : "c.buyer_id";
      for (const member of members) {
        const unread = await trx
          .selectFrom("conversation_messages as m")
          .innerJoin("conversations as c", "c.id", "m.conversation_id")
          .innerJoin("organizations as o", "o.id", counterparty)
          .leftJoin("conversation_reads as r", (join) => join.onRef("r.conversation_id", "=", "c.id").on("r.user_id", "=", member.id))
          .leftJoin("conversation_digest_marks as d", (join) => join.on("d.user_id", "=", member.id).on("d.organization_id", "=", organizationId))
          .where(own, "=", organizationId)
          .where("m.author_side", "=", other)
          .where(sql<boolean>`m.created_at > greatest(r.last_read_at, d.digested_until, '-infinity'::timestamptz)`)
          .select(["c.id as conversationId", "o.name as counterparty", sql<string>`count(*)`.as("n"), sql<Date>`max(m.created_at)`.as("newest"), sql<string>`max(m.created_at)::text`.as("newest_text")])
          .groupBy(["c.id", "o.name"])
          .orderBy(sql`max(m.created_at)`, "desc")
          .execute();
        if (unread.length === 0) continue;
        const count = unread.reduce((t, u) => t + Number(u.n), 0);
        const newest = unread[0]!.newest_text;
        const names = [...new Set(unread.map((u) => u.counterparty))];
        await writeOutbox(trx, "notification.email", {
          template: "conversation.digest",
          locale: member.locale,
          to: member.email,
          userId: member.id,
          organizationId,
          params: {
            name: member.name,
            organizationName: org.name,
            messageCount: String(count),
            conversationCount: String(unread.length),
            counterparties: names.slice(0, DIGEST_COUNTERPARTIES_MAX).join(", "),
            moreCounterparties: String(Math.max(0, names.length - DIGEST_COUNTERPARTIES_MAX)),
            messagesUrl: `${kind === "buyer" ? deps.publicUrls.buyer : deps.publicUrls.seller}/messages`,
          },
        });
        await trx
          .insertInto("conversation_digest_marks")
          .values({ user_id: member.id, organization_id: organizationId, digested_until: sql<Date>`${newest}::timestamptz` })
          .onConflict((oc) => oc.columns(["user_id", "organization_id"]).doUpdateSet({ digested_until: sql<Date>`greatest(conversation_digest_marks.digested_until, excluded.digested_until)` }))
          .execute();
        emails += 1;
        messages += count;
      }
    }
    await trx.deleteFrom("conversation_digest_pending").where("organization_id", "=", organizationId).execute();
    return { status: "sent", emails, messages };
  });
}
