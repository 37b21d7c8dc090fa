// CPU feature detection (cpuid + xgetbv), cached: the BF_CPU_* bits the engine's kernel selector reads.
#include <stdint.h>
#include "CKernels.h"
#include "common.h"
#if BF_X86
#include <cpuid.h>

static uint64_t bf_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static int32_t bf_detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1;
    if (!osxsave) return 0;
    const uint64_t xcr0 = bf_xgetbv0();
    const int ymm_ok = (xcr0 & 0x6) == 0x6;
    const int zmm_ok = (xcr0 & 0xE6) == 0xE6;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int32_t f = 0;
    const int avx2 = (b >> 5) & 1;
    if (avx2 && fma && ymm_ok) f |= BF_CPU_AVX2;
    const int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int vnni = (c >> 11) & 1, vbmi = (c >> 1) & 1;
    if ((f & BF_CPU_AVX2) && avx512f && avx512dq && avx512bw && avx512vl && zmm_ok) {
        f |= BF_CPU_AVX512;
        if (vnni) f |= BF_CPU_AVX512VNNI;
        if (vbmi) f |= BF_CPU_AVX512VBMI;
    }
    return f;
}
#else
static int32_t bf_detect(void) { return 0; }
#endif

int32_t bf_cpu_features(void) {
    static volatile int32_t cached = -1;
    int32_t v = cached;
    if (v < 0) { v = bf_detect(); cached = v; }
    return v;
}
