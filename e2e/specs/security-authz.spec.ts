import { expect, test, type Browser, type Page } from "@playwright/test";
import type pg from "pg";
import {
  APPS,
  dataUrl,
  DEMO_ACCOUNTS,
  formBody,
  EXPECTED_PERMISSIONS,
  fillPath,
  formsOf,
  found,
  http,
  manifest,
  pool,
  signIn,
  snapshot,
  submitOwnForm,
  withDatabase,
  type DemoAccount,
  type HttpAnswer,
  type ManifestRoute,
  type PageForm,
} from "../security-support";
import { budget, PASSWORD, publishRfq, RFQ_TIME_ZONE, runTag, saveOffer, signInDemo, uniqueEmail, URLS } from "../support";

/*
 * Issue 8, the authorisation matrix. Every route of the three apps' production builds whose URL
 * takes an id is found in the build's route manifest (a route added tomorrow is in it), given an
 * object of a tenant from the demo data (the owner must get 200 on the loader: the probe is not
 * vacuous), and then replayed by everybody else: every account of the other tenants of that app,
 * every role of the owner's own organisation that lacks the permission the route's guard asks for,
 * a visitor without a session and a session of another app. Each replays the loader (the page and
 * its single-fetch data) and every form the owner's page offers for the route's action, with every
 * intent the action's source names, filled in as a person would. Each must get 403 or 404 (or the
 * sign-in redirect without a session), with none of the object's own strings (its text, the ids of
 * what hangs off it) in the answer, and the object's rows, two foreign keys deep, unchanged.
 *
 * A route whose id has no fixture here fails with "add a fixture for $x", so a new kind of id
 * cannot slip through.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

const NOBODY = "00000000-0000-4000-8000-000000000000";

/** Ids that no tenant owns, and why the matrix leaves them out. */
const EXEMPT: Record<string, string> = {
  token: "an invitation's token is itself the credential (a capability URL): whoever holds it may open it, by design",
  "*": "the catch-all route answers 404 to everything and takes no id",
};

/** An object that a route's id can name: its table row, the organisation that owns it, and who else may legitimately see it. */
interface Candidate {
  id: string;
  table: string;
  org: string;
  /** Organisations of this app that may see it besides its owner (sellers invited to an RFQ, ...). */
  allowed: string[];
}

type Fixture = (db: pg.Client, chosen: Readonly<Record<string, Candidate>>) => Promise<Candidate[]>;

/** A fixture from SQL returning `id`, `org` (the owner's name) and optionally `allowed` (names); `$1` is the previous id if asked. */
function sql(table: string, text: string, previous?: string): Fixture {
  return async (db, chosen) => {
    const args = previous ? [chosen[previous]?.id ?? NOBODY] : [];
    const rows = await db.query<{ id: string; org: string; allowed: string[] | null }>(text, args);
    return rows.rows.map((r) => ({ id: r.id, table, org: r.org, allowed: r.allowed ?? [] }));
  };
}

/** The sellers that may see an RFQ `r` (restated from the design: active, and invited, or offered, or serving its category on an open RFQ). */
const RFQ_SELLERS = `array(select so.name from organizations so where so.kind = 'seller' and so.status = 'active' and r.status <> 'draft' and (
  exists (select 1 from rfq_invitations ri where ri.rfq_id = r.id and ri.seller_id = so.id)
  or exists (select 1 from offers f where f.rfq_id = r.id and f.seller_id = so.id)
  or (r.visibility = 'open' and exists (select 1 from seller_application_categories sc join categories served on served.id = sc.category_id join categories asked on asked.id = r.category_id
      where sc.organization_id = so.id and (served.id = asked.id or served.id = asked.parent_id or served.parent_id = asked.id)))))`;

const OPS = "'Souk Operations' as org";

/**
 * Fixtures by app and URL prefix up to the id ("buyer /rfqs/:rfqId/offers/:offerId"), or by app and
 * id name alone ("operator :rfqId") for pages whose ids mean the same wherever they appear.
 */
