// qs8 ADD with AVX2: two gathers from the exact int32 tables per 8 elements (see CKernels.h).
#include "avx2.h"

#if BF_X86

// 8 outputs (int32 lanes, not yet clamped to the activation range) of bytes a[0..8), b[0..8).
BF_INLINE BF_AVX2 __m256i add8(const bf_qs8_add_lut_avx2_params *p, const int8_t *a, const int8_t *b) {
    const __m256i ia = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)a));
    const __m256i ib = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)b));
    const __m256i ta = _mm256_i32gather_epi32((const int *)p->t1, ia, 4);
    const __m256i tb = _mm256_i32gather_epi32((const int *)p->t2, ib, 4);
    return _mm256_srai_epi32(_mm256_add_epi32(ta, tb), 16);
}

BF_AVX2 void bf_qs8_add_lut_avx2(const bf_qs8_add_lut_avx2_params *p, const int8_t *a, const int8_t *b, int8_t *y) {
    const __m128i lo = _mm_set1_epi8((char)p->act_min), hi = _mm_set1_epi8((char)p->act_max);
    const int64_t n = p->count;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i s0 = add8(p, a + i, b + i), s1 = add8(p, a + i + 8, b + i + 8);
        // int16 lanes 0-3, 8-11 | 4-7, 12-15 -> permute to order, then exact saturation to int8
        const __m256i s = _mm256_permute4x64_epi64(_mm256_packs_epi32(s0, s1), 0xD8);
        __m128i o = _mm_packs_epi16(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        o = _mm_min_epi8(_mm_max_epi8(o, lo), hi);
        _mm_storeu_si128((__m128i *)(y + i), o);
    }
    for (; i < n; i++) {
        int32_t s = (p->t1[(uint8_t)a[i]] + p->t2[(uint8_t)b[i]]) >> 16;
        s = s < p->act_min ? p->act_min : (s > p->act_max ? p->act_max : s);
        y[i] = (int8_t)(s < -128 ? -128 : (s > 127 ? 127 : s));
    }
}

#endif  // BF_X86
