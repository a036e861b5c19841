import { hashPassword, invalidateSession, sessionIdFromToken } from "@souk/auth";
import { withTransaction, type Db } from "@souk/db";
import type { OrganizationKind, OrganizationStatus, Role } from "@souk/domain";
import type { ActorDeps, SearchDeps, ServiceDeps } from "../deps";
import { createOperator } from "../identity/create-operator";
import { resolveSession } from "../identity/resolve-session";
import { signIn } from "../identity/sign-in";
import { signOut } from "../identity/sign-out";
import { signUp } from "../identity/sign-up";
import { saveAndSubmitSellerApplication } from "../sellers/save-and-submit-seller-application";
import { decideSeller } from "../vetting/decide-seller";
import { seedDemoCatalogue } from "./demo-catalogue";
import { seedDemoNegotiation } from "./demo-negotiation";
import { seedDemoOrders } from "./demo-orders";
import { seedDemoRfqs } from "./demo-rfqs";

/**
 * The demo data behind `pnpm db:seed`. Safe to run twice: every organisation is looked up by
 * name and every user by e-mail before anything is created, so a second run adds nothing.
 * Accounts are made through the use cases (signUp, createOperator) or, for members the
 * invitation flow would otherwise e-mail, with auth's hashing. Sellers go through the real vetting
 * flow: the owner submits the application, and the operator admin approves the active ones.
 */

export const DEMO_PASSWORD = "souk-demo-2026";

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  locale?: "en" | "fr";
}

/** What a seller's owner types into the application form (categories by slug). */
interface DemoApplication {
  legalName: string;
  tradingName: string;
  country: string;
  companyNumber: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  contactPhone: string;
  description: string;
  categories: string[];
}

