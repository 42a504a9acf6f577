// The browser half of TestTOCBrowser (serve/toc_browser_test.go): a real
// Chromium, driven by playwright-core, reads a post's table of contents
// on a production server, at three widths and in both colour schemes.
//
// Input (stdin): JSON {url, entries}: the post's URL and how many links
// its table holds.
// Environment: CHROMIUM, AXE (axe-core's axe.min.js), and optionally
// SITE_SCREENSHOTS (a directory for PNG files).
//
// Output (stdout): "FAIL <where>: <what>" for each problem found,
// "CHECKED <width> <scheme>" for each view checked; other lines are
// logged by the Go test. Exits 1 when the script itself fails.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const axeSource = fs.readFileSync(process.env.AXE, 'utf8');
const shots = process.env.SITE_SCREENSHOTS || '';
const viewports = [
  { width: 320, height: 800 }, // the whole table above the badge bar
  { width: 375, height: 800 },
  { width: 1280, height: 800 },
];
const timeout = 15000;

function fail(where, what) {
  console.log(`FAIL ${where}: ${what}`);
}

// measure runs in the page: the table of contents as the reader sees it.
function measure() {
  const problems = [];
  const navs = document.querySelectorAll('nav.toc');
  if (navs.length !== 1) return { problems: [`the page has ${navs.length} nav.toc, want 1`] };
  const nav = navs[0];
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${vw}px`);
  }
  if (nav.scrollWidth > nav.clientWidth) {
    problems.push(`the table overflows: scrollWidth ${nav.scrollWidth} > clientWidth ${nav.clientWidth}`);
  }
  const box = nav.getBoundingClientRect();
  if (box.left < 0 || box.right > vw) {
    problems.push(`the table [${Math.round(box.left)}, ${Math.round(box.right)}] is not inside the ${vw}px viewport`);
  }
  const links = [...nav.querySelectorAll('a')];
  for (const a of links) {
    const id = decodeURIComponent(a.hash.slice(1));
    const target = document.getElementById(id);
    if (!target || !/^H[1-6]$/.test(target.tagName)) {
      problems.push(`${a.textContent}: #${id} is not a heading of the page`);
    }
    for (const r of a.getClientRects()) {
      if (r.height < 24) problems.push(`${a.textContent}: a line of the link is ${r.height.toFixed(1)}px high, under 24px`);
    }
  }
  const label = document.getElementById(nav.getAttribute('aria-labelledby') || '');
  return {
    problems,
    links: links.length,
    label: label ? label.textContent : null,
    last: links.length ? links[links.length - 1].hash : '',
    height: Math.round(box.height),
    // Programs only: the head's JSON-LD is a script element holding data.
    script: [...document.scripts].filter((s) => s.type !== 'application/ld+json').length,
  };
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(async () => {
    // The default rules, and those of WCAG 2.2 AA that axe leaves out by
    // default (target-size).
    const extra = window.axe.getRules(['wcag22aa']).map((r) => r.ruleId);
    const r = await window.axe.run(document, { rules: Object.fromEntries(extra.map((id) => [id, { enabled: true }])) });
    return {
      rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
      violations: r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.map((n) => n.target.join(' ')).join('; ')),
      incomplete: r.incomplete.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    };
  });
}

// accessibleName is the name Chromium's accessibility tree gives the
// first element matching selector, or null.
async function accessibleName(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return null;
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes.find((n) => !n.ignored) || nodes[0];
    return node ? { name: node.name ? String(node.name.value) : '', role: node.role ? String(node.role.value) : '' } : null;
  } finally {
    await cdp.detach();
  }
}

(async () => {
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: viewports[0], reducedMotion: 'reduce' });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const res = await page.goto(input.url, { timeout });
    if (!res || res.status() !== 200) {
      fail('page', `GET ${input.url}: ${res ? res.status() : 'no response'}`);
      return;
    }
    const csp = res.headers()['content-security-policy'] || '';
    if (!csp.includes("default-src 'self'")) fail('page', `Content-Security-Policy ${JSON.stringify(csp)}`);
    const ax = await accessibleName(page, 'nav.toc');
    if (!ax || ax.role !== 'navigation' || ax.name !== 'Contents') {
      fail('page', `nav.toc is ${JSON.stringify(ax)}, want a navigation landmark named Contents`);
    }
    for (const vp of viewports) {
      await page.setViewportSize(vp);
      for (const scheme of ['light', 'dark']) {
        const where = `${vp.width}px ${scheme}`;
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(input.url, { timeout });
        const m = await page.evaluate(measure);
        for (const p of m.problems) fail(where, p);
        if (m.links !== input.entries) fail(where, `${m.links} links, want ${input.entries}`);
        if (m.label !== 'Contents') fail(where, `the table's title is ${JSON.stringify(m.label)}`);
        if (m.script) fail(where, `${m.script} scripts in the page`);
        console.log(`${where}: the table is ${m.height}px high`);
        if (shots) {
          await page.screenshot({ path: path.join(shots, `toc-${vp.width}-${scheme}.png`), fullPage: false });
        }
        const axe = await runAxe(page);
        for (const v of axe.violations) fail(where, 'axe: ' + v);
        if (vp === viewports[0] && scheme === 'light') {
          console.log(`axe ran ${axe.rules} rules; undecided: ${axe.incomplete.join(', ') || 'none'}`);
        }
        // Following the last entry brings its heading to the top.
        await page.click(`nav.toc a[href="${m.last}"]`);
        const shown = await page.evaluate((hash) => {
          const h = document.getElementById(decodeURIComponent(hash.slice(1)));
          const r = h.getBoundingClientRect();
          return { hash: location.hash, top: r.top, bottom: r.bottom, vh: window.innerHeight };
        }, m.last);
        if (shown.hash !== m.last || shown.top < -1 || shown.bottom > shown.vh) {
          fail(where, `after following ${m.last}: ${JSON.stringify(shown)}`);
        }
        // Tab reaches the first entry.
        await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
        let reached = -1;
        for (let i = 1; i <= 30 && reached < 0; i++) {
          await page.keyboard.press('Tab');
          if (await page.evaluate(() => document.activeElement && document.activeElement.matches('nav.toc li a'))) reached = i;
        }
        if (reached < 0) fail(where, 'Tab never reaches the table');
        console.log(`CHECKED ${vp.width} ${scheme}`);
      }
    }
    for (const e of errors) fail('console', e);
  } finally {
    await browser.close();
  }
})().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
