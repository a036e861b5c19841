import { sql } from "kysely";
import { z } from "zod";
import type { Db, SellerApplication } from "@souk/db";
import {
  can,
  conflict,
  forbidden,
  isSupportedCountry,
  notFound,
  validateCompanyNumber,
  validationError,
  type Actor,
  type FieldErrors,
  type OrganizationStatus,
  type Permission,
} from "@souk/domain";
import { fieldErrorsOf } from "../input";

/**
 * Helpers shared by the seller-side use cases of this folder (the seller's own application and
 * documents). Not exported from the package: apps go through the use cases.
 */

/** The seller's reads and writes happen in a seller organisation, whatever else the actor holds. */
export function assertSellerCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "seller" || !can(actor.organizationKind, actor.role, permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
}

/** The application can change while it is a draft (pending, never submitted) or after the operator asked for more. */
export function isEditable(status: OrganizationStatus, submittedAt: Date | null): boolean {
  return status === "info_requested" || (status === "pending" && submittedAt === null);
}

export function applicationLocked() {
  return conflict("application.locked", { _form: ["application.locked"] });
}

export interface LockedSeller {
  id: string;
  name: string;
  status: OrganizationStatus;
  application: SellerApplication | undefined;
}

/**
 * The start of every change a seller makes to its application: locks its organisation row (the
 * row an operator's decision locks too, so an edit and a decision never interleave), re-checks
 * under that lock that the actor still holds the permission (the actor was read when the request
 * started), and reads the application as it is now.
 */
export async function lockSellerForChange(db: Db, actor: Actor): Promise<LockedSeller> {
  assertSellerCan(actor, "manage:application:org");
  const organization = await db
    .selectFrom("organizations")
    .select(["id", "name", "status"])
    .where("id", "=", actor.organizationId)
    .where("kind", "=", "seller")
    .forUpdate()
    .executeTakeFirst();
  if (!organization) throw notFound("Organisation");
  const membership = await db
    .selectFrom("memberships")
    .select("role")
    .where("organization_id", "=", actor.organizationId)
    .where("user_id", "=", actor.userId)
    .executeTakeFirst();
  if (!membership || !can("seller", membership.role, "manage:application:org")) throw forbidden("Missing permission manage:application:org");
  const application = await db.selectFrom("seller_applications").selectAll().where("organization_id", "=", actor.organizationId).executeTakeFirst();
  return { ...organization, application };
}

/** As lockSellerForChange, and refuses (CONFLICT application.locked) unless the application is editable. */
export async function lockEditableApplication(db: Db, actor: Actor): Promise<LockedSeller> {
  const seller = await lockSellerForChange(db, actor);
  if (!isEditable(seller.status, seller.application?.submitted_at ?? null)) throw applicationLocked();
  return seller;
}

// ---------------------------------------------------------------------------------------------
// The application's fields. A draft may have any field empty but what is filled in must be well
// formed; a submission needs every required field and at least one category.

interface TextSpec {
  max: number;
  /** Message key when a required field is empty; absent for optional fields. */
  required?: string;
  tooLong: string;
  /** Message key for a value of the wrong shape (e-mail, phone). */
  invalid?: string;
  check?: (value: string) => boolean;
  /** Multi-line text: line breaks are kept (and counted once, whatever the browser sent). */
  multiline?: boolean;
}

const PHONE = /^\+?[0-9 ().\-/]{6,40}$/;
const isPhone = (value: string) => PHONE.test(value) && (value.match(/\d/g)?.length ?? 0) >= 6;
const isEmail = (value: string) => z.email().safeParse(value).success;

