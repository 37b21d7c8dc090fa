// MAX_POOL_2D int8 with AVX-512: 64 channels per load, equal to the reference.
#include "common.h"

#if BF_X86

BF_AVX512 void bf_qs8_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                                     int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                     int32_t act_min, int32_t act_max, const int8_t *x, int8_t *y) {
    const int ih = in_shape[1], iw = in_shape[2], c = in_shape[3], oh = out_shape[1], ow = out_shape[2];
    const __m512i lo = _mm512_set1_epi8((char)act_min), hi = _mm512_set1_epi8((char)act_max);
    for (int b = 0; b < out_shape[0]; b++)
        for (int oy = 0; oy < oh; oy++) {
            const int y0 = oy * stride_h - pad_top;
            const int ky0 = y0 < 0 ? -y0 : 0, ky1 = ih - y0 < kh ? ih - y0 : kh;
            for (int ox = 0; ox < ow; ox++) {
                const int x0 = ox * stride_w - pad_left;
                const int kx0 = x0 < 0 ? -x0 : 0, kx1 = iw - x0 < kw ? iw - x0 : kw;
                int8_t *out = y + (((size_t)b * oh + oy) * ow + ox) * c;
                for (int c0 = 0; c0 < c; c0 += 64) {
                    const __mmask64 m = bf_mask64(0, c - c0 < 64 ? c - c0 : 64);
                    __m512i v = _mm512_set1_epi8((char)-128);
                    for (int ky = ky0; ky < ky1; ky++)
                        for (int kx = kx0; kx < kx1; kx++)
                            v = _mm512_max_epi8(v, _mm512_maskz_loadu_epi8(m, x + ((((size_t)b * ih + y0 + ky) * iw + x0 + kx) * c + c0)));
                    v = _mm512_min_epi8(_mm512_max_epi8(v, lo), hi);
                    _mm512_mask_storeu_epi8(out + c0, m, v);
                }
            }
        }
}

#endif  // BF_X86