interface DemoOrganization {
  name: string;
  kind: OrganizationKind;
  status: OrganizationStatus;
  application?: DemoApplication;
  /** The first user is the founder (signs up / is created first). */
  users: DemoUser[];
  branches?: { name: string; members: { email: string; role: Role }[] }[];
}

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    name: "Souk Operations",
    kind: "operator",
    status: "active",
    users: [
      { email: "ops.admin@souk.test", name: "Omar Haddad", role: "admin" },
      { email: "ops.moderator@souk.test", name: "Mina Laurent", role: "moderator" },
      { email: "ops.finance@souk.test", name: "Farah Idrissi", role: "finance" },
    ],
  },
  {
    name: "Atlas Industrie",
    kind: "buyer",
    status: "active",
    users: [
      { email: "admin@atlas.test", name: "Nadia Benali", role: "admin", locale: "fr" },
      { email: "purchaser@atlas.test", name: "Youssef Amrani", role: "purchaser", locale: "fr" },
      { email: "approver@atlas.test", name: "Claire Dubois", role: "approver", locale: "fr" },
      { email: "viewer@atlas.test", name: "Karim Tazi", role: "viewer" },
    ],
    branches: [
      {
        name: "Atlas Industrie — Lyon",
        members: [
          { email: "admin@atlas.test", role: "admin" },
          { email: "purchaser@atlas.test", role: "purchaser" },
        ],
      },
      { name: "Atlas Industrie — Casablanca", members: [{ email: "admin@atlas.test", role: "admin" }] },
    ],
  },
  {
    name: "Boréal Hôtels",
    kind: "buyer",
    status: "active",
    users: [
      { email: "admin@boreal.test", name: "Émilie Gagnon", role: "admin", locale: "fr" },
      { email: "purchaser@boreal.test", name: "Louis Tremblay", role: "purchaser", locale: "fr" },
      { email: "approver@boreal.test", name: "Sarah Cohen", role: "approver" },
      { email: "viewer@boreal.test", name: "Hugo Martin", role: "viewer", locale: "fr" },
    ],
  },
  {
    name: "Médina Fournitures",
    kind: "seller",
    status: "active",
    application: {
      legalName: "Médina Fournitures SARL",
      tradingName: "Médina Fournitures",
      country: "MA",
      companyNumber: "ICE 001526874000032",
      addressLine1: "45 boulevard d'Anfa",
      postalCode: "20000",
      city: "Casablanca",
      contactPhone: "+212 522 00 00 00",
      description: "Fournitures de bureau et papier pour les entreprises du Maroc et d'Europe du Sud. Livraison en 48 h à Casablanca et Rabat.",
      categories: ["office-paper", "office-furniture", "cleaning-paper"],
    },
    users: [
      { email: "owner@medina.test", name: "Hassan El Fassi", role: "owner", locale: "fr" },
      { email: "sales@medina.test", name: "Salma Bennani", role: "sales" },
      { email: "fulfilment@medina.test", name: "Rachid Ouali", role: "fulfilment" },
    ],
  },
  {
    name: "Rif Emballages",
    kind: "seller",
    status: "active",
    application: {
      legalName: "Rif Emballages SAS",
      tradingName: "Rif Emballages",
      country: "FR",
      companyNumber: "FR 96 552 100 554",
      addressLine1: "8 quai de la Joliette",
      postalCode: "13002",
      city: "Marseille",
      contactPhone: "+33 4 91 00 00 00",
      description: "Cartons, films and protective packaging for industry and e-commerce, delivered across France and North Africa.",
      categories: ["packaging-boxes", "packaging-film"],
    },
    users: [
      { email: "owner@rif.test", name: "Leila Chraibi", role: "owner" },
      { email: "sales@rif.test", name: "Mehdi Alaoui", role: "sales", locale: "fr" },
      { email: "fulfilment@rif.test", name: "Imane Berrada", role: "fulfilment" },
    ],
  },
  {
    name: "Kasbah Bureau",
    kind: "seller",
    status: "active",
    application: {
      legalName: "Kasbah Bureau SARL",
      tradingName: "Kasbah Bureau",
      country: "MA",
      companyNumber: "ICE 002114785000019",
      addressLine1: "12 rue Ibn Batouta",
      postalCode: "90000",
      city: "Tanger",
      contactPhone: "+212 539 00 00 00",
      description: "Papier, mobilier de bureau et cartons pour les entreprises du nord du Maroc, sur devis.",
      categories: ["office-paper", "office-furniture", "packaging-boxes"],
    },
    users: [
      { email: "owner@kasbah.test", name: "Omar Benjelloun", role: "owner", locale: "fr" },
      { email: "sales@kasbah.test", name: "Zineb Lahlou", role: "sales", locale: "fr" },
    ],
  },
  {
    name: "Sud Emballages",
    kind: "seller",
    status: "active",
    application: {
      legalName: "Sud Emballages SAS",
      tradingName: "Sud Emballages",
      country: "FR",
      companyNumber: "FR 40 803 114 221",
      addressLine1: "3 avenue de Bruxelles",
      postalCode: "34000",
      city: "Montpellier",
      contactPhone: "+33 4 67 00 00 00",
      description: "Boxes, films and hygiene paper for hotels and logistics, answered on request for quotes within a day.",
      categories: ["packaging-boxes", "packaging-film", "cleaning-paper"],
    },
    users: [
      { email: "owner@sud.test", name: "Camille Roux", role: "owner" },
      { email: "sales@sud.test", name: "Julien Fabre", role: "sales" },
    ],
  },
  {
    name: "Sahel Outillage",
    kind: "seller",
    status: "pending",
    application: {
      legalName: "Sahel Outillage SUARL",
      tradingName: "Sahel Outillage",
      country: "SN",
      companyNumber: "NINEA 005 123 456 2G3",
      addressLine1: "Route de Rufisque, km 4",
      postalCode: "10200",
      city: "Dakar",
      contactPhone: "+221 33 800 00 00",
      description: "Outillage à main et électroportatif, EPI et visserie pour les chantiers d'Afrique de l'Ouest.",
      categories: ["tools-hand", "tools-power", "safety-gloves"],
    },
    users: [
      { email: "owner@sahel.test", name: "Moussa Diallo", role: "owner", locale: "fr" },
      { email: "sales@sahel.test", name: "Aïssata Traoré", role: "sales" },
      { email: "fulfilment@sahel.test", name: "Ibrahim Keita", role: "fulfilment" },
    ],
  },
];

