// qs8 depthwise convolution with AVX2: pairs of input rows interleaved as int16 words, one
// vpmaddwd per 8 channels, row pair and column tap (see CKernels.h).
#include "avx2.h"

#if BF_X86

enum { BF_AVX2_DW_SLOTS = 6 };   // interleaved rows kept: > the rows one output row spans (kh <= 5)

size_t bf_qs8_dwconv_avx2_packed_size(const bf_qs8_dwconv_avx2_params *p) {
    const size_t nb = (size_t)p->n_blocks;
    return bf_align64(nb * p->row_pairs * p->kw * 32) + bf_align64(nb * 32) + bf_align64(nb * sizeof(bf_rq8)) + nb * sizeof(bf_rq8f);
}

// First channel of block k: 8 k, the last one moved back to end at c (overlapping) when c > 8.
static int block_start(int c, int k) {
    const int s = 8 * k;
    return c > 8 && s + 8 > c ? c - 8 : s;
}

void bf_qs8_dwconv_avx2_pack(bf_qs8_dwconv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                             const int32_t *multipliers, const int32_t *shifts, void *buffer) {
    const int32_t NB = p->n_blocks, QP = p->row_pairs, kh = p->kh, kw = p->kw, c = p->c;
    uint8_t *base = (uint8_t *)buffer;
    const size_t wbytes = bf_align64((size_t)NB * QP * kw * 32), bbytes = bf_align64((size_t)NB * 32);
    int32_t *w = (int32_t *)base;
    int32_t *b = (int32_t *)(base + wbytes);
    bf_rq8 *rq = (bf_rq8 *)(base + wbytes + bbytes);
    bf_rq8f *rqf = (bf_rq8f *)(base + wbytes + bbytes + bf_align64((size_t)NB * sizeof(bf_rq8)));
    int fast = 1;
    memset(base, 0, wbytes + bbytes);
    for (int32_t k = 0; k < NB; k++) {
        int32_t m8[8], s8[8], fm8[8], fs8[8];
        int64_t b8[8];
        for (int32_t e = 0; e < 8; e++) {
            const int32_t ch = block_start(c, k) + e;
            m8[e] = 0; s8[e] = 0;
            fm8[e] = (1 << 30) + 1; fs8[e] = -1; b8[e] = 0;   // lanes past the channels: not stored
            if (ch >= c) continue;
            for (int32_t q = 0; q < QP; q++)
                for (int32_t kx = 0; kx < kw; kx++) {
                    const uint32_t lo = (uint16_t)(int16_t)weights[((size_t)(2 * q) * kw + kx) * c + ch];
                    const uint32_t hi = 2 * q + 1 < kh ? (uint16_t)(int16_t)weights[((size_t)(2 * q + 1) * kw + kx) * c + ch] : 0;
                    w[(((size_t)k * QP + q) * kw + kx) * 8 + e] = (int32_t)(lo | hi << 16);
                }
            b[k * 8 + e] = bf_fold_channel(weights + ch, (size_t)c, kh * kw, bias[ch], p->zp_in, &b8[e]);
            m8[e] = multipliers[ch]; s8[e] = shifts[ch];
            fm8[e] = m8[e]; fs8[e] = s8[e];
        }
        bf_rq8_pack(m8, s8, 8, &rq[k]);
        if (fast) fast = bf_rq8f_pack(fm8, fs8, b8, 8, p->zp_out, &rqf[k]);
    }
    p->w = w;
    p->bias = b;
    p->rq = rq;
    p->rqf = fast ? rqf : NULL;
}

// Interleaved row pair (r, r + 1) of `wp` padded columns: word = x[r] | x[r + 1] << 16 (int16),
// zp_in outside the input.
static BF_AVX2 void dw_pair_row(const bf_qs8_dwconv_avx2_params *p, const int8_t *x, int r, int wp, int32_t *dst) {
    const int c = p->c;
    const uint32_t z16 = (uint16_t)(int16_t)p->zp_in, zz = z16 | z16 << 16;
    int xa = p->pad_left, xb = p->pad_left + p->in_w;   // padded columns with input
    if (xb > wp) xb = wp;
    if (xa > xb) xa = xb;
    const int ra = r >= 0 && r < p->in_h, rb = r + 1 >= 0 && r + 1 < p->in_h;
    for (int i = 0; i < xa * c; i++) dst[i] = (int32_t)zz;
    for (int i = xb * c; i < wp * c; i++) dst[i] = (int32_t)zz;
    for (int i = wp * c; i < wp * c + 8; i++) dst[i] = (int32_t)zz;   // slack read by blocks past c < 8
    const int n = (xb - xa) * c;
    int32_t *d = dst + xa * c;
    if (!ra && !rb) { for (int i = 0; i < n; i++) d[i] = (int32_t)zz; return; }
    const int8_t *a = ra ? x + ((size_t)r * p->in_w + (xa - p->pad_left)) * c : NULL;
    const int8_t *b = rb ? x + ((size_t)(r + 1) * p->in_w + (xa - p->pad_left)) * c : NULL;
    const __m256i zv = _mm256_set1_epi16((short)p->zp_in);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i av = a ? _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + i))) : zv;
        const __m256i bv = b ? _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i))) : zv;
        const __m256i lo = _mm256_unpacklo_epi16(av, bv), hi = _mm256_unpackhi_epi16(av, bv);
        _mm256_storeu_si256((__m256i *)(d + i), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(d + i + 8), _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; i < n; i++) {
        const uint32_t lo = a ? (uint16_t)(int16_t)a[i] : z16, hi = b ? (uint16_t)(int16_t)b[i] : z16;
        d[i] = (int32_t)(lo | hi << 16);
    }
}