const FIXTURES: Record<string, Fixture> = {
  // ——— buyer: the tenant is the buyer organisation
  "buyer /messages/:conversationId": sql("conversations", "select c.id, o.name as org from conversations c join organizations o on o.id = c.buyer_id order by c.created_at"),
  "buyer /messages/:conversationId/attachments/:attachmentId": sql("conversation_attachments", "select a.id, o.name as org from conversation_attachments a join conversations c on c.id = a.conversation_id join organizations o on o.id = c.buyer_id where a.conversation_id = $1", "conversationId"),
  "buyer /rfqs/:rfqId": sql("rfqs", "select r.id, o.name as org from rfqs r join organizations o on o.id = r.buyer_id order by r.status = 'open' desc, r.created_at desc"),
  "buyer /rfqs/:rfqId/offers/:offerId": sql("offers", "select f.id, o.name as org from offers f join rfqs r on r.id = f.rfq_id join organizations o on o.id = r.buyer_id where f.rfq_id = $1", "rfqId"),
  "buyer /rfqs/:rfqId/attachments/:attachmentId": sql("rfq_attachments", "select a.id, o.name as org from rfq_attachments a join rfqs r on r.id = a.rfq_id join organizations o on o.id = r.buyer_id where a.rfq_id = $1", "rfqId"),
  "buyer /rfqs/:rfqId/offer-attachments/:attachmentId": sql("offer_attachments", "select a.id, o.name as org from offer_attachments a join rfqs r on r.id = a.rfq_id join organizations o on o.id = r.buyer_id where a.rfq_id = $1", "rfqId"),
  // A listing reserved for customer groups: its buyers are the tenants, every other buyer is not.
  "buyer /catalogue/:listingId": sql(
    "listings",
    `select l.id, min(o.name) as org, array_agg(o.name) as allowed from listings l join listing_visibility v on v.listing_id = l.id
     join customer_group_members m on m.group_id = v.group_id join organizations o on o.id = m.buyer_id
     where l.visibility = 'groups' and l.status = 'published' group by l.id order by exists (select 1 from listing_images i where i.listing_id = l.id) desc, l.id`,
  ),
  "buyer /catalogue/:listingId/images/:imageId": sql("listing_images", "select i.id, '' as org from listing_images i where i.listing_id = $1", "listingId"),
  "buyer /requisition-lists/:listId": sql("requisition_lists", "select x.id, o.name as org from requisition_lists x join organizations o on o.id = x.buyer_id"),
  "buyer /approval-rules/:ruleId": sql("approval_rules", "select x.id, o.name as org from approval_rules x join organizations o on o.id = x.buyer_id"),
  "buyer /members/:membershipId": sql("memberships", "select m.id, o.name as org from memberships m join organizations o on o.id = m.organization_id where o.kind = 'buyer' and m.role <> 'admin' order by m.role"),
  "buyer /addresses/:addressId": sql("organization_addresses", "select x.id, o.name as org from organization_addresses x join organizations o on o.id = x.organization_id where o.kind = 'buyer'"),
  "buyer /budgets/:budgetId": sql("budgets", "select x.id, o.name as org from budgets x join organizations o on o.id = x.buyer_id"),
  "buyer /approvals/:approvalId": sql("approvals", "select x.id, o.name as org from approvals x join organizations o on o.id = x.buyer_id order by x.status = 'pending' desc"),
  "buyer /purchases/:purchaseId": sql("purchases", "select x.id, o.name as org from purchases x join organizations o on o.id = x.buyer_id"),
  "buyer /orders/:orderId": sql("orders", "select x.id, o.name as org from orders x join organizations o on o.id = x.buyer_id order by x.created_at"),

  // ——— seller: the tenant is the seller organisation; an RFQ is also the business of the sellers that may see it
  "seller /messages/:conversationId": sql("conversations", "select c.id, o.name as org from conversations c join organizations o on o.id = c.seller_id order by c.created_at"),
  "seller /messages/:conversationId/attachments/:attachmentId": sql("conversation_attachments", "select a.id, o.name as org from conversation_attachments a join conversations c on c.id = a.conversation_id join organizations o on o.id = c.seller_id where a.conversation_id = $1", "conversationId"),
  "seller /rfqs/:rfqId": sql("rfqs", `select r.id, o.name as org, ${RFQ_SELLERS} as allowed from offers f join rfqs r on r.id = f.rfq_id join organizations o on o.id = f.seller_id order by r.status = 'open' desc, f.submitted_at desc`),
  "seller /rfqs/:rfqId/offer-attachments/:attachmentId": sql("offer_attachments", "select a.id, o.name as org from offer_attachments a join organizations o on o.id = a.seller_id where a.rfq_id = $1", "rfqId"),
  "seller /rfqs/:rfqId/attachments/:attachmentId": sql("rfq_attachments", `select a.id, '' as org, ${RFQ_SELLERS} as allowed from rfq_attachments a join rfqs r on r.id = a.rfq_id where a.rfq_id = $1`, "rfqId"),
  "seller /listings/:listingId": sql("listings", "select x.id, o.name as org from listings x join organizations o on o.id = x.seller_id order by exists (select 1 from listing_images i where i.listing_id = x.id) desc, x.created_at limit 5"),
  "seller /listings/:listingId/images/:imageId": sql("listing_images", "select i.id, o.name as org from listing_images i join organizations o on o.id = i.seller_id where i.listing_id = $1", "listingId"),
  "seller /listings/imports/:importId": sql("catalogue_imports", "select x.id, o.name as org from catalogue_imports x join organizations o on o.id = x.seller_id"),
  "seller /payouts/:payoutId": sql("payouts", "select x.id, o.name as org from payouts x join organizations o on o.id = x.seller_id"),
  "seller /application/documents/:documentId": sql("seller_documents", "select x.id, o.name as org from seller_documents x join organizations o on o.id = x.organization_id"),
  "seller /customer-groups/:groupId": sql("customer_groups", "select x.id, o.name as org from customer_groups x join organizations o on o.id = x.seller_id"),
  "seller /price-lists/:priceListId": sql("price_lists", "select x.id, o.name as org from price_lists x join organizations o on o.id = x.seller_id"),
  "seller /members/:membershipId": sql("memberships", "select m.id, o.name as org from memberships m join organizations o on o.id = m.organization_id where o.kind = 'seller' and m.role <> 'owner' order by m.role"),
  "seller /orders/:orderId": sql("orders", "select x.id, o.name as org from orders x join organizations o on o.id = x.seller_id order by x.created_at"),

  // ——— operator: one organisation, whose roles are the boundary (plus visitors and other apps' sessions)
  "operator /conversations/:conversationId": sql("conversations", `select c.id, ${OPS} from conversations c order by exists (select 1 from disputes d where d.order_id = c.subject_id) desc, exists (select 1 from conversation_attachments a where a.conversation_id = c.id) desc`),
  "operator /conversations/:conversationId/attachments/:attachmentId": sql("conversation_attachments", `select a.id, ${OPS} from conversation_attachments a where a.conversation_id = $1`, "conversationId"),
  "operator /conversations/orders/:orderId": sql("orders", `select x.id, ${OPS} from orders x where exists (select 1 from conversations c where c.subject_id = x.id) order by exists (select 1 from disputes d where d.order_id = x.id) desc`),
  "operator /sellers/:organizationId": sql("organizations", `select x.id, ${OPS} from organizations x where x.kind = 'seller' order by exists (select 1 from seller_documents d where d.organization_id = x.id) desc`),
  "operator /sellers/:organizationId/documents/:documentId": sql("seller_documents", `select x.id, ${OPS} from seller_documents x where x.organization_id = $1`, "organizationId"),
  "operator /members/:membershipId": sql("memberships", `select m.id, ${OPS} from memberships m join organizations o on o.id = m.organization_id where o.kind = 'operator' and m.role <> 'admin'`),
  "operator /ledger/journals/:journalId": sql("journals", `select x.id, ${OPS} from journals x`),
  "operator /ledger/orders/:orderId": sql("orders", `select x.id, ${OPS} from orders x where exists (select 1 from journals j where j.order_id = x.id)`),
  "operator :listingId": sql("listings", `select x.id, ${OPS} from listings x order by exists (select 1 from listing_images i where i.listing_id = x.id) desc, x.created_at limit 5`),
  "operator /listings/:listingId/images/:imageId": sql("listing_images", `select i.id, ${OPS} from listing_images i where i.listing_id = $1`, "listingId"),
  "operator :disputeId": sql("disputes", `select x.id, ${OPS} from disputes x`),
  "operator :payoutId": sql("payouts", `select x.id, ${OPS} from payouts x`),
  "operator :orderId": sql("orders", `select x.id, ${OPS} from orders x order by x.created_at`),
  "operator :rfqId": sql("rfqs", `select x.id, ${OPS} from rfqs x where x.status <> 'draft' order by x.created_at desc`),
  "operator :offerId": sql("offers", `select x.id, ${OPS} from offers x where x.rfq_id = $1`, "rfqId"),
};

