import { describe, expect, test } from "vitest";
import type { SellerRole } from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { actorDeps, domainErrorOf, uniqueEmail } from "../identity/test-support";
import { getSellerApplication } from "./get-seller-application";
import { listCategories } from "./list-categories";
import { saveAndSubmitSellerApplication } from "./save-and-submit-seller-application";
import { saveSellerApplication } from "./save-seller-application";
import { submitSellerApplication } from "./submit-seller-application";
import { completeApplication, countRows, decide, requestInfo, sellerOrganization, someCategoryIds } from "./test-support";

const { db } = await createTestDatabase();
const categories = await someCategoryIds(db, 2);

const seller = (roles?: SellerRole[], status?: "pending" | "active") => sellerOrganization(db, roles, status);

async function stored(organizationId: string) {
  return {
    application: await db.selectFrom("seller_applications").selectAll().where("organization_id", "=", organizationId).executeTakeFirst(),
    categories: await countRows(db, "seller_application_categories", organizationId),
    decisions: await countRows(db, "seller_decisions", organizationId),
    audit: await countRows(db, "audit_log", organizationId),
    status: (await db.selectFrom("organizations").select("status").where("id", "=", organizationId).executeTakeFirstOrThrow()).status,
  };
}

describe("listCategories", () => {
  test("returns the whole tree in tree order: each parent followed by its children", async () => {
    const tree = await listCategories({ db, publicUrls: { buyer: "", seller: "", operator: "" } }, {});
    const { n } = await db.selectFrom("categories").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(tree).toHaveLength(Number(n));
    expect(tree.length).toBeGreaterThan(20);
    const parents = tree.filter((c) => c.parentId === null);
    expect(parents.map((p) => p.slug).slice(0, 3)).toEqual(["office", "packaging", "tools"]);
    let currentParent: string | null = null;
    for (const category of tree) {
      if (category.parentId === null) currentParent = category.id;
      else expect(category.parentId).toBe(currentParent);
      expect(category.nameEn).not.toBe("");
      expect(category.nameFr).not.toBe("");
    }
    expect(tree.find((c) => c.slug === "tools-power")).toMatchObject({ nameEn: "Power tools", nameFr: "Outillage électroportatif" });
  });
});

describe("getSellerApplication", () => {
  test("before the first save: prefilled from sign-up, editable by the owner only", async () => {
    const org = await seller();
    const owner = org.members[0];
    const page = await getSellerApplication(org.as("owner"), {});
    expect(page).toMatchObject({
      organizationName: org.name,
      status: "pending",
      application: { legalName: org.name, contactName: owner?.name, contactEmail: owner?.email, country: "", categoryIds: [], submittedAt: null },
      documents: [],
      history: [],
      openQuestion: null,
      statusReason: null,
      canEdit: true,
      canSubmit: true,
      notifications: [],
    });
    for (const role of ["sales", "fulfilment"] as const) {
      expect(await getSellerApplication(org.as(role), {})).toMatchObject({ canEdit: false, canSubmit: false });
    }
    // Reading wrote nothing.
    expect((await stored(org.id)).application).toBeUndefined();
  });

  test("is refused to a buyer, whatever its role", async () => {
    const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: "Buyer", status: "active" }).returning("id").executeTakeFirstOrThrow();
    const user = await db.insertInto("users").values({ email: uniqueEmail("buyer"), name: "B", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
    const error = await domainErrorOf(getSellerApplication(actorDeps(db, { userId: user.id, organizationId: buyer.id, kind: "buyer", role: "admin" }), {}));
    expect(error.code).toBe("FORBIDDEN");
  });

  test("shows Souk's in-app messages to the organisation, newest first, at most 20", async () => {
    const org = await seller();
    const other = await seller();
    const base = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 22; i += 1) {
      await db.insertInto("notifications").values({ organization_id: org.id, channel: "in_app", template: "t", subject: `Message ${i}`, body: "b", created_at: new Date(base + i * 60_000) }).execute();
    }
    await db.insertInto("notifications").values({ organization_id: org.id, channel: "email", template: "t", subject: "An e-mail", body: "b", to_address: "x@y.test" }).execute();
    await db.insertInto("notifications").values({ organization_id: other.id, channel: "in_app", template: "t", subject: "Someone else's", body: "b" }).execute();
    const { notifications } = await getSellerApplication(org.as("sales"), {});
    expect(notifications).toHaveLength(20);
    expect(notifications[0]?.subject).toBe("Message 21");
    expect(notifications[19]?.subject).toBe("Message 2");
    expect(notifications.map((n) => n.subject)).not.toContain("An e-mail");
  });
});