export interface DemoLogin {
  email: string;
  password: string;
  appUrl: string;
  organization: string;
  role: Role;
}

/**
 * The organisations, their users, the demo catalogue (listings of the active sellers, a customer
 * group each, one contract price list; indexed at once when the deps carry the listing index) and
 * the demo RFQs (open, closed, awarded, waiting for approval; see demo-rfqs.ts), then the demo
 * orders and money (commission rules, address books, requisition lists, catalogue purchases with
 * orders in every state, a purchase waiting for approval, a cart, a payout run; see demo-orders.ts).
 */
export async function seedDemo(deps: ServiceDeps & Partial<SearchDeps>, options: { password?: string } = {}): Promise<DemoLogin[]> {
  const password = options.password ?? DEMO_PASSWORD;
  const logins: DemoLogin[] = [];
  for (const spec of DEMO_ORGANIZATIONS) {
    const organizationId = await ensureOrganization(deps, spec, password);
    for (const user of spec.users) {
      await ensureMember(deps, spec, organizationId, user, password);
      logins.push({ email: user.email, password, appUrl: deps.publicUrls[spec.kind], organization: spec.name, role: user.role });
    }
    for (const branch of spec.branches ?? []) {
      const branchId = await ensureBranch(deps.db, organizationId, branch.name);
      for (const member of branch.members) {
        const user = spec.users.find((u) => u.email === member.email);
        if (!user) throw new Error(`Branch member ${member.email} is not a user of ${spec.name}`);
        await ensureMember(deps, spec, branchId, { ...user, role: member.role }, password);
      }
    }
  }
  const owners = Object.fromEntries(
    DEMO_ORGANIZATIONS.filter((o) => o.kind === "seller" && o.status === "active").map((o) => [o.name, o.users[0]?.email ?? ""]),
  );
  await seedDemoCatalogue(deps, (email, fn) => actingAs(deps, "seller", email, password, fn), owners);
  await seedDemoRfqs(deps, (app, email, fn) => actingAs(deps, app, email, password, fn));
  await seedDemoOrders(deps, (app, email, fn) => actingAs(deps, app, email, password, fn));
  await seedDemoNegotiation(deps, (app, email, fn) => actingAs(deps, app, email, password, fn));
  return logins;
}

async function findOrganization(db: Db, kind: OrganizationKind, name: string, parentId: string | null) {
  return db
    .selectFrom("organizations")
    .select("id")
    .where("kind", "=", kind)
    .where("name", "=", name)
    .where("parent_id", parentId === null ? "is" : "=", parentId)
    .orderBy("created_at")
    .executeTakeFirst();
}

/**
 * Finds the organisation or creates it with its founder. The status is set only on creation: a
 * later run must not undo what someone did in the demo (an operator approving Sahel Outillage).
 */
async function ensureOrganization(deps: ServiceDeps, spec: DemoOrganization, password: string): Promise<string> {
  const existing = await findOrganization(deps.db, spec.kind, spec.name, null);
  if (existing) return existing.id;
  const founder = spec.users[0];
  if (!founder) throw new Error(`${spec.name} has no users`);

  if (spec.kind === "operator") {
    const created = await createOperator(deps, { email: founder.email, name: founder.name, password, role: founder.role, organizationName: spec.name });
    return created.organizationId;
  }
  const created = await signUp(
    { ...deps, request: { app: spec.kind, ip: null, userAgent: "souk-seed" } },
    { organizationName: spec.name, name: founder.name, email: founder.email, password, locale: founder.locale },
  );
  // Sign-up signs the founder in; nobody holds that token, so the session goes at once.
  await invalidateSession(deps.db, sessionIdFromToken(created.token));
  if (spec.kind === "seller" && spec.application) await vetSeller(deps, spec, spec.application, password);
  return created.organizationId;
}

