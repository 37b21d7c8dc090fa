// qs8 ADD with AVX-512 (F/BW/VL/DQ): TFLite's reference int8 Add, the three rescales in 16 lanes.
#include "common.h"

#if BF_X86

// Input rescale of the reference ADD folded into one bf_rq16 block (see CKernels.h):
// SRDHM((a - zp) << 20, m) = floor(((a - zp) * m + 2^10) / 2^11), then RDBPOT by r, merged.
static void add_input_block(bf_rq16 *q, int32_t zp, int32_t m, int32_t s) {
    memset(q, 0, sizeof *q);
    const int32_t r = s > 0 ? 0 : -s;   // prepare guarantees s <= 0
    const int64_t rnd = r > 0 ? ((int64_t)1 << (10 + r)) : 0;
    for (int i = 0; i < 16; i++) {
        q->shl[i] = 0;
        q->m[i] = m;
        q->m_odd[i] = m;
        q->k[i] = ((int64_t)1 << 10) + rnd - (int64_t)zp * m;
        q->rnd[i] = rnd;
        q->neg[i] = r > 0 ? ((int64_t)1 << 11) : 0;
        q->sh[i] = 11 + r;
    }
}

void bf_qs8_add_init(bf_qs8_add_params *p, int64_t count, int32_t zp_a, int32_t m_a, int32_t s_a,
                     int32_t zp_b, int32_t m_b, int32_t s_b, int32_t zp_out, int32_t m_out,
                     int32_t s_out, int32_t act_min, int32_t act_max) {
    memset(p, 0, sizeof *p);
    p->count = count;
    add_input_block(&p->rq_a, zp_a, m_a, s_a);
    add_input_block(&p->rq_b, zp_b, m_b, s_b);
    int32_t mo[16], so[16];
    for (int i = 0; i < 16; i++) { mo[i] = m_out; so[i] = s_out; }
    bf_rq16_pack(mo, so, 16, &p->rq_out);
    p->zp_out = zp_out;
    p->act_min = act_min;
    p->act_max = act_max;
}

BF_INLINE BF_AVX512 __m128i add16(const bf_qs8_add_params *p, __m128i a, __m128i b, __m512i zp, __m128i lo, __m128i hi) {
    const __m512i ra = bf_rq16_zmm_noshl(_mm512_cvtepi8_epi32(a), &p->rq_a);
    const __m512i rb = bf_rq16_zmm_noshl(_mm512_cvtepi8_epi32(b), &p->rq_b);
    const __m512i v = _mm512_add_epi32(bf_rq16_zmm(_mm512_add_epi32(ra, rb), &p->rq_out), zp);
    return _mm_min_epi8(_mm_max_epi8(_mm512_cvtsepi32_epi8(v), lo), hi);
}

BF_AVX512 void bf_qs8_add_avx512(const bf_qs8_add_params *p, const int8_t *a, const int8_t *b, int8_t *y) {
    const __m512i zp = _mm512_set1_epi32(p->zp_out);
    const __m128i lo = _mm_set1_epi8((char)p->act_min), hi = _mm_set1_epi8((char)p->act_max);
    int64_t i = 0;
    for (; i + 16 <= p->count; i += 16) {
        const __m128i r = add16(p, _mm_loadu_si128((const __m128i *)(a + i)), _mm_loadu_si128((const __m128i *)(b + i)), zp, lo, hi);
        _mm_storeu_si128((__m128i *)(y + i), r);
    }
    if (i < p->count) {
        const __mmask16 m = (__mmask16)((1u << (p->count - i)) - 1);
        const __m128i r = add16(p, _mm_maskz_loadu_epi8(m, a + i), _mm_maskz_loadu_epi8(m, b + i), zp, lo, hi);
        _mm_mask_storeu_epi8(y + i, m, r);
    }
}

#endif  // BF_X86
