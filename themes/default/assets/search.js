// The search page of site's default theme. It reads the index `site build`
// writes under /search/index/ (package render's doc, "Search"): the
// manifest, then one shard per query word, then the documents of the
// results it shows. No library: themes/doc.go says why.
"use strict";
// siteSearch is the index's logic, apart from the page.
const siteSearch = (() => {
  const WEIGHT = [100, 10, 1]; // a word in the title, a tag, the text
  const MAX_WORD = 40; // characters, as render.maxWordLen

  // words cuts text as render.searchWords does.
  const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
  const RUNS = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+/gu;
  function words(text) {
    const out = [];
    const word = (w) => { if (w && [...w].length <= MAX_WORD) out.push(w); };
    for (const piece of text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{Nd}\p{M}_]+/u)) {
      const parts = piece.split("_").filter(Boolean);
      let cjk = false;
      for (const part of parts) {
        for (const run of part.match(RUNS)) {
          if (!CJK.test(run)) { word(run); continue; }
          cjk = true;
          const cs = [...run];
          if (cs.length === 1) out.push(run);
          for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
        }
      }
      if (parts.length > 1 && !cjk) word(parts.join("_"));
    }
    return [...new Set(out)];
  }

  // shardOf names a word's shard as render.shardOf does.
  function shardOf(w) {
    if (/^[a-z0-9]{2}/.test(w)) return w.slice(0, 2);
    if (/^[a-z0-9]/.test(w)) return w[0];
    return "u" + w.codePointAt(0).toString(16);
  }

  // ids decodes a posting list (render.encodeIDs).
  function ids(s) {
    const out = [];
    if (s.startsWith("~")) {
      const bits = atob(s.slice(1));
      for (let i = 0; i < bits.length; i++) {
        for (let j = 0, c = bits.charCodeAt(i); c; j++, c >>= 1) if (c & 1) out.push(i * 8 + j);
      }
    } else if (s) {
      let id = 0;
      for (const gap of s.split(",")) out.push(id += parseInt(gap, 36));
    }
    return out;
  }

  const commonPrefix = (a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return i; };

  // match finds a query word's stems in its shard: the word itself; else,
  // for an inflection the posts do not hold, the stems of words that
  // share all but its last three characters and whose stem it starts
  // with ("deploying" finds deploy, deployed); else the words it begins
  // ("certif" finds certificate). It returns each document's score and
  // the words as written to mark.
  function match(shard, word) {
    const w = shard.w;
    const all = Object.keys(w);
    let stems = [];
    if (Object.hasOwn(w, word)) {
      stems = [w[word]];
    } else {
      const near = all.filter((v) => word.startsWith(shard.s[w[v]][0]) &&
        commonPrefix(v, word) >= Math.max(3, word.length - 3));
      const begun = near.length ? near : all.filter((v) => v.startsWith(word));
      stems = [...new Set(begun.map((v) => w[v]))];
    }
    const scores = new Map();
    for (const i of stems) {
      const one = new Map();
      shard.s[i].slice(1).forEach((list, field) => {
        for (const id of ids(list)) one.set(id, (one.get(id) || 0) + WEIGHT[field]);
      });
      for (const [id, s] of one) scores.set(id, Math.max(scores.get(id) || 0, s));
    }
    return { scores, forms: all.filter((v) => stems.includes(w[v])) };
  }

  // rank orders the posts the words of a query matched: those holding
  // every word, by the sum over words of their scores; if no post holds
  // every word, those holding any. Ties: the newest first.
  function rank(matches) {
    const total = new Map();
    for (const { scores } of matches) for (const [id, s] of scores) total.set(id, (total.get(id) || 0) + s);
    const ranked = (every) => [...total.keys()]
      .filter((id) => !every || matches.every((x) => x.scores.has(id)))
      .sort((a, b) => total.get(b) - total.get(a) || b - a);
    const found = ranked(true);
    return found.length || matches.length < 2 ? found : ranked(false);
  }

  return { words, shardOf, ids, match, rank, CJK };
})();
if (typeof module === "object") module.exports = siteSearch; // for render's tests

