import { createServiceDeps } from "../deps";
import { seedDemo, type DemoLogin } from "./demo-seed";
import { cliServiceConfig, describeError } from "./env";

/** `pnpm db:seed`: the demo organisations and users, then a table of their logins. Safe to re-run. */

function table(logins: DemoLogin[]): string {
  const header = { email: "E-mail", password: "Password", appUrl: "App", organization: "Organisation", role: "Role" };
  const rows = [header, ...logins];
  const columns = ["email", "password", "appUrl", "organization", "role"] as const;
  const widths = columns.map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: (typeof rows)[number]) => columns.map((c, i) => r[c].padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...logins.map(line)].join("\n");
}

const deps = createServiceDeps(cliServiceConfig("souk-seed"));
try {
  const logins = await seedDemo(deps);
  console.log(`Demo data is in place. Every demo account uses the password ${logins[0]?.password ?? ""}.\n`);
  console.log(table(logins));
  console.log("\nadmin@atlas.test is also admin of both Atlas branches (switch organisation in the buyer app).");
  console.log("Sahel Outillage has applied and waits in the operator's review queue (Sellers); Médina, Rif, Kasbah and Sud were approved.");
  console.log("Médina and Rif publish a demo catalogue: Atlas Industrie buys Médina's paper at its contract prices, and each");
  console.log("seller shows a few listings only to its customer group (Boréal Hôtels for Médina, Atlas Industrie for Rif).");
  console.log("Requests for quotes: Atlas has a sealed RFQ and an open-bidding one running, and an award waiting for approver@atlas.test;");
  console.log("Boréal has one closed (compare the offers) and one awarded to Médina and Sud (see their Orders).");
  console.log("Orders and money: catalogue purchases of Atlas and Boréal left in every state (placed, accepted, rejected, shipped,");
  console.log("delivered, settled, cancelled, a cancellation request, a dispute open and one refunded in part), commission rules set by");
  console.log("ops.finance@souk.test, a purchase waiting for approver@atlas.test, a cart for purchaser@atlas.test, a requisition list");
  console.log("per buyer, and a payout run: Médina's payout paid, Rif's pending. The delivered order settles once the worker runs.");
  console.log("Negotiation: Boréal countered its closed RFQ (Sud revised its price; Rif has a counter-proposal to answer), budgets for");
  console.log("Atlas (approval above them) and Boréal (refused above), a second approval level at Atlas above €50,000, and message");
  console.log("threads (Rif has unread messages; the disputed order's thread is readable by ops.moderator@souk.test).");
} catch (error) {
  console.error(`Seeding failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await deps.close();
}
