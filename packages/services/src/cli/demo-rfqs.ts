import { sql } from "kysely";
import type { ActorDeps, ServiceDeps } from "../deps";
import { createApprovalRule } from "../approvals/create-approval-rule";
import { awardRfq } from "../approvals/award-rfq";
import { answerQuestion } from "../rfq/buyer/answer-question";
import { createRfq } from "../rfq/buyer/create-rfq";
import { askQuestion } from "../rfq/seller/ask-question";
import { closeRfq } from "../rfq/seller/close-rfq";
import { saveOffer } from "../rfq/seller/save-offer";

type ActAs = <T>(app: "buyer" | "seller", email: string, fn: (deps: ActorDeps) => Promise<T>) => Promise<T>;

interface DemoLine {
  description: string;
  quantity: number;
  unit: string;
  targetPrice?: string;
}

interface DemoOffer {
  seller: string;
  /** Unit prices per line, in the order of the RFQ's lines ("" = no bid on that line). */
  prices: string[];
  /** Quantities per line when less than asked. */
  quantities?: (number | undefined)[];
  leadTimeDays: number;
  notes?: string;
  /** A revision after the first submission (new unit prices). */
  revisedPrices?: string[];
}

interface DemoRfq {
  buyer: string;
  title: string;
  description: string;
  category: string;
  incoterm: string;
  deliveryPlace: string;
  sealing: "sealed" | "open";
  /** Days from now; the closed ones are closed at once after their offers. */
  deadlineDays: number;
  antiSniping?: { minutes: number; max: number };
  lines: DemoLine[];
  offers: DemoOffer[];
  question?: { seller: string; question: string; answer: string; visibility: "public" | "private" };
  outcome: "draft" | "open" | "closed" | "awarded";
  /** Per-line split awards: line index → [seller, quantity][]. */
  award?: { note: string; split: [string, number][][] };
}

/** Who acts for each organisation in the demo. */
const PURCHASER: Record<string, string> = { "Atlas Industrie": "purchaser@atlas.test", "Boréal Hôtels": "purchaser@boreal.test" };
const SALES: Record<string, string> = {
  "Médina Fournitures": "sales@medina.test",
  "Rif Emballages": "sales@rif.test",
  "Kasbah Bureau": "sales@kasbah.test",
  "Sud Emballages": "sales@sud.test",
};

