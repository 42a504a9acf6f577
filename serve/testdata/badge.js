// The browser half of TestBadgeBrowser (serve/badge_browser_test.go): a
// real Chromium, driven by playwright-core, looks at the badge of every
// state on real production servers, at three screen widths.
//
// Input (stdin): a JSON array of cases, {state, url, text, headers}: the
// badge's data-state, the server's base URL, the whole statement the
// server made, and headers to send with every request.
// Environment: CHROMIUM, AXE (axe-core's axe.min.js), POST (the URL path
// of a long post), LAST_PARAGRAPH (the text of its last paragraph), and
// optionally SITE_SCREENSHOTS (a directory for PNG files).
//
// Output (stdout): "FAIL <state> <where>: <what>" for each problem found,
// "CHECKED <state> <width>" for each case and width checked, other lines
// are logged by the Go test. Exits 1 when the script itself fails.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const axeSource = fs.readFileSync(process.env.AXE, 'utf8');
const shots = process.env.SITE_SCREENSHOTS || '';
const viewports = [
  { width: 320, height: 640 },
  { width: 375, height: 800 },
  { width: 1280, height: 800 },
];
const timeout = 15000;
const parallel = 3; // cases checked at once, each in its own browser context

// looks holds each state's badge colours (background, border, dot) by
// colour scheme: no two states may look alike.
const looks = { light: new Map(), dark: new Map() };

function fail(c, where, what) {
  console.log(`FAIL ${c.state} ${where}: ${what}`);
}

