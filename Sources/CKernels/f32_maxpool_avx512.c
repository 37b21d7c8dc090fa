// MAX_POOL_2D float32 with AVX-512: 16 channels per load, equal to the reference.
#include "common.h"

#if BF_X86

BF_AVX512 void bf_f32_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                                     int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                     float act_min, float act_max, const float *x, float *y) {
    const int iw = in_shape[2], c = in_shape[3];
    const __m512 lo = _mm512_set1_ps(act_min), hi = _mm512_set1_ps(act_max);
    BF_FOR_EACH_POOL_WINDOW(
        for (int c0 = 0; c0 < c; c0 += 16) {
            const __mmask16 m = (__mmask16)(c - c0 >= 16 ? 0xFFFF : (1u << (c - c0)) - 1);
            __m512 v = _mm512_set1_ps(-3.4028234663852886e38f);
            for (int ky = ky0; ky < ky1; ky++)
                for (int kx = kx0; kx < kx1; kx++)
                    v = _mm512_max_ps(v, _mm512_maskz_loadu_ps(m, x + (org + (ptrdiff_t)ky * iw + kx) * c + c0));
            _mm512_mask_storeu_ps(y + pix * c + c0, m, _mm512_min_ps(_mm512_max_ps(v, lo), hi));
        })
}

#endif  // BF_X86
