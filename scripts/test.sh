#!/usr/bin/env bash
# Installs what the tests need and runs them all.
#
#   ./scripts/test.sh                     go vet ./... && go test -count=1 ./...
#   ./scripts/test.sh -run Foo ./render/  go test -count=1 -run Foo ./render/
#                                         (and go vet ./render/)
#
# Without arguments it then runs each fuzz target of FUZZ_TARGETS (below)
# for SITE_FUZZTIME (default 5s; 0 skips them), one `go test -fuzz` run
# each, as Go allows one fuzz target per run. A run that fails without
# writing a failing input, on Go's own "context deadline exceeded" (a race
# in Go 1.26's fuzzing coordinator, go.dev/issue/75804), runs once more;
# any other failure stops the tests. A target run longer:
#   go test -run='^$' -fuzz='^FuzzRenderPost$' -fuzztime=10m -parallel=1 \
#       -fuzzminimizetime=5s ./render
#
# Test components, installed when missing (Debian 12, as root):
#   python3-feedparser  feed validation with Debian's /usr/bin/python3
#   chromium            browser tests (driven through playwright-core)
#   pebble              ACME test server and pebble-challtestsrv
#   wrk                 HTTP load generator (the production server's load test)
#   hugo, jekyll,       the other engines: internal/enginetest builds its
#   pelican             fixture sites with them and with site, and compares
#   nodejs, npm         only when node / npm are missing
#   playwright-core,    from npm, into .test-deps/node_modules (git-ignored):
#   axe-core,           the browser tests drive Chromium with playwright-core
#   html-validate       and check pages with axe-core; cmd/site's markup test
#                       checks every built page with html-validate (major 9,
#                       the last that runs on Debian 12's nodejs 18)
# Their paths are exported in SITE_TEST_* variables for internal/testenv.
#
# With CI=true a failed install is fatal; otherwise it is a warning and the
# tests that need the component skip. Exit status: go test's, or go vet's
# when go test passed but go vet did not.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEPS="$ROOT/.test-deps"
NODE_MODULES="$DEPS/node_modules"

in_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

say() { printf '==> %s\n' "$*"; }

# problem MESSAGE: fatal under CI, a warning otherwise.
problem() {
	if in_ci; then
		printf 'test.sh: error: %s (CI=true: install failures are fatal)\n' "$*" >&2
		exit 1
	fi
	printf 'test.sh: warning: %s; tests needing it will be skipped\n' "$*" >&2
}

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="$PATH:/usr/local/go/bin"
fi

# --- Debian packages --------------------------------------------------------

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi

# apt_run CMD...: runs an apt-get command quietly, waiting (up to ~10 min)
# while another apt/dpkg holds the lock. Shows apt's output on failure.
apt_run() {
	local log tries=0 rc
	log="$(mktemp)"
	while :; do
		rc=0
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get -o DPkg::Lock::Timeout=60 "$@" >"$log" 2>&1 || rc=$?
		if [[ $rc -eq 0 ]]; then
			rm -f "$log"
			return 0
		fi
		if grep -qiE 'could not get lock|unable to acquire the dpkg frontend lock|unable to lock' "$log" &&
			[[ $((tries += 1)) -lt 10 ]]; then
			echo "    apt is busy (lock held); retrying in 20 s" >&2
			sleep 20
			continue
		fi
		tail -n 30 "$log" >&2
		rm -f "$log"
		return "$rc"
	done
}

APT_UPDATED=0
apt_install() {
	say "installing Debian packages: $*"
	if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
		problem "not root and no sudo: cannot install $*"
		return 0
	fi
	if [[ $APT_UPDATED -eq 0 ]]; then
		if ! apt_run update -qq; then
			problem "apt-get update failed"
			return 0
		fi
		APT_UPDATED=1
	fi
	if ! apt_run install -y -qq --no-install-recommends "$@"; then
		problem "apt-get install $* failed"
	fi
}

