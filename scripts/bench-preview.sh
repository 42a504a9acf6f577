#!/usr/bin/env bash
# Live-reload latency of `site serve` against `hugo server` on one corpus:
# the time from saving one post to the reload message reaching the page's
# connection (internal/benchpreview says how each is measured).
#
#   scripts/bench-preview.sh [POSTS] [EDITS] [newest|middle] [body|tag|title|date]
#
# Generates POSTS (default 4000) posts with ../shared/bench/gen_corpus.py,
# builds `site`, sets up a site and a copy of ../shared/bench/hugo-site/
# with the same content/, and times EDITS (default 20) edits of the newest
# post (or the middle one) in each, printing the median: a line appended
# to its body, or by turns a tag of the corpus put on and taken off (tag),
# a word added to its title and taken off (title), or its date moved a
# day and a half later and back (date). Needs python3 and
# hugo (HUGO=path, or on PATH; SKIP_HUGO=1 to measure site alone).
# BENCH_VERBOSE=1 shows the servers' output. The body cache of the site
# directory is warmed by one `site build` first, as a writer's would be.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${BENCH_DIR:-$ROOT/../shared/bench}"
posts=${1:-4000}; edits=${2:-20}; which=${3:-newest}; what=${4:-body}
hugo=${HUGO:-hugo}

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "==> corpus of $posts posts, site binary" >&2
python3 "$BENCH/gen_corpus.py" --posts "$posts" --out "$work/corpus" >/dev/null
(cd "$ROOT" && go build -o "$work/site" ./cmd/site && go build -o "$work/benchpreview" ./internal/benchpreview)

mkdir -p "$work/blog"
cp -r "$work/corpus/content" "$work/blog/"
printf 'title = "Benchmark Blog"\nbase_url = "https://blog.example.com/"\n' >"$work/blog/site.toml"
"$work/site" build -s "$work/blog" -o "$work/public" >&2

args=(-site "$work/site" -site-dir "$work/blog" -edits "$edits" -post "$which" -edit "$what")
if [[ -z "${SKIP_HUGO:-}" ]]; then
	cp -r "$BENCH/hugo-site" "$work/hugo"
	cp -r "$work/corpus/content" "$work/hugo/"
	args+=(-hugo "$(command -v "$hugo")" -hugo-dir "$work/hugo")
	"$hugo" version >&2
fi
# Flush the setup's few hundred megabytes of writes first, so the kernel
# writing them back does not overlap the timed edits.
sync
"$work/benchpreview" "${args[@]}"