describe("saveSellerApplication", () => {
  test("saves a partial draft, normalising what it can, and reads it back", async () => {
    const org = await seller();
    await saveSellerApplication(org.as(), { legalName: "  Atlas   Supplies ", country: "fr", companyNumber: "fr 40.303-265 045", categoryIds: categories[0] });
    const page = await getSellerApplication(org.as(), {});
    expect(page.application).toMatchObject({ legalName: "Atlas Supplies", country: "FR", companyNumber: "FR40303265045", city: "", categoryIds: [categories[0]], submittedAt: null });
    // Saving replaces the categories and every field.
    await saveSellerApplication(org.as(), completeApplication(categories));
    const again = await getSellerApplication(org.as(), {});
    expect(again.application).toMatchObject({ legalName: "Atlas Industrial Supplies SAS", city: "Lyon", description: "Hand and power tools for workshops.\nNext-day delivery in France." });
    expect([...again.application.categoryIds].sort()).toEqual([...categories].sort());
    expect(again.status).toBe("pending");
    // A draft is not a submission: no move, no audit.
    expect(await stored(org.id)).toMatchObject({ decisions: 0, audit: 0 });
  });

  test("reports every bad field at once and writes nothing, neither a new draft nor over an old one", async () => {
    const org = await seller();
    const bad = {
      legalName: "x".repeat(201),
      country: "XX",
      companyNumber: "123",
      contactEmail: "sam@",
      contactPhone: "call me",
      postalCode: "1".repeat(21),
      description: "y".repeat(2001),
      categoryIds: ["not-a-uuid", categories[0]],
    };
    const error = await domainErrorOf(saveSellerApplication(org.as(), bad));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({
      legalName: ["application.legal_name.too_long"],
      country: ["application.country.invalid"],
      contactEmail: ["application.contact_email.invalid"],
      contactPhone: ["application.contact_phone.invalid"],
      postalCode: ["application.postal_code.too_long"],
      description: ["application.description.too_long"],
      categoryIds: ["category.invalid"],
    });
    expect(await stored(org.id)).toMatchObject({ application: undefined, categories: 0 });

    await saveSellerApplication(org.as(), completeApplication([categories[0] ?? ""]));
    const before = await stored(org.id);
    await domainErrorOf(saveSellerApplication(org.as(), completeApplication(categories, { contactEmail: "nope" })));
    expect(await stored(org.id)).toEqual(before);
  });

  test("an unknown category is refused and nothing is written", async () => {
    const org = await seller();
    const error = await domainErrorOf(saveSellerApplication(org.as(), { legalName: "A", categoryIds: [categories[0], "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d"] }));
    expect(error.fieldErrors).toEqual({ categoryIds: ["category.invalid"] });
    expect(await stored(org.id)).toMatchObject({ application: undefined, categories: 0 });
  });

  test.each([
    ["FR", "FR40303265045", "FR40303265045"],
    ["FR", "403 032 650 45", "FR40303265045"],
    ["DE", "de 123 456 789", "DE123456789"],
    ["GR", "GR 123456789", "EL123456789"],
    ["NL", "NL123456789B01", "NL123456789B01"],
    ["GB", "GB 123 4567 89", "GB123456789"],
    ["GB", "sc123456", "SC123456"],
    ["CH", " CHE-123.456.789 MWST ", "CHE-123.456.789 MWST"],
    ["MA", "RC 12345", "RC 12345"],
  ])("company number in %s: %j is stored as %j", async (country, companyNumber, normalised) => {
    const org = await seller();
    await saveSellerApplication(org.as(), { country, companyNumber });
    expect((await getSellerApplication(org.as(), {})).application.companyNumber).toBe(normalised);
  });

  test.each([
    ["FR", "FR303265045", "company.number.invalid"],
    ["DE", "DE12345678", "company.number.invalid"],
    ["GB", "GB12345678", "company.number.invalid"],
    ["IT", "IT123", "company.number.invalid"],
    ["US", "1", "company.number.invalid"],
    ["CA", "x".repeat(41), "company.number.invalid"],
    ["", "FR40303265045", "company.number.country_first"],
    ["FR", "x".repeat(61), "company.number.too_long"],
  ])("company number in %j: %j is refused with %s", async (country, companyNumber, key) => {
    const org = await seller();
    const error = await domainErrorOf(saveSellerApplication(org.as(), { country, companyNumber }));
    expect(error.fieldErrors).toEqual({ companyNumber: [key] });
    expect((await stored(org.id)).application).toBeUndefined();
  });

  test("sales and fulfilment members cannot edit the application", async () => {
    const org = await seller();
    for (const role of ["sales", "fulfilment"] as const) {
      expect((await domainErrorOf(saveSellerApplication(org.as(role), completeApplication(categories)))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(submitSellerApplication(org.as(role), {}))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(saveAndSubmitSellerApplication(org.as(role), completeApplication(categories)))).code).toBe("FORBIDDEN");
    }
    expect(await stored(org.id)).toMatchObject({ application: undefined, decisions: 0 });
  });

  test("an owner demoted after the request started is refused under the lock", async () => {
    const org = await seller(["owner", "owner"]);
    const deps = org.as("owner");
    await db.updateTable("memberships").set({ role: "sales" }).where("user_id", "=", deps.actor.userId).execute();
    expect((await domainErrorOf(saveSellerApplication(deps, { legalName: "Late" }))).code).toBe("FORBIDDEN");
    expect((await stored(org.id)).application).toBeUndefined();
  });
});

