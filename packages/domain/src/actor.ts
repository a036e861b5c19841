import { forbidden } from "./errors";
import type { OrganizationId, UserId } from "./ids";
import { can, type OrganizationKind, type OrganizationStatus, type Permission, type Role } from "./roles";

/**
 * Who is calling a service: the signed-in user acting as one of its organisations. Built by the
 * apps from a validated session; services never take an organisation id from the request body.
 */
export interface Actor {
  userId: UserId;
  organizationId: OrganizationId;
  organizationKind: OrganizationKind;
  organizationStatus: OrganizationStatus;
  role: Role;
  /** The caller's address, for the audit log. */
  ip: string | null;
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.organizationKind, actor.role, permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
}
