#!/usr/bin/env bash
# Reproduces the README's accuracy table: official WIDER FACE AP (easy/medium/hard) and ST's
# AP@0.5 on the WIDER images in ../shared/data/wider_face (or $BLAZEFACE_SHARED/data/wider_face),
# for both models and the pre/post-processing choices. Needs the release build (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${BLAZEFACE_SHARED:-../shared}
w=$shared/data/wider_face
bin=.build/release/blazeface
# The model's own boxes (--box model), as this table was first measured; eval's default, WIDER-style
# boxes, adds about 10 % to every figure (README, *Box style*).
run() { "$bin" eval --images "$w/WIDER_val/images" --gt "$w/eval_tools_ground_truth" --box model --json "$@"; }
row() {
  local name=$1; shift
  # Pull easy/medium/hard/stAP50 out of the pretty-printed JSON ("key" : value lines).
  run "$@" | awk -v name="$name" '
    /"(easy|medium|hard|stAP50)" :/ { gsub(/[",]/, ""); v[$1] = sprintf("%.4f", $3) }
    END { printf "| %s | %s | %s | %s | %s |\n", name, f(v["easy"]), f(v["medium"]), f(v["hard"]), f(v["stAP50"]) }
    function f(x) { return x == "" ? "-" : x }'
}
echo "| model, settings | easy AP | medium AP | hard AP | ST AP@0.5 |"
echo "|---|---|---|---|---|"
row "int8, pixel/255, letterbox, weighted NMS" --model st
row "int8, pixel/255, stretch, weighted NMS" --model st --resize stretch
row "int8, pixel/255, letterbox, hard NMS 0.3" --model st --nms hard
row "int8, pixel/127.5-1 (model card), letterbox, weighted NMS" --model st --normalize symmetric
row "float, pixel/127.5-1, letterbox, weighted NMS" --model float
row "float, pixel/127.5-1, stretch, weighted NMS" --model float --resize stretch
row "float, pixel/127.5-1, letterbox, hard NMS 0.3" --model float --nms hard
row "int8, ST protocol (stretch, hard NMS 0.5, score 0.001)" --model st --protocol st
row "int8, pixel/127.5-1, ST protocol" --model st --protocol st --normalize symmetric
row "float, ST protocol (stretch, hard NMS 0.5, score 0.001)" --model float --protocol st