export const DEMO_RFQS: DemoRfq[] = [
  {
    buyer: "Atlas Industrie",
    title: "Cartons d'expédition — 1er trimestre 2027",
    description: "Cartons pour l'usine de Lyon, livrés sur palettes filmées. Impression du logo en une couleur appréciée.",
    category: "packaging-boxes",
    incoterm: "DAP",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    sealing: "sealed",
    deadlineDays: 6,
    lines: [
      { description: "Carton double cannelure 60 × 40 × 40 cm", quantity: 5000, unit: "piece", targetPrice: "1.10" },
      { description: "Carton simple cannelure 40 × 30 × 20 cm", quantity: 8000, unit: "piece" },
    ],
    offers: [
      { seller: "Rif Emballages", prices: ["1.08", "0.46"], leadTimeDays: 10, notes: "Logo printing included above 3,000 pieces." },
      { seller: "Sud Emballages", prices: ["1.15", "0.42"], leadTimeDays: 7 },
    ],
    question: {
      seller: "Kasbah Bureau",
      question: "Le logo doit-il être imprimé sur les deux formats ?",
      answer: "Oui, sur les deux formats, en une couleur (noir).",
      visibility: "public",
    },
    outcome: "open",
  },
  {
    buyer: "Atlas Industrie",
    title: "Papier copieur A4 80 g — contrat annuel",
    description: "Ramettes de 500 feuilles, blancheur ≥ 160 CIE, livrées chaque mois à Casablanca.",
    category: "office-paper",
    incoterm: "DDP",
    deliveryPlace: "Atlas Industrie — Casablanca, zone industrielle Aïn Sebaâ",
    sealing: "open",
    deadlineDays: 3,
    antiSniping: { minutes: 10, max: 3 },
    lines: [{ description: "Papier A4 80 g, ramette de 500 feuilles", quantity: 2000, unit: "ream", targetPrice: "3.20" }],
    offers: [
      { seller: "Médina Fournitures", prices: ["3.35"], leadTimeDays: 2, revisedPrices: ["3.19"] },
      { seller: "Kasbah Bureau", prices: ["3.25"], leadTimeDays: 4 },
    ],
    outcome: "open",
  },
  {
    buyer: "Boréal Hôtels",
    title: "Films étirables et sacs — hôtels du Québec",
    description: "Film étirable pour les lingeries et sacs de 50 L pour les étages.",
    category: "packaging-film",
    incoterm: "FCA",
    deliveryPlace: "Entrepôt Boréal, Marseille",
    sealing: "sealed",
    deadlineDays: 2,
    lines: [
      { description: "Film étirable manuel 500 mm × 300 m, 17 µm", quantity: 600, unit: "roll" },
      { description: "Sac poubelle 50 L, carton de 500", quantity: 120, unit: "box" },
    ],
    offers: [
      { seller: "Rif Emballages", prices: ["6.90", "21.50"], leadTimeDays: 12 },
      { seller: "Sud Emballages", prices: ["7.20", "19.80"], leadTimeDays: 6, notes: "Bags in recycled polyethylene." },
    ],
    outcome: "closed",
  },
  {
    buyer: "Boréal Hôtels",
    title: "Papier d'hygiène — saison 2027",
    description: "Essuie-mains et papier toilette pour les quatre hôtels.",
    category: "cleaning-paper",
    incoterm: "DAP",
    deliveryPlace: "Boréal Hôtels, Montréal — réception centrale",
    sealing: "sealed",
    deadlineDays: 2,
    lines: [
      { description: "Essuie-mains enchevêtrés, colis de 3 750", quantity: 300, unit: "box" },
      { description: "Papier toilette 2 plis, colis de 96 rouleaux", quantity: 400, unit: "box" },
    ],
    offers: [
      { seller: "Médina Fournitures", prices: ["28.40", "31.00"], leadTimeDays: 14 },
      { seller: "Sud Emballages", prices: ["30.10", "29.20"], leadTimeDays: 8 },
    ],
    outcome: "awarded",
    award: {
      note: "Split by best price per line.",
      split: [[["Médina Fournitures", 300]], [["Sud Emballages", 400]]],
    },
  },
  {
    buyer: "Atlas Industrie",
    title: "Mobilier — nouveaux bureaux de Lyon",
    description: "Postes de travail et sièges pour 40 personnes, montage compris.",
    category: "office-furniture",
    incoterm: "DDP",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    sealing: "sealed",
    deadlineDays: 2,
    lines: [
      { description: "Bureau réglable en hauteur 160 × 80 cm", quantity: 40, unit: "piece", targetPrice: "420.00" },
      { description: "Siège ergonomique, accoudoirs réglables", quantity: 40, unit: "piece" },
    ],
    offers: [
      { seller: "Médina Fournitures", prices: ["435.00", "189.00"], leadTimeDays: 21 },
      { seller: "Kasbah Bureau", prices: ["398.00", "215.00"], leadTimeDays: 30, notes: "Montage par notre équipe de Lyon." },
    ],
    outcome: "awarded",
    // Above Atlas's approval threshold: the award waits for the approver.
    award: {
      note: "Bureaux chez Kasbah, sièges chez Médina.",
      split: [[["Kasbah Bureau", 40]], [["Médina Fournitures", 40]]],
    },
  },
  {
    buyer: "Atlas Industrie",
    title: "Gants nitrile — atelier de maintenance",
    description: "Brouillon : quantités à confirmer avec l'atelier.",
    category: "safety-gloves",
    incoterm: "EXW",
    deliveryPlace: "Lyon",
    sealing: "sealed",
    deadlineDays: 14,
    lines: [{ description: "Gants nitrile non poudrés, taille L, boîte de 100", quantity: 200, unit: "box" }],
    offers: [],
    outcome: "draft",
  },
];

/** Atlas's approval rule: awards of €10,000 or more wait for an approver. */
const DEMO_APPROVAL_RULE = { buyer: "Atlas Industrie", admin: "admin@atlas.test", currency: "EUR", threshold: "10000.00", approverRole: "approver" } as const;