function fixtureFor(route: ManifestRoute, index: number): Fixture | null {
  const param = route.params[index]!;
  const prefix = route.path.slice(0, route.path.indexOf(`:${param}`) + param.length + 1);
  return FIXTURES[`${route.app} ${prefix}`] ?? FIXTURES[`${route.app} :${param}`] ?? null;
}

// ————————————————————————————————————————————————————————————————————————————————————————————

interface Identity {
  who: string;
  account: DemoAccount | null;
  cookie: string | null;
}

const sessions = new Map<string, string>();
/** Accounts made by the setup (a pending seller with a document), besides the demo's. */
const extraAccounts: (DemoAccount & { password: string })[] = [];
const accounts = () => [...DEMO_ACCOUNTS, ...extraAccounts];
const cookieOf = (account: DemoAccount) => sessions.get(`${account.app} ${account.email}`) ?? null;

/**
 * The candidate that says who owns the object and who else may see it: the innermost id that says
 * so (an offer's file belongs to its seller; an RFQ's file is the business of the RFQ's sellers; a
 * listing's image, of the listing's).
 */
function definingCandidate(candidates: readonly Candidate[]): Candidate {
  const defining = [...candidates].reverse().find((c) => c.org !== "" || c.allowed.length > 0)!;
  return { ...defining, org: defining.org || candidates.find((c) => c.org !== "")?.org || "" };
}

