import { describe, expect, test } from "vitest";
import type { SearchListingSyncPayload } from "@souk/jobs";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { actorDeps, domainErrorOf, uniqueEmail } from "../../identity/test-support";
import { memberOf } from "../../vetting/test-support";
import { buyer, group, listing, seller, sellerIdOf } from "../pricing/test-support";
import { addCustomerGroupMember } from "./add-customer-group-member";
import { createCustomerGroup } from "./create-customer-group";
import { deleteCustomerGroup } from "./delete-customer-group";
import { findBuyersForGroup } from "./find-buyers-for-group";
import { getCustomerGroup } from "./get-customer-group";
import { listCustomerGroups } from "./list-customer-groups";
import { removeCustomerGroupMember } from "./remove-customer-group-member";
import { renameCustomerGroup } from "./rename-customer-group";

const { db } = await createTestDatabase();

const TABLES = ["customer_groups", "customer_group_members", "listing_visibility", "price_list_assignments", "outbox"] as const;
async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    out[table] = Number(n);
  }
  return out;
}

async function buyerOrg(name: string, status: "active" | "suspended" = "active") {
  const org = await db.insertInto("organizations").values({ kind: "buyer", name, status }).returning("id").executeTakeFirstOrThrow();
  return org.id;
}

describe("customer groups of a seller", () => {
  test("create, list with counts, rename, get with members, remove a member, delete", async () => {
    const owner = await seller(db);
    const s = sellerIdOf(owner);
    const zeta = await buyerOrg("Zeta Foods");
    const atlas = await buyerOrg("Atlas Industrie");

    const { id } = await createCustomerGroup(owner, { name: "  Key accounts  " });
    const { id: other } = await createCustomerGroup(owner, { name: "architects" });
    expect((await addCustomerGroupMember(owner, { groupId: id, buyerId: zeta })).added).toBe(true);
    expect((await addCustomerGroupMember(owner, { groupId: id, buyerId: atlas.toUpperCase() })).added).toBe(true);
    // Idempotent.
    expect(await addCustomerGroupMember(owner, { groupId: id, buyerId: atlas })).toEqual({ groupId: id, buyerId: atlas, added: false });
    await listing(db, s, { groupIds: [id] });

    expect(await listCustomerGroups(owner, {})).toEqual([
      { id: other, name: "architects", memberCount: 0, listingCount: 0, priceListCount: 0 },
      { id, name: "Key accounts", memberCount: 2, listingCount: 1, priceListCount: 0 },
    ]);
    await renameCustomerGroup(owner, { groupId: id, name: "Key accounts 2026" });
    expect(await getCustomerGroup(owner, { groupId: id })).toEqual({
      id,
      name: "Key accounts 2026",
      members: [
        { buyerId: atlas, name: "Atlas Industrie", active: true },
        { buyerId: zeta, name: "Zeta Foods", active: true },
      ],
    });
    // Renaming to its own name in another case is not a clash with itself.
    await renameCustomerGroup(owner, { groupId: id, name: "KEY ACCOUNTS 2026" });

    expect(await removeCustomerGroupMember(owner, { groupId: id, buyerId: zeta })).toMatchObject({ removed: true });
    expect(await removeCustomerGroupMember(owner, { groupId: id, buyerId: zeta })).toMatchObject({ removed: false });
    expect((await getCustomerGroup(owner, { groupId: id })).members.map((m) => m.buyerId)).toEqual([atlas]);

    await deleteCustomerGroup(owner, { groupId: other });
    expect((await listCustomerGroups(owner, {})).map((g) => g.id)).toEqual([id]);
  });

  test("deleting a group removes it from listings' visibility and re-indexes exactly those listings; a listing left with no group is seen by nobody", async () => {
    const owner = await seller(db);
    const s = sellerIdOf(owner);
    const g = await group(db, s, [await buyerOrg("Member")]);
    const kept = await group(db, s);
    const onlyG = await listing(db, s, { groupIds: [g] });
    const both = await listing(db, s, { groupIds: [g, kept] });
    const untouched = await listing(db, s, { groupIds: [kept] });

    const result = await deleteCustomerGroup(owner, { groupId: g });
    expect(result).toEqual({ id: g, affectedListings: 2 });
    const visibility = await db.selectFrom("listing_visibility").select(["listing_id", "group_id"]).where("seller_id", "=", s).orderBy("listing_id").execute();
    expect(visibility).toEqual(expect.arrayContaining([{ listing_id: both.id, group_id: kept }, { listing_id: untouched.id, group_id: kept }]));
    expect(visibility).toHaveLength(2);
    const row = await db.selectFrom("listings").select("visibility").where("id", "=", onlyG.id).executeTakeFirstOrThrow();
    expect(row.visibility).toBe("groups");
    expect(await db.selectFrom("customer_group_members").select("buyer_id").where("group_id", "=", g).execute()).toEqual([]);

    const outbox = await db.selectFrom("outbox").select(["topic", "payload"]).where("topic", "=", "search.listing.sync").execute();
    const synced = outbox.flatMap((o) => (o.payload as SearchListingSyncPayload).listingIds);
    expect(synced.sort()).toEqual([onlyG.id, both.id].sort());
  });

  test("find buyers by a contact's exact e-mail: only active buyer organisations", async () => {
    const owner = await seller(db);
    const email = uniqueEmail("Contact");
    const user = await db.insertInto("users").values({ email, name: "Contact", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
    const active = await buyerOrg("Active buyer");
    const suspended = await buyerOrg("Suspended buyer", "suspended");
    const sellerOrg = sellerIdOf(await seller(db));
    for (const org of [active, suspended, sellerOrg]) await db.insertInto("memberships").values({ organization_id: org, user_id: user.id, role: "admin" }).execute();

    expect(await findBuyersForGroup(owner, { email: email.toUpperCase() })).toEqual([{ buyerId: active, name: "Active buyer" }]);
    expect(await findBuyersForGroup(owner, { email: `x${email}` })).toEqual([]);
    expect((await domainErrorOf(findBuyersForGroup(owner, { email: "not an e-mail" }))).fieldErrors).toEqual({ email: ["email.invalid"] });
  });

  test("a member must be an active buyer organisation: anything else is a field error and nothing is written", async () => {
    const owner = await seller(db);
    const g = await group(db, sellerIdOf(owner));
    const before = await counts();
    const cases: [unknown, string][] = [
      [await buyerOrg("Suspended", "suspended"), "customerGroup.buyer_unknown"],
      [sellerIdOf(await seller(db)), "customerGroup.buyer_unknown"],
      [sellerIdOf(await memberOf(db, "operator", "admin")), "customerGroup.buyer_unknown"],
      ["00000000-0000-4000-8000-000000000000", "customerGroup.buyer_unknown"],
      ["' or 1=1 --", "customerGroup.buyer_invalid"],
      ["", "customerGroup.buyer_invalid"],
      [undefined, "customerGroup.buyer_invalid"],
    ];
    for (const [buyerId, key] of cases) {
      const error = await domainErrorOf(addCustomerGroupMember(owner, { groupId: g, buyerId }));
      expect(error, String(buyerId)).toMatchObject({ code: "VALIDATION", fieldErrors: { buyerId: [key] } });
    }
    expect(await counts()).toEqual(before);
  });

  test("bad names are field errors and write nothing", async () => {
    const owner = await seller(db);
    await createCustomerGroup(owner, { name: "Retail" });
    const { id } = await createCustomerGroup(owner, { name: "Wholesale" });
    const before = await counts();
    for (const [name, key] of [
      ["", "customerGroup.name_required"],
      ["   ", "customerGroup.name_required"],
      [undefined, "customerGroup.name_required"],
      [42, "customerGroup.name_required"],
      ["x".repeat(101), "customerGroup.name_too_long"],
      ["retail", "customerGroup.name_taken"],
    ] as const) {
      expect((await domainErrorOf(createCustomerGroup(owner, { name }))).fieldErrors, String(name)).toEqual({ name: [key] });
    }
    expect((await domainErrorOf(renameCustomerGroup(owner, { groupId: id, name: " RETAIL " }))).fieldErrors).toEqual({ name: ["customerGroup.name_taken"] });
    expect(await counts()).toEqual(before);
    expect((await getCustomerGroup(owner, { groupId: id })).name).toBe("Wholesale");
  });
});

describe("tenant isolation and permissions", () => {
  test("another seller's group is NOT_FOUND for every use case and stays untouched; it never shows in a list", async () => {
    const mine = await seller(db);
    const theirs = await seller(db);
    const b = await buyerOrg("Someone");
    const foreign = await group(db, sellerIdOf(theirs), [b], "Theirs");
    const before = await counts();
    const attempts: (() => Promise<unknown>)[] = [
      () => getCustomerGroup(mine, { groupId: foreign }),
      () => renameCustomerGroup(mine, { groupId: foreign, name: "Mine now" }),
      () => deleteCustomerGroup(mine, { groupId: foreign }),
      () => addCustomerGroupMember(mine, { groupId: foreign, buyerId: b }),
      () => removeCustomerGroupMember(mine, { groupId: foreign, buyerId: b }),
      () => getCustomerGroup(mine, { groupId: "not-a-uuid" }),
      () => getCustomerGroup(mine, {}),
      () => getCustomerGroup(mine, { groupId: "00000000-0000-4000-8000-000000000000" }),
    ];
    for (const attempt of attempts) expect((await domainErrorOf(attempt())).code).toBe("NOT_FOUND");
    expect(await counts()).toEqual(before);
    expect(await listCustomerGroups(mine, {})).toEqual([]);
    expect((await getCustomerGroup(theirs, { groupId: foreign })).name).toBe("Theirs");
  });

  test("the same name may exist at two sellers", async () => {
    await createCustomerGroup(await seller(db), { name: "Hotels" });
    await expect(createCustomerGroup(await seller(db), { name: "Hotels" })).resolves.toMatchObject({ id: expect.any(String) });
  });

  test.each([
    ["a buyer admin", () => memberOf(db, "buyer", "admin")],
    ["a seller's fulfilment member", () => memberOf(db, "seller", "fulfilment")],
    ["an operator admin", () => memberOf(db, "operator", "admin")],
  ])("%s is FORBIDDEN", async (_who, make) => {
    const actor: ActorDeps = await make();
    const g = await group(db, actor.actor.organizationId);
    for (const attempt of [
      () => listCustomerGroups(actor, {}),
      () => createCustomerGroup(actor, { name: "X" }),
      () => getCustomerGroup(actor, { groupId: g }),
      () => deleteCustomerGroup(actor, { groupId: g }),
      () => addCustomerGroupMember(actor, { groupId: g, buyerId: g }),
      () => findBuyersForGroup(actor, { email: "a@b.test" }),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("FORBIDDEN");
    }
  });

  test("a sales member of the seller manages its groups", async () => {
    const owner = await seller(db);
    const user = await db.insertInto("users").values({ email: uniqueEmail("sales"), name: "Sales", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: owner.actor.organizationId, user_id: user.id, role: "sales" }).execute();
    const sales = actorDeps(db, { userId: user.id, organizationId: owner.actor.organizationId, kind: "seller", role: "sales" });
    const { id } = await createCustomerGroup(sales, { name: "By sales" });
    expect((await listCustomerGroups(owner, {})).map((g) => g.id)).toEqual([id]);
    await expect(addCustomerGroupMember(sales, { groupId: id, buyerId: sellerIdOf(await buyer(db)) })).resolves.toMatchObject({ added: true });
  });
});