export const APPLICATION_TEXT_FIELDS = {
  legalName: { max: 200, required: "application.legal_name.required", tooLong: "application.legal_name.too_long" },
  tradingName: { max: 200, tooLong: "application.trading_name.too_long" },
  addressLine1: { max: 200, required: "application.address.required", tooLong: "application.address.too_long" },
  addressLine2: { max: 200, tooLong: "application.address.too_long" },
  postalCode: { max: 20, required: "application.postal_code.required", tooLong: "application.postal_code.too_long" },
  city: { max: 100, required: "application.city.required", tooLong: "application.city.too_long" },
  contactName: { max: 200, required: "application.contact_name.required", tooLong: "application.contact_name.too_long" },
  contactEmail: { max: 254, required: "application.contact_email.required", tooLong: "application.contact_email.too_long", invalid: "application.contact_email.invalid", check: isEmail },
  contactPhone: { max: 40, required: "application.contact_phone.required", tooLong: "application.contact_phone.too_long", invalid: "application.contact_phone.invalid", check: isPhone },
  description: { max: 2000, required: "application.description.required", tooLong: "application.description.too_long", multiline: true },
} satisfies Record<string, TextSpec>;

type TextFieldName = keyof typeof APPLICATION_TEXT_FIELDS;

export const DESCRIPTION_MAX = APPLICATION_TEXT_FIELDS.description.max;
/** Raw input for the company number, before normalisation (people type spaces and dots). */
const COMPANY_NUMBER_INPUT_MAX = 60;
/** More than every category there is; a bound on the input, not a business rule. */
export const MAX_CATEGORIES = 100;

const blankIfMissing = (value: unknown) => (value === undefined || value === null ? "" : value);

function textField(spec: TextSpec, mode: Mode) {
  let field = z.string({ error: spec.invalid ?? spec.required ?? spec.tooLong }).transform((v) => (spec.multiline ? v.replace(/\r\n?/g, "\n").trim() : v.trim().replace(/\s+/g, " ")));
  if (mode === "submission" && spec.required) {
    const required = spec.required;
    field = field.refine((v) => v !== "", { error: required, abort: true });
  }
  const max = spec.max;
  field = field.refine((v) => v.length <= max, { error: spec.tooLong, abort: true });
  const { check, invalid } = spec;
  if (check && invalid) field = field.refine((v) => v === "" || check(v), { error: invalid });
  return z.preprocess(blankIfMissing, field);
}

