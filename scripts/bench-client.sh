#!/usr/bin/env bash
# Builds the client benchmark in release and runs it against its own server on 127.0.0.1.
# Heed's client, AsyncHTTPClient, URLSession, curl and a raw socket run side by side in one run.
# Usage: scripts/bench-client.sh [--one-cpu] [client-bench options], e.g. --rounds 3, --quick, --clients heed,ahc
#   --one-cpu  runs the server and every client on CPU 0 (taskset): wake-ups then cost no cross-CPU interrupt,
#              which on a virtual machine is most of a sequential request's time (docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")/.."

pin=()
if [ "${1:-}" = "--one-cpu" ]; then
    shift
    command -v taskset >/dev/null || { echo "--one-cpu needs taskset (util-linux)"; exit 1; }
    pin=(taskset -c 0)
fi

package=Benchmarks/Client
swift build -c release --package-path "$package"
bin="$(swift build -c release --package-path "$package" --show-bin-path)"

port="${BENCH_PORT:-18080}"
log="$(mktemp)"
"${pin[@]}" "$bin/bench-server" --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

# Wait (bounded) for the server to say it listens.
for _ in $(seq 1 100); do
    grep -q "listening on" "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
grep -q "listening on" "$log" || { echo "bench-server did not start"; cat "$log"; exit 1; }

echo "command: ${pin[*]} $bin/client-bench --port $port $*"
"${pin[@]}" "$bin/client-bench" --port "$port" "$@"
