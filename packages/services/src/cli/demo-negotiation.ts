import type { ActorDeps, ServiceDeps } from "../deps";
import { createApprovalRule } from "../approvals/create-approval-rule";
import { createBudget } from "../budgets/create-budget";
import { startConversation } from "../conversations/start-conversation";
import { postConversationMessage } from "../conversations/post-conversation-message";
import { answerCounter } from "../negotiation/answer-counter";
import { sendCounter } from "../negotiation/send-counter";
import type { StorageDeps } from "../storage/document-storage";

type ActAs = <T>(app: "buyer" | "seller" | "operator", email: string, fn: (deps: ActorDeps) => Promise<T>) => Promise<T>;

/** The closed demo RFQ the buyer negotiates (demo-rfqs.ts): Boréal's stretch film and bags, offers from Rif and Sud. */
const NEGOTIATED_RFQ = { buyer: "Boréal Hôtels", title: "Films étirables et sacs — hôtels du Québec" } as const;

/**
 * Budgets: Atlas's quarterly budget for the whole organisation and a monthly one for its purchaser,
 * both sending an overspend to approval; Boréal refuses anything above its monthly budget. Sized
 * above what the demo orders spend, so that the demo's own purchases fit.
 */
export const DEMO_BUDGETS = [
  { buyer: "Atlas Industrie", admin: "admin@atlas.test", target: { organization: "Atlas Industrie" }, currency: "EUR", amount: "250000.00", period: "quarter", onExceed: "approval" },
  { buyer: "Atlas Industrie", admin: "admin@atlas.test", target: { member: "purchaser@atlas.test" }, currency: "EUR", amount: "100000.00", period: "month", onExceed: "approval" },
  { buyer: "Boréal Hôtels", admin: "admin@boreal.test", target: { organization: "Boréal Hôtels" }, currency: "EUR", amount: "80000.00", period: "month", onExceed: "refuse" },
] as const;

const PURCHASER = new Map([
  ["Atlas Industrie", "purchaser@atlas.test"],
  ["Boréal Hôtels", "purchaser@boreal.test"],
]);
const FULFILMENT = new Map([
  ["Médina Fournitures", "fulfilment@medina.test"],
  ["Rif Emballages", "fulfilment@rif.test"],
]);

/** Atlas's second approval level: above €50,000 its admin approves after the approver (a two-level chain). */
export const DEMO_SECOND_LEVEL_RULE = { buyer: "Atlas Industrie", admin: "admin@atlas.test", currency: "EUR", threshold: "50000.00", approverRole: "admin" } as const;

