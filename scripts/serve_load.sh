#!/usr/bin/env bash
# Load test of `blazeface serve` against a MediaPipe peer, side by side in one run, on loopback:
# wrk (Debian's `wrk`), 64 connections, 2 threads, 60 s, POSTing the same photos to each; RSS
# sampled from /proc every second. Prints one line per server and writes $OUT/load.md.
#
#   scripts/serve_load.sh [SECONDS] [CONNECTIONS]
#
# Photos: ../shared/data/samples/photos/*.jpg and samples/astronaut.png. Ours: the release build,
# --threads 2 --queue CONNECTIONS (every connection may wait: no 503 expected; the queue test is
# in serve_faults.sh). The peer: scripts/mediapipe_service.py with 2 uvicorn workers, in a venv
# outside the repository ($BLAZEFACE_MP_VENV, default /work/venv-mp; created with mediapipe
# 0.10.21, fastapi and uvicorn from PyPI when missing). Optional; never run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-60}
CONNS=${2:-64}
OUT=${OUT:-$(mktemp -d)}
VENV=${BLAZEFACE_MP_VENV:-/work/venv-mp}
PORT_OURS=18480
PORT_PEER=18481
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
swift build -c release --product blazeface >/dev/null
if [ ! -x "$VENV/bin/uvicorn" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "mediapipe==0.10.21" fastapi uvicorn
fi
ls ../shared/data/samples/photos/*.jpg 2>/dev/null > "$OUT/photos.txt" || true
echo "$PWD/samples/astronaut.png" >> "$OUT/photos.txt"
echo "photos: $(wc -l < "$OUT/photos.txt"); $(uptime)" | tee "$OUT/summary.txt"

# rss_sampler PID FILE: VmRSS in kB, once a second, until the process ends.
rss_sampler() { while kill -0 "$1" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null >> "$2" || true; sleep 1; done; }
# tree_rss PID: RSS of a process and its children (uvicorn workers), in kB.
tree_rss_sampler() {
  while kill -0 "$1" 2>/dev/null; do
    local total=0
    for p in "$1" $(pgrep -P "$1" || true); do
      total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo "$total" >> "$2"; sleep 1
  done
}
wait_up() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1$2" >/dev/null && return 0; sleep 0.1; done; echo "server on $1 did not come up"; exit 1; }

run_wrk() {  # NAME PORT PID RSSFILE
  local warm=$((SECONDS_RUN / 4))
  LOAD_PHOTOS="$OUT/photos.txt" wrk -t2 -c"$CONNS" -d"${warm}s" -s scripts/serve_load.lua "http://127.0.0.1:$2" > "$OUT/$1.warm.txt"
  sleep 3  # the warm-up's abandoned requests (still queued when wrk closed them) finish first
  local before; before=$(tail -n 1 "$4")
  LOAD_PHOTOS="$OUT/photos.txt" wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --timeout 30s --latency -s scripts/serve_load.lua "http://127.0.0.1:$2" > "$OUT/$1.wrk.txt"
  local after; after=$(tail -n 1 "$4")
  local peak; peak=$(sort -n "$4" | tail -n 1)
  local result; result=$(grep '^RESULT' "$OUT/$1.wrk.txt" | sed 's/^RESULT //')
  echo "$1 $result rss_after_warmup_kb=$before rss_end_kb=$after rss_peak_kb=$peak" | tee -a "$OUT/summary.txt"
}

.build/release/blazeface serve --port $PORT_OURS --threads 2 --queue "$CONNS" 2> "$OUT/ours.log" &
OURS=$!
rss_sampler $OURS "$OUT/ours.rss" &
wait_up $PORT_OURS /readyz
run_wrk blazeface $PORT_OURS $OURS "$OUT/ours.rss"
kill -TERM $OURS; wait $OURS || true

OMP_NUM_THREADS=1 "$VENV/bin/uvicorn" --app-dir scripts mediapipe_service:app --host 127.0.0.1 --port $PORT_PEER --workers 2 --log-level warning 2> "$OUT/peer.log" &
PEER=$!
tree_rss_sampler $PEER "$OUT/peer.rss" &
wait_up $PORT_PEER /healthz
run_wrk mediapipe $PORT_PEER $PEER "$OUT/peer.rss"
kill -TERM $PEER; wait $PEER || true
echo "after: $(uptime)" | tee -a "$OUT/summary.txt"
echo "results in $OUT"
