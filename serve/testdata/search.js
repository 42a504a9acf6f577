// The browser half of TestSearchBrowser (serve/search_browser_test.go):
// Chromium, driven by playwright-core, searches the example site on a
// production server that sends the site's strict Content-Security-Policy.
//
// Environment: URL (the server's base URL), CHROMIUM, AXE (axe-core's
// axe.min.js).
// Output (stdout): "FAIL <check>: <what>" for each problem, "CHECKED
// <check>" for each check made; other lines are logged by the Go test.
// Exits 1 when the script itself fails.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');

const base = process.env.URL;
const axeSource = fs.readFileSync(process.env.AXE, 'utf8');
const timeout = 15000;

function fail(check, what) {
  console.log(`FAIL ${check}: ${what}`);
}

// watch records what breaks the policy or logs an error in a page.
async function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.exposeFunction('reportViolation', (v) => problems.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI}`));
  });
  return problems;
}

// results reads the results the page shows.
function results() {
  return [...document.querySelectorAll('.search-list .search-result')].map((li) => ({
    title: li.querySelector('.search-title a')?.textContent,
    href: li.querySelector('.search-title a')?.getAttribute('href'),
    excerpt: li.querySelector('.search-excerpt')?.textContent,
    marks: [...li.querySelectorAll('.search-excerpt mark')].map((m) => m.textContent),
    time: li.querySelector('time')?.getAttribute('datetime'),
  }));
}

// expectFirst waits for results and checks the first one.
async function expectFirst(page, check, title, mark) {
  try {
    await page.waitForSelector('.search-list .search-result', { timeout });
  } catch (e) {
    fail(check, `no result shown: ${await page.locator('.search-status').textContent()}`);
    return;
  }
  const got = await page.evaluate(results);
  if (got[0].title !== title) {
    fail(check, `first result ${JSON.stringify(got[0].title)}, want ${JSON.stringify(title)} (all: ${got.map((r) => r.title).join(' | ')})`);
  }
  if (!got[0].marks.some((m) => m.toLowerCase().startsWith(mark))) {
    fail(check, `the first excerpt marks ${JSON.stringify(got[0].marks)}, want a word starting with ${mark}: ${got[0].excerpt}`);
  }
  if (!got[0].time || !got[0].href) {
    fail(check, `the first result lacks a date or a link: ${JSON.stringify(got[0])}`);
  }
  console.log(`CHECKED ${check}`);
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await watch(page);
    const resp = await page.goto(`${base}/search/?q=deploying`);
    const csp = resp.headers()['content-security-policy'] || '';
    if (!csp.includes("default-src 'self'")) fail('csp', `the server sent Content-Security-Policy ${JSON.stringify(csp)}`);
    await expectFirst(page, 'query in the URL', 'Deploying: from build to HTTPS', 'deploy');

    // Another query, typed: the results change, and the URL follows.
    await page.fill('#search-q', 'résumé');
    await page.waitForFunction(() => document.querySelector('.search-status').textContent.includes('résumé'), null, { timeout });
    await expectFirst(page, 'typed query', 'Café notes: Übersicht — naïve résumé', 'résumé');
    if (!page.url().includes('q=r%C3%A9sum%C3%A9')) fail('typed query', `the URL is ${page.url()}`);

    // More than ten results: a button shows the rest.
    await page.fill('#search-q', 'the');
    try {
      await page.waitForSelector('.search-more', { timeout });
      const before = await page.locator('.search-result').count();
      await page.click('.search-more');
      await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n, before, { timeout });
      const after = await page.evaluate(() => ({
        n: document.querySelectorAll('.search-result').length,
        button: !!document.querySelector('.search-more'),
        focus: document.activeElement?.closest('.search-result') === document.querySelectorAll('.search-result')[10],
      }));
      if (before !== 10 || after.n !== 11 || after.button || !after.focus) fail('more', `before ${before}, after ${JSON.stringify(after)}, want 10, then 11 with the focus on the 11th and no button`);
    } catch (e) {
      fail('more', `no button for more results: ${e.message}`);
    }
    console.log('CHECKED more');

    // No violation of the policy, no error.
    for (const p of problems) fail('policy', p);
    console.log('CHECKED policy');

    // axe-core over the page with results, at three widths, light and
    // dark, in a context that lets its inline script in (the policy
    // rightly keeps it out).
    for (const width of [320, 375, 1280]) {
      for (const colorScheme of ['light', 'dark']) {
        const bare = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 }, colorScheme });
        const p2 = await bare.newPage();
        await p2.goto(`${base}/search/?q=r%C3%A9sum%C3%A9`);
        await p2.waitForSelector('.search-list .search-result', { timeout });
        await p2.addScriptTag({ content: axeSource });
        const found = await p2.evaluate(async () => (await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
        for (const v of found) fail('axe', `${width} px ${colorScheme}: ${v}`);
        const wide = await p2.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (wide > 0) fail('axe', `${width} px: the page scrolls sideways by ${wide} px`);
        await bare.close();
      }
    }
    console.log('CHECKED axe');

    // Without JavaScript: the form and the archive link.
    const noscript = await browser.newContext({ javaScriptEnabled: false });
    const p3 = await noscript.newPage();
    await p3.goto(`${base}/search/`);
    const plain = await p3.evaluate(() => ({
      form: !!document.querySelector('form[role=search] input[name=q]'),
      label: document.querySelector('label[for=search-q]')?.textContent,
      archive: !!document.querySelector('main a[href="/archive/"]'),
      nav: !!document.querySelector('nav a[href="/search/"]'),
    }));
    if (!plain.form || !plain.label || !plain.archive || !plain.nav) fail('no script', JSON.stringify(plain));
    console.log('CHECKED no script');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
