// RELU / RELU6 (a clamp) on float32 with AVX2, equal to the reference.
#include "avx2.h"

#if BF_X86

BF_AVX2 void bf_f32_clamp_avx2(const float *x, int64_t count, float lo, float hi, float *y) {
    const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(y + i, _mm256_min_ps(_mm256_max_ps(_mm256_loadu_ps(x + i), l), h));
    if (i < count) {
        const __m256i m = bf_mask8_ymm((int)(count - i));
        _mm256_maskstore_ps(y + i, m, _mm256_min_ps(_mm256_max_ps(_mm256_maskload_ps(x + i, m), l), h));
    }
}

#endif  // BF_X86
