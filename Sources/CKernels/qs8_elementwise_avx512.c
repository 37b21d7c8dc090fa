// qs8 ADD, QUANTIZE, MAX_POOL_2D and PAD with AVX-512 (F/BW/VL/DQ), bit-exact with the reference.
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

BF_AVX512 void bf_f32_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                                     int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                     float act_min, float act_max, const float *x, float *y) {
    const int ih = in_shape[1], iw = in_shape[2], c = in_shape[3], oh = out_shape[1], ow = out_shape[2];
    const __m512 lo = _mm512_set1_ps(act_min), hi = _mm512_set1_ps(act_max);
    for (int b = 0; b < out_shape[0]; b++)
        for (int oy = 0; oy < oh; oy++) {
            const int y0 = oy * stride_h - pad_top;
            const int ky0 = y0 < 0 ? -y0 : 0, ky1 = ih - y0 < kh ? ih - y0 : kh;
            for (int ox = 0; ox < ow; ox++) {
                const int x0 = ox * stride_w - pad_left;
                const int kx0 = x0 < 0 ? -x0 : 0, kx1 = iw - x0 < kw ? iw - x0 : kw;
                float *out = y + (((size_t)b * oh + oy) * ow + ox) * c;
                for (int c0 = 0; c0 < c; c0 += 16) {
                    const __mmask16 m = (__mmask16)(c - c0 >= 16 ? 0xFFFF : (1u << (c - c0)) - 1);
                    __m512 v = _mm512_set1_ps(-3.4028234663852886e38f);
                    for (int ky = ky0; ky < ky1; ky++)
                        for (int kx = kx0; kx < kx1; kx++)
                            v = _mm512_max_ps(v, _mm512_maskz_loadu_ps(m, x + ((((size_t)b * ih + y0 + ky) * iw + x0 + kx) * c + c0)));
                    v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
                    _mm512_mask_storeu_ps(out + c0, m, v);
                }
            }
        }
}

// Copies n bytes with 64-byte vector moves (masked tail).
BF_INLINE BF_AVX512 void pad_copy(uint8_t *dst, const uint8_t *src, size_t n) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) _mm512_storeu_si512(dst + i, _mm512_loadu_si512(src + i));
    if (i < n) {
        const __mmask64 m = bf_mask64(0, (int)(n - i));
        _mm512_mask_storeu_epi8(dst + i, m, _mm512_maskz_loadu_epi8(m, src + i));
    }
}

// Fills n bytes with the 64-byte pattern v (n and the start a multiple of the element size,
// the pattern's period divides 64).
BF_INLINE BF_AVX512 void pad_fill(uint8_t *dst, __m512i v, size_t n) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) _mm512_storeu_si512(dst + i, v);
    if (i < n) _mm512_mask_storeu_epi8(dst + i, bf_mask64(0, (int)(n - i)), v);
}

// PAD: channel-only padding (the BlazeFace case) goes pixel by pixel: copy, then fill the tail;
// anything else fills the whole output, then copies each input row.
BF_AVX512 void bf_pad_nhwc(const int32_t in_shape[4], const int32_t out_shape[4], const int32_t before[4],
                           int32_t es, const uint8_t *fill, const void *xv, void *yv) {
    const uint8_t *x = (const uint8_t *)xv;
    uint8_t *y = (uint8_t *)yv;
    uint8_t pat[64];
    for (int i = 0; i < 64; i++) pat[i] = (es == 1 || es == 2 || es == 4) ? fill[i % es] : 0;
    const __m512i v = _mm512_loadu_si512(pat);
    const size_t total = (size_t)out_shape[0] * out_shape[1] * out_shape[2] * out_shape[3] * es;
    const size_t inrow = (size_t)in_shape[3] * es, outrow = (size_t)out_shape[3] * es;
    const int pattern_ok = es == 1 || es == 2 || es == 4;
    if (pattern_ok && before[0] == 0 && before[1] == 0 && before[2] == 0 && in_shape[0] == out_shape[0] &&
        in_shape[1] == out_shape[1] && in_shape[2] == out_shape[2]) {
        const size_t pixels = (size_t)in_shape[0] * in_shape[1] * in_shape[2];
        const size_t head = (size_t)before[3] * es, tail = outrow - inrow - head;
        if (outrow <= 8 * 64) {
            // Chunk q of an output pixel: lanes [head, head + inrow) come from the input (read
            // at src - head + 64q; masked-off lanes are not accessed), the rest is fill.
            const int nq = (int)((outrow + 63) / 64);
            __mmask64 m_in[8], m_out[8];
            for (int q = 0; q < nq; q++) {
                m_out[q] = bf_mask64(0, (int)(outrow - 64 * q < 64 ? outrow - 64 * q : 64));
                m_in[q] = bf_mask64((int)head - 64 * q, (int)(head + inrow) - 64 * q) & m_out[q];
            }
            for (size_t px = 0; px < pixels; px++) {
                uint8_t *dst = y + px * outrow;
                const uint8_t *src = x + px * inrow - head;
                for (int q = 0; q < nq; q++)
                    _mm512_mask_storeu_epi8(dst + 64 * q, m_out[q], _mm512_mask_loadu_epi8(v, m_in[q], src + 64 * q));
            }
            return;
        }
        for (size_t px = 0; px < pixels; px++) {
            uint8_t *dst = y + px * outrow;
            if (head) pad_fill(dst, v, head);
            pad_copy(dst + head, x + px * inrow, inrow);
            if (tail) pad_fill(dst + head + inrow, v, tail);
        }
        return;
    }
    if (pattern_ok) pad_fill(y, v, total);
    else for (size_t i = 0; i < total; i += (size_t)es) memcpy(y + i, fill, (size_t)es);
    for (int b = 0; b < in_shape[0]; b++)
        for (int yy = 0; yy < in_shape[1]; yy++) {
            const uint8_t *src = x + (((size_t)b * in_shape[1] + yy) * in_shape[2]) * inrow;
            uint8_t *dst = y + ((((size_t)(b + before[0]) * out_shape[1] + yy + before[1]) * out_shape[2] + before[2]) * out_shape[3] + before[3]) * es;
            if (inrow == outrow) { pad_copy(dst, src, inrow * in_shape[2]); continue; }
            for (int xx = 0; xx < in_shape[2]; xx++) pad_copy(dst + xx * outrow, src + xx * inrow, inrow);
        }
}

#endif  // BF_X86

void bf_u8_xor80(const uint8_t *x, int64_t count, uint8_t *y) {
    for (int64_t i = 0; i < count; i++) y[i] = (uint8_t)(x[i] ^ 0x80u);
}
