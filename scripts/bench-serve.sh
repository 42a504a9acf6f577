#!/usr/bin/env bash
# Serving speed of `site serve` against nginx, same machine, same run.
#
#   ./scripts/bench-serve.sh [ROUNDS]      (default 3 rounds)
#
# Builds the binary and the example site, then serves one post page over
# HTTPS on 127.0.0.1 twice, with the same self-signed ECDSA certificate:
#   site   `site serve --tls-cert`: the page with the issuer badge filled for
#          the connection (state self-signed), security headers, ETag;
#   nginx  Debian's nginx (installed when missing) serving the same built
#          file from `site build`, TLS 1.2/1.3, HTTP/2 enabled, the same
#          security headers, sendfile, no access log, unlimited keep-alive
#          requests per connection as Go's server has.
# wrk (Debian's, installed when missing) runs `wrk -t2 -c64 -d10s` against
# each, alternating, ROUNDS times after a short warm-up of both. It prints
# requests/s of every run, the median of each server and the ratio
# site/nginx (the target is at least 0.9).
set -euo pipefail

ROUNDS="${1:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="$PATH:/usr/local/go/bin"
fi

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [[ ${#need[@]} -gt 0 ]]; then
	echo "==> installing ${need[*]}"
	SUDO=()
	[[ $(id -u) -eq 0 ]] || SUDO=(sudo -n)
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

TMP="$(mktemp -d)"
chmod 755 "$TMP" # nginx workers run as nobody and read public/
PIDS=()
cleanup() {
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # PORT: wait until something listens
	for _ in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "nothing listens on 127.0.0.1:$1" >&2
	return 1
}

echo "==> building site and the example site"
go build -o "$TMP/site" ./cmd/site
"$TMP/site" build --no-cache -s examples/blog -o "$TMP/public" >/dev/null
page="$(cd "$TMP/public" && find . -path './20*' -name index.html | grep -m1 code-listings || true)"
[[ -n "$page" ]] || page="$(cd "$TMP/public" && find . -path './20*' -name index.html | sort | head -n1)"
page="${page#.}"
url_path="${page%index.html}"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

SITE_PORT="$(free_port)"
NGINX_PORT="$(free_port)"

"$TMP/site" serve -s examples/blog --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" \
	--https-addr "127.0.0.1:$SITE_PORT" --http-addr "" --cache "$TMP/cache" >"$TMP/site.log" 2>&1 &
PIDS+=($!)

mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	types { text/html html; text/css css; image/svg+xml svg; }
	default_type application/octet-stream;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 120s;
	keepalive_requests 10000000;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT ssl http2;
		ssl_certificate $TMP/cert.pem;
		ssl_certificate_key $TMP/key.pem;
		ssl_protocols TLSv1.2 TLSv1.3;
		ssl_session_cache shared:SSL:1m;
		root $TMP/public;
		add_header Strict-Transport-Security "max-age=63072000" always;
		add_header Content-Security-Policy "default-src 'self'" always;
		add_header X-Content-Type-Options nosniff always;
		add_header Referrer-Policy strict-origin-when-cross-origin always;
		add_header Cache-Control no-cache;
	}
}
EOF
/usr/sbin/nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" >"$TMP/nginx/stdout.log" 2>&1 &
PIDS+=($!)

wait_port "$SITE_PORT"
wait_port "$NGINX_PORT"

SITE_URL="https://127.0.0.1:$SITE_PORT$url_path"
NGINX_URL="https://127.0.0.1:$NGINX_PORT$url_path"
site_page="$(curl -sk "$SITE_URL")"
nginx_page="$(curl -sk "$NGINX_URL")"
grep -q 'data-state="self-signed"' <<<"$site_page" || { echo "site's page has no filled badge" >&2; exit 1; }
grep -q 'data-state="build"' <<<"$nginx_page" || { echo "nginx's page is not the built page:" >&2; head -c 600 <<<"$nginx_page" >&2; cat "$TMP/nginx/error.log" "$TMP/nginx/stdout.log" >&2; exit 1; }
echo "page: $url_path (site: ${#site_page} bytes with the badge filled, nginx: ${#nginx_page} bytes as built)"
echo "CPU: $(nproc) cores; $(go version | cut -d' ' -f3); $(/usr/sbin/nginx -v 2>&1)"
echo

rps() { # URL DURATION
	wrk -t2 -c64 -d"$2" "$1" | awk '/^Requests\/sec:/ { print $2 }'
}

echo "==> warm-up"
rps "$SITE_URL" 2s >/dev/null
rps "$NGINX_URL" 2s >/dev/null

echo "==> wrk -t2 -c64 -d10s, $ROUNDS rounds, alternating"
site_runs=()
nginx_runs=()
for i in $(seq 1 "$ROUNDS"); do
	s="$(rps "$SITE_URL" 10s)"
	n="$(rps "$NGINX_URL" 10s)"
	site_runs+=("$s")
	nginx_runs+=("$n")
	printf 'round %d: site %10.0f req/s   nginx %10.0f req/s\n' "$i" "$s" "$n"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ms="$(median "${site_runs[@]}")"
mn="$(median "${nginx_runs[@]}")"
printf '\nmedian: site %.0f req/s, nginx %.0f req/s, ratio site/nginx %.3f (target >= 0.9)\n' \
	"$ms" "$mn" "$(awk -v s="$ms" -v n="$mn" 'BEGIN { print s / n }')"
