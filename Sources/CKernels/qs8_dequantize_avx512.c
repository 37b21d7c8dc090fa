// DEQUANTIZE int8 -> float32 with AVX-512, in double as TFLite's reference.
#include "common.h"

#if BF_X86

BF_AVX512 void bf_qs8_dequantize_avx512(const int8_t *x, int64_t count, double scale, int32_t zp, float *y) {
    const __m512d s = _mm512_set1_pd(scale);
    const __m256i z = _mm256_set1_epi32(zp);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i q = _mm256_sub_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(x + i))), z);
        _mm256_storeu_ps(y + i, _mm512_cvtpd_ps(_mm512_mul_pd(s, _mm512_cvtepi32_pd(q))));
    }
    for (; i < count; i++) y[i] = (float)(scale * (double)((int32_t)x[i] - zp));
}

#endif  // BF_X86
