#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (Swift and the C kernels: SwiftPM's
# --sanitize=address instruments both), then multi-threaded `detect` and `eval` under
# ThreadSanitizer. Usage: scripts/sanitize.sh [asan|tsan|all]   (default all)
# Each part builds into its own folder (.build-asan, .build-tsan), so the normal build is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
export SWIFT_BACKTRACE=enable=no
shared=${BLAZEFACE_SHARED:-../shared}

if [ "$what" = asan ] || [ "$what" = all ]; then
  echo "sanitize: whole test suite under ASan" >&2
  ASAN_OPTIONS=detect_leaks=0 swift build --build-path .build-asan --sanitize=address --build-tests
  ASAN_OPTIONS=detect_leaks=0 swift test --build-path .build-asan --sanitize=address --skip-build
fi

if [ "$what" = tsan ] || [ "$what" = all ]; then
  echo "sanitize: multi-threaded detect and eval under TSan" >&2
  swift build --build-path .build-tsan --sanitize=thread --product blazeface
  bin=.build-tsan/debug/blazeface
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
  images="$shared/data/wider_face/WIDER_val/images"
  if [ ! -d "$images" ]; then images=samples; fi
  TSAN_OPTIONS=halt_on_error=1 "$bin" detect "$images" --threads 2 --format jsonl -o "$out/one.jsonl"
  TSAN_OPTIONS=halt_on_error=1 "$bin" detect "$images" --threads 2 --tiles auto --max-calls 40 --format jsonl -o "$out/tiles.jsonl"
  if [ -d "$shared/data/wider_face/eval_tools_ground_truth" ]; then
    TSAN_OPTIONS=halt_on_error=1 "$bin" eval --images "$images" --gt "$shared/data/wider_face/eval_tools_ground_truth" --threads 2 --json > "$out/eval.json"
  fi
  echo "sanitize: TSan found nothing" >&2
fi