/**
 * What only the object's tenant may know: every text of its row and of the rows that point at it
 * (titles, names, notes, e-mail addresses, file names and storage keys, the ids of its lines,
 * offers, messages), at least 8 characters long and not a timestamp or a code word.
 */
async function secretsOf(db: pg.Client, roots: readonly Candidate[], inUrl: ReadonlySet<string>): Promise<Set<string>> {
  const text = await snapshot(db, roots.map((c) => ({ table: c.table, id: c.id })));
  const secrets = new Set<string>();
  for (const line of text.split("\n")) {
    const row = line.slice(line.indexOf(" ") + 1);
    // Composite-row text: (v1,"v 2",...). Quoted values may hold commas; both kinds are taken.
    for (const m of row.matchAll(/"((?:[^"\\]|\\.|"")*)"|([^,()"]+)/g)) {
      const value = (m[1] ?? m[2] ?? "").replace(/""/g, '"').trim();
      if (value.length < 8 || inUrl.has(value)) continue;
      if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(value) || /^[a-z_]+$/.test(value) || /^-?[\d.]+$/.test(value)) continue;
      if (value.startsWith("{") || value.startsWith("[")) continue; // JSON documents: their parts show up differently
      secrets.add(value);
    }
  }
  return secrets;
}

/**
 * Whether an attacker's answer is a refusal: the sign-in redirect without a session; with one, 403
 * or 404, or exactly the client error the same identity gets for the same request naming ids that
 * exist nowhere (an id taken from a form field is refused as an unknown value, 422, like any
 * made-up one; a seller still under review is sent to its application page whatever it asks):
 * an answer that says no more than "there is no such thing".
 */
function refusal(answer: HttpAnswer, signedIn: boolean, options: { data?: boolean; nobody?: HttpAnswer } = {}): string | null {
  const toSignIn = answer.location?.startsWith("/sign-in") ?? false;
  if (!signedIn) return (answer.status === 302 || answer.status === 303 || (options.data && answer.status === 202)) && toSignIn ? null : `expected the sign-in redirect, got ${answer.status} ${answer.location ?? ""}`;
  if (answer.status === 403 || answer.status === 404) return null;
  if (options.nobody && answer.status === options.nobody.status && (answer.location ?? "") === withoutIds(options.nobody.location ?? "")) {
    // A client error, or a redirect away (a seller still under review is sent to its application), the same as for nothing.
    if (answer.status >= 400 && answer.status < 500) return null;
    if ((answer.status === 302 || answer.status === 303 || (options.data && answer.status === 202)) && answer.location && !UUID_IN.test(answer.location)) return null;
  }
  return `expected 403 or 404, got ${answer.status} ${answer.location ?? ""}${options.nobody ? ` (${options.nobody.status} ${options.nobody.location ?? ""} for ids that do not exist)` : ""}`;
}

const UUID_IN = /[0-9a-f]{8}-[0-9a-f]{4}-/;

/** The same text with every id in it replaced by one that exists nowhere. */
function withoutIds(text: string): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, NOBODY);
}

interface Chosen {
  values: Record<string, string>;
  candidates: Candidate[];
  owner: DemoAccount;
  answer: HttpAnswer;
}

/** The first object (and owner of its organisation) whose page the owner gets with a 200. */
async function choose(db: pg.Client, route: ManifestRoute, tried: string[]): Promise<Chosen | null> {
  const ids = route.params;
  const walk = async (index: number, picked: Record<string, Candidate>): Promise<Chosen | null> => {
    if (index === ids.length) {
      const org = definingCandidate(Object.values(picked)).org;
      const values = Object.fromEntries(Object.entries(picked).map(([k, c]) => [k, c.id]));
      const path = fillPath(route.path, values);
      const roles = Object.keys(EXPECTED_PERMISSIONS[route.app]);
      const owners = accounts()
        .filter((a) => a.app === route.app && a.organization === org)
        .filter((a) => !route.loaderPermission || EXPECTED_PERMISSIONS[route.app][a.role]?.includes(route.loaderPermission))
        .sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role));
      for (const owner of owners) {
        const answer = await http(route.app, path, { cookie: cookieOf(owner) });
        tried.push(`${owner.email} GET ${path} → ${answer.status}`);
        // 200, or a page that sends its owner on to the object's page (an order's thread → the thread).
        const onwards = (answer.status === 302 || answer.status === 303) && answer.location !== null && !answer.location.startsWith("/sign-in");
        if (answer.status === 200 || onwards) return { values, candidates: Object.values(picked), owner, answer };
      }
      return null;
    }
    const fixture = fixtureFor(route, index)!;
    for (const candidate of (await fixture(db, picked)).slice(0, 12)) {
      const found = await walk(index + 1, { ...picked, [ids[index]!]: candidate });
      if (found) return found;
    }
    return null;
  };
  return walk(0, {});
}

