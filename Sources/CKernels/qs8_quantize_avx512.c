// QUANTIZE float32 -> int8 with AVX-512: float32 division, round half away, as TFLite's AffineQuantize.
#include "common.h"

#if BF_X86

BF_INLINE BF_AVX512 __m128i quantize16(__m512 x, __m512 scale, __m512i zp) {
    const __m512 v = _mm512_div_ps(x, scale);                   // float32 division, as the reference
    const __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 d = _mm512_sub_ps(v, t);                       // exact fractional part
    const __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(d), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    const __m512 one = _mm512_or_ps(_mm512_set1_ps(1.0f), _mm512_and_ps(v, _mm512_set1_ps(-0.0f)));
    __m512 r = _mm512_mask_add_ps(t, up, t, one);               // round half away from zero
    r = _mm512_min_ps(_mm512_max_ps(r, _mm512_set1_ps(-1e9f)), _mm512_set1_ps(1e9f));
    r = _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), _mm512_setzero_ps());
    return _mm512_cvtsepi32_epi8(_mm512_add_epi32(_mm512_cvttps_epi32(r), zp));
}

BF_AVX512 void bf_qs8_quantize_avx512(const float *x, int64_t count, float scale, int32_t zp, int8_t *y) {
    const __m512 s = _mm512_set1_ps(scale);
    const __m512i z = _mm512_set1_epi32(zp);
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) _mm_storeu_si128((__m128i *)(y + i), quantize16(_mm512_loadu_ps(x + i), s, z));
    if (i < count) {
        const __mmask16 m = (__mmask16)((1u << (count - i)) - 1);
        _mm_mask_storeu_epi8(y + i, m, quantize16(_mm512_maskz_loadu_ps(m, x + i), s, z));
    }
}

#endif  // BF_X86
