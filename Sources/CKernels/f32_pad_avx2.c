// PAD of the channels only (zero fill) on float32 with AVX2, equal to the reference.
#include "avx2.h"

#if BF_X86

BF_AVX2 void bf_f32_pad_channels_avx2(int64_t pixels, int32_t in_c, int32_t out_c, int32_t before_c, const float *x, float *y) {
    const __m256 zero = _mm256_setzero_ps();
    const int after = out_c - before_c - in_c;
    const __m256i m_in = bf_mask8_ymm(in_c % 8);
    for (int64_t px = 0; px < pixels; px++) {
        const float *s = x + px * in_c;
        float *d = y + px * out_c;
        for (int k = 0; k < before_c; k += 8) bf_store8_ps(d + k, before_c - k, zero);
        d += before_c;
        int i = 0;
        for (; i + 8 <= in_c; i += 8) _mm256_storeu_ps(d + i, _mm256_loadu_ps(s + i));
        if (i < in_c) _mm256_maskstore_ps(d + i, m_in, _mm256_maskload_ps(s + i, m_in));
        d += in_c;
        for (int k = 0; k < after; k += 8) bf_store8_ps(d + k, after - k, zero);
    }
}

#endif  // BF_X86
