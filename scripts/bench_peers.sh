#!/usr/bin/env bash
# Side-by-side latency, one thread: LiteRT (XNNPACK delegate = default BUILTIN resolver; and the
# BUILTIN_REF reference kernels) vs `blazeface bench`, for the int8 and float models, with ratios.
# Creates a venv OUTSIDE the repo ($BLAZEFACE_PEERS_VENV, default ${XDG_CACHE_HOME:-~/.cache}/blazeface-peers).
# Usage: scripts/bench_peers.sh [runs]   (build first: swift build -c release --scratch-path .build-fast)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-500}
WARMUP=50
VENV=${BLAZEFACE_PEERS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/blazeface-peers}
BIN=${BLAZEFACE_BIN:-}
if [ -z "$BIN" ]; then
  # the most recently built of the two release builds
  for b in .build/release/blazeface .build-fast/release/blazeface; do
    [ -x "$b" ] && { [ -z "$BIN" ] || [ "$b" -nt "$BIN" ]; } && BIN=$b
  done
fi
[ -n "$BIN" ] || { echo "build blazeface in release first" >&2; exit 1; }
INT8=${BLAZEFACE_INT8_MODEL:-../shared/models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite}
FLOAT=${BLAZEFACE_FLOAT_MODEL:-../shared/models/face_detection_front.tflite}

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q ai-edge-litert numpy
fi

TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
"$VENV/bin/python" scripts/bench_peers.py "$RUNS" "$WARMUP" "$INT8" "$FLOAT" > "$TMP/litert.jsonl"
"$BIN" bench --model "$INT8" --model "$FLOAT" --runs "$RUNS" --warmup "$WARMUP" --json > "$TMP/ours.json"

"$VENV/bin/python" - "$TMP/litert.jsonl" "$TMP/ours.json" "$INT8" "$FLOAT" <<'PY'
import json, sys
lit = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours_raw = json.load(open(sys.argv[2]))
models = sys.argv[3:5]
def find_ours(path):
    # tolerate a few JSON layouts of `blazeface bench --json`
    items = ours_raw.get("models", ours_raw.get("latency", [])) if isinstance(ours_raw, dict) else ours_raw
    for it in items:
        if str(it.get("model", "")).endswith(path.split("/")[-1]) or it.get("path") == path:
            return it
    return None
print(f"{'model':<12} {'runtime':<20} {'min ms':>8} {'median ms':>10} {'p90 ms':>8} {'ours/this (median)':>19}")
for path, label in zip(models, ["int8", "float"]):
    o = find_ours(path)
    om = None
    if o:
        om = o.get("medianMs", o.get("median_ms", o.get("median")))
        print(f"{label:<12} {'blazeface':<20} {o.get('minMs', o.get('min')):>8.3f} {om:>10.3f} {o.get('p90Ms', o.get('p90')):>8.3f} {'1.00':>19}")
    for r in lit:
        if r["model"] != path: continue
        if "error" in r:
            print(f"{label:<12} {r['runtime']:<20} error: {r['error'][:60]}"); continue
        ratio = f"{om / r['median']:.2f}" if om else "-"
        print(f"{label:<12} {r['runtime']:<20} {r['min']:>8.3f} {r['median']:>10.3f} {r['p90']:>8.3f} {ratio:>19}")
PY

# End to end, JPEG file to faces, one thread: MediaPipe's face detector (legacy solutions API of
# mediapipe 0.10.21, which bundles the short-range model; its own venv: it wants numpy < 2)
# against `blazeface bench --images` on the same folder. Each pinned to its own core.
IMAGES=${BLAZEFACE_BENCH_IMAGES:-../shared/data/wider_face/WIDER_val/images}
if [ -d "$IMAGES" ]; then
  MPVENV=${VENV}-mediapipe
  if [ ! -x "$MPVENV/bin/python" ]; then
    python3 -m venv "$MPVENV"
    "$MPVENV/bin/pip" install -q "mediapipe==0.10.21"
  fi
  OMP_NUM_THREADS=1 taskset -c 0 "$MPVENV/bin/python" scripts/bench_mediapipe.py "$IMAGES" 3 2>/dev/null > "$TMP/mp.json"
  "$BIN" bench --model "$INT8" --runs 10 --images "$IMAGES" --detect-model "$INT8" --threads 2 --passes 3 --json > "$TMP/e2e.json"
  "$VENV/bin/python" - "$TMP/mp.json" "$TMP/e2e.json" <<'PY'
import json, sys
mp = json.load(open(sys.argv[1]))
e = json.load(open(sys.argv[2]))["endToEnd"]
print()
print(f"end to end over {mp['images']} images, one thread: MediaPipe {mp['images_per_second']:.1f} images/s, "
      f"blazeface (int8) {e['imagesPerSecond1Thread']:.1f} images/s = {e['imagesPerSecond1Thread'] / mp['images_per_second']:.2f}x; "
      f"blazeface on {e['threads']} threads {e['imagesPerSecondNThreads']:.1f} images/s = {e['speedup']:.2f}x its one-thread rate")
d = e.get("decodeOnlyImagesPerSecond1Thread")
if d:
    print(f"JPEG decoding alone (libjpeg-turbo, scaled as detection does it), one thread: {d:.1f} images/s = "
          f"{d / mp['images_per_second']:.2f}x MediaPipe, the ceiling of the end-to-end ratio")
PY
fi
