import { z } from "zod";
import { sql } from "kysely";
import type { Db, DeliveryAddress } from "@souk/db";
import { emptyToUndefined } from "../input";

/**
 * The buyer organisation's address book: where purchases are delivered. Every member reads it (the
 * purchase pages show the address); admins and purchasers (create:order:org) keep it. One address
 * may be the default, which the checkout preselects; the first address is the default.
 */

export interface AddressView {
  id: string;
  label: string;
  recipient: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
  isDefault: boolean;
}

export interface AddressBookView {
  items: AddressView[];
  /** The actor may add, change and delete addresses. */
  canManage: boolean;
  max: number;
}

function text(key: string, max: number, required = true) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v),
    required
      ? z.string({ error: `address.${key}_invalid` }).min(1, { error: `address.${key}_required`, abort: true }).max(max, { error: `address.${key}_too_long` })
      : z.string({ error: `address.${key}_invalid` }).max(max, { error: `address.${key}_too_long` }),
  );
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** An ISO 3166-1 alpha-2 country code that the platform's ICU knows ("FR", "ma" → "MA"). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = regionNames.of(code);
  return name !== undefined && name !== code && name !== "Unknown Region";
}

export const saveAddressSchema = z.object({
  addressId: z.unknown().optional(),
  label: text("label", 100),
  recipient: text("recipient", 200),
  line1: text("line1", 200),
  line2: text("line2", 200, false),
  postalCode: text("postal_code", 20),
  city: text("city", 100),
  country: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v === undefined || v === null ? "" : v),
    z.string({ error: "address.country_invalid" }).min(1, { error: "address.country_required", abort: true }).refine(isCountryCode, { error: "address.country_invalid" }),
  ),
  makeDefault: z.preprocess((v) => emptyToUndefined(v) !== undefined && v !== "false" && v !== false, z.boolean()),
});
export type SaveAddressInput = z.input<typeof saveAddressSchema>;

export const addressIdSchema = z.object({ addressId: z.unknown() });

export const ADDRESS_COLUMNS = ["id", "label", "recipient", "line1", "line2", "postal_code", "city", "country", "is_default"] as const;

type AddressRow = { id: string; label: string; recipient: string; line1: string; line2: string; postal_code: string; city: string; country: string; is_default: boolean };

export function addressViewOf(r: AddressRow): AddressView {
  return { id: r.id, label: r.label, recipient: r.recipient, line1: r.line1, line2: r.line2, postalCode: r.postal_code, city: r.city, country: r.country, isDefault: r.is_default };
}

/** The address as copied onto a purchase and its orders: later edits of the book do not change them. */
export function deliveryAddressOf(a: AddressView): DeliveryAddress {
  return { label: a.label, recipient: a.recipient, line1: a.line1, line2: a.line2, postalCode: a.postalCode, city: a.city, country: a.country };
}

/** One address of `organizationId`, or null (another organisation's is no address of ours). */
export async function addressOf(db: Db, organizationId: string, addressId: string, lock = false): Promise<AddressView | null> {
  let query = db.selectFrom("organization_addresses").select(ADDRESS_COLUMNS).where("id", "=", addressId).where("organization_id", "=", organizationId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? addressViewOf(row) : null;
}

/** Locks the organisation's addresses, so that changes of the default run one after the other. */
export async function lockBook(trx: Db, organizationId: string): Promise<{ id: string; is_default: boolean }[]> {
  return trx.selectFrom("organization_addresses").select(["id", "is_default"]).where("organization_id", "=", organizationId).orderBy("id").forUpdate().execute();
}

export async function setDefault(trx: Db, organizationId: string, addressId: string): Promise<void> {
  // Two statements: the partial unique index (one default per organisation) is checked row by row.
  await trx.updateTable("organization_addresses").set({ is_default: false }).where("organization_id", "=", organizationId).where("is_default", "=", true).where("id", "<>", addressId).execute();
  await trx.updateTable("organization_addresses").set({ is_default: true, updated_at: sql<Date>`now()` }).where("organization_id", "=", organizationId).where("id", "=", addressId).execute();
}