// measure runs in the page: what the reader sees of the badge, in the
// viewport as it is.
function measure({ lastParagraph }) {
  const problems = [];
  const badges = document.querySelectorAll('.tls-badge');
  if (badges.length !== 1) {
    return { problems: [`the page has ${badges.length} badges, want 1`] };
  }
  const b = badges[0];
  const bar = b.closest('.badge-bar');
  if (!bar) {
    return { problems: ['the badge is not in a .badge-bar'] };
  }
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const box = b.getBoundingClientRect();
  const barBox = bar.getBoundingClientRect();
  const slack = 0.5;
  const inside = (r, o) => r.left >= o.left - slack && r.top >= o.top - slack &&
    r.right <= o.right + slack && r.bottom <= o.bottom + slack;
  const fmt = (r) => `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}]`;
  const view = { left: 0, top: 0, right: vw, bottom: vh };

  if (!inside(box, view)) {
    problems.push(`the badge ${fmt(box)} is not inside the ${vw}×${vh} viewport`);
  }
  if (!inside(barBox, view)) {
    problems.push(`the bar ${fmt(barBox)} is not inside the ${vw}×${vh} viewport`);
  }
  if (barBox.height > vh / 4) {
    problems.push(`the bar is ${Math.round(barBox.height)}px high, more than a quarter of the ${vh}px screen`);
  }
  for (const [name, el] of [['badge', b], ['bar', bar]]) {
    if (el.scrollWidth > el.clientWidth) {
      problems.push(`the ${name} overflows: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    if (el.scrollHeight > el.clientHeight + 1) {
      problems.push(`the ${name} overflows: scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight}`);
    }
  }
  if (document.documentElement.scrollWidth > vw) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${vw}px`);
  }

  // The text as shown: text nodes and generated content (the label's ":"
  // and the details' "· "), leaving out what only screen readers get.
  const hidden = (el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return cs.display === 'none' || cs.visibility === 'hidden' || (r.width <= 1 && r.height <= 1);
  };
  const generated = (el, which) => {
    const c = getComputedStyle(el, which).content;
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(c || '');
    return m ? m[1].replace(/\\(.)/g, '$1') : '';
  };
  let shown = '';
  const texts = [];
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) {
      shown += n.textContent;
      if (n.textContent.trim()) texts.push(n);
      return;
    }
    if (n.nodeType !== Node.ELEMENT_NODE || hidden(n)) return;
    shown += generated(n, '::before');
    n.childNodes.forEach(walk);
    shown += generated(n, '::after');
  };
  walk(b);
  shown = shown.replace(/\s+/g, ' ').trim();

  // Nothing of it is cut: every line box of every visible text is inside
  // the badge, and nothing is cut with an ellipsis or hidden overflow.
  for (const tn of texts) {
    const range = document.createRange();
    range.selectNodeContents(tn);
    for (const r of range.getClientRects()) {
      if (!inside(r, box)) {
        problems.push(`"${tn.textContent.trim()}" has a line ${fmt(r)} outside the badge ${fmt(box)}`);
      }
    }
  }
  for (const el of [b, ...b.querySelectorAll('*')]) {
    if (el !== b && hidden(el)) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis' && cs.overflowX !== 'visible') {
      problems.push(`${el.className} cuts its text with an ellipsis`);
    }
    if (cs.whiteSpace === 'nowrap' && el === b) {
      problems.push('the badge does not wrap (white-space: nowrap)');
    }
    const size = parseFloat(cs.fontSize);
    if (size < 12) {
      problems.push(`${el.className || el.tagName} is set in ${size}px type, under 12px`);
    }
    for (const r of el.getClientRects()) {
      if (!inside(r, box)) {
        problems.push(`${el.className} has a box ${fmt(r)} outside the badge ${fmt(box)}`);
      }
    }
  }

  // Every text of the badge stands out from the badge's own background
  // (WCAG 1.4.3: 4.5:1 for text of this size), computed here since axe
  // cannot decide it for text that wraps around its neighbours or lies
  // over the page.
  const rgb = (css) => {
    const m = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/.exec(css);
    return m ? { c: [m[1], m[2], m[3]].map(Number), a: m[4] === undefined ? 1 : Number(m[4]) } : null;
  };
  const luminance = ({ c }) => {
    const [r, g, bl] = c.map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const bg = rgb(getComputedStyle(b).backgroundColor);
  if (!bg || bg.a < 1) {
    problems.push(`the badge's background ${getComputedStyle(b).backgroundColor} is not opaque`);
  } else {
    for (const el of b.querySelectorAll('*')) {
      if (hidden(el)) continue;
      const cs = getComputedStyle(el);
      const own = rgb(cs.backgroundColor);
      if (own && own.a > 0) {
        problems.push(`${el.className} has a background of its own, ${cs.backgroundColor}`);
        continue;
      }
      const fg = rgb(cs.color);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (fg.a < 1 || ratio < 4.5) {
        problems.push(`${el.className}: text ${cs.color} on ${getComputedStyle(b).backgroundColor} has a contrast of ${ratio.toFixed(2)}:1, under 4.5:1`);
      }
    }
  }

  // The end of the page is not under the bar once scrolled to the end.
  window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
  const barTop = bar.getBoundingClientRect().top;
  const last = [...document.querySelectorAll('main p')].find((p) => p.textContent.trim() === lastParagraph);
  if (!last) {
    problems.push(`the post has no paragraph "${lastParagraph}"`);
  } else if (last.getBoundingClientRect().bottom > barTop + slack) {
    problems.push(`scrolled to the end, the last paragraph ends at ${Math.round(last.getBoundingClientRect().bottom)}px, under the bar at ${Math.round(barTop)}px`);
  }
  const footer = document.querySelector('.site-footer');
  if (footer) {
    const lastLine = [...footer.querySelectorAll('p')].pop();
    if (lastLine && lastLine.getBoundingClientRect().bottom > barTop + slack) {
      problems.push(`scrolled to the end, the footer's last line ends at ${Math.round(lastLine.getBoundingClientRect().bottom)}px, under the bar at ${Math.round(barTop)}px`);
    }
  }
  window.scrollTo({ top: 0, behavior: 'instant' });

  const cs = getComputedStyle(b);
  return {
    problems,
    state: b.dataset.state,
    shown,
    colours: {
      color: cs.color,
      background: cs.backgroundColor,
      border: cs.borderTopColor,
      borderStyle: cs.borderTopStyle,
      dot: getComputedStyle(b, '::before').backgroundColor,
      dotBorder: getComputedStyle(b, '::before').borderTopColor,
    },
    bar: { top: Math.floor(barBox.top), height: Math.ceil(barBox.height) },
  };
}

