import { expect, test } from "@playwright/test";
import {
  amountNotations,
  APPS,
  dataUrl,
  fillPath,
  http,
  manifest,
  normalise,
  pool,
  signIn,
  submitOwnForm,
  tokenPattern,
  withDatabase,
  type App,
  type HttpAnswer,
  type ManifestRoute,
} from "../security-support";
import { budget, publishRfq, RFQ_TIME_ZONE, runTag, saveOffer, signInDemo, URLS } from "../support";

/*
 * Issue 8, the sealed-offer leak probe, generated from the route manifests. Before a sealed RFQ's
 * deadline, every GET route of the buyer, seller and operator apps (pages, resource routes: files,
 * CSV/PDF/JSON exports, the live event streams) that this RFQ's ids, its offers' ids or its files'
 * ids fill in (the RFQ's pages also as `.data` and `?_data=` requests), and every page without an
 * id asked to search for a secret price, is requested by everyone who is not the offering seller:
 * each role of the buyer, the competing sellers (Sud for Rif's offer and the other way round, and
 * Kasbah, which did not offer) and the marketplace's operators ("no one but the offering seller",
 * DESIGN.md invariant 2). None may hold an offer's unit price, line total or total (in any
 * notation) or its notes. Then Rif revises its offer and everything is asked again. Rif's own pages
 * do show its prices through the same scan (it is not blind). specs/rfq-sealing.spec.ts complements
 * this one with a list written by hand, seller names and files, e-mails, and the reveal after the
 * deadline.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

const NOBODY = "00000000-0000-4000-8000-000000000000";

interface Secret {
  label: string;
  pattern: RegExp;
}

interface OfferPlan {
  seller: string;
  lines: { price: string; quantity: number }[];
  notes: string;
}

function minor(decimal: string): bigint {
  const [integer, cents = ""] = decimal.split(".");
  return BigInt(`${integer}${cents.padEnd(2, "0")}`);
}

/** An offer's prices, line totals and total in every notation, and its notes. */
function secretsOf(offer: OfferPlan, revision: number): Secret[] {
  const secrets: Secret[] = [];
  const add = (label: string, amount: bigint) => {
    for (const form of amountNotations(amount)) secrets.push({ label: `${offer.seller}'s ${label} (revision ${revision}) written ${form}`, pattern: tokenPattern(form) });
  };
  let total = 0n;
  for (const [i, line] of offer.lines.entries()) {
    const unit = minor(line.price);
    add(`unit price of line ${i + 1}`, unit);
    add(`total of line ${i + 1}`, unit * BigInt(line.quantity));
    total += unit * BigInt(line.quantity);
  }
  add("total", total);
  secrets.push({ label: `${offer.seller}'s notes`, pattern: tokenPattern(offer.notes.split(" ")[0]!) });
  return secrets;
}

interface Viewer {
  who: string;
  app: App;
  email: string;
  /** Whose secrets this viewer must never see. */
  of: ("Rif" | "Sud")[];
  cookie?: string;
}

/** The URLs of a route for these ids (every combination), or none when the route takes another kind of id (it cannot concern this RFQ). */
function pathsOf(route: ManifestRoute, ids: Record<string, string[]>): string[] {
  if (route.loader === null || route.params.includes("*")) return [];
  let combos: Record<string, string>[] = [{}];
  for (const param of route.params) {
    const values = ids[param];
    if (!values) return [];
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [param]: v })));
  }
  return combos.map((c) => fillPath(route.path, c));
}