have_feedparser() { [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1; }

# find_pebble_bin NAME: Debian's binary (normally /usr/bin/NAME), else PATH.
find_pebble_bin() {
	local name="$1" p
	if [[ -x "/usr/bin/$name" ]]; then
		echo "/usr/bin/$name"
		return 0
	fi
	if p="$(dpkg -L pebble 2>/dev/null | grep -E "/$name\$" | head -n 1)" && [[ -n "$p" && -x "$p" ]]; then
		echo "$p"
		return 0
	fi
	command -v "$name" 2>/dev/null
}

missing=()
have_feedparser || missing+=(python3-feedparser)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
{ find_pebble_bin pebble >/dev/null && find_pebble_bin pebble-challtestsrv >/dev/null; } || missing+=(pebble)
for engine in hugo jekyll pelican; do
	[[ -x "/usr/bin/$engine" ]] || missing+=("$engine")
done
[[ -x /usr/bin/wrk ]] || missing+=(wrk)
if ! command -v node >/dev/null 2>&1; then
	missing+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
	missing+=(npm)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
	say "test dependencies missing: ${missing[*]}"
	apt_install "${missing[@]}"
	have_feedparser || problem "python3-feedparser is not importable by /usr/bin/python3"
	[[ -x /usr/bin/chromium ]] || problem "chromium is not installed (/usr/bin/chromium)"
	{ find_pebble_bin pebble >/dev/null && find_pebble_bin pebble-challtestsrv >/dev/null; } ||
		problem "pebble / pebble-challtestsrv not found"
	for engine in hugo jekyll pelican; do
		[[ -x "/usr/bin/$engine" ]] || problem "$engine is not installed (/usr/bin/$engine)"
	done
	[[ -x /usr/bin/wrk ]] || problem "wrk is not installed (/usr/bin/wrk)"
fi

# --- playwright-core, axe-core and html-validate from npm -------------------

# The major versions the tests are written for.
declare -A npm_major=([playwright-core]=1 [axe-core]=4 [html-validate]=9)
npm_missing=()
for pkg in playwright-core axe-core html-validate; do
	[[ -f "$NODE_MODULES/$pkg/package.json" ]] || npm_missing+=("$pkg")
done
if [[ ${#npm_missing[@]} -gt 0 ]]; then
	if command -v npm >/dev/null 2>&1; then
		say "installing ${npm_missing[*]} into ${DEPS#"$ROOT"/}/"
		mkdir -p "$DEPS"
		[[ -f "$DEPS/package.json" ]] || printf '{ "private": true }\n' >"$DEPS/package.json"
		specs=()
		for pkg in "${npm_missing[@]}"; do specs+=("$pkg@^${npm_major[$pkg]}"); done
		# playwright-core downloads no browser; the tests use Debian's chromium.
		if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$DEPS" "${specs[@]}" \
			--no-audit --no-fund --silent --no-progress >&2; then
			problem "npm install ${npm_missing[*]} failed"
		fi
		for pkg in "${npm_missing[@]}"; do
			[[ -f "$NODE_MODULES/$pkg/package.json" ]] || problem "$pkg is not installed in ${NODE_MODULES#"$ROOT"/}"
		done
	else
		problem "npm not found: cannot install ${npm_missing[*]}"
	fi
fi

# --- environment for internal/testenv ---------------------------------------

export SITE_TEST_PYTHON=/usr/bin/python3
export SITE_TEST_CHROMIUM=/usr/bin/chromium
if [[ -x /usr/bin/wrk ]]; then export SITE_TEST_WRK=/usr/bin/wrk; fi
if p="$(find_pebble_bin pebble)"; then export SITE_TEST_PEBBLE="$p"; fi
if p="$(find_pebble_bin pebble-challtestsrv)"; then export SITE_TEST_CHALLTESTSRV="$p"; fi
for engine in hugo jekyll pelican; do
	if [[ -x "/usr/bin/$engine" ]]; then
		var="SITE_TEST_${engine^^}"
		export "$var=/usr/bin/$engine"
	fi
done
if [[ -f "$NODE_MODULES/playwright-core/package.json" ]]; then
	export SITE_TEST_NODE_MODULES="$NODE_MODULES"
	export NODE_PATH="$NODE_MODULES${NODE_PATH:+:$NODE_PATH}"
fi

# --- go vet, go test --------------------------------------------------------

if [[ $# -eq 0 ]]; then
	test_args=(./...)
	vet_args=(./...)
else
	test_args=("$@")
	vet_args=()
	for a in "$@"; do
		case "$a" in
		. | ./* | ../* | github.com/*) vet_args+=("$a") ;;
		esac
	done
fi

vet_rc=0
if [[ ${#vet_args[@]} -gt 0 ]]; then
	say "go vet ${vet_args[*]}"
	go vet "${vet_args[@]}" || vet_rc=$?
	[[ $vet_rc -eq 0 ]] || echo "test.sh: go vet failed (exit $vet_rc); running the tests anyway" >&2
fi

say "go test -count=1 ${test_args[*]}"
test_rc=0
go test -count=1 "${test_args[@]}" || test_rc=$?

if [[ $test_rc -ne 0 ]]; then
	echo "test.sh: go test failed (exit $test_rc)" >&2
	exit "$test_rc"
fi

# --- fuzz targets -----------------------------------------------------------

# PACKAGE:TARGET pairs; their seeds are in PACKAGE/testdata/fuzz/TARGET.
FUZZ_TARGETS=(
	content:FuzzFrontMatter
	content:FuzzParseDate
	content:FuzzSlug
	content:FuzzURLPath
	internal/fastlex:FuzzBacktrack
	internal/fastlex:FuzzSameTokens
	render:FuzzInfoString
	render:FuzzRenderPost
)
fuzztime="${SITE_FUZZTIME:-5s}"

# fuzz_once PACKAGE TARGET: one run of the target for $fuzztime. Exit 0
# when it passed, 1 when it failed with a new failing input written to
# PACKAGE/testdata/fuzz/TARGET/, 2 when it failed writing none with Go's
# "context deadline exceeded": the fuzzing coordinator's race at the end
# of -fuzztime (go.dev/issue/75804, fixed in Go 1.27), not an input.
fuzz_once() {
	local dir="$1/testdata/fuzz/$2" log before after rc=0
	log=$(mktemp)
	before=$(find "$dir" -type f 2>/dev/null | wc -l)
	go test -run='^$' -fuzz="^$2\$" -fuzztime="$fuzztime" "./$1" 2>&1 | tee "$log" || rc=$? # pipefail: go test's status
	after=$(find "$dir" -type f 2>/dev/null | wc -l)
	if [[ $rc -ne 0 && $after -eq $before ]] && grep -q '^[[:space:]]*context deadline exceeded$' "$log"; then
		rc=2
	elif [[ $rc -ne 0 ]]; then
		rc=1
	fi
	rm -f "$log"
	return "$rc"
}

if [[ $# -eq 0 && "$fuzztime" != 0 ]]; then
	for pair in "${FUZZ_TARGETS[@]}"; do
		pkg="${pair%%:*}" target="${pair#*:}"
		say "go test -run='^\$' -fuzz='^$target\$' -fuzztime=$fuzztime ./$pkg"
		fuzz_rc=0
		fuzz_once "$pkg" "$target" || fuzz_rc=$?
		if [[ $fuzz_rc -eq 2 ]]; then
			say "$target: Go's fuzzing coordinator reported its own deadline, with no failing input (go.dev/issue/75804): running it again"
			fuzz_rc=0
			fuzz_once "$pkg" "$target" || fuzz_rc=$?
		fi
		if [[ $fuzz_rc -ne 0 ]]; then
			echo "test.sh: fuzz target $target failed; a failing input, if it wrote one, is in $pkg/testdata/fuzz/$target/" >&2
			exit 1
		fi
	done
fi
if [[ $vet_rc -ne 0 ]]; then
	echo "test.sh: tests passed but go vet failed (exit $vet_rc)" >&2
	exit "$vet_rc"
fi
exit 0
