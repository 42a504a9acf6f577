// The browser half of TestAxe (serve/axe_browser_test.go): axe-core, in
// a real Chromium driven by playwright-core, checks every HTML page of
// the sites served at three screen widths, in light and dark colours.
//
// Input (stdin): a JSON array of sites, {name, url, pages}: the site's
// name in messages, its base URL and the URL paths of its pages.
// Environment: CHROMIUM, AXE (axe-core's axe.min.js), optionally
// SITE_SCREENSHOTS (a directory: each page with a code listing is saved
// there as PNG at 375 px, light and dark).
//
// Output (stdout): "FAIL <site> <page> <width> <scheme> <rule>: <target>"
// for each node axe-core finds in violation and for each other problem,
// "CHECKED <site> <page> <width> <scheme>" for each page checked, and
// "GUTTER <site> <page> <width> <px> <digits>" with the width of the
// widest line-number gutter of each page that has one; other lines are
// logged by the Go test. Exits 1 when the script itself fails.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const sites = JSON.parse(fs.readFileSync(0, 'utf8'));
const axeSource = fs.readFileSync(process.env.AXE, 'utf8');
const shots = process.env.SITE_SCREENSHOTS || '';
const widths = [320, 375, 1280];
const schemes = ['light', 'dark'];
const timeout = 15000;
// The rules of WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// runAxe runs axe-core on the page and returns one line per node in
// violation: "<rule> (<impact>): <target> — <summary>".
async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const out = [];
    for (const v of r.violations) {
      for (const n of v.nodes) {
        out.push(`${v.id} (${v.impact}): ${n.target.join(' ')}` +
          (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''));
      }
    }
    return out;
  }, tags);
}

// listings measures, in the page, each code listing with line numbers:
// the gutter (from the line's left edge to the code's), in px and in
// characters of the code's font, and the digits of its widest number; and
// whether a listing wider than its box shows that it scrolls.
function listings() {
  const out = [];
  for (const pre of document.querySelectorAll('.listing > pre')) {
    const line = pre.querySelector('.line');
    const ln = pre.querySelector('.ln');
    const cl = pre.querySelector('.cl');
    let digits = 0;
    for (const a of pre.querySelectorAll('.ln')) digits = Math.max(digits, (a.dataset.n || '').length);
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(10);
    probe.style.position = 'absolute';
    (cl || pre).appendChild(probe);
    const ch = probe.getBoundingClientRect().width / 10;
    probe.remove();
    const scrolls = pre.scrollWidth > pre.clientWidth + 1;
    out.push({
      id: pre.closest('.listing').id || '',
      gutter: ln && line && cl ? cl.getBoundingClientRect().left - line.getBoundingClientRect().left : 0,
      ch,
      digits,
      scrolls,
      shadow: getComputedStyle(pre).backgroundImage.includes('gradient'),
    });
  }
  return out;
}

async function screenshot(page, name) {
  if (!shots) return;
  await page.screenshot({ path: path.join(shots, name.replace(/[^A-Za-z0-9._-]+/g, '_') + '.png'), fullPage: true });
}

(async () => {
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--ignore-certificate-errors'],
  });
  const t0 = Date.now();
  try {
    // One context per width and scheme, its pages in sequence.
    for (const width of widths) {
      for (const scheme of schemes) {
        const context = await browser.newContext({
          ignoreHTTPSErrors: true,
          viewport: { width, height: 800 },
          colorScheme: scheme,
          reducedMotion: 'reduce',
        });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        try {
          for (const site of sites) {
            for (const p of site.pages) {
              const where = `${site.name} ${p} ${width} ${scheme}`;
              errors.length = 0;
              const res = await page.goto(site.url + p, { timeout, waitUntil: 'load' });
              const status = res ? res.status() : 0;
              if (status !== 200 && !(status === 404 && /^\/404(\.html)?$/.test(p))) {
                console.log(`FAIL ${where} http: GET ${p}: ${status || 'no response'}`);
                continue;
              }
              for (const v of await runAxe(page)) console.log(`FAIL ${where} ${v}`);
              const ls = await page.evaluate(listings);
              let widest = null;
              for (const l of ls) {
                if (l.gutter && (!widest || l.gutter > widest.gutter)) widest = l;
                // The gutter holds the digits, a gap of about one character
                // and the line's inner padding; nothing more.
                if (l.gutter && l.gutter > (l.digits + 1.5) * l.ch + 16.5) {
                  console.log(`FAIL ${where} gutter: listing ${l.id} has a ${l.gutter.toFixed(1)}px gutter for ${l.digits} digits (${l.ch.toFixed(2)}px each)`);
                }
                if (l.scrolls && !l.shadow) {
                  console.log(`FAIL ${where} scroll-affordance: listing ${l.id} scrolls sideways with nothing to show it`);
                }
              }
              if (widest) console.log(`GUTTER ${site.name} ${p} ${width} ${widest.gutter.toFixed(1)} ${widest.digits}`);
              if (width === 375 && ls.length) await screenshot(page, `${site.name}${p}-${width}-${scheme}`);
              for (const e of errors) console.log(`FAIL ${where} console: ${e}`);
              console.log(`CHECKED ${where}`);
            }
          }
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`axe: ${((Date.now() - t0) / 1000).toFixed(1)}s in the browser`);
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