/** A form to replay: as the owner's page offers it, or made up for an intent the page does not offer (`synthesized`). */
type ProbeForm = PageForm & { synthesized: boolean };

/** The route's forms on the owner's page, and one more per intent of the action's source that the page does not offer, with the page's other fields. */
function actionForms(route: ManifestRoute, path: string, pageForms: PageForm[]): ProbeForm[] {
  const own = pageForms.filter((f) => decodeURIComponent(f.action.split("?")[0]!) === decodeURIComponent(path));
  const forms: ProbeForm[] = own.map((f) => ({ ...f, synthesized: false }));
  const fields = new Map<string, PageForm["entries"][number]>();
  for (const form of own) for (const entry of form.entries) if (entry[0] !== "intent") fields.set(entry[0], entry);
  const multipart = own.some((f) => f.multipart);
  for (const intent of route.intents.length > 0 ? route.intents : [null]) {
    if (own.some((f) => f.intent === intent)) continue;
    if (intent === null && own.length > 0) continue;
    forms.push({ action: path, multipart, intent, synthesized: true, entries: [...(intent === null ? [] : [["intent", intent] as [string, string]]), ...fields.values()] });
  }
  return forms;
}

async function attackersOf(route: ManifestRoute, chosen: Chosen, allowed: ReadonlySet<string>, kind: "loader" | "action"): Promise<Identity[]> {
  const permission = kind === "loader" ? route.loaderPermission : route.actionPermission;
  const identities: Identity[] = [];
  for (const account of accounts().filter((a) => a.app === route.app && a !== chosen.owner)) {
    const sameOrg = account.organization === chosen.owner.organization;
    if (sameOrg || allowed.has(account.organization)) {
      // Colleagues: only those whose role lacks the guard's permission (the others may do it).
      if (!sameOrg || !permission || EXPECTED_PERMISSIONS[route.app][account.role]?.includes(permission)) continue;
    }
    identities.push({ who: `${account.email} (${account.role}${sameOrg ? ", same organisation" : ""})`, account, cookie: cookieOf(account) });
  }
  identities.push({ who: "a visitor without a session", account: null, cookie: null });
  // Another app's session of the owner's most privileged colleague elsewhere, under this app's cookie name.
  const foreignApp = APPS.find((a) => a !== route.app)!;
  const foreign = accounts().find((a) => a.app === foreignApp)!;
  const foreignToken = cookieOf(foreign)?.split("=")[1] ?? "";
  identities.push({ who: `${foreign.email}'s ${foreignApp} session under the ${route.app} cookie`, account: null, cookie: `souk_${route.app}_session=${foreignToken}` });
  return identities;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Setup: the kinds of object the demo has none of (files, an import, a pending seller's document),
// made through the apps as their owners would.
// ————————————————————————————————————————————————————————————————————————————————————————————

async function setUp(browser: Browser, page: Page): Promise<void> {
  await pool(DEMO_ACCOUNTS, 3, async (account) => {
    sessions.set(`${account.app} ${account.email}`, await signIn(account.app, account.email));
  });
  const run = runTag();
  // An open-bidding RFQ of Atlas with a file, and Sud's offer on it with a file: the buyer reads both (open bidding shows offers).
  const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const buyer = await context.newPage();
  await signInDemo(buyer, "buyer", "purchaser@atlas.test");
  const rfq = await publishRfq(buyer, {
    title: `Authorisation matrix ${run}`,
    description: `Matrix probe ${run}: only Atlas and the sellers of the category may read this.`,
    category: "Boxes and cartons",
    deliveryPlace: `Atlas Industrie, quai ${run}, Lyon`,
    lines: [{ description: `Matrix carton ${run}`, quantity: 10, unit: "piece" }],
    secondsAhead: 4 * 3600,
    sealing: "open",
  });
  const buyerCookie = sessions.get("buyer purchaser@atlas.test")!;
  await submitOwnForm(page, "buyer", buyerCookie, `/rfqs/${rfq.id}/attachments`, "upload");
  const sellerContext = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const sud = await sellerContext.newPage();
  await signInDemo(sud, "seller", "sales@sud.test");
  await sud.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await saveOffer(sud, { lines: [{ price: "12.34", quantity: 10 }], leadTimeDays: 9, notes: `Sud matrix notes ${run}` });
  await submitOwnForm(page, "seller", sessions.get("seller sales@sud.test")!, `/rfqs/${rfq.id}/offer-attachments`, "upload");
  await context.close();
  await sellerContext.close();

  await withDatabase(async (db) => {
    // An image on one of Médina's listings reserved for a customer group (buyer, seller and operator image routes).
    const listing = await db.query<{ id: string }>(
      "select l.id from listings l join organizations o on o.id = l.seller_id where o.name = 'Médina Fournitures' and l.visibility = 'groups' and l.status = 'published' order by l.created_at limit 1",
    );
    expect(listing.rows.length, "a group-reserved listing of Médina").toBe(1);
    await submitOwnForm(page, "seller", sessions.get("seller owner@medina.test")!, `/listings/${listing.rows[0]!.id}`, "upload-image");
  });
  // A file in the thread of a disputed order (the one kind of thread a moderator may read).
  const disputed = await withDatabase((db) =>
    db.query<{ id: string }>("select c.id from conversations c join organizations b on b.id = c.buyer_id where b.name = 'Boréal Hôtels' and exists (select 1 from disputes d where d.order_id = c.subject_id) limit 1"),
  );
  expect(disputed.rows.length, "the demo's disputed order has a thread").toBe(1);
  await submitOwnForm(page, "buyer", sessions.get("buyer purchaser@boreal.test")!, `/messages/${disputed.rows[0]!.id}`, "send");
  // A catalogue import of Rif.
  await submitOwnForm(page, "seller", sessions.get("seller owner@rif.test")!, "/listings/import", "import");

  // A seller that has just signed up (pending), with a supporting document.
  const email = uniqueEmail("matrix.seller");
  const organization = `Matrix Seller ${run}`;
  const signUp = await http("seller", "/sign-up", { form: [["organizationName", organization], ["name", "Mona Matrix"], ["email", email], ["password", PASSWORD]] });
  expect(signUp.status, signUp.text.slice(0, 300)).toBe(302);
  const account = { email, app: "seller" as const, organization, role: "owner", password: PASSWORD };
  extraAccounts.push(account);
  sessions.set(`seller ${email}`, await signIn("seller", email, PASSWORD));
  await submitOwnForm(page, "seller", sessions.get(`seller ${email}`)!, "/application", "upload");
}

// ————————————————————————————————————————————————————————————————————————————————————————————

test.describe.configure({ mode: "serial" });

let formPage: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(budget(120_000));
  formPage = await (await browser.newContext()).newPage();
  await setUp(browser, formPage);
});

