// qs8 convolution with AVX2: int16 inputs, pairs of taps per vpmaddwd, tiles of MR pixels x
// 8*NB channels (see CKernels.h).
#include "avx2.h"

#if BF_X86

enum {
    BF_AVX2_CONV_PIXELS = 12,            // pixels per gathered or widened run
    BF_AVX2_CONV_PADDED = 56 * 1024,     // int16 values of the padded copy (112 KiB of stack)
    BF_AVX2_CONV_PADDED_ROWS = 16,       // filter rows the padded path takes
};

size_t bf_qs8_conv_avx2_packed_size(const bf_qs8_conv_avx2_params *p) {
    const size_t nb = (size_t)p->n_blocks;
    return bf_align64((size_t)p->pairs * nb * 32) + bf_align64(nb * 32) + bf_align64(nb * sizeof(bf_rq8)) + nb * sizeof(bf_rq8f);
}

void bf_qs8_conv_avx2_pack(bf_qs8_conv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                           const int32_t *multipliers, const int32_t *shifts, void *buffer) {
    const int32_t NB = p->n_blocks, P = p->pairs, SP = p->seg_pairs, oc = p->out_c;
    const int32_t seg = p->kw * p->in_c, K = p->kh * seg;
    uint8_t *base = (uint8_t *)buffer;
    const size_t wbytes = bf_align64((size_t)P * NB * 32), bbytes = bf_align64((size_t)NB * 32);
    int32_t *w = (int32_t *)base;
    int32_t *b = (int32_t *)(base + wbytes);
    bf_rq8 *rq = (bf_rq8 *)(base + wbytes + bbytes);
    bf_rq8f *rqf = (bf_rq8f *)(base + wbytes + bbytes + bf_align64((size_t)NB * sizeof(bf_rq8)));
    int64_t bound[NB * 8];
    memset(base, 0, wbytes + bbytes);
    for (int32_t c = 0; c < NB * 8; c++) {
        bound[c] = 0;
        if (c >= oc) continue;
        const int8_t *f = weights + (size_t)c * K;
        for (int32_t ky = 0; ky < p->kh; ky++)
            for (int32_t g = 0; g < SP; g++) {
                const int8_t *r = f + (size_t)ky * seg;
                const uint32_t lo = (uint16_t)(int16_t)r[2 * g], hi = 2 * g + 1 < seg ? (uint16_t)(int16_t)r[2 * g + 1] : 0;
                w[(((size_t)ky * SP + g) * NB + c / 8) * 8 + c % 8] = (int32_t)(lo | hi << 16);
            }
        b[c] = bf_fold_channel(f, 1, K, bias[c], p->zp_in, &bound[c]);
    }
    bf_rq8_pack(multipliers, shifts, oc, rq);
    p->w = w;
    p->bias = b;
    p->rq = rq;
    p->rqf = bf_rq8f_pack(multipliers, shifts, bound, oc, p->zp_out, rqf) ? rqf : NULL;
}

// n int8 -> int16, 16 at a time while src + 16 stays below `end` (the input's end): the last
// vector may write up to 15 values past dst + n, which the caller overwrites or leaves unread.
BF_INLINE BF_AVX2 void widen(const int8_t *src, int n, const int8_t *end, int16_t *dst) {
    int i = 0;
    for (; i < n && end - (src + i) >= 16; i += 16)
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = src[i];
}

BF_INLINE void fill16(int16_t *dst, int n, int16_t v) {
    for (int i = 0; i < n; i++) dst[i] = v;
}

// MR pixels x NB blocks of 8 channels from block nb0. Pixel i's inputs: nr runs of rp pairs,
// run r at rows[i * nr + r].
BF_INLINE BF_AVX2 void conv_tile(const bf_qs8_conv_avx2_params *p, const int MR, const int NB, const int nb0,
                                 const int16_t *const *rows, const int nr, const int rp, int8_t *const *outs) {
    __m256i acc[6][3];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < NB; j++) acc[i][j] = _mm256_loadu_si256((const __m256i *)(p->bias + (nb0 + j) * 8));
    const int NBt = p->n_blocks;
    const int32_t *wp = p->w + (size_t)nb0 * 8;
    for (int r = 0; r < nr; r++) {
        const int16_t *src[6];
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) src[i] = rows[i * nr + r];
        for (int g = 0; g < rp; g++, wp += (size_t)NBt * 8) {
            __m256i wv[3];
#pragma clang loop unroll(full)
            for (int j = 0; j < NB; j++) wv[j] = _mm256_loadu_si256((const __m256i *)(wp + j * 8));
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) {
                int32_t v;
                memcpy(&v, src[i] + 2 * g, 4);
                const __m256i a = _mm256_set1_epi32(v);
#pragma clang loop unroll(full)
                for (int j = 0; j < NB; j++) acc[i][j] = _mm256_add_epi32(acc[i][j], _mm256_madd_epi16(a, wv[j]));
            }
        }
    }
    const __m256i zp = _mm256_set1_epi32(p->zp_out);
    const __m256i lo = _mm256_set1_epi8((char)p->act_min), hi = _mm256_set1_epi8((char)p->act_max);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    const int c0 = nb0 * 8, n = p->out_c - c0 < 8 * NB ? p->out_c - c0 : 8 * NB;
    const bf_rq8f *rqf = p->rqf ? p->rqf + nb0 : NULL;
    const bf_rq8 *rq = p->rq + nb0;
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
        __m256i r[4];