// green reports whether a CSS colour ("rgb(r, g, b)" or "rgba(…)") looks
// green, pale tints included: hue between 75° and 165°, HSL saturation at
// least 25%, not grey and not transparent.
function green(css) {
  const m = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/.exec(css || '');
  if (!m || (m[4] !== undefined && parseFloat(m[4]) < 0.1)) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => parseFloat(v) / 255);
  const max = Math.max(r, g, b), min = Math.min(r, g, b), chroma = max - min;
  const light = (max + min) / 2;
  const sat = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * light - 1));
  if (chroma < 0.04 || sat < 0.25) return false;
  let h;
  if (max === r) h = 60 * (((g - b) / chroma) % 6);
  else if (max === g) h = 60 * ((b - r) / chroma + 2);
  else h = 60 * ((r - g) / chroma + 4);
  if (h < 0) h += 360;
  return h >= 75 && h <= 165;
}

// accessibleName is Chromium's accessible name of the first element
// matching selector.
async function accessibleName(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return null;
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes.find((n) => !n.ignored) || nodes[0];
    return node && node.name ? String(node.name.value) : '';
  } finally {
    await cdp.detach();
  }
}

async function screenshot(page, name, options) {
  if (!shots) return;
  await page.screenshot({ path: path.join(shots, name + '.png'), ...options });
}

// barShot saves the bar and a strip of the page above it.
async function barShot(page, name, bar, vp) {
  const top = Math.max(0, bar.top - 48);
  await screenshot(page, name, { clip: { x: 0, y: top, width: vp.width, height: vp.height - top } });
}

