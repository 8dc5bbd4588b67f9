#!/usr/bin/env bash
# Benchmarks Heed's server against a raw NIOHTTP1 server and Hummingbird 2 on a hello-world route.
#
# Builds release binaries (Heed here, the two peers in Benchmarks/), starts each server on 127.0.0.1 with
# its own port, runs `wrk -t2 -c64 -d10s --latency` against it, kills it by pid, and prints requests/s,
# p99 latency and the ratios Heed/NIO and Heed/Hummingbird. Heed runs with every protection on (limits,
# timeouts, connection cap, lingering close) and its access log off.
#
# Usage: scripts/bench-server.sh [DURATION]   (default 10s; not part of .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

echo "bench: building release binaries"
swift build -c release --product heed >/dev/null
(cd Benchmarks && swift build -c release >/dev/null)
heed_bin="$(swift build -c release --show-bin-path)/heed"
peers_bin="$(cd Benchmarks && swift build -c release --show-bin-path)"

workdir="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$workdir"
}
trap cleanup EXIT

# run_one NAME PORT COMMAND...: starts the server, waits for its port, runs wrk, stops the server by pid.
run_one() {
    local name="$1" port="$2"
    shift 2
    "$@" >"$workdir/$name.out" 2>"$workdir/$name.err" &
    pid=$!
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        sleep 0.1
    done
    wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$port/" >"$workdir/$name.wrk"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    local rps p99
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$workdir/$name.wrk")"
    p99="$(awk '$1 == "99%" {print $2}' "$workdir/$name.wrk")"
    echo "$name $rps $p99" >>"$workdir/results"
    printf '%-12s %12s req/s   p99 %s\n' "$name" "$rps" "$p99"
}

# to_ms LATENCY: wrk prints 1.23ms, 456.78us or 1.02s.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); print v }
        else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 }
        else print v }'
}

echo "bench: wrk -t2 -c64 -d$duration --latency, one server at a time"
run_one heed 18091 "$heed_bin" serve --hello --quiet --port 18091 --dir "$workdir"
run_one nio 18092 "$peers_bin/nio-hello" 18092
run_one hummingbird 18093 "$peers_bin/hummingbird-hello" 18093

read -r _ heed_rps heed_p99 < <(grep '^heed ' "$workdir/results")
read -r _ nio_rps nio_p99 < <(grep '^nio ' "$workdir/results")
read -r _ hb_rps hb_p99 < <(grep '^hummingbird ' "$workdir/results")
heed_ms="$(to_ms "$heed_p99")"
nio_ms="$(to_ms "$nio_p99")"
hb_ms="$(to_ms "$hb_p99")"
awk -v h="$heed_rps" -v n="$nio_rps" -v b="$hb_rps" -v hp="$heed_ms" -v np="$nio_ms" -v bp="$hb_ms" 'BEGIN {
    printf "ratios: req/s Heed/NIO %.2f, Heed/Hummingbird %.2f; p99 Heed/NIO %.2f, Heed/Hummingbird %.2f\n",
        h / n, h / b, hp / np, hp / bp }'