describe("submitSellerApplication", () => {
  test("requires every required field and at least one category; nothing is written until then", async () => {
    const org = await seller();
    const empty = await domainErrorOf(submitSellerApplication(org.as(), {}));
    expect(empty.code).toBe("VALIDATION");
    expect(empty.fieldErrors).toEqual({
      legalName: ["application.legal_name.required"],
      country: ["application.country.required"],
      companyNumber: ["company.number.required"],
      addressLine1: ["application.address.required"],
      postalCode: ["application.postal_code.required"],
      city: ["application.city.required"],
      contactName: ["application.contact_name.required"],
      contactEmail: ["application.contact_email.required"],
      contactPhone: ["application.contact_phone.required"],
      description: ["application.description.required"],
      categoryIds: ["category.required"],
    });
    await saveSellerApplication(org.as(), completeApplication([]));
    expect((await domainErrorOf(submitSellerApplication(org.as(), {}))).fieldErrors).toEqual({ categoryIds: ["category.required"] });
    expect(await stored(org.id)).toMatchObject({ status: "pending", decisions: 0, audit: 0, application: { submitted_at: null } });
  });

  test("submits a complete draft: pending and stamped, the move kept and audited, then locked", async () => {
    const org = await seller();
    const deps = org.as();
    await saveSellerApplication(deps, completeApplication(categories));
    const result = await submitSellerApplication(deps, {});
    expect(result).toMatchObject({ move: "submit", status: "pending" });
    const after = await stored(org.id);
    expect(after.application?.submitted_at).toEqual(result.submittedAt);
    const decision = await db.selectFrom("seller_decisions").selectAll().where("organization_id", "=", org.id).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ move: "submit", from_status: "pending", to_status: "pending", message: null, actor_user_id: deps.actor.userId, actor_organization_id: org.id });
    const audit = await db.selectFrom("audit_log").selectAll().where("organization_id", "=", org.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "seller.application_submitted", actor_user_id: deps.actor.userId, target_type: "organization", target_id: org.id, ip: deps.request.ip });

    const page = await getSellerApplication(deps, {});
    expect(page).toMatchObject({ canEdit: false, canSubmit: false, history: [{ move: "submit", fromStatus: "pending", toStatus: "pending", message: null }] });

    // While the review is pending, the seller can change nothing.
    expect(await domainErrorOf(saveSellerApplication(deps, { legalName: "Changed" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["application.locked"] } });
    expect(await domainErrorOf(submitSellerApplication(deps, {}))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["application.already_submitted"] } });
    expect(await domainErrorOf(saveAndSubmitSellerApplication(deps, completeApplication(categories)))).toMatchObject({ code: "CONFLICT" });
    expect(await stored(org.id)).toEqual(after);
  });

  test("after more information is requested: editable again, and resubmitting needs an answer", async () => {
    const org = await seller();
    const deps = org.as();
    await saveSellerApplication(deps, completeApplication(categories));
    await submitSellerApplication(deps, {});
    await requestInfo(db, org.id, "Please upload your Kbis extract.");

    const reopened = await getSellerApplication(deps, {});
    expect(reopened).toMatchObject({ status: "info_requested", openQuestion: "Please upload your Kbis extract.", canEdit: true, canSubmit: true });
    await saveSellerApplication(deps, completeApplication(categories, { tradingName: "Atlas" }));

    const before = await stored(org.id);
    for (const answer of [undefined, "", "   \r\n "]) {
      expect((await domainErrorOf(submitSellerApplication(deps, { answer }))).fieldErrors).toEqual({ answer: ["application.answer.required"] });
    }
    expect((await domainErrorOf(submitSellerApplication(deps, { answer: "z".repeat(2001) }))).fieldErrors).toEqual({ answer: ["application.answer.too_long"] });
    expect(await stored(org.id)).toEqual(before);

    const result = await submitSellerApplication(deps, { answer: "  Uploaded, see the PDF.\r\nThanks " });
    expect(result).toMatchObject({ move: "resubmit", status: "pending" });
    const moves = await db.selectFrom("seller_decisions").select(["move", "from_status", "to_status", "message"]).where("organization_id", "=", org.id).orderBy("id").execute();
    expect(moves).toEqual([
      { move: "submit", from_status: "pending", to_status: "pending", message: null },
      { move: "request_info", from_status: "pending", to_status: "info_requested", message: "Please upload your Kbis extract." },
      { move: "resubmit", from_status: "info_requested", to_status: "pending", message: "Uploaded, see the PDF.\nThanks" },
    ]);
    const audit = await db.selectFrom("audit_log").select(["action", "data"]).where("organization_id", "=", org.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["seller.application_submitted", "seller.application_resubmitted"]);
    expect(audit[1]?.data).toMatchObject({ from: "info_requested", to: "pending", answer: "Uploaded, see the PDF.\nThanks" });
    expect(await getSellerApplication(deps, {})).toMatchObject({ status: "pending", openQuestion: null, canEdit: false });
  });

  test("an approved, rejected or suspended seller cannot submit or edit; the reason is shown", async () => {
    const approved = await seller();
    await decide(db, approved.id, "approve", "active", null);
    expect(await domainErrorOf(submitSellerApplication(approved.as(), {}))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["application.locked"] } });
    expect(await domainErrorOf(saveSellerApplication(approved.as(), { legalName: "x" }))).toMatchObject({ code: "CONFLICT" });
    expect(await getSellerApplication(approved.as(), {})).toMatchObject({ status: "active", canEdit: false, statusReason: null });

    const rejected = await seller();
    await decide(db, rejected.id, "reject", "rejected", "We could not verify your company.");
    expect(await getSellerApplication(rejected.as(), {})).toMatchObject({ status: "rejected", statusReason: "We could not verify your company.", canEdit: false });
    expect((await domainErrorOf(saveAndSubmitSellerApplication(rejected.as(), completeApplication(categories)))).code).toBe("CONFLICT");

    const suspended = await seller();
    await decide(db, suspended.id, "approve", "active", null);
    await decide(db, suspended.id, "suspend", "suspended", "Complaints about late deliveries.", "active");
    expect(await getSellerApplication(suspended.as("sales"), {})).toMatchObject({ status: "suspended", statusReason: "Complaints about late deliveries." });
  });
});