if (typeof document === "object") (() => {
  const { words, shardOf, match, rank, CJK } = siteSearch;
  const root = document.getElementById("search-results");
  const input = document.getElementById("search-q");
  if (!root || !input) return;
  const status = root.querySelector(".search-status");
  const list = root.querySelector(".search-list");
  const indexURL = new URL(root.dataset.index, location.href);
  const SHOWN = 10; // results shown at once

  // fetchJSON fetches each URL once.
  const fetched = new Map();
  function fetchJSON(url) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return r.json();
      }));
    }
    return fetched.get(url);
  }
  const manifest = fetchJSON(indexURL.href);

  // search finds the posts for a query, best first.
  async function search(query) {
    const m = await manifest;
    const terms = words(query);
    const have = new Set(m.shards);
    const shards = await Promise.all(terms.map((t) =>
      have.has(shardOf(t)) ? fetchJSON(new URL(`${shardOf(t)}.json`, indexURL).href) : { w: {}, s: [] }));
    const matches = terms.map((t, i) => match(shards[i], t));
    return { found: rank(matches), forms: matches.flatMap((x) => x.forms) };
  }

  // marker returns a function that appends text to an element with the
  // words of forms in <mark>.
  function marker(forms) {
    const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const alts = [...forms].sort((a, b) => b.length - a.length).map((f) =>
      CJK.test(f) ? esc(f) : `(?<![\\p{L}\\p{Nd}\\p{M}])${esc(f)}(?![\\p{L}\\p{Nd}\\p{M}])`);
    const re = alts.length ? new RegExp(alts.join("|"), "giu") : null;
    return {
      re,
      append(el, text) {
        let at = 0;
        if (re) {
          re.lastIndex = 0;
          for (const m of text.matchAll(re)) {
            el.append(text.slice(at, m.index));
            const mark = document.createElement("mark");
            mark.textContent = m[0];
            el.append(mark);
            at = m.index + m[0].length;
          }
        }
        el.append(text.slice(at));
      },
    };
  }

  // excerpt is about 220 characters of text around the first match.
  function excerpt(text, mk) {
    let start = 0;
    if (mk.re) {
      mk.re.lastIndex = 0;
      const m = mk.re.exec(text);
      if (m && m.index > 60) start = text.indexOf(" ", m.index - 60) + 1;
    }
    let end = Math.min(text.length, start + 220);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function element(tag, className, parent) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (parent) parent.append(el);
    return el;
  }

  function render(doc, mk) {
    const li = element("li", "search-result");
    const title = element("a", null, element("h2", "search-title", li));
    title.href = doc.u;
    mk.append(title, doc.t);
    const time = element("time", null, element("p", "meta", li));
    time.dateTime = doc.i;
    time.textContent = doc.d;
    mk.append(element("p", "search-excerpt", li), excerpt(doc.x, mk));
    return li;
  }

  const say = (key, q) => root.dataset[key].replace("%s", q); // the site's words, from search.html
  const docs = (ids) => Promise.all(ids.map((id) => fetchJSON(new URL(`doc/${id}.json`, indexURL).href)));
  let current = 0; // the newest query; older answers are dropped

  // show shows the first results of a query, and a button for more.
  async function show(query) {
    const seq = ++current;
    query = query.trim();
    root.querySelector(".search-more")?.remove();
    if (!query) {
      status.textContent = "";
      list.replaceChildren();
      return;
    }
    try {
      const { found, forms } = await search(query);
      const mk = marker(forms);
      const first = await docs(found.slice(0, SHOWN));
      if (seq !== current) return;
      status.textContent = say(found.length ? "results" : "none", query);
      list.replaceChildren(...first.map((d) => render(d, mk)));
      for (let shown = SHOWN; shown < found.length;) {
        const more = element("button", "search-more", root);
        more.type = "button";
        more.textContent = root.dataset.more;
        await new Promise((resolve) => more.addEventListener("click", resolve, { once: true }));
        const next = await docs(found.slice(shown, shown + SHOWN));
        more.remove();
        if (seq !== current) return;
        list.append(...next.map((d) => render(d, mk)));
        list.children[shown].querySelector("a").focus(); // where the button was
        shown += SHOWN;
      }
    } catch (err) {
      if (seq !== current) return;
      status.textContent = root.dataset.failed;
      list.replaceChildren();
      console.error(err);
    }
  }

  function update() {
    const url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    show(input.value);
  }

  input.addEventListener("input", update);
  input.form.addEventListener("submit", (e) => { e.preventDefault(); update(); });
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    input.value = q;
    show(q);
  }
})();
