#!/usr/bin/env bash
# The int8 model on a Cortex-M55 (Embedded Swift), under QEMU's mps3-an547. The model: --model M
# (a name of `blazeface models` or a file), else ST's int8 file when it is found (the figures of
# docs/mcu.md), else front-int8 (made by scripts/setup.sh).
#
#   scripts/mcu.sh run IMAGE --dump DIR [--model M]   one frame: writes the four outputs as
#                                                     `blazeface run --dump` does, plus faces.json,
#                                                     faces.bin and profile.txt
#   scripts/mcu.sh report [--json] [--model M]        flash, RAM and instructions per frame
#
# Needs qemu-system-arm, gcc-arm-none-eabi and libnewlib-arm-none-eabi (Debian), and the Swift
# toolchain's Embedded Swift standard library for armv7em-none-none-eabi. MVE=0 in the
# environment builds the portable Swift kernels only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

die() { echo "scripts/mcu.sh: $*" >&2; exit 2; }
for tool in qemu-system-arm arm-none-eabi-gcc make swiftc; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: apt-get install qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi make)"
done

cmd=${1:-}; shift || true
image="" dump="" model="" json=0
case "$cmd" in
    run) [ $# -ge 1 ] || die "usage: scripts/mcu.sh run IMAGE --dump DIR [--model M]"; image=$1; shift ;;
    report) ;;
    *) die "usage: scripts/mcu.sh run IMAGE --dump DIR [--model M] | report [--json] [--model M]" ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
        --dump) [ $# -ge 2 ] || die "--dump needs a folder"; dump=$2; shift 2 ;;
        --model) [ $# -ge 2 ] || die "--model needs a name or file"; model=$2; shift 2 ;;
        --json) json=1; shift ;;
        *) die "unknown argument '$1'" ;;
    esac
done
[ "$cmd" != run ] || [ -n "$dump" ] || die "run needs --dump DIR"
[ -z "$image" ] || [ -f "$image" ] || die "$image: no such file"

BIN=${BLAZEFACE_BIN:-}
if [ -z "$BIN" ]; then
    swift build -c release --product blazeface >/dev/null || die "swift build failed"
    BIN=$ROOT/.build/release/blazeface
fi
if [ -z "$model" ]; then
    if "$BIN" inspect st >/dev/null 2>&1; then model=st; else model=front-int8; fi
fi