// runAxe runs axe-core on the page with its default rules, which cover
// WCAG 2.0, 2.1 and 2.2 A and AA and the best practices; it returns the
// violations, the rules run and what axe could not decide.
async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(async () => {
    // The default rules, and those of WCAG 2.2 AA that axe leaves out by
    // default (target-size).
    const extra = window.axe.getRules(['wcag22aa']).map((r) => r.ruleId);
    const r = await window.axe.run(document, { rules: Object.fromEntries(extra.map((id) => [id, { enabled: true }])) });
    const tags = new Set();
    for (const res of [r.passes, r.violations, r.incomplete, r.inapplicable]) {
      for (const rule of res) rule.tags.forEach((t) => tags.add(t));
    }
    return {
      rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
      tags: [...tags].filter((t) => /^(wcag2\d?a+|best-practice)$/.test(t)).sort(),
      violations: r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` +
        v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : '')).join('; ')),
      incomplete: r.incomplete.map((v) => `${v.id}: ` + v.nodes.map((n) => n.target.join(' ') + ' — ' +
        (n.any.concat(n.all, n.none).map((x) => x.message).join(' ') || '')).join('; ')),
    };
  });
}

// tabTo presses Tab from the top of the page until selector has the
// focus, at most max times; it returns how many presses that took, or -1.
async function tabTo(page, selector, max) {
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) {
      return i;
    }
  }
  return -1;
}

async function checkCase(browser, c) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: c.headers || {},
    viewport: viewports[0],
    reducedMotion: 'reduce',
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  try {
    const post = await context.newPage();
    post.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const res = await post.goto(c.url + process.env.POST, { timeout });
    if (!res || res.status() !== 200) {
      fail(c, 'post', `GET ${process.env.POST}: ${res ? res.status() : 'no response'}`);
      return;
    }
    const tls = await context.newPage();
    tls.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const tlsRes = await tls.goto(c.url + '/tls/', { timeout });
    if (!tlsRes || tlsRes.status() !== 200) {
      fail(c, '/tls/', `GET /tls/: ${tlsRes ? tlsRes.status() : 'no response'}`);
      return;
    }

    for (const vp of viewports) {
      const at = `at ${vp.width}px`;
      for (const scheme of ['light', 'dark']) {
        await post.emulateMedia({ colorScheme: scheme });
        await post.setViewportSize(vp);
        const m = await post.evaluate(measure, { lastParagraph: process.env.LAST_PARAGRAPH });
        const where = `${at} (${scheme})`;
        for (const p of m.problems) fail(c, where, p);
        if (m.problems.length && !m.state) continue;
        if (m.state !== c.state) fail(c, where, `data-state="${m.state}", want "${c.state}"`);
        if (m.shown !== c.text) fail(c, where, `the badge shows ${JSON.stringify(m.shown)}, want ${JSON.stringify(c.text)}`);
        const greens = Object.entries(m.colours).filter(([, v]) => green(v)).map(([k]) => k);
        if (c.state === 'verified' && !greens.includes('dot')) {
          fail(c, where, `the verified badge's dot is not green: ${m.colours.dot}`);
        }
        if (c.state !== 'verified' && greens.length > 0) {
          fail(c, where, `green in a badge that is not verified: ${greens.map((k) => k + ' ' + m.colours[k]).join(', ')}`);
        }
        if (scheme === 'light') {
          const name = await accessibleName(post, '.tls-badge');
          if (name === null || !name.replace(/\s+/g, ' ').includes(c.text)) {
            fail(c, at, `the badge's accessible name ${JSON.stringify(name)} lacks the statement ${JSON.stringify(c.text)}`);
          }
        }
        if (vp.width === 375) {
          const { background, border, borderStyle, dot } = m.colours;
          looks[scheme].set(c.state, JSON.stringify({ background, border, borderStyle, dot }));
        }
        await barShot(post, `${c.state}-${vp.width}-bar-${scheme}`, m.bar, vp);
      }

      // /tls/: axe-core in both colour schemes, and the history reached
      // by keyboard.
      await tls.setViewportSize(vp);
      for (const scheme of ['light', 'dark']) {
        await tls.emulateMedia({ colorScheme: scheme });
        const axe = await runAxe(tls);
        for (const v of axe.violations) fail(c, `/tls/ ${at} (${scheme})`, 'axe: ' + v);
        if (vp === viewports[0] && scheme === 'light') {
          console.log(`${c.state} /tls/: axe ran ${axe.rules} rules (${axe.tags.join(' ')}); undecided: ${axe.incomplete.join(', ') || 'none'}`);
        }
        if (vp.width === 375 && shots) {
          // Scrolled to the end, the bar is in its place below the footer
          // (a full-page capture keeps sticky elements where they are).
          await tls.evaluate(() => {
            document.activeElement && document.activeElement.blur();
            window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
          });
          await screenshot(tls, `${c.state}-375-tls-${scheme}`, { fullPage: true });
        }
      }
      await tls.emulateMedia({ colorScheme: 'light' });
      if (await tls.$('.table-scroll')) {
        if ((await tabTo(tls, '.table-scroll', 60)) < 0) {
          fail(c, `/tls/ ${at}`, 'Tab never reaches the history table (.table-scroll)');
        }
        const name = await accessibleName(tls, '.table-scroll');
        if (!name) fail(c, `/tls/ ${at}`, 'the history table region has no accessible name');
      } else if (c.state !== 'not-encrypted') {
        fail(c, `/tls/ ${at}`, 'no certificate history table');
      }
      console.log(`CHECKED ${c.state} ${vp.width}`);
    }
    for (const e of errors) fail(c, 'console', e);
  } finally {
    await context.close();
  }
}

(async () => {
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--ignore-certificate-errors'],
  });
  try {
    // A few cases at a time, each in its own browser context.
    const queue = cases.slice();
    const worker = async () => {
      for (let c; (c = queue.shift());) {
        const t0 = Date.now();
        await checkCase(browser, c);
        console.log(`${c.state}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    for (const [scheme, byState] of Object.entries(looks)) {
      const seen = new Map();
      for (const [state, look] of byState) {
        if (seen.has(look)) {
          console.log(`FAIL ${seen.get(look)},${state} colours: the two states look alike in ${scheme} colours: ${look}`);
        }
        seen.set(look, state);
      }
      if (byState.size !== cases.length) {
        console.log(`FAIL all colours: ${byState.size} states measured in ${scheme} colours, want ${cases.length}`);
      }
    }
  } finally {
    await browser.close();
  }
})().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
