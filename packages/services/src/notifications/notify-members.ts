import type { Db } from "@souk/db";
import { currentRequestId, parseJobPayload } from "@souk/jobs";
import { renderEmail, type EmailTemplateName, type EmailTemplateParams } from "./templates";

export interface NotifiedMember {
  id: string;
  email: string;
  name: string;
  locale: "en" | "fr";
}

export interface NotifyMembersInput<T extends EmailTemplateName> {
  organizationId: string;
  /** Only members with one of these roles; every member when left out. */
  roles?: readonly string[];
  /** Only these users (still members of the organisation): a decision told to the one who asked for it. */
  userIds?: readonly string[];
  /** Not these users: the approvers of a request are told, but not the member who made it. */
  exceptUserIds?: readonly string[];
  template: T;
  /** The template's params for one member (its name, its language...). */
  params: (member: NotifiedMember) => EmailTemplateParams<T>;
}

/** One notice of notifyMembersInBulk: a NotifyMembersInput of any template. */
export type MemberNotice = { [T in EmailTemplateName]: NotifyMembersInput<T> }[EmailTemplateName];

/**
 * Tells the members of an organisation by e-mail (through the outbox, so only once the caller's
 * transaction commits, delivered by the worker) and in the app, each in their own language.
 * Call it with the transaction of the change it announces. Returns how many members were told.
 */
export async function notifyMembers<T extends EmailTemplateName>(db: Db, input: NotifyMembersInput<T>): Promise<number> {
  return notifyMembersInBulk(db, [input as unknown as MemberNotice]);
}

/**
 * notifyMembers for several notices at once (a settlement batch tells each order's seller): one
 * read of the members of every organisation concerned, one multi-row insert of the e-mails into the
 * outbox and one of the in-app copies, whatever the number of notices and members. The rows are
 * those each notice would write alone, in the notices' order and, within a notice, by user id.
 * Returns how many rows of each kind were written.
 */
export async function notifyMembersInBulk(db: Db, notices: readonly MemberNotice[]): Promise<number> {
  // An empty role or user list names nobody (not "no filter").
  const wanted = notices.filter((n) => n.roles?.length !== 0 && n.userIds?.length !== 0);
  if (wanted.length === 0) return 0;
  const roles = wanted.every((n) => n.roles) ? [...new Set(wanted.flatMap((n) => n.roles ?? []))] : null;
  const members = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.organization_id", "m.role", "u.id", "u.email", "u.name", "u.locale"])
    .where("m.organization_id", "in", [...new Set(wanted.map((n) => n.organizationId))])
    .$if(roles !== null, (qb) => qb.where("m.role", "in", roles!))
    .orderBy("u.id")
    .execute();

  const emails: { topic: "notification.email"; payload: string }[] = [];
  const inApp: { organization_id: string; user_id: string; channel: "in_app"; template: string; locale: "en" | "fr"; subject: string; body: string }[] = [];
  for (const notice of wanted) {
    for (const m of members) {
      if (m.organization_id !== notice.organizationId || (notice.roles && !notice.roles.includes(m.role))) continue;
      if ((notice.userIds && !notice.userIds.includes(m.id)) || notice.exceptUserIds?.includes(m.id)) continue;
      const member: NotifiedMember = { id: m.id, email: m.email, name: m.name, locale: m.locale };
      const params = (notice.params as (member: NotifiedMember) => unknown)(member);
      // writeOutbox's check of the payload, row by row; the rows go in one insert.
      const payload = parseJobPayload("notification.email", { template: notice.template, locale: member.locale, to: member.email, userId: member.id, organizationId: notice.organizationId, params });
      emails.push({ topic: "notification.email", payload: JSON.stringify(payload) });
      // The in-app copy is rendered now: it is read in the app, not delivered by a job.
      const rendered = renderEmail(notice.template, member.locale, params);
      inApp.push({ organization_id: notice.organizationId, user_id: member.id, channel: "in_app", template: notice.template, locale: member.locale, subject: rendered.subject, body: rendered.text });
    }
  }
  if (emails.length === 0) return 0;
  // As writeOutbox does: the request that caused them goes with the rows (decision 0018).
  const requestId = currentRequestId();
  await db.insertInto("outbox").values(emails.map((row) => ({ ...row, request_id: requestId }))).execute();
  await db.insertInto("notifications").values(inApp).execute();
  return emails.length;
}
