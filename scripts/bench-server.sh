#!/usr/bin/env bash
# Benchmarks Heed's server against a raw NIOHTTP1 server and Hummingbird 2 on a hello-world route.
#
# Builds release binaries (Heed here, the two peers in Benchmarks/), starts each server on 127.0.0.1 with
# its own port, runs `wrk -t2 -c64 -d10s --latency` against it, kills it by pid, and prints requests/s,
# p99 latency and the ratios Heed/NIO and Heed/Hummingbird. Heed runs with every protection on (limits,
# timeouts, connection cap, lingering close) and its access log off.
#
# The three servers take turns for ROUNDS rounds (default 3) and the medians are reported, so that load from
# other processes on the machine hits all three alike.
#
# Usage: scripts/bench-server.sh [DURATION] [ROUNDS]   (defaults 10s and 3; not part of .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
rounds="${2:-3}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

echo "bench: building release binaries"
swift build -c release --product heed >/dev/null 2>&1 || { echo "bench: building heed failed" >&2; exit 1; }
(cd Benchmarks && swift build -c release --product nio-hello && swift build -c release --product hummingbird-hello) \
    >/dev/null 2>&1 || { echo "bench: building the peers in Benchmarks/ failed" >&2; exit 1; }
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

echo "bench: wrk -t2 -c64 -d$duration --latency, one server at a time, $rounds rounds"
for round in $(seq 1 "$rounds"); do
    echo "round $round (load average $(cut -d' ' -f1 /proc/loadavg))"
    run_one heed 18091 "$heed_bin" serve --hello --quiet --port 18091 --dir "$workdir"
    run_one nio 18092 "$peers_bin/nio-hello" 18092
    run_one hummingbird 18093 "$peers_bin/hummingbird-hello" 18093
done

# median NAME COLUMN: the median of a column (2: req/s, 3: p99 in ms) over the rounds.
median() {
    grep "^$1 " "$workdir/results" | while read -r _ rps p99; do
        if [ "$2" = 2 ]; then echo "$rps"; else to_ms "$p99"; fi
    done | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

heed_rps="$(median heed 2)"
nio_rps="$(median nio 2)"
hb_rps="$(median hummingbird 2)"
heed_ms="$(median heed 3)"
nio_ms="$(median nio 3)"
hb_ms="$(median hummingbird 3)"
echo "medians over $rounds rounds:"
printf '%-12s %12s req/s   p99 %s ms\n' heed "$heed_rps" "$heed_ms" nio "$nio_rps" "$nio_ms" hummingbird "$hb_rps" "$hb_ms"
awk -v h="$heed_rps" -v n="$nio_rps" -v b="$hb_rps" -v hp="$heed_ms" -v np="$nio_ms" -v bp="$hb_ms" 'BEGIN {
    printf "ratios: req/s Heed/NIO %.2f, Heed/Hummingbird %.2f; p99 Heed/NIO %.2f, Heed/Hummingbird %.2f\n",
        h / n, h / b, hp / np, hp / bp }'
