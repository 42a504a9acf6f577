// The browser half of TestBrowserLiveReload (serve/browser_test.go): a real
// Chromium, driven by playwright-core, on a page of `site serve`. The Go
// test changes the site's files; this script says which step it is at
// ("STEP name" on stdout), waits for the Go test to make the change ("GO"
// on stdin), then checks what the page shows, without touching the page.
//
// Environment: SITE_URL (the preview, "http://127.0.0.1:PORT"), POST (a
// post's URL path), NEW_POST (its URL path after a retitle), CHROMIUM.
'use strict';
const { chromium } = require('playwright-core');
const readline = require('readline');

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const timeout = 15000;

async function step(name) {
  console.log('STEP ' + name);
  const { value, done } = await lines.next();
  if (done || value !== 'GO') {
    throw new Error(`step ${name}: the Go test said ${done ? 'nothing' : JSON.stringify(value)}`);
  }
}

function check(ok, what) {
  if (!ok) {
    throw new Error(what);
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    let loads = 0;
    page.on('load', () => { loads++; });

    const base = process.env.SITE_URL;
    await page.goto(base + process.env.POST);
    check((await page.textContent('main')).includes('The body of post 3.'), 'the post does not show its text');

    // 1. The Markdown file is edited: the page shows the new text.
    await step('edit-text');
    await page.waitForFunction(() => document.querySelector('main').textContent.includes('Edited while the browser looks.'), null, { timeout });

    // 2. Only the theme's stylesheet changes: the new style applies, and
    //    the page is the same page (no reload).
    await page.evaluate(() => { window.__marker = 1; });
    const loadsBefore = loads;
    const color = () => page.evaluate(() => getComputedStyle(document.querySelector('h1.post-title')).color);
    check((await color()) !== 'rgb(1, 2, 3)', 'the title has the test colour already');
    await step('edit-css');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('h1.post-title')).color === 'rgb(1, 2, 3)', null, { timeout });
    check((await page.evaluate(() => window.__marker)) === 1, 'window.__marker is gone: the page reloaded on a stylesheet change');
    check(loads === loadsBefore, 'the page loaded again on a stylesheet change');
    check((await page.$$('link[rel~="stylesheet"][href^="/assets/style."]')).length === 1, 'the old stylesheet link was not removed');

    // 3. The post's front matter breaks: an overlay names file and line;
    //    fixed, it goes away, and the page never reloaded.
    await step('break');
    const overlay = await page.waitForSelector('.site-preview-error', { state: 'visible', timeout });
    const text = await overlay.textContent();
    check(/content\/posts\/post-3\.md:\d+: front matter/.test(text), 'the overlay does not name the file and line: ' + text);
    check((await overlay.evaluate((el) => getComputedStyle(el).position)) === 'fixed', 'the overlay is not styled (preview.css)');
    check(!(await overlay.getAttribute('style')), 'the overlay has an inline style');
    await step('fix');
    await page.waitForSelector('.site-preview-error', { state: 'detached', timeout });
    check((await page.evaluate(() => window.__marker)) === 1, 'the page reloaded when the error was fixed');

    // 4. The server restarts, and the post changed meanwhile: the page
    //    reconnects by itself and reloads.
    await step('restart');
    await page.waitForFunction(() => document.querySelector('main').textContent.includes('Changed while the server was down.'), null, { timeout });
    check((await page.evaluate(() => window.__marker)) === undefined, 'the page did not reload after the restart');

    // 5. The post is retitled, which moves it: the page follows it.
    await step('retitle');
    await page.waitForURL(base + process.env.NEW_POST, { timeout });
    await page.waitForFunction(() => document.querySelector('h1.post-title').textContent === 'Post three, retitled', null, { timeout });

    const csp = problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
    check(csp.length === 0, 'Content-Security-Policy violations: ' + csp.join('; '));
    const other = problems.filter((p) => !/Failed to load resource|EventSource|ERR_CONNECTION_REFUSED|net::/i.test(p));
    check(other.length === 0, 'errors in the page: ' + other.join('; '));
    console.log('DONE');
  } finally {
    await browser.close();
  }
})().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