function wallClockUtc(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/**
 * The demo RFQs, written through the use cases as buyers and sellers would: an open sealed RFQ with
 * two offers and a public answer, an open-bidding one with a revised offer, a closed one ready to
 * compare, one awarded and split across two sellers (orders placed), one awarded above Atlas's
 * approval threshold (waiting for its approver), and a draft. The closed ones get their deadline
 * brought forward to the database clock once their offers are in (a demo cannot wait days), then
 * close through the same use case as the worker. Safe to re-run: an RFQ is found by buyer and title.
 */
export async function seedDemoRfqs(deps: ServiceDeps, actAs: ActAs): Promise<number> {
  const orgs = new Map((await deps.db.selectFrom("organizations").select(["id", "name"]).where("parent_id", "is", null).execute()).map((o) => [o.name, o.id]));
  const categories = new Map((await deps.db.selectFrom("categories").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]));
  const must = <T>(map: Map<string, T>, key: string): T => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`The demo RFQs need ${key}`);
    return value;
  };

  const ruleBuyerId = must(orgs, DEMO_APPROVAL_RULE.buyer);
  const hasRule = await deps.db.selectFrom("approval_rules").select("id").where("buyer_id", "=", ruleBuyerId).executeTakeFirst();
  if (!hasRule) {
    await actAs("buyer", DEMO_APPROVAL_RULE.admin, (admin) =>
      createApprovalRule(admin, { currency: DEMO_APPROVAL_RULE.currency, threshold: DEMO_APPROVAL_RULE.threshold, approverRole: DEMO_APPROVAL_RULE.approverRole }),
    );
  }

  let created = 0;
  for (const spec of DEMO_RFQS) {
    const buyerId = must(orgs, spec.buyer);
    const existing = await deps.db.selectFrom("rfqs").select("id").where("buyer_id", "=", buyerId).where("title", "=", spec.title).executeTakeFirst();
    if (existing) continue;
    created += 1;

    const form: Record<string, unknown> = {
      title: spec.title,
      description: spec.description,
      categoryId: must(categories, spec.category),
      currency: "EUR",
      incoterm: spec.incoterm,
      deliveryPlace: spec.deliveryPlace,
      deadline: wallClockUtc(new Date(Date.now() + spec.deadlineDays * 86_400_000)),
      timeZone: "UTC",
      visibility: "open",
      sealing: spec.sealing,
      intent: spec.outcome === "draft" ? "draft" : "publish",
      ...(spec.antiSniping ? { antiSnipingMinutes: String(spec.antiSniping.minutes), antiSnipingMax: String(spec.antiSniping.max) } : {}),
    };
    spec.lines.forEach((line, i) => {
      form[`lines.${i}.description`] = line.description;
      form[`lines.${i}.quantity`] = String(line.quantity);
      form[`lines.${i}.unit`] = line.unit;
      if (line.targetPrice) form[`lines.${i}.targetPrice`] = line.targetPrice;
    });
    const purchaser = must(new Map(Object.entries(PURCHASER)), spec.buyer);
    const rfq = await actAs("buyer", purchaser, (buyer) => createRfq(buyer, form));
    if (spec.outcome === "draft") continue;
    const lineIds = (await deps.db.selectFrom("rfq_lines").select("id").where("rfq_id", "=", rfq.id).orderBy("position").execute()).map((l) => l.id);

    if (spec.question) {
      const { question, answer, visibility } = spec.question;
      const asked = await actAs("seller", must(new Map(Object.entries(SALES)), spec.question.seller), (seller) => askQuestion(seller, { rfqId: rfq.id, question }));
      await actAs("buyer", purchaser, (buyer) => answerQuestion(buyer, { questionId: asked.questionId, answer, visibility }));
    }

    const validUntil = new Date(Date.now() + (spec.deadlineDays + 30) * 86_400_000).toISOString().slice(0, 10);
    const offerIds = new Map<string, string>();
    for (const offer of spec.offers) {
      const offerForm = (prices: string[]) => {
        const fields: Record<string, unknown> = { rfqId: rfq.id, leadTimeDays: String(offer.leadTimeDays), validUntil, notes: offer.notes ?? "" };
        let i = 0;
        prices.forEach((price, line) => {
          if (price === "") return;
          fields[`lines.${i}.lineId`] = lineIds[line];
          fields[`lines.${i}.unitPrice`] = price;
          fields[`lines.${i}.quantity`] = String(offer.quantities?.[line] ?? spec.lines[line]?.quantity);
          i += 1;
        });
        return fields;
      };
      const saved = await actAs("seller", must(new Map(Object.entries(SALES)), offer.seller), async (seller) => {
        const first = await saveOffer(seller, offerForm(offer.prices));
        return offer.revisedPrices ? saveOffer(seller, offerForm(offer.revisedPrices)) : first;
      });
      offerIds.set(offer.seller, saved.offerId);
    }

    if (spec.outcome === "open") continue;
    // The demo cannot wait for the deadline: bring it to the database clock, then close as the worker would.
    await sql`update rfqs set deadline = clock_timestamp(), updated_at = now() where id = ${rfq.id}`.execute(deps.db);
    await closeRfq(deps, { rfqId: rfq.id });
    if (spec.outcome !== "awarded" || !spec.award) continue;

    const award: Record<string, unknown> = { rfqId: rfq.id, mode: "lines", note: spec.award.note };
    spec.award.split.forEach((shares, line) => {
      for (const [seller, quantity] of shares) award[`qty.${lineIds[line]}.${must(offerIds, seller)}`] = String(quantity);
    });
    await actAs("buyer", purchaser, (buyer) => awardRfq(buyer, award));
  }
  return created;
}
