#!/usr/bin/env bash
# Installs blazeface under a prefix (default /usr/local):
#   PREFIX/bin/blazeface                      the release binary (mode 0755)
#   PREFIX/share/blazeface/models/*.tflite    the models fetched by scripts/setup.sh (mode 0644)
#   PREFIX/share/blazeface/{Firmware,Sources/MicroKernels,Sources/CMicroPlan}
#                                             the firmware sources `blazeface export` copies
# An installed binary looks for its models in ../share/blazeface/models beside its own real
# path, so the prefix can be anywhere (a home folder, /opt/blazeface).
# Usage: scripts/install.sh [--binary PATH] [PREFIX]
#   --binary PATH  install this binary instead of building .build/release/blazeface
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/install.sh [--binary PATH] [PREFIX]" >&2; exit 2; }
binary="" prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$prefix" ] || usage; prefix="$1"; shift ;;
  esac
done
prefix="${prefix:-/usr/local}"

if [ -z "$binary" ]; then
  echo "install: building the release binary" >&2
  swift build -c release --product blazeface >&2
  binary="$(swift build -c release --show-bin-path)/blazeface"
fi
[ -x "$binary" ] || { echo "install: $binary: no executable binary there" >&2; exit 1; }

shopt -s nullglob
models=(models/*.tflite)
if [ ${#models[@]} -eq 0 ]; then
  echo "install: no models in ./models; run scripts/setup.sh first (it fetches them)" >&2
  exit 1
fi

install -d -m 0755 "$prefix/bin" "$prefix/share/blazeface/models"
install -m 0755 "$binary" "$prefix/bin/blazeface"
install -m 0644 "${models[@]}" "$prefix/share/blazeface/models/"
# The sources `blazeface export --target cortex-m55` copies into a firmware project.
for d in Firmware Firmware/include Firmware/src Firmware/swift Firmware/mve Sources/MicroKernels Sources/CMicroPlan/include; do
  install -d -m 0755 "$prefix/share/blazeface/$d"
  for f in "$d"/*; do [ -f "$f" ] && install -m 0644 "$f" "$prefix/share/blazeface/$d/"; done
done
echo "install: $prefix/bin/blazeface, ${#models[@]} models in $prefix/share/blazeface/models and the firmware sources" >&2
