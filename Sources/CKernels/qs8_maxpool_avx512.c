// MAX_POOL_2D int8 with AVX-512: 64 channels per load, equal to the reference.
#include "common.h"

#if BF_X86

BF_AVX512 void bf_qs8_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                                     int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                     int32_t act_min, int32_t act_max, const int8_t *x, int8_t *y) {
    const int iw = in_shape[2], c = in_shape[3];
    const __m512i lo = _mm512_set1_epi8((char)act_min), hi = _mm512_set1_epi8((char)act_max);
    BF_FOR_EACH_POOL_WINDOW(
        for (int c0 = 0; c0 < c; c0 += 64) {
            const __mmask64 m = bf_mask64(0, c - c0 < 64 ? c - c0 : 64);
            __m512i v = _mm512_set1_epi8((char)-128);
            for (int ky = ky0; ky < ky1; ky++)
                for (int kx = kx0; kx < kx1; kx++)
                    v = _mm512_max_epi8(v, _mm512_maskz_loadu_epi8(m, x + (org + (ptrdiff_t)ky * iw + kx) * c + c0));
            _mm512_mask_storeu_epi8(y + pix * c + c0, m, _mm512_min_epi8(_mm512_max_epi8(v, lo), hi));
        })
}

#endif  // BF_X86
