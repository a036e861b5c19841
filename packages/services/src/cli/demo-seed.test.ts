import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { resolveSession } from "../identity/resolve-session";
import { signIn } from "../identity/sign-in";
import { requestDeps, rowCounts, TEST_URLS } from "../identity/test-support";
import { DEMO_PASSWORD, seedDemo } from "./demo-seed";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

describe("seedDemo", () => {
  test("running it twice leaves the same rows, and prints the same logins", async () => {
    const first = await seedDemo(deps);
    const counts = await rowCounts(db);
    const second = await seedDemo(deps);
    expect(await rowCounts(db)).toEqual(counts);
    expect(second).toEqual(first);

    // 1 operator + 2 buyers + 2 branches + 3 sellers; 3 + 4 + 4 + 3 * 3 users; no stray session;
    // the only e-mails are the approvals of the two active sellers.
    expect(counts).toMatchObject({ organizations: 8, users: 20, memberships: 23, sessions: 0, outbox: 2, invitations: 0 });
  });

  test("sellers went through vetting: three submitted applications, two approved by the operator admin", async () => {
    const rows = await db
      .selectFrom("seller_decisions as d")
      .innerJoin("organizations as o", "o.id", "d.organization_id")
      .innerJoin("users as u", "u.id", "d.actor_user_id")
      .select(["o.name", "d.move", "u.email"])
      .orderBy("d.id")
      .execute();
    expect(rows).toEqual([
      { name: "Médina Fournitures", move: "submit", email: "owner@medina.test" },
      { name: "Médina Fournitures", move: "approve", email: "ops.admin@souk.test" },
      { name: "Rif Emballages", move: "submit", email: "owner@rif.test" },
      { name: "Rif Emballages", move: "approve", email: "ops.admin@souk.test" },
      { name: "Sahel Outillage", move: "submit", email: "owner@sahel.test" },
    ]);
    const applications = await db.selectFrom("seller_applications").select(["legal_name", "submitted_at"]).execute();
    expect(applications).toHaveLength(3);
    expect(applications.every((a) => a.submitted_at !== null)).toBe(true);
  });

  test("organisations have the documented kinds and statuses, branches their parent", async () => {
    const orgs = await db.selectFrom("organizations").select(["id", "name", "kind", "status", "parent_id"]).execute();
    const byName = Object.fromEntries(orgs.map((o) => [o.name, o]));
    expect(byName["Souk Operations"]).toMatchObject({ kind: "operator", status: "active" });
    expect(byName["Atlas Industrie"]).toMatchObject({ kind: "buyer", status: "active", parent_id: null });
    expect(byName["Atlas Industrie — Lyon"]).toMatchObject({ kind: "buyer", parent_id: byName["Atlas Industrie"]?.id });
    expect(byName["Atlas Industrie — Casablanca"]).toMatchObject({ kind: "buyer", parent_id: byName["Atlas Industrie"]?.id });
    expect(byName["Boréal Hôtels"]).toMatchObject({ kind: "buyer", status: "active" });
    expect(byName["Médina Fournitures"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Rif Emballages"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Sahel Outillage"]).toMatchObject({ kind: "seller", status: "pending" });
  });

  test("every printed login signs in to its app with its role", async () => {
    const logins = await seedDemo(deps);
    expect(new Set(logins.map((l) => `${l.organization}/${l.role}`)).size).toBe(logins.length);
    for (const login of logins) {
      const app = login.appUrl === TEST_URLS.buyer ? "buyer" : login.appUrl === TEST_URLS.seller ? "seller" : "operator";
      const { token } = await signIn(requestDeps(db, app), { email: login.email, password: DEMO_PASSWORD });
      const session = await resolveSession(requestDeps(db, app), { token });
      expect(session?.actor?.role).toBe(login.role);
      expect(session?.organizations.find((o) => o.id === session.actor?.organizationId)?.name).toBe(login.organization);
    }
    const atlasAdmin = await signIn(requestDeps(db, "buyer"), { email: "admin@atlas.test", password: DEMO_PASSWORD });
    const orgs = (await resolveSession(requestDeps(db, "buyer"), { token: atlasAdmin.token }))?.organizations.map((o) => o.name);
    expect(orgs?.sort()).toEqual(["Atlas Industrie", "Atlas Industrie — Casablanca", "Atlas Industrie — Lyon"]);
  });
});
