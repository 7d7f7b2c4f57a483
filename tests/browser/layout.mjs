// How a report page is laid out in a real browser: where a numbered paragraph's first line
// starts against the lines that wrap, which face the text is set in, and how wide a money
// table is against the column it stands in.
//
//   node tests/browser/layout.mjs FILE_URL
import { chromium } from "playwright-core";

const [url] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"],
});
let result;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 2000 } });
  await page.goto(url, { waitUntil: "load" });
  result = await page.evaluate(() => {
    const paragraphs = [];
    for (const p of document.querySelectorAll("p.numbered")) {
      const box = p.getBoundingClientRect();
      const style = getComputedStyle(p);
      const lines = Math.round(box.height / parseFloat(style.lineHeight));
      if (lines < 2) continue;
      // The first character of the text after the number.
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let first = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest(".num")) continue;
        const i = n.data.search(/\S/);
        if (i >= 0) { first = document.createRange(); first.setStart(n, i); first.setEnd(n, i + 1); break; }
      }
      paragraphs.push({
        text: p.textContent.slice(0, 40),
        first_line: first.getBoundingClientRect().left,
        wrapped_lines: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
        number: p.querySelector(".num").getBoundingClientRect().left,
      });
    }
    const tables = [...document.querySelectorAll("main table")].map((t) => ({
      id: t.id,
      money: t.classList.contains("money"),
      width: t.getBoundingClientRect().width,
      column: t.closest(".table-wrap").clientWidth,
    }));
    return { font: getComputedStyle(document.body).fontFamily, paragraphs, tables };
  });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result, null, 2));
