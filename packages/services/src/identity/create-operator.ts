import { z } from "zod";
import { sql } from "kysely";
import { hashPassword } from "@souk/auth";
import { withTransaction } from "@souk/db";
import type { OperatorRole } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ServiceDeps } from "../deps";
import { emailField, newPasswordField, optionalText, parseInput, requiredText } from "../input";
import { insertUser, roleField } from "./shared";

export const DEFAULT_OPERATOR_ORGANIZATION = "Souk Operations";

export const createOperatorSchema = z.object({
  email: emailField,
  name: requiredText("name"),
  password: newPasswordField,
  role: roleField("operator"),
  organizationName: optionalText("organizationName"),
});
export type CreateOperatorInput = z.input<typeof createOperatorSchema>;

export interface CreateOperatorResult {
  userId: string;
  email: string;
  organizationId: string;
  membershipId: string;
  role: OperatorRole;
}

/**
 * Creates an operator account in the operator organisation (created, active, on first use).
 * Only the CLI calls this: there is no public sign-up for operators.
 */
export async function createOperator(deps: ServiceDeps, input: unknown): Promise<CreateOperatorResult> {
  const data = parseInput(createOperatorSchema, input);
  const organizationName = data.organizationName ?? DEFAULT_OPERATOR_ORGANIZATION;
  const passwordHash = await hashPassword(data.password);

  return withTransaction(deps.db, async (trx) => {
    // Two CLIs run at once must not create two operator organisations of the same name.
    await sql`select pg_advisory_xact_lock(hashtext(${`souk:operator-organization:${organizationName}`}))`.execute(trx);
    let organization = await trx
      .selectFrom("organizations")
      .select("id")
      .where("kind", "=", "operator")
      .where("name", "=", organizationName)
      .orderBy("created_at")
      .executeTakeFirst();
    organization ??= await trx
      .insertInto("organizations")
      .values({ kind: "operator", name: organizationName, status: "active" })
      .returning("id")
      .executeTakeFirstOrThrow();

    const userId = await insertUser(trx, { email: data.email, name: data.name, passwordHash });

    const membership = await trx
      .insertInto("memberships")
      .values({ organization_id: organization.id, user_id: userId, role: data.role })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: null,
      organizationId: organization.id,
      action: "operator.created",
      targetType: "user",
      targetId: userId,
      data: { email: data.email, role: data.role, via: "cli" },
    });
    return { userId, email: data.email, organizationId: organization.id, membershipId: membership.id, role: data.role };
  });
}
