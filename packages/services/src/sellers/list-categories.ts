import { z } from "zod";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";

export const listCategoriesSchema = z.object({});

export interface CategoryView {
  id: string;
  slug: string;
  /** Null for a top-level category. */
  parentId: string | null;
  nameEn: string;
  nameFr: string;
}

/**
 * The category tree, in tree order: each top-level category followed by its children, each level
 * by position. Public reference data: no actor needed.
 */
export async function listCategories(deps: ServiceDeps, input: unknown = {}): Promise<CategoryView[]> {
  parseInput(listCategoriesSchema, input);
  const rows = await deps.db
    .selectFrom("categories")
    .select(["id", "slug", "parent_id as parentId", "name_en as nameEn", "name_fr as nameFr", "position"])
    .orderBy("position")
    .orderBy("slug")
    .execute();
  const children = new Map<string | null, typeof rows>();
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);
  const ordered: CategoryView[] = [];
  const visit = (parentId: string | null, depth: number) => {
    // The migration's tree is two levels deep; the bound only guards against a cycle.
    if (depth > 10) return;
    for (const { position: _position, ...category } of children.get(parentId) ?? []) {
      ordered.push(category);
      visit(category.id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}
