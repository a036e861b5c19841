import type { MessageKey, NavItem } from "@souk/ui";

/** What makes this app the operator console: its name, port and navigation; no public sign-up. */
export const APP = "operator" as const;
export const DEFAULT_PORT = 3003;

export const NAVIGATION: readonly NavItem[] = [
  { to: "/", label: "nav.dashboard", end: true },
  { to: "/sellers", label: "review.nav", permission: "review:sellers:any" },
  { to: "/listings", label: "operatorCatalogue.nav.listings", permission: "moderate:listings:any" },
  { to: "/search", label: "operatorCatalogue.nav.search", permission: "manage:search:any" },
  { to: "/rfqs", label: "rfqOperator.nav", permission: "read:rfqs:any" },
  { to: "/disputes", label: "disputes.nav", permission: "resolve:disputes:any" },
  { to: "/conversations", label: "conversationsNav.moderation", permission: "read:conversations:any" },
  { to: "/commission", label: "moneyNav.commission", permission: "manage:commission:any" },
  { to: "/ledger", label: "moneyNav.ledger", permission: "read:ledger:any" },
  { to: "/payouts", label: "moneyNav.payouts", permission: "run:settlement:any" },
  { to: "/jobs", label: "jobs.nav", permission: "manage:jobs:any" },
  { to: "/audit", label: "audit.nav", permission: "read:audit:any" },
  { to: "/members", label: "nav.members" },
  { to: "/account", label: "nav.account" },
];

/** No public sign-up: operators come from the CLI or an invitation. */
export const PUBLIC_LINKS: readonly NavItem[] = [{ to: "/sign-in", label: "shell.signIn" }];

/** The sign-in page's link for newcomers (none where accounts only come by invitation). */
export const SIGN_UP_LINK: { to: string; label: MessageKey } | null = null;