/** A one-page PDF (what the attachment checks read: the %PDF- magic bytes), generated rather than shipped. */
function demoPdf(text: string): Uint8Array {
  const body = `BT /F1 12 Tf 50 750 Td (${text.replace(/[()\\]/g, "")}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${body.length} >>\nstream\n${body}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/**
 * The negotiation demo, through the use cases: a counter-proposal round on Boréal's closed RFQ (Sud
 * answered one with a revised price; one to Rif waits for its answer), the budgets and Atlas's
 * second approval level, and conversations: a question about a listing that Rif has not read yet,
 * a thread on a shipped order with the seller's delivery note attached, and one on the disputed order
 * (which the moderator may read). Safe to re-run: each part is skipped when it is already there.
 */
export async function seedDemoNegotiation(deps: ServiceDeps & Partial<StorageDeps>, actAs: ActAs): Promise<void> {
  const db = deps.db;
  const orgs = new Map((await db.selectFrom("organizations").select(["id", "name"]).where("parent_id", "is", null).execute()).map((o) => [o.name, o.id]));
  const must = <T>(map: Map<string, T>, key: string): T => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`The demo negotiation needs ${key}`);
    return value;
  };

  // ---- Counter-proposals on the closed RFQ --------------------------------------------------
  const rfq = await db
    .selectFrom("rfqs")
    .select(["id"])
    .where("buyer_id", "=", must(orgs, NEGOTIATED_RFQ.buyer))
    .where("title", "=", NEGOTIATED_RFQ.title)
    .executeTakeFirstOrThrow();
  const countered = await db.selectFrom("offer_counters").select("id").where("rfq_id", "=", rfq.id).executeTakeFirst();
  if (!countered) {
    const offers = new Map(
      (await db.selectFrom("offers").select(["id", "seller_id"]).where("rfq_id", "=", rfq.id).execute()).map((o) => [o.seller_id, o.id]),
    );
    const lines = await db.selectFrom("rfq_lines").select(["id"]).where("rfq_id", "=", rfq.id).orderBy("position").execute();
    const [film, bags] = lines;
    if (!film || !bags) throw new Error("The negotiated demo RFQ needs two lines");
    const respondBy = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16);
    // Sud's bags: the buyer asks €19.00; Sud meets it half way at €19.40 (round 1, answered).
    const sud = await actAs("buyer", "purchaser@boreal.test", (buyer) =>
      sendCounter(buyer, {
        rfqId: rfq.id,
        offerId: must(offers, must(orgs, "Sud Emballages")),
        message: "Pour 120 cartons, pouvez-vous vous aligner sur 19,00 € ?",
        respondBy,
        timeZone: "UTC",
        "lines.0.lineId": bags.id,
        "lines.0.targetUnitPrice": "19.00",
      }),
    );
    await actAs("seller", "sales@sud.test", (seller) =>
      answerCounter(seller, {
        rfqId: rfq.id,
        counterId: sud.counterId,
        answer: "revise",
        "lines.0.lineId": film.id,
        "lines.0.unitPrice": "7.20",
        "lines.0.quantity": "600",
        "lines.1.lineId": bags.id,
        "lines.1.unitPrice": "19.40",
        "lines.1.quantity": "120",
      }),
    );
    // Rif's film: a lower price for the whole quantity, waiting for Rif's answer.
    await actAs("buyer", "purchaser@boreal.test", (buyer) =>
      sendCounter(buyer, {
        rfqId: rfq.id,
        offerId: must(offers, must(orgs, "Rif Emballages")),
        message: "Nous retiendrions votre film à 6,50 € le rouleau pour les 600 rouleaux.",
        respondBy,
        timeZone: "UTC",
        "lines.0.lineId": film.id,
        "lines.0.targetUnitPrice": "6.50",
      }),
    );
  }

  // ---- Budgets and the second approval level --------------------------------------------------
  for (const budget of DEMO_BUDGETS) {
    const buyerId = must(orgs, budget.buyer);
    const scopeId =
      "organization" in budget.target
        ? must(orgs, budget.target.organization)
        : (await db.selectFrom("users").select("id").where("email", "=", budget.target.member).executeTakeFirstOrThrow()).id;
    const existing = await db
      .selectFrom("budgets")
      .select("id")
      .where("buyer_id", "=", buyerId)
      .where((eb) => eb.or([eb("organization_id", "=", scopeId), eb("user_id", "=", scopeId)]))
      .where("currency", "=", budget.currency)
      .where("period", "=", budget.period)
      .executeTakeFirst();
    if (existing) continue;
    await actAs("buyer", budget.admin, (admin) =>
      createBudget(admin, {
        target: `${"organization" in budget.target ? "org" : "user"}:${scopeId}`,
        currency: budget.currency,
        amount: budget.amount,
        period: budget.period,
        onExceed: budget.onExceed,
      }),
    );
  }
  const secondLevel = await db
    .selectFrom("approval_rules")
    .select("id")
    .where("buyer_id", "=", must(orgs, DEMO_SECOND_LEVEL_RULE.buyer))
    .where("threshold_minor", "=", "5000000")
    .executeTakeFirst();
  if (!secondLevel) {
    await actAs("buyer", DEMO_SECOND_LEVEL_RULE.admin, (admin) =>
      createApprovalRule(admin, { currency: DEMO_SECOND_LEVEL_RULE.currency, threshold: DEMO_SECOND_LEVEL_RULE.threshold, approverRole: DEMO_SECOND_LEVEL_RULE.approverRole }),
    );
  }

  // ---- Conversations --------------------------------------------------------------------------
  if (await db.selectFrom("conversations").select("id").executeTakeFirst()) return;
  // The seed's deps carry the apps' storage when it is configured (the CLI always does); the
  // attachment is left out without it, the messages are not.
  const storage = deps.storage;
  const withStorage = (actor: ActorDeps) => actor as ActorDeps & StorageDeps;

  // Boréal asks Rif about a film listing; Rif has not read it yet (its unread badge shows 1).
  const rifListing = await db
    .selectFrom("listings")
    .select("id")
    .where("seller_id", "=", must(orgs, "Rif Emballages"))
    .where("status", "=", "published")
    .where("visibility", "=", "everyone")
    .orderBy("sku")
    .executeTakeFirstOrThrow();
  await actAs("buyer", "purchaser@boreal.test", (buyer) =>
    startConversation(
      withStorage(buyer),
      { subjectKind: "listing", subjectId: rifListing.id, body: "Bonjour, quel délai pour 40 unités livrées à Marseille ? Avez-vous la fiche technique ?" },
    ),
  );

  // The buyer and the seller of a shipped order: the delivery slot, and the seller's delivery note attached.
  const shipped = await db
    .selectFrom("orders as o")
    .innerJoin("organizations as b", "b.id", "o.buyer_id")
    .innerJoin("organizations as s", "s.id", "o.seller_id")
    .select(["o.id", "b.name as buyer", "s.name as seller"])
    .where("o.status", "=", "shipped")
    .orderBy("o.number")
    .executeTakeFirstOrThrow();
  const started = await actAs("buyer", must(PURCHASER, shipped.buyer), (buyer) =>
    startConversation(withStorage(buyer), {
      subjectKind: "order",
      subjectId: shipped.id,
      body: "Bonjour, notre réception ferme à 16 h : pouvez-vous confirmer le créneau de livraison ?",
    }),
  );
  await actAs("seller", must(FULFILMENT, shipped.seller), (seller) =>
    postConversationMessage(withStorage(seller), {
      conversationId: started.conversationId,
      body: "Livraison prévue jeudi entre 9 h et 11 h. Le bon de livraison est joint.",
      ...(storage ? { file: { name: "bon-de-livraison.pdf", bytes: demoPdf(`Bon de livraison - ${shipped.seller}`) } } : {}),
    }),
  );

  // The buyer explains its dispute in the order's thread (a moderator may read this one).
  const disputed = await db
    .selectFrom("disputes as d")
    .innerJoin("orders as o", "o.id", "d.order_id")
    .innerJoin("organizations as b", "b.id", "o.buyer_id")
    .select(["o.id", "b.name as buyer"])
    .where("d.status", "=", "open")
    .orderBy("d.opened_at")
    .executeTakeFirstOrThrow();
  await actAs("buyer", must(PURCHASER, disputed.buyer), (buyer) =>
    startConversation(withStorage(buyer), {
      subjectKind: "order",
      subjectId: disputed.id,
      body: "Deux cartons sont arrivés écrasés ; les photos sont dans le litige. Pouvez-vous remplacer ou rembourser ces deux cartons ?",
    }),
  );
}
