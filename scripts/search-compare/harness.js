// The Pagefind side of scripts/search-compare.sh: Pagefind's JS API on a
// page like the site's search page. It loads Pagefind when the page
// loads (so its WebAssembly and entry files are in before the first
// query, as the site's page loads its manifest) and, on each input,
// shows the first 10 results with their excerpts.
const input = document.getElementById("search-q");
const list = document.querySelector(".search-list");
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
let current = 0;
input.addEventListener("input", async () => {
  const seq = ++current;
  const search = await pagefind.search(input.value);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (seq !== current) return;
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.meta.title;
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;
    li.append(a, p);
    return li;
  }));
});
window.searchReady = true;
