import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail, URLS } from "../support";

const APPS = ["buyer", "seller", "operator"] as const;

// The production servers: a form posted from another site never reaches an action, whichever app.
for (const app of APPS) {
  test(`the ${app} app refuses a cross-site POST and hardens its pages`, async ({ request }) => {
    const page = await request.get(`${URLS[app]}/sign-in`);
    expect(page.status()).toBe(200);
    expect(page.headers()["x-frame-options"]).toBe("DENY");
    expect(page.headers()["cache-control"]).toBe("no-store");
    expect(page.headers()["x-powered-by"]).toBeUndefined();

    for (const origin of ["http://evil.example", ...APPS.filter((other) => other !== app).map((other) => URLS[other])]) {
      const forged = await request.post(`${URLS[app]}/sign-in`, { headers: { origin }, form: { email: "a@example.com", password: PASSWORD }, maxRedirects: 0 });
      expect(forged.status(), origin).toBe(403);
      expect(forged.headers()["set-cookie"]).toBeUndefined();
    }
  });
}

test("a sign-up forged from another site creates nothing: the same e-mail signs up afterwards", async ({ request }) => {
  const form = { organizationName: "Forged SA", name: "Fay Forged", email: uniqueEmail("forged"), password: PASSWORD };
  const forged = await request.post(`${URLS.buyer}/sign-up`, { headers: { origin: "http://evil.example" }, form, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  const genuine = await request.post(`${URLS.buyer}/sign-up`, { headers: { origin: URLS.buyer }, form, maxRedirects: 0 });
  expect(genuine.status()).toBe(302);
  expect(genuine.headers()["set-cookie"]).toMatch(/souk_buyer_session=/);
});
