// Accessibility check of a built clerk site in real headless Chromium.
//
//   node tests/browser/a11y.mjs SITE_DIR
//
// Serves SITE_DIR on 127.0.0.1 (a free port), opens every .html page in Chromium, runs axe-core
// with the WCAG 2.0/2.1/2.2 A and AA rules and best practices, and checks by keyboard that the
// first Tab lands on a visible skip link. Prints one JSON report; exits 1 on any violation.
import { createServer } from "node:http";
import { readFile, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const site = path.resolve(process.argv[2] ?? "output");
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".pdf": "application/pdf", ".png": "image/png" };

async function pages(dir, rel = "") {
  const out = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await pages(path.join(dir, entry.name), r)));
    else if (entry.name.endsWith(".html")) out.push(r);
  }
  return out;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const file = path.resolve(site, "." + decodeURIComponent(url.pathname));
  if (!file.startsWith(site + path.sep)) { res.writeHead(403).end(); return; }
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
const report = { pages: 0, violations: [], keyboard: [] };
try {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  for (const rel of await pages(site)) {
    await page.goto(base + rel, { waitUntil: "load" });
    report.pages += 1;
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    }));
    for (const v of result.violations) {
      report.violations.push({ page: rel, rule: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) });
    }
    // Keyboard: the first Tab reaches the skip link, which is then visible and outlined.
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return { text: el.textContent.trim(), href: el.getAttribute("href"), visible: r.width > 0 && r.left >= 0,
               outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
    });
    if (focus.href !== "#main" || !focus.visible || !focus.outline) report.keyboard.push({ page: rel, focus });
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(report.violations.length || report.keyboard.length || report.pages === 0 ? 1 : 0);
