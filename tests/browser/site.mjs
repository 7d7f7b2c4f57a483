// A resident's walk through a built clerk site, and its search, in real headless Chromium.
//
//   node tests/browser/site.mjs SITE_DIR walk
//   node tests/browser/site.mjs SITE_DIR search PHRASE [PHRASE …]
//
// Serves SITE_DIR on 127.0.0.1 (a free port). `walk` goes from the index to a committee's page,
// to its meeting, to a paper on its agenda and back, to the meeting's pack and back to the
// index, following the links a person would click. `search` types each phrase into the search
// page (Pagefind's index, searched in the browser: no server does the searching) and lists
// what it finds.
// Prints one JSON report; exits 1 if a step cannot be taken.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const site = path.resolve(process.argv[2] ?? "output");
const mode = process.argv[3] ?? "walk";
const phrases = process.argv.slice(4);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
                ".pdf": "application/pdf", ".ics": "text/calendar", ".wasm": "application/wasm" };

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const file = path.resolve(site, "." + decodeURIComponent(url.pathname));
  if (!file.startsWith(site + path.sep) && file !== site) { res.writeHead(403).end(); return; }
  try {
    const body = await readFile((await stat(file)).isDirectory() ? path.join(file, "index.html") : file);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch { res.writeHead(404).end("not found"); }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"],
});
const report = { steps: [], results: {}, errors: [] };
const page = await (await browser.newContext()).newPage();
page.on("pageerror", (e) => report.errors.push(String(e)));

async function here(what) {
  report.steps.push({ what, path: new URL(page.url()).pathname, h1: (await page.locator("h1").first().textContent()).trim() });
}
async function click(selector, what) {
  const link = page.locator(selector).first();
  if ((await link.count()) === 0) throw new Error(`no link for ${what} (${selector}) on ${page.url()}`);
  await Promise.all([page.waitForLoadState("load"), link.click()]);
  await here(what);
}

try {
  if (mode === "walk") {
    await page.goto(base + "index.html", { waitUntil: "load" });
    await here("index");
    // A committee that has met: its line does not say "0 meetings".
    const committees = page.locator("main ul.committees li").filter({ hasNotText: ": 0 meetings" });
    await Promise.all([page.waitForLoadState("load"), committees.first().locator("a").click()]);
    await here("committee");
    await click("main ul.meetings a", "meeting");
    await click("main ol.items a", "paper");
    await page.goBack({ waitUntil: "load" });
    await here("back to the meeting");
    const pack = page.locator("main ul.links a", { hasText: "Agenda pack" }).first();
    const href = await pack.getAttribute("href");
    const response = await page.request.get(new URL(href, page.url()).href);
    report.pack = { href, status: response.status(), type: response.headers()["content-type"],
                    pdf: (await response.body()).subarray(0, 4).toString() };
    await click("header a", "home");
  } else {
    await page.goto(base + "search/index.html", { waitUntil: "load" });
    const input = page.getByLabel("Words or a phrase to find");
    for (const phrase of phrases) {
      await input.fill(phrase);
      await page.getByRole("button", { name: "Search" }).click();
      const message = page.locator("#search-results > p").first();
      await page.waitForFunction((p) => {
        const m = document.querySelector("#search-results > p");
        return m && m.textContent.includes(p);
      }, phrase, { timeout: 15000 });
      report.results[phrase] = {
        message: (await message.textContent()).trim(),
        links: await page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
      };
    }
  }
} catch (e) {
  report.errors.push(String(e));
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(report.errors.length ? 1 : 0);
