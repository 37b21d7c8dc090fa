#!/usr/bin/env bash
# Installs what the build needs and runs the whole test suite.
# Tests read models, golden tensors and images in place from ../shared (or $BLAZEFACE_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-fetch --no-build
swift build --build-tests
swift test --skip-build
