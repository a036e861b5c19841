import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { listRfqInbox } from "./list-rfq-inbox";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller } from "./test-support";

// A database of its own: the inbox lists every RFQ the seller may see.
const { db } = await createTestDatabase();

describe("the seller's RFQ inbox", () => {
  test("the inbox: open RFQs not yet due, filters, sorts, pages, and the seller's own offer on each", async () => {
    const buyer = await buyerOrg(db, "Inbox Buyer Ltd");
    const s = await rfqSeller(db, { categorySlugs: ["packaging"] });
    const first = await insertRfq(db, buyer.id, { title: "Pallet wrap film", categorySlug: "packaging-film", deadlineInMs: 10 * 86_400_000 });
    const second = await insertRfq(db, buyer.id, { title: "Printed cartons", deadlineInMs: 3_600_000 });
    const third = await insertRfq(db, buyer.id, { title: "Plain cartons 50% recycled", visibility: "invited", invited: [s.id], deadlineInMs: 5 * 86_400_000 });
    await insertRfq(db, buyer.id, { title: "Due but not closed yet", deadlineInMs: -1 });
    await insertRfq(db, buyer.id, { title: "Closed cartons", status: "closed", deadlineInMs: -10_000 });
    // Published in this order: newest first is third, second, first.
    for (const [i, r] of [first, second, third].entries()) {
      await db.updateTable("rfqs").set({ published_at: new Date(Date.UTC(2030, 0, 1 + i)) }).where("id", "=", r.id).execute();
    }
    await saveOffer(s.sales, offerForm(second));

    const ids = async (input: Record<string, unknown>) => (await listRfqInbox(s.sales, input)).items.map((i) => i.id);
    expect(await ids({})).toEqual([third.id, second.id, first.id]);
    expect(await ids({ sort: "closing" })).toEqual([second.id, third.id, first.id]);
    expect(await ids({ invited: "1" })).toEqual([third.id]);
    expect(await ids({ closingSoon: "1" })).toEqual([second.id]);
    expect(await ids({ q: "cartons" })).toEqual([third.id, second.id]);
    expect(await ids({ q: "50%" })).toEqual([third.id]);
    expect(await ids({ q: `RFQ-${first.number.padStart(6, "0")}` })).toEqual([first.id]);
    const film = (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-film").executeTakeFirstOrThrow()).id;
    const packaging = (await db.selectFrom("categories").select("id").where("slug", "=", "packaging").executeTakeFirstOrThrow()).id;
    expect(await ids({ categoryId: film })).toEqual([first.id]);
    expect(await ids({ categoryId: packaging })).toEqual([third.id, second.id, first.id]);

    const page = await listRfqInbox(s.sales, {});
    expect(page).toMatchObject({ total: 3, page: 1, sellerActive: true, sort: "newest" });
    expect(page.items.find((i) => i.id === second.id)).toMatchObject({ myOffer: { status: "submitted", revision: 1 }, buyerName: "Inbox Buyer Ltd", lineCount: 2, invited: false });
    expect(page.items.find((i) => i.id === third.id)).toMatchObject({ myOffer: null, invited: true });
    expect((await listRfqInbox(s.sales, { page: "2" })).items).toEqual([]);

    const error = await domainErrorOf(listRfqInbox(s.sales, { sort: "price", page: "0", categoryId: "x", invited: "maybe" }));
    expect(error.fieldErrors).toEqual({
      sort: ["rfqInbox.filter.sort_invalid"],
      page: ["rfqInbox.filter.page_invalid"],
      categoryId: ["rfqInbox.filter.category_invalid"],
      invited: ["rfqInbox.filter.invited_invalid"],
    });
  });
});