# The project is kept per model and kernel set, so a second run only re-runs QEMU.
MVE=${MVE:-1}
BUILD=${BLAZEFACE_MCU_BUILD:-$ROOT/.build/mcu}/$(basename "$model" .tflite)-mve$MVE
RUN=$(mktemp -d "${TMPDIR:-/tmp}/blazeface-mcu.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
mkdir -p "$BUILD"
if [ -z "$image" ]; then
    # report: a real photo if one is at hand (the instruction count hardly depends on it), else mid-grey.
    image=$(ls "$ROOT"/samples/*.png "$ROOT"/samples/*.jpg 2>/dev/null | head -1 || true)
fi
args=("$model" --target cortex-m55 -o "$BUILD/project")
[ -z "$image" ] || args+=(--image "$image")
"$BIN" export "${args[@]}" >"$RUN/export.log" || { cat "$RUN/export.log" >&2; die "export failed"; }
if [ -n "$image" ]; then mv "$BUILD/project/input.rgb" "$BUILD/project/input.npy" "$RUN/"
else head -c 49152 /dev/zero | tr '\0' '\200' >"$RUN/input.rgb"; fi
make -C "$BUILD/project" -j2 MVE="$MVE" >"$RUN/make.log" 2>&1 || { tail -30 "$RUN/make.log" >&2; die "firmware build failed"; }
(cd "$RUN" && timeout 600 qemu-system-arm -M mps3-an547 -nographic -icount shift=0 \
    -semihosting-config enable=on,target=native -kernel "$BUILD/project/build/demo.elf") >"$RUN/qemu.log" 2>&1 \
    || { cat "$RUN/qemu.log" >&2; die "the firmware failed under QEMU"; }
grep -q "blazeface demo: done" "$RUN/qemu.log" || { cat "$RUN/qemu.log" >&2; die "the firmware did not finish"; }
WORK=$RUN
cp "$BUILD/project/index.json" "$RUN/"

if [ "$cmd" = run ]; then
    mkdir -p "$dump"
    cp "$RUN"/output*.npy "$RUN/index.json" "$RUN/input.npy" "$RUN/faces.json" "$RUN/faces.bin" "$RUN/profile.txt" "$dump/"
    echo "wrote the outputs, input.npy, faces.json, faces.bin and profile.txt to $dump ($(grep -o '"score"' "$dump/faces.json" | wc -l) faces)"
    # validate: the host engine on the same frame against what the firmware wrote.
    "$BIN" run "$model" --input "$dump/input.npy" --compare "$dump" | tail -1
    exit 0
fi

# report
P=$RUN/profile.txt
read -r text rodata exidx data bss <<<"$(arm-none-eabi-size -A "$BUILD/project/build/lib.elf" | awk '
    $1==".text"{t=$2} $1==".rodata"{r=$2} $1==".ARM.exidx"{e=$2} $1==".data"{d=$2} $1==".bss"{b=$2}
    END{print t+0, r+0, e+0, d+0, b+0}')"
arena=$(sed -n 's/^#define BLAZEFACE_ARENA_BYTES \([0-9]*\).*/\1/p' "$BUILD/project/model_data.c")
stack=$(awk '$1=="stack_high_water_bytes"{print $2}' "$P")
cal_i=$(awk '$1=="calibration_instructions"{print $2}' "$P")
cal_t=$(awk '$1=="calibration_ticks"{print $2}' "$P")
ticks=$(awk '$1=="total_ticks"{print $2}' "$P")
# No heap: after --gc-sections nothing reachable from blazeface_detect may allocate.
heap=false
if arm-none-eabi-nm "$BUILD/project/build/lib.elf" | grep -qE ' (malloc|posix_memalign|swift_slowAlloc|swift_allocObject)$'; then heap=true; fi
macs=$("$BIN" inspect "$model" 2>/dev/null | awk '/^  MACs/{gsub(",","",$2); print $2}')
weights=$("$BIN" inspect "$model" 2>/dev/null | awk '/constant bytes/{gsub(",","",$3); print $3}')
awk -v text="$text" -v rodata="$rodata" -v exidx="$exidx" -v data="$data" -v bss="$bss" -v arena="$arena" -v stack="$stack" \
    -v ci="$cal_i" -v ct="$cal_t" -v ticks="$ticks" -v macs="$macs" -v weights="$weights" -v json="$json" -v mve="$MVE" -v heap="$heap" '
    $1=="step" { op[$2]=$4; kind[$2]=$6; t[$2]=$8; n=$2+1 }
    END {
        per = ci / ct; total = ticks * per; flash = text + rodata + exidx; ram = data + bss + stack
        split("conv depthwise add pad max_pool dequantize copy banded", names, " ")
        if (json) {
            printf "{\n  \"target\": \"cortex-m55 (qemu mps3-an547)\",\n  \"kernels\": \"%s\",\n", mve == "1" ? "helium (MVE) C + Embedded Swift" : "portable Embedded Swift"
            printf "  \"flash_bytes\": %d,\n  \"flash_text_bytes\": %d,\n  \"flash_rodata_bytes\": %d,\n  \"flash_model_constants_bytes\": %d,\n", flash, text + exidx, rodata, weights
            printf "  \"allocator_linked\": %s,\n", heap
            printf "  \"ram_bytes\": %d,\n  \"ram_arena_bytes\": %d,\n  \"ram_stack_high_water_bytes\": %d,\n  \"ram_data_bss_bytes\": %d,\n", ram, arena, stack, data + bss
            printf "  \"instructions_per_frame\": %d,\n  \"macs_per_frame\": %d,\n  \"instructions_per_mac\": %.3f,\n", total, macs, total / macs
            printf "  \"instructions_note\": \"instructions executed under QEMU (-icount shift=0, SysTick calibrated at %.2f instructions per tick), not cycles\",\n", per
            printf "  \"estimated_ms_at_800mhz_one_instruction_per_cycle\": %.2f,\n", total / 800e6 * 1000
            printf "  \"stm32cubeai_10_2\": {\"ram_bytes\": 528000, \"flash_bytes\": 150970, \"npu_ms\": 5.09},\n"
            printf "  \"instructions_per_step\": ["
            for (i = 0; i < n; i++) printf "%s{\"step\": %d, \"op\": %d, \"kind\": \"%s\", \"instructions\": %d}", i ? ", " : "", i, op[i], names[kind[i]], t[i] * per
            printf "]\n}\n"
        } else {
            printf "flash  %8d B  (.text %d, .rodata %d incl. %d B of model constants)\n", flash, text + exidx, rodata, weights
            printf "RAM    %8d B  (arena %d, .data+.bss %d, stack high-water %d; allocator linked: %s)\n", ram, arena, data + bss, stack, heap
            printf "work   %8.1f M instructions per frame, %.2f per MAC (%.2f M MACs); instructions under QEMU, not cycles\n", total / 1e6, total / macs, macs / 1e6
            printf "       ~%.1f ms at 800 MHz if one instruction took one cycle (STM32Cube.AI on the N6 NPU: 5.09 ms)\n", total / 800e6 * 1000
            for (i = 0; i < n; i++) printf "  step %2d  op %2d  %-10s %10d\n", i, op[i], names[kind[i]], t[i] * per
        }
    }' "$P"
