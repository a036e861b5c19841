import type { Db } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
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

/**
 * Tells the members of an organisation by e-mail (through the outbox, so only once the caller's
 * transaction commits, delivered by the worker) and in the app, each in their own language.
 * Call it with the transaction of the change it announces. Returns how many members were told.
 */
export async function notifyMembers<T extends EmailTemplateName>(db: Db, input: NotifyMembersInput<T>): Promise<number> {
  let query = db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.name", "u.locale"])
    .where("m.organization_id", "=", input.organizationId);
  if (input.roles) {
    if (input.roles.length === 0) return 0;
    query = query.where("m.role", "in", [...input.roles]);
  }
  if (input.userIds) {
    if (input.userIds.length === 0) return 0;
    query = query.where("u.id", "in", [...input.userIds]);
  }
  if (input.exceptUserIds && input.exceptUserIds.length > 0) query = query.where("u.id", "not in", [...input.exceptUserIds]);
  const members = await query.orderBy("u.id").execute();
  for (const member of members) {
    const params = input.params(member);
    await writeOutbox(db, "notification.email", {
      template: input.template,
      locale: member.locale,
      to: member.email,
      userId: member.id,
      organizationId: input.organizationId,
      params,
    });
    // The in-app copy is rendered now: it is read in the app, not delivered by a job.
    const rendered = renderEmail(input.template, member.locale, params);
    await db
      .insertInto("notifications")
      .values({
        organization_id: input.organizationId,
        user_id: member.id,
        channel: "in_app",
        template: input.template,
        locale: member.locale,
        subject: rendered.subject,
        body: rendered.text,
      })
      .execute();
  }
  return members.length;
}