test.afterAll(async () => {
  await formPage.context().close();
});

for (const app of APPS) {
  test(`${app} app: every route with an id refuses every other tenant and role`, async () => {
    test.setTimeout(budget(180_000));
    const routes = manifest(app).filter((r) => r.params.length > 0);
    const problems: string[] = [];
    const missing: string[] = [];
    const counts = { routes: 0, identities: 0, requests: 0, ownerPages: 0, ownerSees: 0 };
    await withDatabase(async (db) => {
      for (const route of routes) {
        const exempt = route.params.filter((p) => EXEMPT[p]);
        if (exempt.length > 0) continue;
        const unknown = route.params.filter((_, i) => !fixtureFor(route, i));
        if (unknown.length > 0) {
          missing.push(`${route.path}: add a fixture for ${unknown.map((p) => `$${p}`).join(", ")} (FIXTURES in ${test.info().file.split("/").pop()})`);
          continue;
        }
        const tried: string[] = [];
        const chosen = await choose(db, route, tried);
        if (!chosen) {
          missing.push(`${route.path}: no fixture object whose owner gets 200 (tried: ${tried.slice(0, 6).join("; ") || "no candidate"})`);
          continue;
        }
        counts.routes += 1;
        const started = Date.now();
        const path = fillPath(route.path, chosen.values);
        const inUrl = new Set(Object.values(chosen.values));
        const allowed = new Set(definingCandidate(chosen.candidates).allowed);
        const secrets = await secretsOf(db, chosen.candidates, inUrl);
        expect(secrets.size, `${route.path}: strings of the object to look for`).toBeGreaterThan(0);
        // The scan sees the object where it may be seen: its owner's page shows some of these strings.
        if (route.page && chosen.answer.status === 200) counts.ownerSees += found(chosen.answer.text, secrets).length > 0 ? 1 : 0;
        if (route.page && chosen.answer.status === 200) counts.ownerPages += 1;
        const forms = route.action !== null && route.page ? actionForms(route, path, await formsOf(formPage, `${URLS[app]}${path}`, chosen.answer.text)) : route.action !== null ? actionForms(route, path, []) : [];
        const before = await snapshot(db, chosen.candidates.map((c) => ({ table: c.table, id: c.id })));
        const nobodyPath = fillPath(route.path, Object.fromEntries(route.params.map((p) => [p, NOBODY])));

        const loaderAttackers = await attackersOf(route, chosen, allowed, "loader");
        const actionAttackers = route.action !== null ? await attackersOf(route, chosen, allowed, "action") : [];
        const identities = [...new Map([...loaderAttackers, ...actionAttackers].map((i) => [i.who, i])).values()];
        counts.identities += identities.length;
        await pool(identities, 4, async (identity) => {
          const signedIn = identity.account !== null;
          // What this identity's own answer for an id that exists nowhere holds (its menus, its names) is not the object's:
          // asked only when a string of the object turns up.
          const calibrations = new Map<string, Promise<HttpAnswer>>();
          const calibrated = (target: string) => {
            if (!calibrations.has(target)) calibrations.set(target, http(app, target, { cookie: identity.cookie }));
            return calibrations.get(target)!;
          };
          const check = async (request: string, answer: HttpAnswer, calibration: string, options: { data?: boolean; form?: ProbeForm; nobody?: () => Promise<HttpAnswer> } = {}) => {
            counts.requests += 1;
            let refused = refusal(answer, signedIn, { data: options.data });
            if (refused && signedIn && options.nobody) refused = refusal(answer, signedIn, { data: options.data, nobody: await options.nobody() });
            if (refused) problems.push(`${identity.who}: ${request} → ${refused}`);
            // What the request itself sent may come back (a form shown again with its values): that is no leak.
            const sent = (options.form?.entries ?? []).map(([, v]) => (typeof v === "string" ? v.toLowerCase() : ""));
            let leaked = found(answer.text + [...answer.headers.entries()].join("\n"), [...secrets].filter((s) => !sent.some((v) => v.includes(s.toLowerCase()))));
            if (leaked.length > 0) {
              const own = new Set(found((await calibrated(calibration)).text, leaked));
              leaked = leaked.filter((s) => !own.has(s));
            }
            if (leaked.length > 0) problems.push(`${identity.who}: ${request} → ${answer.status} holds ${leaked.slice(0, 3).map((s) => JSON.stringify(s.slice(0, 60))).join(", ")}`);
          };
          if (loaderAttackers.some((a) => a.who === identity.who)) {
            await check(`GET ${path}`, await http(app, path, { cookie: identity.cookie }), nobodyPath, { nobody: () => http(app, nobodyPath, { cookie: identity.cookie }) });
            if (route.page) await check(`GET ${dataUrl(path)}`, await http(app, dataUrl(path), { cookie: identity.cookie }), dataUrl(nobodyPath), { data: true, nobody: () => http(app, dataUrl(nobodyPath), { cookie: identity.cookie }) });
          }
          if (actionAttackers.some((a) => a.who === identity.who)) {
            for (const form of forms) {
              const answer = await http(app, form.action, { cookie: identity.cookie, ...formBody(form) });
              const nobodyForm = { ...form, entries: form.entries.map(([k, v]) => [k, typeof v === "string" ? withoutIds(v) : v] as [string, typeof v]) };
              const nobody = () => http(app, withoutIds(form.action), { cookie: identity.cookie, ...formBody(nobodyForm) });
              await check(`POST ${form.action} (intent ${form.intent ?? "none"}${form.synthesized ? ", not on the page" : ""})`, answer, nobodyPath, { form, nobody });
            }
          }
        });
        const after = await snapshot(db, chosen.candidates.map((c) => ({ table: c.table, id: c.id })));
        if (after !== before) problems.push(`${route.path}: the object's rows changed during the replays:\n${diff(before, after)}`);
        test.info().annotations.push({ type: "route", description: `${route.path} as ${chosen.owner.email}: ${identities.length} identities, ${forms.length} forms, ${Date.now() - started} ms` });
      }
    });
    test.info().annotations.push({ type: "probes", description: `${app}: ${counts.routes} routes × ${counts.identities} identity replays, ${counts.requests} refused requests checked` });
    console.log(`${app}: ${counts.routes} routes, ${counts.identities} route × identity pairs, ${counts.requests} requests; the owner's page shows the object's strings on ${counts.ownerSees} of ${counts.ownerPages}`);
    expect(missing, "routes with an id and no usable fixture").toEqual([]);
    expect(problems, "answers to other tenants and roles").toEqual([]);
    expect(counts.routes).toBeGreaterThan(5);
    expect(counts.ownerSees, `owners' pages showing their object's strings (of ${counts.ownerPages})`).toBeGreaterThanOrEqual(Math.ceil(counts.ownerPages * 0.8));
  });
}

