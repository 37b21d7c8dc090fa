#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (Swift and the C kernels: SwiftPM's
# --sanitize=address instruments both), then under ThreadSanitizer the multi-threaded paths:
# `detect` (photos, tiles, a video, --stream), `eval`, `anonymize` on a video, and `serve` under
# 64 concurrent requests stopped with SIGTERM (needs ffmpeg and curl).
# Usage: scripts/sanitize.sh [asan|tsan|all] [TSan parts: photos eval video serve]   (default: all, every part)
# Each sanitizer builds into its own folder (.build-asan, .build-tsan), so the normal build is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
parts=" ${*:2} "; [ "$parts" = "  " ] && parts=" photos eval video serve "
part() { [[ "$parts" == *" $1 "* ]]; }
export SWIFT_BACKTRACE=enable=no
shared=${BLAZEFACE_SHARED:-../shared}

if [ "$what" = asan ] || [ "$what" = all ]; then
  echo "sanitize: whole test suite under ASan" >&2
  ASAN_OPTIONS=detect_leaks=0 swift build --build-path .build-asan --sanitize=address --build-tests
  ASAN_OPTIONS=detect_leaks=0 swift test --build-path .build-asan --sanitize=address --skip-build
fi

if [ "$what" = tsan ] || [ "$what" = all ]; then
  echo "sanitize: multi-threaded detect, eval, videos, --stream and serve under TSan" >&2
  swift build --build-path .build-tsan --sanitize=thread --product blazeface
  bin=.build-tsan/debug/blazeface
  out=$(mktemp -d); server=""
  trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$out"' EXIT
  export TSAN_OPTIONS=halt_on_error=1
  images="$shared/data/wider_face/WIDER_val/images"
  if [ ! -d "$images" ]; then images=samples; fi
  step() { echo "sanitize: tsan: $*" >&2; }
  if part photos; then
    step "detect, 2 threads, one pass and tiles"
    "$bin" detect "$images" --threads 2 --format jsonl -o "$out/one.jsonl"
    "$bin" detect "$images" --threads 2 --tiles auto --max-calls 40 --format jsonl -o "$out/tiles.jsonl"
  fi
  if part eval && [ -d "$shared/data/wider_face/eval_tools_ground_truth" ]; then
    step "eval, 2 threads"
    "$bin" eval --images "$images" --gt "$shared/data/wider_face/eval_tools_ground_truth" --threads 2 --json > "$out/eval.json"
  fi

  # Videos and --stream: 40 frames zooming into the sample photo (the face stays in frame), as the tests make it.
  photo=samples/astronaut.png
  if ! part video; then :
  elif command -v ffmpeg > /dev/null && [ -f "$photo" ]; then
    ffmpeg -nostdin -loglevel error -y -loop 1 -i "$photo" \
      -vf "scale=400:400,zoompan=z='1+0.003*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=320x240:fps=10" \
      -frames:v 40 -c:v libx264 -pix_fmt yuv420p "$out/clip.mp4"
    step "detect on a video, 2 threads, detector every 2nd frame"
    "$bin" detect "$out/clip.mp4" --threads 2 --detect-every 2 -o "$out/video.jsonl"
    step "detect --stream (raw frames on standard input)"
    ffmpeg -nostdin -loglevel error -i "$out/clip.mp4" -f rawvideo -pix_fmt rgb24 - \
      | "$bin" detect --stream 320x240 --fps 10 --threads 2 > "$out/stream.jsonl"
    step "anonymize a video, 2 threads"
    "$bin" anonymize "$out/clip.mp4" -o "$out/masked.mp4" --threads 2 --detect-every 2 --quiet
    for f in video stream; do
      n=$(wc -l < "$out/$f.jsonl")
      [ "$n" -eq 40 ] || { echo "sanitize: tsan: $f gave $n lines for 40 frames" >&2; exit 1; }
    done
  else
    echo "sanitize: tsan: videos and --stream NOT covered: needs ffmpeg and $photo" >&2
  fi

  # serve: 2 workers under 64 concurrent requests (detect, anonymize, probes, errors), then SIGTERM.
  if ! part serve; then :
  elif command -v curl > /dev/null && [ -f "$photo" ]; then
    step "serve under concurrent requests, then SIGTERM"
    "$bin" serve --port 0 --threads 2 --queue 64 --deadline 600 2> "$out/serve.log" &
    server=$!
    port=""
    for _ in $(seq 600); do
      port=$(sed -n 's/.*"message":"listening".*"port":\([0-9]*\).*/\1/p' "$out/serve.log" | head -1)
      if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/readyz" > /dev/null; then break; fi
      kill -0 "$server" 2>/dev/null || { cat "$out/serve.log" >&2; exit 1; }
      sleep 0.5
    done
    [ -n "$port" ] || { echo "sanitize: tsan: serve did not report its port" >&2; exit 1; }
    url=http://127.0.0.1:$port
    { printf 'not an image: '; head -c 3000 /dev/urandom; } > "$out/random.bin"
    ask() { curl -s -o /dev/null -w '%{http_code}\n' "$@" >> "$out/codes.txt"; }
    clients=()
    for i in $(seq 16); do
      tiles=off; [ $((i % 4)) = 0 ] && tiles=auto
      ask --data-binary @"$photo" "$url/v1/detect?tiles=$tiles" & clients+=($!)
      ask --data-binary @"$photo" "$url/v1/anonymize?method=mosaic&format=jpeg" & clients+=($!)
      ask --data-binary @"$out/random.bin" "$url/v1/detect" & clients+=($!)
      ask "$url/metrics" & clients+=($!)
    done
    wait "${clients[@]}"
    kill -TERM "$server"
    status=0; wait "$server" || status=$?
    server=""
    codes=$(sort "$out/codes.txt" | uniq -c | tr -s ' \n' ' ')
    step "serve answered:$codes; exit status $status"
    if [ "$status" -ne 0 ] || grep -q "ThreadSanitizer" "$out/serve.log"; then
      grep -A30 "ThreadSanitizer" "$out/serve.log" >&2 || tail -20 "$out/serve.log" >&2
      exit 1
    fi
    [ "$(grep -c '^200$' "$out/codes.txt")" -eq 48 ] && [ "$(grep -c '^415$' "$out/codes.txt")" -eq 16 ] \
      || { echo "sanitize: tsan: serve: expected 48 x 200 and 16 x 415" >&2; exit 1; }
  else
    echo "sanitize: tsan: serve NOT covered: needs curl and $photo" >&2
  fi
  echo "sanitize: TSan found nothing" >&2
fi
