import { z } from "zod";
import type { OrganizationKind, Role } from "@souk/domain";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { invitationTokenField, loadUsableInvitation } from "./shared";

export const getInvitationSchema = z.object({ token: invitationTokenField });

export interface InvitationView {
  organizationName: string;
  organizationKind: OrganizationKind;
  role: Role;
  email: string;
  /** True: the accept page asks for the existing account's password (or a signed-in session); false: for a name and a new password. */
  hasAccount: boolean;
  expiresAt: Date;
}

/** What the accept page shows. INVITATION_INVALID (410) when the token is unknown, used, revoked or expired. */
export async function getInvitation(deps: ServiceDeps, input: unknown): Promise<InvitationView> {
  const { token } = parseInput(getInvitationSchema, input);
  const invitation = await loadUsableInvitation(deps.db, token);
  const user = await deps.db.selectFrom("users").select("id").where("email", "=", invitation.email).executeTakeFirst();
  return {
    organizationName: invitation.organizationName,
    organizationKind: invitation.organizationKind,
    role: invitation.role,
    email: invitation.email,
    hasAccount: user !== undefined,
    expiresAt: invitation.expiresAt,
  };
}
