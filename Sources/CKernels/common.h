// Shared helpers of the AVX-512 kernels (not part of the public header).
#ifndef BLAZEFACE_CKERNELS_COMMON_H
#define BLAZEFACE_CKERNELS_COMMON_H

#include <string.h>
#include "CKernels.h"

// The microkernels are x86-64 only. Elsewhere (ARM64 boards, ...) every file compiles to nothing
// but portable_stubs.c, bf_cpu_features() reports no feature, and the engine never calls them.
#if defined(__x86_64__)
#define BF_X86 1
#include <immintrin.h>
#else
#define BF_X86 0
#endif

#if BF_X86

#define BF_AVX2 __attribute__((target("avx2,fma")))
#define BF_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define BF_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#define BF_AVX512VBMI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vbmi")))
#define BF_INLINE static inline __attribute__((always_inline))

static inline size_t bf_align64(size_t n) { return (n + 63) & ~(size_t)63; }

// Requantizes 16 int32 lanes with one bf_rq16 block, x known to need no left shift (all l == 0),
// e.g. ADD whose multipliers are < 1 (see CKernels.h for the derivation).
BF_INLINE BF_AVX512 __m512i bf_rq16_zmm_noshl(__m512i x, const bf_rq16 *q) {
    const __m512i xo = _mm512_shuffle_epi32(x, (_MM_PERM_ENUM)0xF5);    // odd lanes to even slots
    __m512i te = _mm512_mul_epi32(x, _mm512_loadu_si512(q->m));
    __m512i to = _mm512_mul_epi32(xo, _mm512_loadu_si512(q->m_odd));
    te = _mm512_add_epi64(te, _mm512_loadu_si512(q->k));
    to = _mm512_add_epi64(to, _mm512_loadu_si512(q->k + 8));
    te = _mm512_mask_sub_epi64(te, _mm512_cmplt_epi64_mask(te, _mm512_loadu_si512(q->rnd)), te, _mm512_loadu_si512(q->neg));
    to = _mm512_mask_sub_epi64(to, _mm512_cmplt_epi64_mask(to, _mm512_loadu_si512(q->rnd + 8)), to, _mm512_loadu_si512(q->neg + 8));
    te = _mm512_srav_epi64(te, _mm512_loadu_si512(q->sh));
    to = _mm512_srav_epi64(to, _mm512_loadu_si512(q->sh + 8));
    // odd results move from the low to the high half of their 64-bit lane
    return _mm512_mask_shuffle_epi32(te, 0xAAAA, to, (_MM_PERM_ENUM)0xB1);
}

// Requantizes 16 int32 lanes with one bf_rq16 block: the per-lane left shift, then the above.
BF_INLINE BF_AVX512 __m512i bf_rq16_zmm(__m512i x, const bf_rq16 *q) {
    return bf_rq16_zmm_noshl(_mm512_sllv_epi32(x, _mm512_loadu_si512(q->shl)), q);
}

// y + zp for 16 int32 lanes with one bf_rq16f block (see CKernels.h).
BF_INLINE BF_AVX512 __m512i bf_rq16f_zmm(__m512i x, const bf_rq16f *q) {
    const __m512i xo = _mm512_shuffle_epi32(x, (_MM_PERM_ENUM)0xF5);
    __m512i te = _mm512_mul_epu32(x, _mm512_loadu_si512(q->m2));
    __m512i to = _mm512_mul_epu32(xo, _mm512_loadu_si512(q->m2_odd));
    te = _mm512_add_epi64(te, _mm512_loadu_si512(q->k));
    to = _mm512_add_epi64(to, _mm512_loadu_si512(q->k + 8));
    // even lanes: high dword of te; odd lanes: high dword of to (already in place)
    __m512i h = _mm512_mask_shuffle_epi32(to, 0x5555, te, (_MM_PERM_ENUM)0xF5);
    h = _mm512_mask_sub_epi32(h, _mm512_movepi32_mask(x), h, _mm512_loadu_si512(q->corr));
    return _mm512_srav_epi32(h, _mm512_loadu_si512(q->sh));
}

// Lanes [lo, hi) of a 64-lane byte mask, clipped to [0, 64).
static inline __mmask64 bf_mask64(int lo, int hi) {
    if (lo < 0) lo = 0;
    if (hi <= lo) return 0;
    uint64_t upto = hi >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << hi) - 1);
    uint64_t from = lo >= 64 ? 0 : (~(uint64_t)0 << lo);
    return (__mmask64)(upto & from);
}

// The windows of a pool over NHWC tensors (variables in_shape, out_shape, kh, kw, stride_h,
// stride_w, pad_top, pad_left in scope): for each output pixel `pix`, the window's rows
// [ky0, ky1) and columns [kx0, kx1) inside the input and the input pixel index `org` of its
// top-left tap (which may lie outside the input); then the statements given.
#define BF_FOR_EACH_POOL_WINDOW(...) \
    for (int b = 0; b < out_shape[0]; b++) \
        for (int oy = 0; oy < out_shape[1]; oy++) { \
            const int y0 = oy * stride_h - pad_top; \
            const int ky0 = y0 < 0 ? -y0 : 0, ky1 = in_shape[1] - y0 < kh ? in_shape[1] - y0 : kh; \
            for (int ox = 0; ox < out_shape[2]; ox++) { \
                const int x0 = ox * stride_w - pad_left; \
                const int kx0 = x0 < 0 ? -x0 : 0, kx1 = in_shape[2] - x0 < kw ? in_shape[2] - x0 : kw; \
                const size_t pix = ((size_t)b * out_shape[1] + oy) * out_shape[2] + ox; \
                const ptrdiff_t org = ((ptrdiff_t)b * in_shape[1] + y0) * in_shape[2] + x0; \
                __VA_ARGS__ \
            } \
        }

#endif  // BF_X86

#endif
