// ADD float32 with AVX2 and the fused activation's clamp, equal to the reference.
#include "avx2.h"

#if BF_X86

BF_AVX2 void bf_f32_add_avx2(const float *a, const float *b, int64_t count, float lo, float hi, float *y) {
    const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(y + i, _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)), l), h));
    if (i < count) {
        const __m256i m = bf_mask8_ymm((int)(count - i));
        const __m256 v = _mm256_add_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m));
        _mm256_maskstore_ps(y + i, m, _mm256_min_ps(_mm256_max_ps(v, l), h));
    }
}

#endif  // BF_X86
