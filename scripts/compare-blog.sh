#!/usr/bin/env bash
# Builds a real blog with its original engine and with site, and reports
# per post whether the URL, the day shown, the title and the authors match
# (after a Hugo, Jekyll or Pelican build also listings, raw HTML, images,
# links between posts and aliases), N of M posts, and both build times.
#
#   scripts/compare-blog.sh ENGINE BLOGDIR SITE_TOML [MOVEIN] [-v]
#
# ENGINE is hugo, jekyll or pelican (built with Debian's engine, with probe
# templates in place of the blog's own) or zola or goblog (not in Debian:
# what they publish is derived from front matter and file names by their
# documented rules). SITE_TOML is the site.toml the blog's writer would
# write; MOVEIN optionally replaces the default move-in rules (see
# internal/enginetest: "FROM TO" copies, "- PATH" removes). The blog is
# only read: both builds happen in a temporary directory. Fetches nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 3 ]]; then
	sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
engine="$1" blog="$2" toml="$3"
shift 3
args=()
for a in "$@"; do
	case "$a" in
	-v | -keep) args+=("$a") ;;
	*) args+=(-movein "$(realpath "$a")") ;;
	esac
done
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="$PATH:/usr/local/go/bin"
fi

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
(cd "$ROOT" && go build -o "$bin/site" ./cmd/site && go build -o "$bin/compareblog" ./internal/enginetest/compareblog)
engine_bin=()
case "$engine" in
hugo | jekyll | pelican)
	var="SITE_TEST_${engine^^}"
	engine_bin=(-engine-bin "${!var:-$engine}")
	;;
esac
"$bin/compareblog" -engine "$engine" -site-toml "$(realpath "$toml")" -site "$bin/site" "${engine_bin[@]}" "${args[@]}" "$(realpath "$blog")"
