import type { MessageKey, NavItem } from "@souk/ui";

/** What makes this app the seller app: its name, port, navigation and sign-up (an application to sell). */
export const APP = "seller" as const;
export const DEFAULT_PORT = 3002;

export const NAVIGATION: readonly NavItem[] = [
  { to: "/", label: "nav.dashboard", end: true },
  { to: "/application", label: "nav.application" },
  { to: "/rfqs", label: "rfqNav.inbox", permission: "read:rfq-inbox:org" },
  { to: "/orders", label: "rfqNav.orders", permission: "read:orders:org" },
  { to: "/messages", label: "conversationsNav.messages", permission: "read:conversations:org", badge: "messages" },
  { to: "/money", label: "moneyNav.money", permission: "read:payouts:org" },
  { to: "/listings", label: "sellerNav.listings", permission: "manage:listings:org" },
  { to: "/customer-groups", label: "sellerNav.customerGroups", permission: "manage:price-lists:org" },
  { to: "/price-lists", label: "sellerNav.priceLists", permission: "manage:price-lists:org" },
  { to: "/members", label: "nav.members" },
  { to: "/account", label: "nav.account" },
];

export const PUBLIC_LINKS: readonly NavItem[] = [
  { to: "/sign-in", label: "shell.signIn" },
  { to: "/sign-up", label: "shell.apply" },
];

/** A new seller lands on its application's status: it cannot trade before an operator approves it. */
export const AFTER_SIGN_UP = "/application";

/** The sign-in page's link for newcomers (none where accounts only come by invitation). */
export const SIGN_UP_LINK: { to: string; label: MessageKey } | null = { to: "/sign-up", label: "signIn.createSeller" };