/** Checkbox values: one string, several, or none. Unknown ids are caught against the table. */
function categoryIdsField(mode: Mode) {
  return z.preprocess(
    (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.string({ error: "category.invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "category.invalid" })), { error: "category.invalid" })
      .max(MAX_CATEGORIES, { error: "category.too_many" })
      .transform((ids) => [...new Set(ids)])
      .refine((ids) => mode === "draft" || ids.length > 0, { error: "category.required" }),
  );
}

type Mode = "draft" | "submission";

function applicationSchema(mode: Mode) {
  const texts = Object.fromEntries(Object.entries(APPLICATION_TEXT_FIELDS).map(([name, spec]) => [name, textField(spec, mode)])) as {
    [K in TextFieldName]: ReturnType<typeof textField>;
  };
  const country = z.preprocess(
    blankIfMissing,
    z
      .string({ error: "application.country.invalid" })
      .trim()
      .toUpperCase()
      .refine((v) => (mode === "submission" ? v !== "" : true), { error: "application.country.required", abort: true })
      .refine((v) => v === "" || isSupportedCountry(v), { error: "application.country.invalid" }),
  );
  const companyNumber = z.preprocess(
    blankIfMissing,
    z
      .string({ error: "company.number.invalid" })
      .trim()
      .refine((v) => (mode === "submission" ? v !== "" : true), { error: "company.number.required", abort: true })
      .refine((v) => v.length <= COMPANY_NUMBER_INPUT_MAX, { error: "company.number.too_long" }),
  );
  return z.object({ ...texts, country, companyNumber, categoryIds: categoryIdsField(mode) });
}

/** Every field of a draft may be empty; what is filled in is checked. */
export const sellerApplicationDraftSchema = applicationSchema("draft");
/** A submission needs every required field and at least one category. */
export const sellerApplicationSubmissionSchema = applicationSchema("submission");

/**
 * The application's fields from untrusted input, with the company number checked against the
 * country (EU and UK formats; free text elsewhere) and normalised. Every problem is reported at
 * once, the company number's included, so the seller fixes the form in one go.
 */
export function parseApplication(mode: Mode, input: unknown): ApplicationFields {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const result = (mode === "draft" ? sellerApplicationDraftSchema : sellerApplicationSubmissionSchema).safeParse(raw);
  const fieldErrors: FieldErrors = {};
  // "categoryIds.3" is a problem of the categories field as the form shows it.
  for (const [path, keys] of Object.entries(result.success ? {} : fieldErrorsOf(result.error))) {
    const field = path.split(".")[0] ?? path;
    fieldErrors[field] = [...new Set([...(fieldErrors[field] ?? []), ...keys])];
  }

  // The number's format depends on the country: checked when both are otherwise well formed.
  const country = typeof raw.country === "string" ? raw.country.trim().toUpperCase() : "";
  const number = typeof raw.companyNumber === "string" ? raw.companyNumber.trim() : "";
  let normalised = number;
  if (number !== "" && !fieldErrors.companyNumber) {
    if (country === "") {
      if (!fieldErrors.country) fieldErrors.companyNumber = ["company.number.country_first"];
    } else if (!fieldErrors.country) {
      normalised = validateCompanyNumber(country, number) ?? "";
      if (normalised === "") fieldErrors.companyNumber = ["company.number.invalid"];
    }
  }
  if (!result.success || Object.keys(fieldErrors).length > 0) throw validationError(fieldErrors);
  return { ...result.data, companyNumber: normalised };
}

export type ApplicationFields = z.output<typeof sellerApplicationDraftSchema>;
export type SellerApplicationInput = z.input<typeof sellerApplicationDraftSchema>;

/** The stored application in the shape of the form's fields (an empty one when none is stored). */
export function fieldsOf(row: SellerApplication | undefined, categoryIds: string[]): ApplicationFields {
  return {
    legalName: row?.legal_name ?? "",
    tradingName: row?.trading_name ?? "",
    country: row?.country ?? "",
    companyNumber: row?.company_number ?? "",
    addressLine1: row?.address_line1 ?? "",
    addressLine2: row?.address_line2 ?? "",
    postalCode: row?.postal_code ?? "",
    city: row?.city ?? "",
    contactName: row?.contact_name ?? "",
    contactEmail: row?.contact_email ?? "",
    contactPhone: row?.contact_phone ?? "",
    description: row?.description ?? "",
    categoryIds,
  };
}

export async function categoryIdsOf(db: Db, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("seller_application_categories as sac")
    .innerJoin("categories as c", "c.id", "sac.category_id")
    .select("c.id")
    .where("sac.organization_id", "=", organizationId)
    .orderBy("c.position")
    .orderBy("c.slug")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Writes the draft (inserting the row the first time) and replaces its categories. Every category
 * id must exist, or the whole change is refused with `category.invalid`.
 */
export async function writeApplication(db: Db, organizationId: string, fields: ApplicationFields): Promise<void> {
  if (fields.categoryIds.length > 0) {
    const known = await db.selectFrom("categories").select("id").where("id", "in", fields.categoryIds).execute();
    if (known.length !== fields.categoryIds.length) throw validationError({ categoryIds: ["category.invalid"] });
  }
  const values = {
    legal_name: fields.legalName,
    trading_name: fields.tradingName,
    country: fields.country,
    company_number: fields.companyNumber,
    address_line1: fields.addressLine1,
    address_line2: fields.addressLine2,
    postal_code: fields.postalCode,
    city: fields.city,
    contact_name: fields.contactName,
    contact_email: fields.contactEmail,
    contact_phone: fields.contactPhone,
    description: fields.description,
  };
  await db
    .insertInto("seller_applications")
    .values({ organization_id: organizationId, ...values, updated_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column("organization_id").doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();
  await db.deleteFrom("seller_application_categories").where("organization_id", "=", organizationId).execute();
  if (fields.categoryIds.length > 0) {
    await db
      .insertInto("seller_application_categories")
      .values(fields.categoryIds.map((categoryId) => ({ organization_id: organizationId, category_id: categoryId })))
      .execute();
  }
}

