// A page's links in a real browser: every link's scheme, and what clicking each one does.
// Paper text (here, a folder's name) must never become a link that runs script.
//
//   node tests/browser/links.mjs FILE_URL
import { chromium } from "playwright-core";

const [url] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"],
});
const result = { protocols: [], titles: [], dialogs: 0 };
try {
  const page = await browser.newPage();
  page.on("dialog", async (d) => { result.dialogs += 1; await d.dismiss(); });
  await page.goto(url, { waitUntil: "load" });
  const count = await page.locator("a[href]").count();
  for (let i = 0; i < count; i++) {
    await page.goto(url, { waitUntil: "load" });
    const link = page.locator("a[href]").nth(i);
    result.protocols.push(await link.evaluate((a) => new URL(a.href).protocol));
    await link.click({ noWaitAfter: true }).catch(() => {});
    await page.waitForTimeout(150);
    result.titles.push(await page.title().catch(() => ""));
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