/** Where an id lives: the table with a uuid `id` holding it, and the organisations its row names (owner columns). */
async function locate(db: pg.Client, id: string): Promise<{ table: string; orgs: string[] } | null> {
  tables ??= (await db.query<{ table: string }>("select table_name as table from information_schema.columns where table_schema = 'public' and column_name = 'id' and data_type = 'uuid'")).rows.map((r) => r.table);
  const union = tables.map((t) => `select '${t}' as table, to_jsonb(x) as row from "${t}" x where x.id = $1`).join(" union all ");
  const row = (await db.query<{ table: string; row: Record<string, unknown> }>(union, [id])).rows[0];
  if (!row) return null;
  const orgs = ["organization_id", "buyer_id", "seller_id"].map((c) => row.row[c]).filter((v): v is string => typeof v === "string");
  return { table: row.table, orgs };
}
let tables: string[] | null = null;

/*
 * Ids in form fields rather than in the URL (a member's role, a default address, a customer
 * group's member): the owner's forms on pages without an id in their URL, replayed by every other
 * organisation of the app at the same URL. Such a form may legitimately succeed on the sender's
 * own data (the ids are then unknown to it), so what must hold is that the owner's rows named by
 * the form are unchanged and none of their strings comes back.
 */
test("forms carrying a tenant's ids in their fields change nothing of it when another tenant posts them", async () => {
  test.setTimeout(budget(120_000));
  const problems: string[] = [];
  let replays = 0;
  let formsWithIds = 0;
  await withDatabase(async (db) => {
    for (const app of ["buyer", "seller"] as const) {
      const orgs = [...new Set(DEMO_ACCOUNTS.filter((a) => a.app === app).map((a) => a.organization))].slice(0, 2);
      for (const route of manifest(app).filter((r) => r.params.length === 0 && r.action !== null && r.page && r.loaderPermission)) {
        for (const org of orgs) {
          const owner = accounts().find((a) => a.app === app && a.organization === org && EXPECTED_PERMISSIONS[app][a.role]?.includes(route.actionPermission ?? route.loaderPermission!));
          if (!owner) continue;
          const ownerId = (await db.query<{ id: string }>("select id from organizations where name = $1", [org])).rows[0]!.id;
          const answer = await http(app, route.path, { cookie: cookieOf(owner) });
          if (answer.status !== 200) continue;
          const forms = (await formsOf(formPage, `${URLS[app]}${route.path}`, answer.text)).filter((f) => f.action.split("?")[0] === route.path);
          const replayed = new Set<string>();
          for (const form of forms) {
            const roots: Candidate[] = [];
            for (const [, value] of form.entries) {
              if (typeof value !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) continue;
              const where = await locate(db, value);
              // Only what the tenant owns (another seller's public listing in a cart form is anybody's to name).
              if (where && where.orgs.includes(ownerId)) roots.push({ id: value, table: where.table, org, allowed: [] });
            }
            // One replay per intent and set of owned ids (a catalogue page repeats one list form per listing).
            const key = `${form.intent} ${roots.map((r) => r.id).sort().join(",")}`;
            if (roots.length === 0 || replayed.has(key)) continue;
            replayed.add(key);
            formsWithIds += 1;
            const secrets = await secretsOf(db, roots, new Set());
            const before = await snapshot(db, roots);
            const attackers = accounts().filter((a) => a.app === app && a.organization !== org && (!route.actionPermission || EXPECTED_PERMISSIONS[app][a.role]?.includes(route.actionPermission)));
            await pool(attackers, 4, async (attacker) => {
              const reply = await http(app, form.action, { cookie: cookieOf(attacker), ...formBody(form) });
              replays += 1;
              if (reply.status >= 500) problems.push(`${attacker.email}: POST ${route.path} (${form.intent}) with ${org}'s ids → ${reply.status}`);
              const sent = form.entries.map(([, v]) => (typeof v === "string" ? v.toLowerCase() : ""));
              let leaked = found(reply.text, [...secrets].filter((x) => !sent.some((v) => v.includes(x.toLowerCase()))));
              // Strings the sender's own page shows anyway (its own list may bear the same name) say nothing of the owner's.
              if (leaked.length > 0) {
                const own = new Set(found((await http(app, route.path, { cookie: cookieOf(attacker) })).text, leaked));
                leaked = leaked.filter((x) => !own.has(x));
              }
              if (leaked.length > 0) problems.push(`${attacker.email}: POST ${route.path} (${form.intent}) with ${org}'s ids → ${reply.status} holds ${leaked.slice(0, 3).map((x) => JSON.stringify(x.slice(0, 60))).join(", ")}`);
            });
            const after = await snapshot(db, roots);
            if (after !== before) problems.push(`${route.path} (${form.intent}): ${org}'s rows changed when others posted its form:\n${diff(before, after)}`);
          }
        }
      }
    }
  });
  test.info().annotations.push({ type: "probes", description: `${formsWithIds} forms with a tenant's ids, ${replays} replays by other tenants` });
  console.log(`forms with ids in fields: ${formsWithIds} forms, ${replays} replays`);
  expect(formsWithIds, "forms with ids were found (members, addresses, groups, ...)").toBeGreaterThan(3);
  expect(problems).toEqual([]);
});

function diff(before: string, after: string): string {
  const a = new Set(before.split("\n"));
  const b = new Set(after.split("\n"));
  return [...[...a].filter((l) => !b.has(l)).map((l) => `- ${l}`), ...[...b].filter((l) => !a.has(l)).map((l) => `+ ${l}`)].slice(0, 10).join("\n");
}