#pragma clang loop unroll(full)
        for (int j = 0; j < NB; j++) r[j] = bf_rq8_any_ymm(acc[i][j], rqf ? rqf + j : NULL, rq + j, zp);
#pragma clang loop unroll(full)
        for (int j = NB; j < 4; j++) r[j] = r[0];
        // saturating packs (exact int8 clamps) leave dword groups r0 r1 r2 r3 per 128-bit lane
        __m256i o = _mm256_packs_epi16(_mm256_packs_epi32(r[0], r[1]), _mm256_packs_epi32(r[2], r[3]));
        o = _mm256_permutevar8x32_epi32(o, order);
        o = _mm256_min_epi8(_mm256_max_epi8(o, lo), hi);
        int8_t *dst = outs[i] + c0;
        if (n == 8 * NB) {
            if (NB == 1) _mm_storel_epi64((__m128i *)dst, _mm256_castsi256_si128(o));
            else _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(o));
            if (NB == 3) _mm_storel_epi64((__m128i *)(dst + 16), _mm256_extracti128_si256(o, 1));
        } else {
            int8_t tmp[32];
            _mm256_storeu_si256((__m256i *)tmp, o);
            memcpy(dst, tmp, (size_t)n);
        }
    }
}

#define BF_TILE(MR_, NB_) conv_tile(p, MR_, NB_, nb0, rows + (size_t)i0 * nr, nr, rp, outs + i0)
#define BF_TILES(NB_)                                              \
    switch (t) {                                                   \
        case 6: BF_TILE(6, NB_); break;                            \
        case 5: BF_TILE(5, NB_); break;                            \
        case 4: BF_TILE(4, NB_); break;                            \
        case 3: BF_TILE(3, NB_); break;                            \
        case 2: BF_TILE(2, NB_); break;                            \
        default: BF_TILE(1, NB_); break;                           \
    }

// All channels of mr pixels (inputs as in conv_tile): groups of 3 blocks (2 + 2 when 4 are
// left), tiles of 4 pixels x 3 blocks or 6 x 2 or 6 x 1 (at most 12 accumulators).
static BF_AVX2 void conv_pixels(const bf_qs8_conv_avx2_params *p, int mr, const int16_t *const *rows, int nr, int rp,
                                int8_t *const *outs) {
    const int NBt = p->n_blocks;
    for (int nb0 = 0; nb0 < NBt;) {
        const int left = NBt - nb0, nb = left == 4 ? 2 : (left < 3 ? left : 3);
        const int MRmax = nb == 3 ? 4 : 6;
        for (int i0 = 0; i0 < mr; i0 += MRmax) {
            const int t = mr - i0 < MRmax ? mr - i0 : MRmax;
            if (nb == 3) { BF_TILES(3) }
            else if (nb == 2) { BF_TILES(2) }
            else { BF_TILES(1) }
        }
        nb0 += nb;
    }
}
#undef BF_TILES
#undef BF_TILE

static int conv_pointwise(const bf_qs8_conv_avx2_params *p) {
    return p->kh == 1 && p->kw == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 && p->pad_left == 0 &&
           p->in_h == p->out_h && p->in_w == p->out_w;
}

// Padded int16 copy of the input (zp_in in the padding, zeros after it); each output pixel's
// filter rows are runs of this copy (a row of odd length reads one value past it, weight 0).
static __attribute__((noinline)) BF_AVX2 void conv_padded(const bf_qs8_conv_avx2_params *p, const int8_t *x, int8_t *y) {
    int16_t xp[BF_AVX2_CONV_PADDED + 32] __attribute__((aligned(32)));
    const int kh = p->kh, ic = p->in_c, oc = p->out_c, ow = p->out_w, M = p->out_h * ow;
    const int hp = (p->out_h - 1) * p->stride_h + kh, wp = (ow - 1) * p->stride_w + p->kw;
    const size_t rowlen = (size_t)wp * ic;
    const int16_t zp = (int16_t)p->zp_in;
    const int8_t *end = x + (size_t)p->in_h * p->in_w * ic;
    int xa = p->pad_left, xb = p->pad_left + p->in_w;   // padded columns with input
    if (xb > wp) xb = wp;
    if (xa > xb) xa = xb;
    for (int r = 0; r < hp; r++) {
        int16_t *d = xp + (size_t)r * rowlen;
        const int yy = r - p->pad_top;
        if (yy < 0 || yy >= p->in_h) { fill16(d, (int)rowlen, zp); continue; }
        fill16(d, xa * ic, zp);
        widen(x + ((size_t)yy * p->in_w + (xa - p->pad_left)) * ic, (xb - xa) * ic, end, d + (size_t)xa * ic);
        fill16(d + (size_t)xb * ic, (wp - xb) * ic, zp);
    }
    fill16(xp + (size_t)hp * rowlen, 32, 0);
    const int16_t *rows[BF_AVX2_CONV_PIXELS * BF_AVX2_CONV_PADDED_ROWS];
    int8_t *outs[BF_AVX2_CONV_PIXELS];
    for (int m0 = 0; m0 < M; m0 += BF_AVX2_CONV_PIXELS) {
        const int mr = M - m0 < BF_AVX2_CONV_PIXELS ? M - m0 : BF_AVX2_CONV_PIXELS;
        for (int i = 0; i < mr; i++) {
            const int m = m0 + i, oy = m / ow, ox = m % ow;
            const int16_t *b = xp + ((size_t)oy * p->stride_h * wp + (size_t)ox * p->stride_w) * ic;
            for (int ky = 0; ky < kh; ky++) rows[i * kh + ky] = b + (size_t)ky * rowlen;
            outs[i] = y + (size_t)m * oc;
        }
        conv_pixels(p, mr, rows, kh, p->seg_pairs, outs);
    }
}

