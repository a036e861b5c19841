/** The search settings, parsed from the environment a deployable hands over (packages never read process.env). */
export interface SearchEnv {
  meiliUrl: string | null;
  meiliAdminKey: string | null;
  meiliSearchKey: string | null;
  meiliIndexUid: string | null;
}

export function readSearchEnv(env: Readonly<Record<string, string | undefined>>): SearchEnv {
  const blank = (v: string | undefined) => (v && v.trim() !== "" ? v.trim() : null);
  return {
    meiliUrl: blank(env.MEILI_URL),
    meiliAdminKey: blank(env.MEILI_ADMIN_KEY) ?? blank(env.MEILI_MASTER_KEY),
    meiliSearchKey: blank(env.MEILI_SEARCH_KEY),
    meiliIndexUid: blank(env.MEILI_INDEX),
  };
}