describe("saveAndSubmitSellerApplication", () => {
  test("saves and submits in one go", async () => {
    const org = await seller();
    const result = await saveAndSubmitSellerApplication(org.as(), completeApplication(categories));
    expect(result).toMatchObject({ move: "submit", status: "pending" });
    expect(await getSellerApplication(org.as(), {})).toMatchObject({ application: { companyNumber: "FR40303265045", city: "Lyon" }, canEdit: false });
  });

  test("reports every problem at once, the answer's included, and saves nothing, not even the draft", async () => {
    const org = await seller();
    const deps = org.as();
    await saveSellerApplication(deps, completeApplication(categories));
    await submitSellerApplication(deps, {});
    await requestInfo(db, org.id, "Which carrier do you use?");
    const before = await stored(org.id);
    const error = await domainErrorOf(saveAndSubmitSellerApplication(deps, completeApplication([], { city: "", companyNumber: "DE123" })));
    expect(error.fieldErrors).toEqual({
      city: ["application.city.required"],
      companyNumber: ["company.number.invalid"],
      categoryIds: ["category.required"],
      answer: ["application.answer.required"],
    });
    expect(await stored(org.id)).toEqual(before);

    const result = await saveAndSubmitSellerApplication(deps, completeApplication(categories, { city: "Villeurbanne", answer: "DHL." }));
    expect(result.move).toBe("resubmit");
    expect(await getSellerApplication(deps, {})).toMatchObject({ status: "pending", application: { city: "Villeurbanne" } });
  });
});
