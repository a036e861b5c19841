import { describe, expect, it } from "vitest";
import type { NavItem } from "../types";
import { visibleNavigation } from "./shell";

const NAVIGATION: NavItem[] = [
  { to: "/", label: "nav.dashboard", end: true },
  { to: "/sellers", label: "review.nav", permission: "review:sellers:any" },
  { to: "/audit", label: "audit.nav", permission: "read:audit:any" },
];
const orgs = (role: string) => [
  { id: "ops", name: "Souk Operations", status: "active", role },
  { id: "other", name: "Other", status: "active", role: "admin" },
];
const paths = (role: string, active = "ops") => visibleNavigation("operator", NAVIGATION, orgs(role), active).map((i) => i.to);

describe("visibleNavigation", () => {
  it("shows each operator role only the pages its permissions open", () => {
    expect(paths("admin")).toEqual(["/", "/sellers", "/audit"]);
    expect(paths("moderator")).toEqual(["/", "/sellers", "/audit"]);
    expect(paths("finance")).toEqual(["/", "/audit"]);
  });

  it("uses the role in the active organisation, and hides guarded entries without one", () => {
    expect(paths("finance", "other")).toEqual(["/", "/sellers", "/audit"]);
    expect(paths("finance", "missing")).toEqual(["/"]);
  });
});
