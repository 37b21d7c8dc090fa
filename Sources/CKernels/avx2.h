// Shared helpers of the AVX2 kernels (not part of the public header): the exact requantization
// of bf_rq8 / bf_rq8f blocks (see CKernels.h) in 8 int32 lanes; 8-lane masks for tails.
#ifndef BLAZEFACE_CKERNELS_AVX2_H
#define BLAZEFACE_CKERNELS_AVX2_H

#include "common.h"

#if BF_X86

// One output channel's constants for the pack functions: its weights w[0], w[stride], ..
// (n taps) give acc = bias - zp_in * sum(w) + sum(x * w) (mod 2^32, the folded bias returned)
// and the accumulator bound |bias| + 256 * sum|w| that decides the cheap requantization.
static inline int32_t bf_fold_channel(const int8_t *w, size_t stride, int32_t n, int32_t bias, int32_t zp_in, int64_t *bound) {
    int64_t sum = 0, asum = 0;
    for (int32_t t = 0; t < n; t++) {
        const int8_t v = w[(size_t)t * stride];
        sum += v;
        asum += v < 0 ? -v : v;
    }
    *bound = (bias < 0 ? -(int64_t)bias : (int64_t)bias) + 256 * asum;
    return (int32_t)(uint32_t)((uint64_t)(int64_t)bias - (uint64_t)((int64_t)zp_in * sum));
}

// floor(t / 2^s) per 64-bit lane for 0 <= s < 64 (AVX2 has logical 64-bit shifts only).
// clamp(v, lo, hi) in 8 float lanes (the fused activation).
BF_INLINE BF_AVX2 __m256 f32_clamp8(__m256 v, __m256 lo, __m256 hi) { return _mm256_min_ps(_mm256_max_ps(v, lo), hi); }

BF_INLINE BF_AVX2 __m256i bf_sra64_ymm(__m256i t, __m256i s) {
    const __m256i neg = _mm256_cmpgt_epi64(_mm256_setzero_si256(), t);
    return _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(t, neg), s), neg);
}

// Requantizes 8 int32 lanes with one bf_rq8 block (no zero point).
BF_INLINE BF_AVX2 __m256i bf_rq8_ymm(__m256i x, const bf_rq8 *q) {
    x = _mm256_sllv_epi32(x, _mm256_loadu_si256((const __m256i *)q->shl));
    const __m256i xo = _mm256_srli_epi64(x, 32);   // odd lanes to even slots
    __m256i te = _mm256_mul_epi32(x, _mm256_loadu_si256((const __m256i *)q->m));
    __m256i to = _mm256_mul_epi32(xo, _mm256_loadu_si256((const __m256i *)q->m_odd));
    te = _mm256_add_epi64(te, _mm256_loadu_si256((const __m256i *)q->k));
    to = _mm256_add_epi64(to, _mm256_loadu_si256((const __m256i *)(q->k + 4)));
    te = _mm256_sub_epi64(te, _mm256_and_si256(_mm256_cmpgt_epi64(_mm256_loadu_si256((const __m256i *)q->rnd), te),
                                               _mm256_loadu_si256((const __m256i *)q->neg)));
    to = _mm256_sub_epi64(to, _mm256_and_si256(_mm256_cmpgt_epi64(_mm256_loadu_si256((const __m256i *)(q->rnd + 4)), to),
                                               _mm256_loadu_si256((const __m256i *)(q->neg + 4))));
    te = bf_sra64_ymm(te, _mm256_loadu_si256((const __m256i *)q->sh));
    to = bf_sra64_ymm(to, _mm256_loadu_si256((const __m256i *)(q->sh + 4)));
    // odd results move from the low to the high half of their 64-bit lane
    return _mm256_blend_epi32(te, _mm256_slli_epi64(to, 32), 0xAA);
}

// y + zp for 8 int32 lanes with one bf_rq8f block.
BF_INLINE BF_AVX2 __m256i bf_rq8f_ymm(__m256i x, const bf_rq8f *q) {
    const __m256i xo = _mm256_srli_epi64(x, 32);
    __m256i te = _mm256_mul_epu32(x, _mm256_loadu_si256((const __m256i *)q->m2));
    __m256i to = _mm256_mul_epu32(xo, _mm256_loadu_si256((const __m256i *)q->m2_odd));
    te = _mm256_add_epi64(te, _mm256_loadu_si256((const __m256i *)q->k));
    to = _mm256_add_epi64(to, _mm256_loadu_si256((const __m256i *)(q->k + 4)));
    // even lanes: high dword of te; odd lanes: high dword of to (already in place)
    __m256i h = _mm256_blend_epi32(to, _mm256_srli_epi64(te, 32), 0x55);
    h = _mm256_sub_epi32(h, _mm256_and_si256(_mm256_srai_epi32(x, 31), _mm256_loadu_si256((const __m256i *)q->corr)));
    return _mm256_srav_epi32(h, _mm256_loadu_si256((const __m256i *)q->sh));
}

// Requantized accumulators (zero point added) of 8 channels with the block's cheap form if
// `rqf` is set, else the general one.
BF_INLINE BF_AVX2 __m256i bf_rq8_any_ymm(__m256i acc, const bf_rq8f *rqf, const bf_rq8 *rq, __m256i zp) {
    return rqf ? bf_rq8f_ymm(acc, rqf) : _mm256_add_epi32(bf_rq8_ymm(acc, rq), zp);
}

// Lanes [0, n) of an 8-lane mask for vmaskmovps (0 <= n <= 8).
static const int32_t bf_mask8_tab[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
BF_INLINE BF_AVX2 __m256i bf_mask8_ymm(int n) { return _mm256_loadu_si256((const __m256i *)(bf_mask8_tab + 8 - n)); }

// Stores lanes [0, n) of v (all 8 for n >= 8, none for n <= 0).
BF_INLINE BF_AVX2 void bf_store8_ps(float *dst, int n, __m256 v) {
    if (n >= 8) _mm256_storeu_ps(dst, v);
    else if (n > 0) _mm256_maskstore_ps(dst, bf_mask8_ymm(n), v);
}

#endif  // BF_X86

#endif
