// qs8 ADD by exact table decomposition (see CKernels.h): byte-table lookups with vpermi2b,
// then one 16-bit add and one 16-bit compare per lane.
#include "common.h"

#if BF_X86

// 256-entry byte table t[0..3] (4 x 64 bytes) at the unsigned byte index x; hi = sign bits of x.
BF_INLINE BF_AVX512VBMI __m512i lut256(const uint8_t *t, __m512i x, __mmask64 hi) {
    const __m512i lo = _mm512_permutex2var_epi8(_mm512_load_si512(t), x, _mm512_load_si512(t + 64));
    const __m512i up = _mm512_permutex2var_epi8(_mm512_load_si512(t + 128), x, _mm512_load_si512(t + 192));
    return _mm512_mask_blend_epi8(hi, lo, up);
}

BF_INLINE BF_AVX512VBMI __m512i add64(const uint8_t *T, __m512i va, __m512i vb, __m512i lo, __m512i hi) {
    const __mmask64 ka = _mm512_movepi8_mask(va), kb = _mm512_movepi8_mask(vb);
    const __m512i pl = lut256(T, va, ka), ph = lut256(T + 256, va, ka);
    const __m512i rl = lut256(T + 512, va, ka), rh = lut256(T + 768, va, ka);
    const __m512i ql = lut256(T + 1024, vb, kb), qh = lut256(T + 1280, vb, kb);
    const __m512i sl = lut256(T + 1536, vb, kb), sh = lut256(T + 1792, vb, kb);
    const __m512i one = _mm512_set1_epi16(1);
    // Words in unpack order (bytes 0-7 / 8-15 of each 128-bit lane); packs_epi16 restores it.
    __m512i y0 = _mm512_add_epi16(_mm512_unpacklo_epi8(pl, ph), _mm512_unpacklo_epi8(ql, qh));
    __m512i y1 = _mm512_add_epi16(_mm512_unpackhi_epi8(pl, ph), _mm512_unpackhi_epi8(ql, qh));
    const __mmask32 c0 = _mm512_cmpge_epi16_mask(_mm512_unpacklo_epi8(rl, rh), _mm512_unpacklo_epi8(sl, sh));
    const __mmask32 c1 = _mm512_cmpge_epi16_mask(_mm512_unpackhi_epi8(rl, rh), _mm512_unpackhi_epi8(sl, sh));
    y0 = _mm512_mask_add_epi16(y0, c0, y0, one);
    y1 = _mm512_mask_add_epi16(y1, c1, y1, one);
    const __m512i o = _mm512_packs_epi16(y0, y1);
    return _mm512_min_epi8(_mm512_max_epi8(o, lo), hi);
}

BF_AVX512VBMI void bf_qs8_add_lut_avx512vbmi(const bf_qs8_add_lut_params *p, const int8_t *a, const int8_t *b, int8_t *y) {
    const uint8_t *T = p->tables;
    const __m512i lo = _mm512_set1_epi8((char)p->act_min), hi = _mm512_set1_epi8((char)p->act_max);
    int64_t i = 0;
    for (; i + 64 <= p->count; i += 64)
        _mm512_storeu_si512(y + i, add64(T, _mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i), lo, hi));
    if (i < p->count) {
        const __mmask64 m = bf_mask64(0, (int)(p->count - i));
        _mm512_mask_storeu_epi8(y + i, m, add64(T, _mm512_maskz_loadu_epi8(m, a + i), _mm512_maskz_loadu_epi8(m, b + i), lo, hi));
    }
}

#endif  // BF_X86
