// qs8 depthwise convolution with AVX2: 16 channels of a pixel per chunk, taps as int16 in pairs,
// one vpmaddwd per 8 channels and pair (see CKernels.h).
#include "avx2.h"

#if BF_X86

enum { BF_AVX2_DW_MAX_PAIRS = 13 };   // 25 taps

size_t bf_qs8_dwconv_avx2_packed_size(const bf_qs8_dwconv_avx2_params *p) {
    const size_t nc = (size_t)p->n_chunks;
    return bf_align64(nc * p->n_pairs * 64) + bf_align64(nc * 64) + bf_align64(nc * 2 * sizeof(bf_rq8)) + nc * 2 * sizeof(bf_rq8f);
}

// First channel of chunk k: 16 k, the last one moved back to end at c (overlapping) when c > 16.
static int chunk_start(int c, int k) {
    const int s = 16 * k;
    return c > 16 && s + 16 > c ? c - 16 : s;
}

void bf_qs8_dwconv_avx2_pack(bf_qs8_dwconv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                             const int32_t *multipliers, const int32_t *shifts, void *buffer) {
    const int32_t NC = p->n_chunks, NP = p->n_pairs, taps = p->kh * p->kw, c = p->c;
    uint8_t *base = (uint8_t *)buffer;
    const size_t wbytes = bf_align64((size_t)NC * NP * 64), bbytes = bf_align64((size_t)NC * 64);
    int16_t *w = (int16_t *)base;
    int32_t *b = (int32_t *)(base + wbytes);
    bf_rq8 *rq = (bf_rq8 *)(base + wbytes + bbytes);
    bf_rq8f *rqf = (bf_rq8f *)(base + wbytes + bbytes + bf_align64((size_t)NC * 2 * sizeof(bf_rq8)));
    int fast = 1;
    memset(base, 0, wbytes + bbytes);
    for (int32_t k = 0; k < NC; k++) {
        for (int32_t h = 0; h < 2; h++) {
            int32_t m8[8], s8[8], fm8[8], fs8[8];
            int64_t b8[8];
            for (int32_t e = 0; e < 8; e++) {
                // vpunpck{l,h}wd: lane e of the lo vector is chunk channel e (e < 4) or e + 4, of
                // the hi vector e + 4 or e + 8
                const int32_t ch = chunk_start(c, k) + (e < 4 ? e : e + 4) + 4 * h;
                m8[e] = 0; s8[e] = 0;
                fm8[e] = (1 << 30) + 1; fs8[e] = -1; b8[e] = 0;   // lanes past the channels: not stored
                if (ch >= c) continue;
                for (int32_t t = 0; t < taps; t++) w[((((size_t)k * NP + t / 2) * 2 + h) * 8 + e) * 2 + t % 2] = weights[(size_t)t * c + ch];
                b[(k * 2 + h) * 8 + e] = bf_fold_channel(weights + ch, (size_t)c, taps, bias[ch], p->zp_in, &b8[e]);
                m8[e] = multipliers[ch]; s8[e] = shifts[ch];
                fm8[e] = m8[e]; fs8[e] = s8[e];
            }
            bf_rq8_pack(m8, s8, 8, &rq[k * 2 + h]);
            if (fast) fast = bf_rq8f_pack(fm8, fs8, b8, 8, p->zp_out, &rqf[k * 2 + h]);
        }
    }
    p->w = w;
    p->bias = b;
    p->rq = rq;
    p->rqf = fast ? rqf : NULL;
}

// One chunk of one pixel from its taps a[0 .. 2 NP) (int16, 16 channels each): n output bytes.
BF_INLINE BF_AVX2 void dw_chunk(const bf_qs8_dwconv_avx2_params *p, const int NP, int k, const __m256i *a, int8_t *dst, int n) {
    const int32_t *b = p->bias + k * 16;
    __m256i lo = _mm256_loadu_si256((const __m256i *)b), hi = _mm256_loadu_si256((const __m256i *)(b + 8));
    const int16_t *w = p->w + (size_t)k * NP * 32;
    for (int g = 0; g < NP; g++) {
        lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(a[2 * g], a[2 * g + 1]), _mm256_loadu_si256((const __m256i *)(w + 32 * g))));
        hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(a[2 * g], a[2 * g + 1]), _mm256_loadu_si256((const __m256i *)(w + 32 * g + 16))));
    }
    const __m256i zp = _mm256_set1_epi32(p->zp_out);
    const bf_rq8f *rqf = p->rqf ? p->rqf + 2 * k : NULL;
    const __m256i rlo = bf_rq8_any_ymm(lo, rqf, p->rq + 2 * k, zp);
    const __m256i rhi = bf_rq8_any_ymm(hi, rqf ? rqf + 1 : NULL, p->rq + 2 * k + 1, zp);
    // int16 channels 0..15 in order, then bytes 0..7 | 8..15 in qwords 0 and 2 (exact int8 clamps)
    const __m256i t = _mm256_packs_epi32(rlo, rhi);
    __m128i o = _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packs_epi16(t, t), 0x08));
    o = _mm_min_epi8(_mm_max_epi8(o, _mm_set1_epi8((char)p->act_min)), _mm_set1_epi8((char)p->act_max));
    if (n == 16) _mm_storeu_si128((__m128i *)dst, o);
    else {
        int8_t tmp[16];
        _mm_storeu_si128((__m128i *)tmp, o);
        memcpy(dst, tmp, (size_t)n);
    }
}

BF_INLINE BF_AVX2 void dw_run(const bf_qs8_dwconv_avx2_params *p, const int NP, const int8_t *x, int8_t *y) {
    const int c = p->c, kh = p->kh, kw = p->kw, taps = kh * kw, n = c < 16 ? c : 16;
    const __m256i zpv = _mm256_set1_epi16((short)p->zp_in);
    __m256i a[2 * BF_AVX2_DW_MAX_PAIRS];
    for (int t = taps; t < 2 * NP; t++) a[t] = _mm256_setzero_si256();
    for (int oy = 0; oy < p->out_h; oy++) {
        const int y0 = oy * p->stride_h - p->pad_top;
        for (int ox = 0; ox < p->out_w; ox++) {
            const int x0 = ox * p->stride_w - p->pad_left;
            int8_t *out = y + ((size_t)oy * p->out_w + ox) * c;
            for (int k = 0; k < p->n_chunks; k++) {
                const int cs = chunk_start(c, k);
                for (int ky = 0, t = 0; ky < kh; ky++) {
                    const int yy = y0 + ky;
                    for (int kx = 0; kx < kw; kx++, t++) {
                        const int xx = x0 + kx;
                        if (yy < 0 || yy >= p->in_h || xx < 0 || xx >= p->in_w) { a[t] = zpv; continue; }
                        const int8_t *src = x + ((size_t)yy * p->in_w + xx) * c + cs;
                        if (n == 16) {
                            a[t] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)src));
                        } else {
                            int8_t tmp[16] = {0};
                            memcpy(tmp, src, (size_t)n);
                            a[t] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)tmp));
                        }
                    }
                }
                dw_chunk(p, NP, k, a, out + cs, n);
            }
        }
    }
}

BF_AVX2 void bf_qs8_dwconv_avx2(const bf_qs8_dwconv_avx2_params *p, const int8_t *x, int8_t *y) {
    if (p->n_pairs == 5) dw_run(p, 5, x, y);   // 3x3
    else dw_run(p, p->n_pairs, x, y);
}

#endif  // BF_X86
