#!/usr/bin/env bash
# Installs what the build needs, fetches MediaPipe's model family into ./models (PyPI), and runs
# the whole test suite. Tests read the ST model, golden tensors and images in place from
# ../shared (or $BLAZEFACE_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-build
swift build --build-tests
swift test --skip-build
