/**
 * Organisation kinds, roles and the role → permission matrix.
 *
 * Permissions are `action:entity:scope` strings. Scope `org` means "within the caller's active
 * organisation"; `any` means across tenants (operators only). Services check permissions; routes
 * only add a second, earlier check.
 */
export const ORGANIZATION_KINDS = ["buyer", "seller", "operator"] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ORGANIZATION_STATUSES = ["pending", "info_requested", "active", "suspended", "rejected"] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

export const ROLES = {
  buyer: ["admin", "purchaser", "approver", "viewer"],
  seller: ["owner", "sales", "fulfilment"],
  operator: ["admin", "moderator", "finance"],
} as const satisfies Record<OrganizationKind, readonly string[]>;

export type BuyerRole = (typeof ROLES.buyer)[number];
export type SellerRole = (typeof ROLES.seller)[number];
export type OperatorRole = (typeof ROLES.operator)[number];
export type Role = BuyerRole | SellerRole | OperatorRole;

/** The role given to the person who creates an organisation. */
export const FOUNDER_ROLE = { buyer: "admin", seller: "owner", operator: "admin" } as const satisfies {
  [K in OrganizationKind]: (typeof ROLES)[K][number];
};

export function isRoleOf(kind: OrganizationKind, role: string): role is Role {
  return (ROLES[kind] as readonly string[]).includes(role);
}

export const PERMISSIONS = [
  // every kind
  "read:organization:org",
  "read:members:org",
  "manage:members:org",
  // buyer
  "read:catalogue:org",
  "manage:requisition-lists:org",
  "create:order:org",
  "read:orders:org",
  "create:rfq:org",
  "read:rfqs:org",
  "award:rfq:org",
  "approve:purchase:org",
  "confirm:delivery:org",
  "manage:approval-rules:org",
  "manage:budgets:org",
  // buyer and seller: threads between the two organisations
  "read:conversations:org",
  "write:conversations:org",
  // seller
  "manage:application:org",
  "manage:listings:org",
  "manage:price-lists:org",
  "read:rfq-inbox:org",
  "submit:offer:org",
  "fulfil:order:org",
  "read:payouts:org",
  // operator
  "review:sellers:any",
  "moderate:listings:any",
  "read:rfqs:any",
  "resolve:disputes:any",
  "manage:commission:any",
  "run:settlement:any",
  "read:ledger:any",
  "read:audit:any",
  "manage:search:any",
  "manage:jobs:any",
  // a thread that a dispute or a report involves (every read is audited)
  "read:conversations:any",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const BUYER_READ: Permission[] = ["read:organization:org", "read:members:org", "read:catalogue:org", "read:orders:org", "read:rfqs:org", "read:conversations:org"];
const SELLER_READ: Permission[] = ["read:organization:org", "read:members:org", "read:rfq-inbox:org", "read:orders:org", "read:conversations:org", "write:conversations:org"];
const OPERATOR_READ: Permission[] = ["read:organization:org", "read:members:org", "read:rfqs:any", "read:audit:any"];

export const ROLE_PERMISSIONS: { [K in OrganizationKind]: Record<(typeof ROLES)[K][number], readonly Permission[]> } = {
  buyer: {
    admin: [...BUYER_READ, "manage:members:org", "manage:requisition-lists:org", "create:order:org", "create:rfq:org", "award:rfq:org", "approve:purchase:org", "confirm:delivery:org", "manage:approval-rules:org", "manage:budgets:org", "write:conversations:org"],
    purchaser: [...BUYER_READ, "manage:requisition-lists:org", "create:order:org", "create:rfq:org", "award:rfq:org", "confirm:delivery:org", "write:conversations:org"],
    approver: [...BUYER_READ, "approve:purchase:org", "write:conversations:org"],
    viewer: BUYER_READ,
  },
  seller: {
    owner: [...SELLER_READ, "manage:members:org", "manage:application:org", "manage:listings:org", "manage:price-lists:org", "submit:offer:org", "fulfil:order:org", "read:payouts:org"],
    sales: [...SELLER_READ, "manage:listings:org", "manage:price-lists:org", "submit:offer:org"],
    fulfilment: [...SELLER_READ, "fulfil:order:org"],
  },
  operator: {
    admin: [...OPERATOR_READ, "manage:members:org", "review:sellers:any", "moderate:listings:any", "resolve:disputes:any", "manage:commission:any", "run:settlement:any", "read:ledger:any", "manage:search:any", "manage:jobs:any"],
    // Only moderators read buyer–seller threads, and only one a dispute or a report involves.
    moderator: [...OPERATOR_READ, "review:sellers:any", "moderate:listings:any", "resolve:disputes:any", "manage:search:any", "read:conversations:any"],
    // Finance reads disputes and resolves them, refunds included (a refund is a money movement: run:settlement:any).
    finance: [...OPERATOR_READ, "resolve:disputes:any", "manage:commission:any", "run:settlement:any", "read:ledger:any", "manage:jobs:any"],
  },
};

export function permissionsOf(kind: OrganizationKind, role: string): readonly Permission[] {
  if (!isRoleOf(kind, role)) return [];
  return (ROLE_PERMISSIONS[kind] as Record<string, readonly Permission[]>)[role] ?? [];
}

export function can(kind: OrganizationKind, role: string, permission: Permission): boolean {
  return permissionsOf(kind, role).includes(permission);
}