BF_INLINE BF_AVX2 void dw_run(const bf_qs8_dwconv_avx2_params *p, const int QP, const int KW, const int8_t *x, int8_t *y) {
    const int c = p->c, NB = p->n_blocks, sw = p->stride_w, n = c < 8 ? c : 8;
    const int wp = (p->out_w - 1) * sw + KW, rowlen = wp * c + 8;
    int32_t rows[BF_AVX2_DW_SLOTS * (BF_AVX2_DW_MAX_ROW + 8)] __attribute__((aligned(32)));
    int tag[BF_AVX2_DW_SLOTS];
    for (int s = 0; s < BF_AVX2_DW_SLOTS; s++) tag[s] = -1000000;
    const __m256i zp = _mm256_set1_epi32(p->zp_out);
    const __m128i lo = _mm_set1_epi8((char)p->act_min), hi = _mm_set1_epi8((char)p->act_max);
    for (int oy = 0; oy < p->out_h; oy++) {
        const int y0 = oy * p->stride_h - p->pad_top;
        const int32_t *rp[3];
        for (int q = 0; q < QP; q++) {
            const int r = y0 + 2 * q, s = ((r % BF_AVX2_DW_SLOTS) + BF_AVX2_DW_SLOTS) % BF_AVX2_DW_SLOTS;
            int32_t *row = rows + (size_t)s * rowlen;
            if (tag[s] != r) { dw_pair_row(p, x, r, wp, row); tag[s] = r; }
            rp[q] = row;
        }
        int8_t *yrow = y + (size_t)oy * p->out_w * c;
        for (int ox = 0; ox < p->out_w; ox++) {
            const size_t col = (size_t)ox * sw * c;
            for (int k = 0; k < NB; k++) {
                const int cb = block_start(c, k);
                __m256i acc = _mm256_loadu_si256((const __m256i *)(p->bias + k * 8));
                const int32_t *wk = p->w + (size_t)k * QP * KW * 8;
#pragma clang loop unroll(full)
                for (int q = 0; q < QP; q++)
#pragma clang loop unroll(full)
                    for (int kx = 0; kx < KW; kx++)
                        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(rp[q] + col + (size_t)kx * c + cb)),
                                                                      _mm256_loadu_si256((const __m256i *)(wk + (q * KW + kx) * 8))));
                const __m256i r = bf_rq8_any_ymm(acc, p->rqf ? p->rqf + k : NULL, p->rq + k, zp);
                // int16 0-3 | 4-7 -> qwords 0, 2; then exact saturation to int8 and the clamp
                const __m256i t = _mm256_permute4x64_epi64(_mm256_packs_epi32(r, r), 0x08);
                __m128i o = _mm_packs_epi16(_mm256_castsi256_si128(t), _mm256_castsi256_si128(t));
                o = _mm_min_epi8(_mm_max_epi8(o, lo), hi);
                int8_t *dst = yrow + (size_t)ox * c + cb;
                if (n == 8) _mm_storel_epi64((__m128i *)dst, o);
                else {
                    int8_t tmp[16];
                    _mm_storeu_si128((__m128i *)tmp, o);
                    memcpy(dst, tmp, (size_t)n);
                }
            }
        }
    }
}

BF_AVX2 void bf_qs8_dwconv_avx2(const bf_qs8_dwconv_avx2_params *p, const int8_t *x, int8_t *y) {
    if (p->kh == 3 && p->kw == 3) { dw_run(p, 2, 3, x, y); return; }
    switch (p->row_pairs * 8 + p->kw) {
        case 9: dw_run(p, 1, 1, x, y); break;
        case 10: dw_run(p, 1, 2, x, y); break;
        case 11: dw_run(p, 1, 3, x, y); break;
        case 12: dw_run(p, 1, 4, x, y); break;
        case 13: dw_run(p, 1, 5, x, y); break;
        case 17: dw_run(p, 2, 1, x, y); break;
        case 18: dw_run(p, 2, 2, x, y); break;
        case 19: dw_run(p, 2, 3, x, y); break;
        case 20: dw_run(p, 2, 4, x, y); break;
        case 21: dw_run(p, 2, 5, x, y); break;
        case 25: dw_run(p, 3, 1, x, y); break;
        case 26: dw_run(p, 3, 2, x, y); break;
        case 27: dw_run(p, 3, 3, x, y); break;
        case 28: dw_run(p, 3, 4, x, y); break;
        case 29: dw_run(p, 3, 5, x, y); break;
        default: break;
    }
}

#endif  // BF_X86
