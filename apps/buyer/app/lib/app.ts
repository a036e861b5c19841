import type { MessageKey, NavItem } from "@souk/ui";

/** What makes this app the buyer app: its name, port, navigation and sign-up. */
export const APP = "buyer" as const;
export const DEFAULT_PORT = 3001;

export const NAVIGATION: readonly NavItem[] = [
  { to: "/", label: "nav.dashboard", end: true },
  { to: "/catalogue", label: "buyerCatalogue.nav", permission: "read:catalogue:org" },
  { to: "/quick-order", label: "purchasingNav.quickOrder", permission: "create:order:org" },
  { to: "/cart", label: "purchasingNav.cart", permission: "create:order:org" },
  { to: "/requisition-lists", label: "purchasingNav.requisitionLists", permission: "read:catalogue:org" },
  { to: "/rfqs", label: "rfqNav.rfqs", permission: "read:rfqs:org" },
  { to: "/approvals", label: "rfqNav.approvals", permission: "approve:purchase:org" },
  { to: "/purchases", label: "purchasingNav.purchases", permission: "read:orders:org" },
  { to: "/orders", label: "rfqNav.orders", permission: "read:orders:org" },
  { to: "/messages", label: "conversationsNav.messages", permission: "read:conversations:org", badge: "messages" },
  { to: "/balances", label: "moneyNav.balances", permission: "read:orders:org" },
  { to: "/approval-rules", label: "rfqNav.approvalRules", permission: "manage:approval-rules:org" },
  { to: "/budgets", label: "budgetsNav.budgets", permission: "manage:budgets:org" },
  { to: "/addresses", label: "purchasingNav.addresses", permission: "read:orders:org" },
  { to: "/members", label: "nav.members" },
  { to: "/account", label: "nav.account" },
];

export const PUBLIC_LINKS: readonly NavItem[] = [
  { to: "/sign-in", label: "shell.signIn" },
  { to: "/sign-up", label: "shell.signUp" },
];

/** Where a new account lands after signing up. */
export const AFTER_SIGN_UP = "/";

/** The sign-in page's link for newcomers (none where accounts only come by invitation). */
export const SIGN_UP_LINK: { to: string; label: MessageKey } | null = { to: "/sign-up", label: "signIn.createBuyer" };
