#!/usr/bin/env bash
# Load test of the web API: POST /api/schedule through HTTP on loopback, with wrk (Debian `wrk`).
#
#   scripts/load_web.sh [SECONDS] [CONNECTIONS]      (defaults: 10 s, 32 connections)
#
# Builds the release server, starts it on a free loopback port, runs wrk (one thread, so the
# server keeps most of the 2 cores) against each request in scripts/load/*.json for SECONDS,
# prints requests/s, latency and any non-200 answers, then stops the server. Traffic goes to
# 127.0.0.1 only and every run is bounded in time. Prints `uptime` before and after: the machine
# is shared, so note the load with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
conns="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release --quiet -p lac-timescales-web
out="$(mktemp)"
target/release/lac-timescales-web --port 0 >"$out" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$out" && break; sleep 0.05; done
url="$(sed -n 's/^lac-timescales-web listening on \(http:[^ ]*\)$/\1/p' "$out" | head -1)"
[ -n "$url" ] || { echo "the server did not start" >&2; exit 1; }
echo "server: $url   wrk: 1 thread, $conns connections, ${secs}s per request"
echo "before: $(uptime)"
for body in scripts/load/*.json; do
  echo
  echo "== $body ($(wc -c <"$body") bytes): $(curl -s -o /dev/null -w '%{http_code}, %{size_download} bytes answered' -X POST --data-binary @"$body" "${url}api/schedule")"
  timeout $((secs + 30)) wrk -t1 -c"$conns" -d"${secs}s" --latency -s scripts/load/post.lua "${url}api/schedule" -- "$body" |
    grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx|Socket errors" || true
done
echo
echo "after:  $(uptime)"
