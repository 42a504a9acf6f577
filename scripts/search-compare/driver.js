// The browser half of scripts/search-compare.sh: serves the site's build
// and Pagefind's, each from a static server that gzips text as nginx's
// gzip on would (HTML, CSS, JavaScript, JSON, SVG; Pagefind's index files
// are compressed already and go as they are), and measures in Chromium,
// through playwright-core, for each query of QUERIES (judge.py's output):
//   bytes  the response bodies, as the server sent them, of every request the
//          search makes after the page's own HTML and CSS: the site's
//          search.js, manifest, shards and documents; Pagefind's
//          pagefind.js, WebAssembly, entry, metadata, index chunks and
//          fragments, and the harness's script. A fresh browser context
//          per query: nothing is cached.
//   time   from typing the query (setting the input's value and firing
//          input) to the first result in the DOM, in the page's clock,
//          after the page has loaded and gone idle.
//   recall@10  |top 10 ∩ relevant| / min(10, |relevant|).
// Then time again for one query, TIMED, 10 times each, for the median.
//
// Environment: SITE_PUBLIC, PAGEFIND_PUBLIC (directories), QUERIES (a
// file), CHROMIUM, NODE_PATH (holding playwright-core), TIMED (a query).
// Output: a JSON report on stdout.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
};
const gzipped = new Set(['.html', '.css', '.js', '.json', '.svg', '.xml']);

// serve serves root; sent lists each response's path and body bytes.
function serve(root) {
  const cache = new Map();
  const sent = [];
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const ext = path.extname(file);
    let body = fs.readFileSync(file);
    const headers = { 'Content-Type': types[ext] || 'application/octet-stream', 'Cache-Control': 'no-cache' };
    if (gzipped.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      if (!cache.has(file)) cache.set(file, zlib.gzipSync(body, { level: 9 }));
      body = cache.get(file);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    sent.push({ path: p, bytes: body.length });
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, sent, base: `http://127.0.0.1:${server.address().port}` })));
}

const systems = {
  site: { dir: process.env.SITE_PUBLIC, page: '/search/', counts: (u) => /\/assets\/search\.[0-9a-f]+\.js$|\/search\/index\//.test(u), ready: () => true },
  pagefind: { dir: process.env.PAGEFIND_PUBLIC, page: '/pf-harness/', counts: (u) => /\/pagefind\/|\/pf-harness\/harness\.js$/.test(u), ready: () => window.searchReady === true },
};

// once opens the search page in a fresh context, types query, and
// returns the bytes, the time and the top 10 URLs.
async function once(browser, sys, srv, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  srv.sent.length = 0;
  await page.goto(srv.base + sys.page, { waitUntil: 'networkidle' });
  await page.waitForFunction(sys.ready);
  const ms = await page.evaluate((q) => new Promise((resolve) => {
    const list = document.querySelector('.search-list');
    const input = document.getElementById('search-q');
    let t0;
    const seen = () => list.querySelector('li') && resolve(performance.now() - t0);
    new MutationObserver(seen).observe(list, { childList: true, subtree: true });
    t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), query);
  await page.waitForLoadState('networkidle');
  const top = await page.evaluate(() => [...document.querySelectorAll('.search-list li')].slice(0, 10).map((li) => li.querySelector('a').getAttribute('href')));
  await context.close();
  let bytes = 0;
  const files = [];
  for (const r of srv.sent) {
    if (!sys.counts(r.path)) continue;
    bytes += r.bytes;
    files.push(`${r.path} ${r.bytes}`);
  }
  return { bytes, ms, top, files };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

(async () => {
  const queries = JSON.parse(fs.readFileSync(process.env.QUERIES, 'utf8'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
  const report = { queries: [], timed: { query: process.env.TIMED } };
  const servers = {};
  for (const [name, sys] of Object.entries(systems)) servers[name] = await serve(path.resolve(sys.dir));
  try {
    for (const q of queries) {
      const row = { query: q.query, rule: q.rule, relevant: q.relevant.length };
      for (const [name, sys] of Object.entries(systems)) {
        const r = await once(browser, sys, servers[name], q.query);
        const rel = new Set(q.relevant);
        const hits = r.top.filter((u) => rel.has(u)).length;
        row[name] = { bytes: r.bytes, ms: Math.round(r.ms), recall: q.relevant.length ? hits / Math.min(10, q.relevant.length) : null, top: r.top, files: r.files };
      }
      report.queries.push(row);
      console.error(`${q.query}: site ${row.site.bytes} B ${row.site.ms} ms recall ${row.site.recall}; pagefind ${row.pagefind.bytes} B ${row.pagefind.ms} ms recall ${row.pagefind.recall}`);
    }
    for (const [name, sys] of Object.entries(systems)) {
      const times = [];
      for (let i = 0; i < 10; i++) times.push((await once(browser, sys, servers[name], process.env.TIMED)).ms);
      report.timed[name] = { median: Math.round(median(times)), all: times.map(Math.round) };
    }
    for (const name of Object.keys(systems)) {
      const rows = report.queries.map((q) => q[name]);
      report[name] = {
        medianBytes: median(rows.map((r) => r.bytes)),
        medianMs: median(rows.map((r) => r.ms)),
        meanRecall: rows.reduce((s, r) => s + r.recall, 0) / rows.length,
      };
    }
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) s.server.close();
  }
  console.log(JSON.stringify(report, null, 1));
})().catch((e) => { console.error(e); process.exit(1); });