/** The owner submits the application; the operator admin approves it when the demo wants it active. */
async function vetSeller(deps: ServiceDeps, spec: DemoOrganization, application: DemoApplication, password: string): Promise<void> {
  const owner = spec.users[0];
  const operator = DEMO_ORGANIZATIONS.find((o) => o.kind === "operator")?.users[0];
  if (!owner || !operator) throw new Error("The demo needs a seller owner and an operator admin");
  const categories = await deps.db.selectFrom("categories").select(["id", "slug"]).where("slug", "in", application.categories).execute();
  const { categories: slugs, ...fields } = application;
  const organizationId = await actingAs(deps, "seller", owner.email, password, async (seller) => {
    await saveAndSubmitSellerApplication(seller, {
      ...fields,
      addressLine2: "",
      contactName: owner.name,
      contactEmail: owner.email,
      categoryIds: slugs.map((slug) => categories.find((c) => c.slug === slug)?.id ?? slug),
    });
    return seller.actor.organizationId;
  });
  if (spec.status === "active") {
    await actingAs(deps, "operator", operator.email, password, (admin) => decideSeller(admin, { organizationId, decision: "approve" }));
  }
}

/** Runs `fn` as the user would in the app: signed in (a real, audited session), then signed out. */
async function actingAs<T>(deps: ServiceDeps, app: ActorDeps["request"]["app"], email: string, password: string, fn: (deps: ActorDeps) => Promise<T>): Promise<T> {
  const request = { app, ip: null, userAgent: "souk-seed" };
  const { token } = await signIn({ ...deps, request }, { email, password });
  const resolved = await resolveSession({ ...deps, request }, { token });
  if (!resolved?.actor) throw new Error(`${email} has no organisation in the ${app} app`);
  const session = { id: resolved.sessionId, userId: resolved.user.id };
  try {
    return await fn({ ...deps, request, session, actor: resolved.actor });
  } finally {
    await signOut({ ...deps, request, session }, {});
  }
}

async function ensureBranch(db: Db, parentId: string, name: string): Promise<string> {
  const existing = await findOrganization(db, "buyer", name, parentId);
  if (existing) return existing.id;
  const created = await db.insertInto("organizations").values({ kind: "buyer", name, status: "active", parent_id: parentId }).returning("id").executeTakeFirstOrThrow();
  return created.id;
}

async function ensureMember(deps: ServiceDeps, spec: DemoOrganization, organizationId: string, user: DemoUser, password: string): Promise<void> {
  const { db } = deps;
  const existing = await db.selectFrom("users").select("id").where("email", "=", user.email).executeTakeFirst();
  if (!existing && spec.kind === "operator") {
    await createOperator(deps, { email: user.email, name: user.name, password, role: user.role, organizationName: spec.name });
    return;
  }
  // Other members would join through an invitation e-mail; the demo skips the mail, not the hashing.
  const passwordHash = existing ? null : await hashPassword(password);
  await withTransaction(db, async (trx) => {
    let userId = existing?.id;
    if (!userId && passwordHash) {
      const created = await trx
        .insertInto("users")
        .values({ email: user.email, name: user.name, password_hash: passwordHash, locale: user.locale ?? "en" })
        .returning("id")
        .executeTakeFirstOrThrow();
      userId = created.id;
    }
    if (!userId) throw new Error(`No user for ${user.email}`);
    await trx
      .insertInto("memberships")
      .values({ organization_id: organizationId, user_id: userId, role: user.role })
      .onConflict((oc) => oc.columns(["organization_id", "user_id"]).doNothing())
      .execute();
  });
}
