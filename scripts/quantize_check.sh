#!/usr/bin/env bash
# Optional: checks a model made by `blazeface quantize` against LiteRT's reference kernels, every
# int8 tensor byte for byte (see scripts/quantize_check.py). Creates a venv OUTSIDE the repo
# ($BLAZEFACE_QUANT_VENV, default ${XDG_CACHE_HOME:-~/.cache}/blazeface-quantize-check).
# Usage: scripts/quantize_check.sh OUT.tflite INPUT...   (INPUT: golden case folder, .npy, or photo)
#        BLAZEFACE_BIN=.build/release/blazeface by default.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BLAZEFACE_QUANT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/blazeface-quantize-check}
BIN=${BLAZEFACE_BIN:-.build/release/blazeface}
[ -x "$BIN" ] || { echo "build blazeface first (swift build -c release), or set BLAZEFACE_BIN" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q ai-edge-litert numpy pillow
fi
exec "$VENV/bin/python" scripts/quantize_check.py --blazeface="$BIN" "$@"
