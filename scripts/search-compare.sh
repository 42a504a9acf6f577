#!/usr/bin/env bash
# The site's search against Pagefind, on one generated corpus.
#
#   scripts/search-compare.sh [POSTS] [ROUNDS]
#
# POSTS (default 4000) posts from ../shared/bench/gen_corpus.py (seed 1),
# built with `site build`. It prints:
#   - the build's cost: ROUNDS (default 3) cold builds with and without
#     [search] (wall and CPU time, medians), a build with nothing changed
#     and one after one post was edited, with the index files it rewrote;
#   - Pagefind's run over the same build (npm pagefind, the binary package
#     @pagefind/linux-x64; installed into PAGEFIND_NPM, default
#     /tmp/search-npm, when missing), over the post pages only
#     (--glob), reading each post's <article> without its links to the
#     next and previous posts, so both index the same text;
#   - for the 20 queries of scripts/search-compare/judge.py, in Chromium:
#     bytes downloaded for the query, time to the first result, recall@10,
#     and the median of 10 timings of one query (scripts/search-compare/
#     driver.js says how each is measured).
# The report is kept as JSON in REPORT (default search-compare.json in the
# working directory).
# Needs Debian's chromium and playwright-core (scripts/test.sh installs it
# into .test-deps/; or SITE_TEST_NODE_MODULES), GNU time, node and npm.
set -euo pipefail
posts=${1:-4000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/search-compare
bench=${BENCH_DIR:-$root/../shared/bench}
npmdir=${PAGEFIND_NPM:-/tmp/search-npm}
node_modules=${SITE_TEST_NODE_MODULES:-$root/.test-deps/node_modules}
chromium=${SITE_TEST_CHROMIUM:-/usr/bin/chromium}
report=${REPORT:-$PWD/search-compare.json}
[[ -x /usr/bin/time ]] || { echo "search-compare: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
[[ -d $node_modules/playwright-core ]] || { echo "search-compare: no playwright-core in $node_modules (run scripts/test.sh once)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/site" ./cmd/site)
python3 "$bench/gen_corpus.py" --posts "$posts" --out "$work/corpus" >/dev/null
mkdir -p "$work/blog"
cp -r "$work/corpus/content" "$work/blog/"
config='title = "Benchmark Blog"\nbase_url = "https://blog.example.com/"\n'

# timed NAME CMD…: runs CMD, prints NAME, wall and CPU seconds.
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
  read -r wall user sys < "$work/time"
  printf '%s %s %s\n' "$name" "$wall" "$(awk "BEGIN{print $user+$sys}")" | tee -a "$work/times"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== build: cold, $rounds rounds, with and without search (name wall cpu)"
for i in $(seq "$rounds"); do
  for mode in off on; do # the last build is with search, and its cache is the next builds'

    if [[ $mode == on ]]; then printf "$config" > "$work/blog/site.toml"; else printf "$config[search]\nenabled = false\n" > "$work/blog/site.toml"; fi
    rm -rf "$work/blog/.site-cache" "$work/out-$mode" "$work/.out-$mode.prev"
    (cd "$work/blog" && timed "cold-$mode" "$work/site" build -o "$work/out-$mode")
  done
done
for mode in on off; do
  for col in 2 3; do
    grep "^cold-$mode " "$work/times" | cut -d' ' -f$col | median > "$work/m-$mode-$col"
  done
done
echo "median cold build: search on $(cat "$work/m-on-2") s wall, $(cat "$work/m-on-3") s CPU; off $(cat "$work/m-off-2") s wall, $(cat "$work/m-off-3") s CPU"
printf "$config" > "$work/blog/site.toml"
(cd "$work/blog" && timed "nochange" "$work/site" build -o "$work/out-on")
(cd "$work/out-on/search/index" && find . -name '*.json' -exec sha256sum {} + | sort -k2 > "$work/before")
post=$(ls "$work/blog/content/posts" | sed -n 2p)
printf '\nOne more sentence about a certificate.\n' >> "$work/blog/content/posts/$post"
(cd "$work/blog" && timed "oneedit" "$work/site" build -o "$work/out-on")
(cd "$work/out-on/search/index" && find . -name '*.json' -exec sha256sum {} + | sort -k2 > "$work/after")
echo "one edit rewrote $(diff "$work/before" "$work/after" | grep -c '^>') of $(wc -l < "$work/after") index files"
public=$work/out-on

echo "== index on disk"
echo "site: $(find "$public/search/index" -type f | wc -l) files, $(du -sk "$public/search/index" | cut -f1) KB"

[[ -x $npmdir/node_modules/.bin/pagefind ]] || (mkdir -p "$npmdir" && cd "$npmdir" && npm i pagefind >/dev/null)
echo "pagefind $(node -p "require('$npmdir/node_modules/pagefind/package.json').version")"
cp -r "$public" "$work/pf"
(cd "$npmdir" && timed "pagefind" npx pagefind --site "$work/pf" --glob '[0-9][0-9][0-9][0-9]/**/index.html' \
  --root-selector 'article.post' --exclude-selectors '.post-nav')
echo "pagefind: $(find "$work/pf/pagefind" -type f | wc -l) files, $(du -sk "$work/pf/pagefind" | cut -f1) KB"
mkdir -p "$work/pf/pf-harness"
cp "$here/harness.js" "$work/pf/pf-harness/harness.js"
cp "$here/pagefind.html" "$work/pf/pf-harness/index.html"

echo "== queries"
python3 "$here/judge.py" "$work/blog/content/posts" "$public" > "$work/queries.json"
SITE_PUBLIC=$public PAGEFIND_PUBLIC=$work/pf QUERIES=$work/queries.json TIMED=${TIMED:-certificate} \
  CHROMIUM=$chromium NODE_PATH=$node_modules node "$here/driver.js" > "$report"
node -e '
const r = require(process.argv[1]);
const pct = (x) => x === null ? "-" : (100 * x).toFixed(0) + "%";
console.log("| query | judged relevant | site bytes | Pagefind bytes | site ms | Pagefind ms | site recall@10 | Pagefind recall@10 |");
console.log("|---|---|---|---|---|---|---|---|");
for (const q of r.queries) console.log(`| ${q.query} | ${q.rule} (${q.relevant}) | ${q.site.bytes} | ${q.pagefind.bytes} | ${q.site.ms} | ${q.pagefind.ms} | ${pct(q.site.recall)} | ${pct(q.pagefind.recall)} |`);
console.log(`| **median / mean** | | ${r.site.medianBytes} | ${r.pagefind.medianBytes} | ${r.site.medianMs} | ${r.pagefind.medianMs} | ${pct(r.site.meanRecall)} | ${pct(r.pagefind.meanRecall)} |`);
console.log(`time to first result for "${r.timed.query}", median of 10: site ${r.timed.site.median} ms (${r.timed.site.all}), Pagefind ${r.timed.pagefind.median} ms (${r.timed.pagefind.all})`);
' "$report"
echo "report: $report"
