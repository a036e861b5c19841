import { type Kysely, sql } from "kysely";

/**
 * Seller vetting: the application a seller fills in, its documents, the history of moves
 * (submissions and operator decisions), and the B2B category tree sellers say they serve (the
 * catalogue issue builds listings on the same tree).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organizations drop constraint organizations_status_check`.execute(db);
  await sql`alter table organizations add constraint organizations_status_check
    check (status in ('pending', 'info_requested', 'active', 'suspended', 'rejected'))`.execute(db);

  await sql`
    create table categories (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references categories(id) on delete restrict,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_en text not null,
      name_fr text not null,
      position integer not null default 0
    )`.execute(db);
  await sql`create index categories_parent_idx on categories (parent_id, position)`.execute(db);

  const tree: [string, string, string, [string, string, string][]][] = [
    ["office", "Office supplies", "Fournitures de bureau", [["office-paper", "Paper and printing", "Papier et impression"], ["office-furniture", "Office furniture", "Mobilier de bureau"]]],
    ["packaging", "Packaging", "Emballage", [["packaging-boxes", "Boxes and cartons", "Boîtes et cartons"], ["packaging-film", "Films and wraps", "Films et sacs"]]],
    ["tools", "Tools and hardware", "Outillage et quincaillerie", [["tools-hand", "Hand tools", "Outillage à main"], ["tools-power", "Power tools", "Outillage électroportatif"], ["tools-fasteners", "Fasteners", "Visserie et fixations"]]],
    ["safety", "Safety and PPE", "Sécurité et EPI", [["safety-gloves", "Gloves", "Gants"], ["safety-workwear", "Workwear", "Vêtements de travail"]]],
    ["electrical", "Electrical", "Matériel électrique", [["electrical-cables", "Cables", "Câbles"], ["electrical-lighting", "Lighting", "Éclairage"]]],
    ["cleaning", "Cleaning and hygiene", "Nettoyage et hygiène", [["cleaning-chemicals", "Cleaning products", "Produits d'entretien"], ["cleaning-paper", "Hygiene paper", "Papier d'hygiène"]]],
    ["food-service", "Food service", "Restauration", [["food-service-tableware", "Tableware", "Arts de la table"], ["food-service-disposables", "Disposables", "Jetables"]]],
    ["industrial", "Industrial supplies", "Fournitures industrielles", [["industrial-bearings", "Bearings and transmission", "Roulements et transmission"], ["industrial-pneumatics", "Pneumatics", "Pneumatique"]]],
    ["it", "IT and electronics", "Informatique et électronique", [["it-hardware", "Computers and peripherals", "Ordinateurs et périphériques"], ["it-networking", "Networking", "Réseau"]]],
    ["textiles", "Textiles", "Textiles", [["textiles-linen", "Hotel linen", "Linge d'hôtellerie"], ["textiles-fabric", "Fabrics", "Tissus"]]],
  ];
  let position = 0;
  for (const [slug, en, fr, children] of tree) {
    const parent = await db
      .insertInto("categories")
      .values({ slug, name_en: en, name_fr: fr, position: position++ })
      .returning("id")
      .executeTakeFirstOrThrow();
    let childPosition = 0;
    for (const [childSlug, childEn, childFr] of children) {
      await db
        .insertInto("categories")
        .values({ slug: childSlug, name_en: childEn, name_fr: childFr, parent_id: parent.id, position: childPosition++ })
        .execute();
    }
  }

  await sql`
    create table seller_applications (
      organization_id uuid primary key references organizations(id) on delete cascade,
      legal_name text not null default '',
      trading_name text not null default '',
      country text not null default '' check (country = '' or country ~ '^[A-Z]{2}$'),
      company_number text not null default '',
      address_line1 text not null default '',
      address_line2 text not null default '',
      postal_code text not null default '',
      city text not null default '',
      contact_name text not null default '',
      contact_email citext not null default '',
      contact_phone text not null default '',
      description text not null default '' check (length(description) <= 2000),
      submitted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index seller_applications_submitted_idx on seller_applications (submitted_at) where submitted_at is not null`.execute(db);
  await sql`create index seller_applications_country_idx on seller_applications (country)`.execute(db);

  await sql`
    create table seller_application_categories (
      organization_id uuid not null references seller_applications(organization_id) on delete cascade,
      category_id uuid not null references categories(id) on delete restrict,
      primary key (organization_id, category_id)
    )`.execute(db);
  await sql`create index seller_application_categories_category_idx on seller_application_categories (category_id)`.execute(db);

  await sql`
    create table seller_documents (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      original_name text not null check (length(original_name) between 1 and 255),
      content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      storage_key text not null unique,
      uploaded_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index seller_documents_org_idx on seller_documents (organization_id, created_at)`.execute(db);

  await sql`
    create table seller_decisions (
      id bigint generated always as identity primary key,
      organization_id uuid not null references organizations(id) on delete cascade,
      move text not null check (move in ('submit', 'resubmit', 'approve', 'reject', 'request_info', 'suspend', 'reinstate')),
      from_status text not null,
      to_status text not null,
      message text,
      actor_user_id uuid references users(id) on delete set null,
      actor_organization_id uuid references organizations(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index seller_decisions_org_idx on seller_decisions (organization_id, id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["seller_decisions", "seller_documents", "seller_application_categories", "seller_applications", "categories"]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`update organizations set status = 'pending' where status = 'info_requested'`.execute(db);
  await sql`alter table organizations drop constraint organizations_status_check`.execute(db);
  await sql`alter table organizations add constraint organizations_status_check
    check (status in ('pending', 'active', 'suspended', 'rejected'))`.execute(db);
}
