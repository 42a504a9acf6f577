#!/usr/bin/env bash
# Build speed and memory of `site build` against Hugo, on one generated corpus.
#
#   scripts/bench-build.sh [POSTS] [ROUNDS]
#
# POSTS (default 4000) posts from ../shared/bench/gen_corpus.py (seed 1);
# ROUNDS (default 3) rounds, each timing, on the same content:
#   hugo      Hugo's cold build (../shared/bench/hugo-site/)
#   cold      site build with no cache and a fresh output directory
#   nochange  site build again, nothing changed
#   oneedit   site build after one post was edited
# It prints each time and peak memory (maximum resident set size), then the
# medians and the ratios site/hugo, and checks that the output after the
# edit is byte-identical to a cold build of the same files.
# Needs hugo (Debian: apt-get install hugo) and GNU time (/usr/bin/time).
set -euo pipefail
posts=${1:-4000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
hugo=${HUGO:-hugo}
command -v "$hugo" >/dev/null || { echo "bench-build: hugo not found (apt-get install hugo)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench-build: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/site" ./cmd/site)
python3 "$bench/gen_corpus.py" --posts "$posts" --out "$work/corpus" >/dev/null
cp -r "$bench/hugo-site" "$work/hugo"
cp -r "$work/corpus/content" "$work/hugo/"
mkdir -p "$work/s"
cp -r "$work/corpus/content" "$work/s/"
printf 'title = "Benchmark Blog"\nbase_url = "https://blog.example.com/"\n' >"$work/s/site.toml"
edited=$(ls "$work/s/content/posts" | sort | sed -n '2p')

# measure NAME CMD...: runs CMD, appends "NAME seconds kilobytes" to the results.
measure() {
	local name=$1
	shift
	/usr/bin/time -f "$name %e %M" -a -o "$work/results" "$@" >/dev/null
	tail -n 1 "$work/results"
}

for i in $(seq "$rounds"); do
	rm -rf "$work/hout" "$work/hugo/resources" "$work/s/public" "$work/s/.site-cache"
	measure hugo sh -c "cd '$work/hugo' && '$hugo' --quiet -d '$work/hout'"
	measure cold "$work/site" build -s "$work/s"
	measure nochange "$work/site" build -s "$work/s"
	printf '\nEdited in round %d.\n' "$i" >>"$work/s/content/posts/$edited"
	measure oneedit "$work/site" build -s "$work/s"
done

rm -rf "$work/fresh"
"$work/site" build --no-cache -s "$work/s" -o "$work/fresh" >/dev/null
if diff -r "$work/s/public" "$work/fresh" >/dev/null; then
	echo "output after the edits: identical to a cold build"
else
	echo "output after the edits: DIFFERS from a cold build" >&2
	exit 1
fi

# median NAME FIELD: the median of a column (2: seconds, 3: KiB) of NAME's rows.
median() {
	grep "^$1 " "$work/results" | awk -v f="$2" '{print $f}' | sort -n |
		awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
h=$(median hugo 2)
hm=$(median hugo 3)
printf '\n%d posts, median of %d rounds   seconds   ratio to hugo cold   peak MiB   ratio\n' "$posts" "$rounds"
awk -v s="$h" -v m="$hm" 'BEGIN {printf "  hugo cold                    %7.2f                          %8.0f\n", s, m / 1024}'
for name in cold nochange oneedit; do
	awk -v n="$name" -v s="$(median "$name" 2)" -v m="$(median "$name" 3)" -v h="$h" -v hm="$hm" \
		'BEGIN {printf "  site %-23s %7.2f   %8.3f             %8.0f   %.2f\n", n, s, s / h, m / 1024, m / hm}'
done