test("before a sealed RFQ's deadline, no response of any app tells anyone but the offering seller of an offer, before or after a revision", async ({ browser }) => {
  test.setTimeout(budget(150_000));
  const run = runTag();
  const title = `Sealed manifest probe ${run}`;
  // Long prices found nowhere else, quantities that give long totals.
  const rif: OfferPlan = { seller: "Rif", lines: [{ price: "73519.86", quantity: 3 }, { price: "48207.13", quantity: 7 }], notes: `RIFSEALED${run} two drops` };
  const rifRevised: OfferPlan = { ...rif, lines: [{ price: "61938.47", quantity: 3 }, { price: "48207.13", quantity: 7 }] };
  const sud: OfferPlan = { seller: "Sud", lines: [{ price: "58372.91", quantity: 3 }, { price: "39164.58", quantity: 7 }], notes: `SUDSEALED${run} within the week` };

  // ——— A sealed RFQ of Atlas with a file; Rif (with a file of its own) and Sud offer on it.
  const buyerContext = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const buyerPage = await buyerContext.newPage();
  await signInDemo(buyerPage, "buyer", "purchaser@atlas.test");
  const rfq = await publishRfq(buyerPage, {
    title,
    description: `Sealed probe ${run}.`,
    category: "Boxes and cartons",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    lines: [
      { description: `Sealed carton ${run}`, quantity: 3, unit: "piece" },
      { description: `Sealed archive box ${run}`, quantity: 7, unit: "box" },
    ],
    secondsAhead: 3600,
  });
  const formPage = await buyerContext.newPage();
  const cookies = new Map<string, string>();
  const cookie = async (app: App, email: string) => {
    const key = `${app} ${email}`;
    if (!cookies.has(key)) cookies.set(key, await signIn(app, email));
    return cookies.get(key)!;
  };
  await submitOwnForm(formPage, "buyer", await cookie("buyer", "purchaser@atlas.test"), `/rfqs/${rfq.id}/attachments`, "upload");

  const sellerContext = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const rifPage = await sellerContext.newPage();
  await signInDemo(rifPage, "seller", "sales@rif.test");
  await rifPage.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await saveOffer(rifPage, { lines: rif.lines, leadTimeDays: 11, notes: rif.notes });
  await submitOwnForm(formPage, "seller", await cookie("seller", "sales@rif.test"), `/rfqs/${rfq.id}/offer-attachments`, "upload");
  const sudContext = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const sudPage = await sudContext.newPage();
  await signInDemo(sudPage, "seller", "sales@sud.test");
  await sudPage.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await saveOffer(sudPage, { lines: sud.lines, leadTimeDays: 6, notes: sud.notes });

  const ids = await withDatabase(async (db) => {
    const offers = await db.query<{ id: string }>("select id from offers where rfq_id = $1", [rfq.id]);
    const files = await db.query<{ id: string; original_name: string }>("select id, original_name from offer_attachments where rfq_id = $1 union all select id, original_name from rfq_attachments where rfq_id = $1", [rfq.id]);
    return {
      rfqId: [rfq.id],
      offerId: [...offers.rows.map((r) => r.id), NOBODY],
      attachmentId: [...files.rows.map((r) => r.id), NOBODY],
      } satisfies Record<string, string[]>;
  });
  expect(ids.offerId.length, "two offers and a made-up id").toBe(3);
  expect(ids.attachmentId.length, "the RFQ's file, Rif's file and a made-up id").toBe(3);

  const viewers: Viewer[] = [
    // Every role of the buyer (each sees other pages: approvals, budgets, members, ...).
    ...["admin", "purchaser", "approver", "viewer"].map((role) => ({ who: `Atlas ${role}`, app: "buyer" as const, email: `${role}@atlas.test`, of: ["Rif", "Sud"] as ("Rif" | "Sud")[] })),
    // The competitors (owners see the money pages too), and a seller of the category that did not offer.
    { who: "Sud owner", app: "seller", email: "owner@sud.test", of: ["Rif"] },
    { who: "Sud sales", app: "seller", email: "sales@sud.test", of: ["Rif"] },
    { who: "Rif owner", app: "seller", email: "owner@rif.test", of: ["Sud"] },
    { who: "Kasbah sales", app: "seller", email: "sales@kasbah.test", of: ["Rif", "Sud"] },
    // The marketplace's staff: invariant 2 says no one (the admin reads what finance does; the moderator, threads).
    { who: "operator admin", app: "operator", email: "ops.admin@souk.test", of: ["Rif", "Sud"] },
    { who: "operator moderator", app: "operator", email: "ops.moderator@souk.test", of: ["Rif", "Sud"] },
  ];
  await pool(viewers, 3, async (v) => {
    v.cookie = await cookie(v.app, v.email);
  });

  // Every GET the apps offer that concerns this RFQ, or none in particular; the RFQ's pages also as
  // single-fetch data (a page's HTML carries its loaders' data already, so the others are asked once);
  // every page searched for a secret price and for Rif's notes (pages without a search ignore `q`).
  const requestsFor = (searches: string[]) => {
    const requests = new Map<App, string[]>();
    for (const app of APPS) {
      const paths: string[] = [];
      for (const route of manifest(app)) {
        for (const path of pathsOf(route, ids)) {
          paths.push(path);
          // The RFQ's pages' data both ways: single fetch, and the pre-single-fetch `?_data=` (which must say no more).
          if (route.page && route.params.length > 0) paths.push(dataUrl(path), `${path}?_data=${encodeURIComponent(route.id)}`);
          if (route.page && route.params.length === 0) for (const q of searches) paths.push(`${path}?q=${encodeURIComponent(q)}`);
        }
      }
      // Another seller's receipt sequence asked of the RFQ page (receipts 1 and 2 are Rif's and Sud's).
      if (app === "seller") for (const n of [1, 2, 3]) paths.push(`/rfqs/${rfq.id}?receipt=${n}`);
      requests.set(app, paths);
    }
    return requests;
  };

  const probe = async (round: string, requests: Map<App, string[]>, secrets: Record<"Rif" | "Sud", Secret[]>) => {
    const leaks: string[] = [];
    let count = 0;
    const statuses = new Map<string, number>();
    await pool(
      viewers.flatMap((v) => requests.get(v.app)!.map((path) => ({ v, path }))),
      4,
      async ({ v, path }) => {
        const answer: HttpAnswer = await http(v.app, path, { cookie: v.cookie, streamMs: 2_000 });
        count += 1;
        statuses.set(`${v.who} ${path}`, answer.status);
        if (answer.location?.startsWith("/sign-in")) leaks.push(`${v.who}: ${path} → signed out (the probe lost its session)`);
        // What the request itself carries (a search box shows its query again) is not a leak.
        const query = new URL(path, URLS[v.app]).searchParams.get("q");
        let body = normalise(`${[...answer.headers.entries()].join("\n")}\n${answer.text}`);
        if (query) body = body.split(query).join(" ").split(encodeURIComponent(query)).join(" ");
        for (const seller of v.of) for (const secret of secrets[seller]) if (secret.pattern.test(body)) leaks.push(`${round}: ${v.who} GET ${path} → ${answer.status} holds ${secret.label}`);
      },
    );
    return { leaks, count, statuses };
  };

  const requests = requestsFor([amountNotations(minor(rif.lines[0]!.price))[0]!, rif.notes.split(" ")[0]!]);
  const first = await probe("after the offers", requests, { Rif: secretsOf(rif, 1), Sud: secretsOf(sud, 1) });
  // The RFQ pages answered (no blanket refusal that would make the scan pointless).
  expect(first.statuses.get(`Atlas purchaser /rfqs/${rfq.id}`)).toBe(200);
  expect(first.statuses.get(`Sud sales /rfqs/${rfq.id}`)).toBe(200);
  expect(first.statuses.get(`Kasbah sales /rfqs/${rfq.id}/events`)).toBe(200);

  // Rif revises its price; everything again with both revisions' secrets, the pages searched for the new price.
  await rifPage.reload();
  await saveOffer(rifPage, { lines: rifRevised.lines, leadTimeDays: 10 });
  const second = await probe("after Rif's revision", requestsFor([amountNotations(minor(rifRevised.lines[0]!.price))[0]!]), { Rif: [...secretsOf(rif, 1), ...secretsOf(rifRevised, 2)], Sud: secretsOf(sud, 1) });

  // The offering seller does see its own prices through the same scan: the probe could have failed.
  const own = await http("seller", `/rfqs/${rfq.id}`, { cookie: await cookie("seller", "sales@rif.test") });
  expect(secretsOf(rifRevised, 2).filter((s) => s.pattern.test(normalise(own.text))).length, "Rif sees its own revised prices").toBeGreaterThan(0);
  const ownReceipts = await http("seller", `/rfqs/${rfq.id}/receipts.json`, { cookie: await cookie("seller", "sales@rif.test") });
  expect(secretsOf(rif, 1).filter((s) => s.pattern.test(normalise(ownReceipts.text))).length, "Rif's receipts hold its first prices").toBeGreaterThan(0);

  expect(Date.now(), "every probe ran before the deadline").toBeLessThan(rfq.deadline.getTime());
  test.info().annotations.push({ type: "probes", description: `${first.count} + ${second.count} responses scanned (${[...requests].map(([app, p]) => `${app}: ${p.length} URLs`).join(", ")} in the first round; ${viewers.length} viewers)` });
  console.log(`sealed probe: ${first.count} + ${second.count} responses scanned`);
  expect([...first.leaks, ...second.leaks]).toEqual([]);
  await Promise.all([buyerContext.close(), sellerContext.close(), sudContext.close()]);
});
