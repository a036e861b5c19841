import { describe, expect, it } from "vitest";
import {
  FOUNDER_ROLE,
  ORGANIZATION_KINDS,
  PERMISSIONS,
  ROLES,
  can,
  isRoleOf,
  permissionsOf,
  type OrganizationKind,
} from "./roles";

const everyRole = ORGANIZATION_KINDS.flatMap((kind) => ROLES[kind].map((role) => [kind, role] as const));

describe("role → permission matrix", () => {
  it.each(everyRole)("%s %s has a non-empty set of known permissions", (kind, role) => {
    const perms = permissionsOf(kind, role);
    expect(perms.length).toBeGreaterThan(0);
    for (const p of perms) expect(PERMISSIONS).toContain(p);
    expect(new Set(perms).size).toBe(perms.length);
  });

  it("keeps cross-tenant (:any) permissions for operators only", () => {
    for (const [kind, role] of everyRole) {
      const crossTenant = permissionsOf(kind, role).filter((p) => p.endsWith(":any"));
      if (kind !== "operator") expect(crossTenant, `${kind} ${role}`).toEqual([]);
    }
  });

  it("gives every founder the right to manage members", () => {
    for (const kind of ORGANIZATION_KINDS) {
      expect(isRoleOf(kind, FOUNDER_ROLE[kind])).toBe(true);
      expect(can(kind, FOUNDER_ROLE[kind], "manage:members:org")).toBe(true);
    }
  });

  it("separates duties", () => {
    expect(can("operator", "finance", "review:sellers:any")).toBe(false);
    expect(can("operator", "moderator", "manage:commission:any")).toBe(false);
    expect(can("operator", "moderator", "run:settlement:any")).toBe(false);
    expect(can("buyer", "viewer", "create:rfq:org")).toBe(false);
    expect(can("buyer", "viewer", "create:order:org")).toBe(false);
    expect(can("buyer", "approver", "create:order:org")).toBe(false);
    expect(can("seller", "fulfilment", "submit:offer:org")).toBe(false);
    expect(can("seller", "sales", "manage:members:org")).toBe(false);
    expect(can("operator", "finance", "manage:commission:any")).toBe(true);
    // Disputes: moderators resolve them but move no money (release only: refunds need run:settlement:any); finance does both.
    expect(can("operator", "moderator", "resolve:disputes:any")).toBe(true);
    expect(can("operator", "finance", "resolve:disputes:any")).toBe(true);
    expect(can("operator", "finance", "run:settlement:any")).toBe(true);
    expect(can("operator", "finance", "moderate:listings:any")).toBe(false);
    expect(can("buyer", "purchaser", "create:rfq:org")).toBe(true);
  });

  it("grants nothing to a role of another kind or an unknown role", () => {
    const cases: [OrganizationKind, string][] = [
      ["seller", "admin"],
      ["buyer", "owner"],
      ["operator", "purchaser"],
      ["buyer", "finance"],
      ["buyer", "superuser"],
      ["seller", "toString"],
    ];
    for (const [kind, role] of cases) {
      expect(isRoleOf(kind, role)).toBe(false);
      expect(permissionsOf(kind, role)).toEqual([]);
      expect(can(kind, role, "read:organization:org")).toBe(false);
    }
  });
});
