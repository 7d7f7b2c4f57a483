// clerk serve in a real browser: open a page, change its paper on disk, and see the page
// reload by itself with the change.
//
//   node tests/browser/reload.mjs URL PAGE_PATH PAPER_FILE
import { appendFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [url, pagePath, file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"],
});
let ok = false;
try {
  const page = await browser.newPage();
  await page.goto(new URL(pagePath, url).href, { waitUntil: "load" });
  // Let the page's event stream connect before the edit.
  await page.waitForTimeout(500);
  const reloaded = page.waitForEvent("load", { timeout: 15000 });
  appendFileSync(file, "\n## A section added while the page was open\n\nAdded live.\n");
  await reloaded;
  await page.waitForFunction(() => document.body.innerText.includes("A section added while the page was open"), null, { timeout: 15000 });
  ok = true;
} finally {
  await browser.close();
}
console.log(JSON.stringify({ reloaded: ok }));
process.exit(ok ? 0 : 1);
