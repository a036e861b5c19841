import { SESSION_TTL_MS } from "@souk/auth";
import type { Actor, OrganizationId, UserId } from "@souk/domain";
import { describe, expect, it } from "vitest";
import { createGuards } from "./guards.server";
import { activeOrganization, dashboardData, layoutData, type PageSession } from "./page-data.server";

const session: PageSession = {
  sessionId: "s1",
  expiresAt: new Date(Date.now() + SESSION_TTL_MS / 2),
  user: { id: "u1", name: "Ada", email: "ada@example.test" },
  actor: { userId: "u1" as UserId, organizationId: "o2" as OrganizationId, organizationKind: "buyer", organizationStatus: "active", role: "viewer", ip: null } as Actor,
  organizations: [
    { id: "o1", name: "First", status: "active", role: "admin" },
    { id: "o2", name: "Second", status: "active", role: "viewer" },
  ],
};
const guards = createGuards({ app: "buyer", secure: false, requestDeps: () => ({}), resolveSession: async () => session });

describe("page data", () => {
  it("lays out who is signed in, in the chosen language, and clears a shown flash message", async () => {
    const request = new Request("http://localhost/", { headers: { cookie: "souk_buyer_session=abc; souk_flash=flash.welcome; lang=fr" } });
    const result = (await layoutData(request, guards)) as unknown as { data: unknown; init: { headers: Headers } };
    expect(result.data).toEqual({
      locale: "fr",
      flash: "flash.welcome",
      user: { name: "Ada", email: "ada@example.test" },
      organizations: session.organizations,
      activeOrganizationId: "o2",
    });
    expect(result.init.headers.getSetCookie()).toEqual([expect.stringMatching(/^souk_flash=; .*Max-Age=0/)]);
  });

  it("counts members and says what the actor may do on the dashboard", () => {
    expect(activeOrganization(session)?.name).toBe("Second");
    expect(dashboardData(session, { members: [1, 2, 3], invitations: [1] })).toMatchObject({ organization: { name: "Second" }, memberCount: 3, pendingInvitationCount: 1, canManageMembers: false });
    expect(dashboardData({ ...session, actor: null }, null)).toMatchObject({ organization: null, memberCount: 0, canManageMembers: false });
  });
});
