#!/usr/bin/env bash
# Coverage-guided fuzzing of blazeface's parsers of outside data (libFuzzer + AddressSanitizer).
#
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target (model, image, npy, mat, wider, http) for SECONDS,
#                                    starting from Fuzz/Corpus/TARGET (inputs up to 64 KiB); new
#                                    inputs go to Fuzz/.work/corpus/TARGET, crashers to
#                                    Fuzz/.work/crashes/ (add each fixed crasher to Fuzz/Corpus).
#   scripts/fuzz.sh --replay         run every committed corpus once under ASan (what CI does).
#   scripts/fuzz.sh --list           the targets.
#
# The targets live in their own package (Fuzz/Package.swift), so the library stays a clean
# dependency. Needs clang's libFuzzer and lld, both part of the Swift toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(model image npy mat wider http)

build() {
  echo "fuzz: building the targets with -sanitize=fuzzer,address" >&2
  swift build --package-path Fuzz --build-path Fuzz/.build \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >&2
}

export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
bin=Fuzz/.build/debug
# -timeout is wall-clock time: on the shared 2-core VM at load 8, a 189-byte JPEG that takes 0.1 s
# alone stalled 17 s (twice in the image campaign). 60 s still catches a hang; real slow inputs
# show in the final stats' slowest_unit_time_sec and in -report_slow_units (2 s).
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=60 -report_slow_units=2 -max_len=65536)

case "${1:-}" in
  --list) printf '%s\n' "${targets[@]}" ;;
  --replay)
    build
    failed=0
    for t in "${targets[@]}"; do
      n=$(find "Fuzz/Corpus/$t" -type f | wc -l)
      if "$bin/fuzz-$t" "${limits[@]}" -runs=0 -artifact_prefix="Fuzz/.build/replay-$t-" "Fuzz/Corpus/$t" > "Fuzz/.build/replay-$t.log" 2>&1; then
        echo "fuzz replay: $t: $n inputs, no finding"
      else
        echo "fuzz replay: $t: FAILED (see Fuzz/.build/replay-$t.log)"; tail -20 "Fuzz/.build/replay-$t.log"; failed=1
      fi
    done
    exit $failed ;;
  ""|-h|--help) sed -n '2,13p' "$0"; exit 0 ;;
  *)
    t=$1; secs=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
    [[ " ${targets[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t' (targets: ${targets[*]})" >&2; exit 2; }
    build
    work=Fuzz/.work/corpus/$t crashes=Fuzz/.work/crashes
    mkdir -p "$work" "$crashes"
    seeds=("Fuzz/Corpus/$t")
    exec "$bin/fuzz-$t" "${limits[@]}" -max_total_time="$secs" -print_final_stats=1 \
      -dict="Fuzz/Dictionaries/$t.dict" -artifact_prefix="$crashes/$t-" "$work" "${seeds[@]}" ;;
esac