// Output pixel m's filter rows as int16 (zp_in in the padding), each rounded up to 2 * seg_pairs
// values with a 0; up to 16 values past them are scratch.
static BF_AVX2 void gather(const bf_qs8_conv_avx2_params *p, const int8_t *x, const int8_t *end, int m, int16_t *dst) {
    const int ic = p->in_c, kw = p->kw, seg = kw * ic, stride = 2 * p->seg_pairs;
    const int16_t zp = (int16_t)p->zp_in;
    const int oy = m / p->out_w, ox = m % p->out_w;
    const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    int kx0 = x0 < 0 ? -x0 : 0, kx1 = p->in_w - x0 < kw ? p->in_w - x0 : kw;
    if (kx0 > kw) kx0 = kw;
    if (kx1 < kx0) kx1 = kx0;
    int16_t *d = dst;
    for (int ky = 0; ky < p->kh; ky++, d += stride) {
        const int yy = y0 + ky;
        if (yy < 0 || yy >= p->in_h || kx0 == kx1) fill16(d, seg, zp);
        else {
            fill16(d, kx0 * ic, zp);
            widen(x + ((size_t)yy * p->in_w + x0 + kx0) * ic, (kx1 - kx0) * ic, end, d + kx0 * ic);
            fill16(d + kx1 * ic, (kw - kx1) * ic, zp);
        }
        if (seg & 1) d[seg] = 0;
    }
}

// Pointwise: the taps of 12 pixels widened in one run (in_c apart; with in_c odd a pixel's last
// pair takes the next pixel's first tap, whose weight is 0). Else gathered per pixel, rows of
// taps 32 bytes past a multiple of 32 apart (no 4 KiB aliasing between pixels).
static __attribute__((noinline)) BF_AVX2 void conv_gathered(const bf_qs8_conv_avx2_params *p, const int8_t *x, int8_t *y) {
    int16_t patch[BF_AVX2_CONV_PIXELS * (BF_AVX2_CONV_MAX_K + 32)] __attribute__((aligned(32)));
    const int16_t *rows[BF_AVX2_CONV_PIXELS];
    int8_t *outs[BF_AVX2_CONV_PIXELS];
    const int M = p->out_h * p->out_w, oc = p->out_c, ic = p->in_c, pointwise = conv_pointwise(p);
    const int8_t *end = x + (size_t)p->in_h * p->in_w * ic;
    const int ks = pointwise ? ic : ((2 * p->pairs + 15) & ~15) + 16;
    for (int m0 = 0; m0 < M; m0 += BF_AVX2_CONV_PIXELS) {
        const int mr = M - m0 < BF_AVX2_CONV_PIXELS ? M - m0 : BF_AVX2_CONV_PIXELS;
        if (pointwise) {
            widen(x + (size_t)m0 * ic, mr * ic, end, patch);
            patch[mr * ic] = 0;
        }
        for (int i = 0; i < mr; i++) {
            if (!pointwise) gather(p, x, end, m0 + i, patch + (size_t)i * ks);
            rows[i] = patch + (size_t)i * ks;
            outs[i] = y + (size_t)(m0 + i) * oc;
        }
        conv_pixels(p, mr, rows, 1, p->pairs, outs);
    }
}

BF_AVX2 void bf_qs8_conv_avx2(const bf_qs8_conv_avx2_params *p, const int8_t *x, int8_t *y) {
    const size_t padded = ((size_t)(p->out_h - 1) * p->stride_h + p->kh) * ((size_t)(p->out_w - 1) * p->stride_w + p->kw) * p->in_c;
    if (!conv_pointwise(p) && p->kh <= BF_AVX2_CONV_PADDED_ROWS && padded <= BF_AVX2_CONV_PADDED) conv_padded(p, x, y);
    else conv_gathered(p, x, y);
}

#endif  // BF_X86
