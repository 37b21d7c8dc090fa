// RELU / RELU6 (a clamp) on float32 with AVX-512, equal to the reference.
#include "common.h"

#if BF_X86

BF_AVX512 void bf_f32_clamp_avx512(const float *x, int64_t count, float lo, float hi, float *y) {
    const __m512 l = _mm512_set1_ps(lo), h = _mm512_set1_ps(hi);
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(y + i, _mm512_min_ps(_mm512_max_ps(_mm512_loadu_ps(x + i), l), h));
    if (i < count) {
        const __mmask16 m = (__mmask16)((1u << (count - i)) - 1);
        _mm512_mask_storeu_ps(y + i, m, _mm512_min_ps(_mm512_max_ps(_mm512_maskz_loadu_ps(m, x + i), l), h));
    }
}

#endif  // BF_X86
