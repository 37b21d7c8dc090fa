// qs8 convolution, indirect GEMM with AVX512-VNNI: tiles of MR output pixels x 16*NB channels.
#include "common.h"

#if BF_X86

size_t bf_qs8_conv_packed_size(const bf_qs8_conv_params *p) {
    const size_t nb = (size_t)p->n_blocks;
    return bf_align64((size_t)p->kh * p->seg_groups * nb * 64) + bf_align64(nb * 16 * 4) + nb * sizeof(bf_rq16) +
           (nb + 1) * sizeof(bf_rq16f);
}

void bf_qs8_conv_pack(bf_qs8_conv_params *p, const int8_t *weights, const int32_t *bias,
                      const int32_t *multipliers, const int32_t *shifts, void *buffer) {
    const int32_t NB = p->n_blocks, G = p->seg_groups, kh = p->kh, kw = p->kw, ic = p->in_c, oc = p->out_c;
    uint8_t *base = (uint8_t *)buffer;
    int8_t *w = (int8_t *)base;
    const size_t wbytes = bf_align64((size_t)kh * G * NB * 64);
    int32_t *b = (int32_t *)(base + wbytes);
    bf_rq16 *rq = (bf_rq16 *)(base + wbytes + bf_align64((size_t)NB * 16 * 4));
    bf_rq16f *rqf = (bf_rq16f *)(rq + NB);
    int64_t bound[NB * 16];
    memset(w, 0, wbytes);
    for (int32_t c = 0; c < NB * 16; c++) {
        if (c >= oc) { b[c] = 0; continue; }
        int64_t sum = 0, asum = 0;
        for (int32_t ky = 0; ky < kh; ky++)
            for (int32_t k = 0; k < kw * ic; k++) {
                const int8_t v = weights[((size_t)c * kh + ky) * kw * ic + k];
                sum += v;
                asum += v < 0 ? -v : v;
                w[(((size_t)ky * G + k / 4) * NB + c / 16) * 64 + (c % 16) * 4 + k % 4] = v;
            }
        // acc = bias + sum((x - zp) * w) = bias - (zp + 128) * sum(w) + sum((x + 128) * w), mod 2^32
        b[c] = (int32_t)(uint32_t)((uint64_t)(int64_t)bias[c] - (uint64_t)(((int64_t)p->zp_in + 128) * sum));
        // |x - zp_in| <= 256 for int8 x and zp_in
        bound[c] = (bias[c] < 0 ? -(int64_t)bias[c] : (int64_t)bias[c]) + 256 * asum;
    }
    bf_rq16_pack(multipliers, shifts, oc, rq);
    p->w = w;
    p->bias = b;
    p->rq = rq;
    p->rqf = bf_rq16f_pack(multipliers, shifts, bound, oc, p->zp_out, rqf) ? rqf : NULL;
    // Last group of two blocks holding at most 24 channels: rqf[NB] is its second block's
    // 8 channels twice (lanes 8..15 repeat lanes 0..7), for the pixel-pair tile.
    const int32_t c1 = (NB - 1) * 16;
    if (p->rqf && NB % 4 == 2 && oc - c1 <= 8) {
        int32_t m16[16], s16[16];
        int64_t b16[16];
        for (int i = 0; i < 16; i++) {
            const int32_t ch = c1 + i % 8 < oc ? c1 + i % 8 : c1;
            m16[i] = multipliers[ch]; s16[i] = shifts[ch]; b16[i] = bound[ch];
        }
        if (!bf_rq16f_pack(m16, s16, b16, 16, p->zp_out, &rqf[NB])) p->rqf = NULL;
    }
}

// One tile: MR pixels (rows[i * kh + ky] points at filter row ky of pixel i) x NB blocks.
// XR = 0: the rows are already unsigned (x ^ 0x80, see conv_padded).
BF_INLINE BF_AVX512VNNI void conv_tile(const bf_qs8_conv_params *p, const int XR, const int MR, const int NB, const int nb0,
                                       const int8_t *const *rows, int8_t *const *outs) {
    __m512i acc[8][4];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < NB; j++) acc[i][j] = _mm512_loadu_si512(p->bias + (nb0 + j) * 16);
    const __m512i sign = _mm512_set1_epi32((int32_t)0x80808080u);
    const int kh = p->kh, G = p->seg_groups, NBt = p->n_blocks, tail = p->seg_len & 3;
    const int Gfull = tail ? G - 1 : G;
    const __mmask16 tmask = (__mmask16)((1u << tail) - 1);
    const int8_t *wp = p->w + (size_t)nb0 * 64;
    for (int ky = 0; ky < kh; ky++) {
        for (int g = 0; g < Gfull; g++) {
            __m512i wv[4];
#pragma clang loop unroll(full)
            for (int j = 0; j < NB; j++) wv[j] = _mm512_loadu_si512(wp + j * 64);
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) {
                int32_t v;
                memcpy(&v, rows[i * kh + ky] + 4 * g, 4);
                const __m512i a = XR ? _mm512_xor_si512(_mm512_set1_epi32(v), sign) : _mm512_set1_epi32(v);
#pragma clang loop unroll(full)
                for (int j = 0; j < NB; j++) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], a, wv[j]);
            }
            wp += (size_t)NBt * 64;
        }
        if (tail) {
            __m512i wv[4];
#pragma clang loop unroll(full)
            for (int j = 0; j < NB; j++) wv[j] = _mm512_loadu_si512(wp + j * 64);
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) {
                const __m128i t = _mm_maskz_loadu_epi8(tmask, rows[i * kh + ky] + 4 * Gfull);
                const __m512i a = XR ? _mm512_xor_si512(_mm512_broadcastd_epi32(t), sign) : _mm512_broadcastd_epi32(t);
#pragma clang loop unroll(full)
                for (int j = 0; j < NB; j++) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], a, wv[j]);
            }
            wp += (size_t)NBt * 64;
        }
    }
    const __m512i zp = _mm512_set1_epi32(p->zp_out);
    const __m128i lo = _mm_set1_epi8((char)p->act_min), hi = _mm_set1_epi8((char)p->act_max);
    const int oc = p->out_c;
    if (p->rqf) {
        // Up to 64 channels of a pixel in one vector: saturating packs (exact clamps, zp is
        // already in) interleave 4-dword groups per 128-bit lane, one dword permute restores order.
        const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        const __m512i lo64 = _mm512_set1_epi8((char)p->act_min), hi64 = _mm512_set1_epi8((char)p->act_max);
        const int c0 = nb0 * 16;
        const int n = oc - c0 < 16 * NB ? oc - c0 : 16 * NB;
        const __mmask64 smask = bf_mask64(0, n);
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) {
            __m512i r[4];
#pragma clang loop unroll(full)
            for (int j = 0; j < NB; j++) r[j] = bf_rq16f_zmm(acc[i][j], &p->rqf[nb0 + j]);
#pragma clang loop unroll(full)
            for (int j = NB; j < 4; j++) r[j] = r[0];
            __m512i o = _mm512_packs_epi16(_mm512_packs_epi32(r[0], r[1]), _mm512_packs_epi32(r[2], r[3]));
            o = _mm512_permutexvar_epi32(order, o);
            o = _mm512_min_epi8(_mm512_max_epi8(o, lo64), hi64);
            if (n == 64) _mm512_storeu_si512(outs[i] + c0, o);
            else _mm512_mask_storeu_epi8(outs[i] + c0, smask, o);
        }
        return;
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
#pragma clang loop unroll(full)
        for (int j = 0; j < NB; j++) {
            const __m512i v = _mm512_add_epi32(bf_rq16_zmm(acc[i][j], &p->rq[nb0 + j]), zp);
            __m128i q = _mm512_cvtsepi32_epi8(v);
            q = _mm_min_epi8(_mm_max_epi8(q, lo), hi);
            const int c0 = (nb0 + j) * 16;
            if (c0 + 16 <= oc) _mm_storeu_si128((__m128i *)(outs[i] + c0), q);
            else _mm_mask_storeu_epi8(outs[i] + c0, (__mmask16)((1u << (oc - c0)) - 1), q);
        }
    }
}


// 8 pixels x (16 + at most 8) channels, cheap requantization: the second block's 8 channels of
// pixels 2i and 2i+1 share one accumulator (lanes 0..7 and 8..15), 12 vpdpbusd per group
// instead of 16. Outputs of consecutive pixels are adjacent (outs[i + 1] = outs[i] + out_c).
BF_INLINE BF_AVX512VNNI void conv_tile_pairs(const bf_qs8_conv_params *p, const int XR, const int nb0,
                                             const int8_t *const *rows, int8_t *const *outs) {
    __m512i acc[8], accm[4];
    const __m512i b0 = _mm512_loadu_si512(p->bias + nb0 * 16);
    const __m256i b1h = _mm512_castsi512_si256(_mm512_loadu_si512(p->bias + (nb0 + 1) * 16));
    const __m512i b1 = _mm512_inserti64x4(_mm512_castsi256_si512(b1h), b1h, 1);
#pragma clang loop unroll(full)
    for (int i = 0; i < 8; i++) acc[i] = b0;
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++) accm[i] = b1;
    const __m512i sign = _mm512_set1_epi32((int32_t)0x80808080u);
    const int kh = p->kh, G = p->seg_groups, NBt = p->n_blocks, tail = p->seg_len & 3;
    const int Gfull = tail ? G - 1 : G;
    const __mmask16 tmask = (__mmask16)((1u << tail) - 1);
    const int8_t *wp = p->w + (size_t)nb0 * 64;
    for (int ky = 0; ky < kh; ky++) {
        for (int g = 0; g < G; g++) {
            const __m512i w0 = _mm512_loadu_si512(wp);
            const __m512i w1 = _mm512_shuffle_i64x2(_mm512_loadu_si512(wp + 64), _mm512_loadu_si512(wp + 64), 0x44);
            __m512i a[8];
            if (g < Gfull) {
#pragma clang loop unroll(full)
                for (int i = 0; i < 8; i++) {
                    int32_t v;
                    memcpy(&v, rows[i * kh + ky] + 4 * g, 4);
                    a[i] = XR ? _mm512_xor_si512(_mm512_set1_epi32(v), sign) : _mm512_set1_epi32(v);
                }
            } else {
#pragma clang loop unroll(full)
                for (int i = 0; i < 8; i++) {
                    const __m128i t = _mm_maskz_loadu_epi8(tmask, rows[i * kh + ky] + 4 * g);
                    a[i] = XR ? _mm512_xor_si512(_mm512_broadcastd_epi32(t), sign) : _mm512_broadcastd_epi32(t);
                }
            }
#pragma clang loop unroll(full)
            for (int i = 0; i < 8; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a[i], w0);
#pragma clang loop unroll(full)
            for (int i = 0; i < 4; i++)
                accm[i] = _mm512_dpbusd_epi32(accm[i], _mm512_mask_blend_epi32(0xFF00, a[2 * i], a[2 * i + 1]), w1);
            wp += (size_t)NBt * 64;
        }
    }
    const int oc = p->out_c, c0 = nb0 * 16, n = oc - c0;   // 16 < n <= 24
    // packs leave dword d of 128-bit lane L = group L of (r0[a], r0[b], rm, rm)[d]
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 2, 6, 1, 5, 9, 13, 10, 14, 3, 7, 11, 15);
    const __m512i lo64 = _mm512_set1_epi8((char)p->act_min), hi64 = _mm512_set1_epi8((char)p->act_max);
    // bytes [0, n) for pixel a, [24, 24 + n) for pixel b (adjacent in memory when c0 = 0, n = 24)
#pragma clang loop unroll(full)
    for (int i = 0; i < 4; i++) {
        const __m512i ra = bf_rq16f_zmm(acc[2 * i], &p->rqf[nb0]);
        const __m512i rb = bf_rq16f_zmm(acc[2 * i + 1], &p->rqf[nb0]);
        const __m512i rm = bf_rq16f_zmm(accm[i], &p->rqf[NBt]);
        __m512i o = _mm512_packs_epi16(_mm512_packs_epi32(ra, rb), _mm512_packs_epi32(rm, rm));
        o = _mm512_permutexvar_epi32(order, o);
        o = _mm512_min_epi8(_mm512_max_epi8(o, lo64), hi64);
        if (n == 24 && c0 == 0) _mm512_mask_storeu_epi8(outs[2 * i], bf_mask64(0, 48), o);
        else {
            _mm512_mask_storeu_epi8(outs[2 * i] + c0, bf_mask64(0, n), o);
            _mm512_mask_storeu_epi8(outs[2 * i + 1] + c0 - 24, bf_mask64(24, 24 + n), o);
        }
    }
}

#define BF_TILE_CASE(MR_, NB_) case (MR_) * 8 + (NB_): conv_tile(p, XR_, MR_, NB_, nb0, rows, outs); break;
#define BF_TILE_ROW(MR_) BF_TILE_CASE(MR_, 1) BF_TILE_CASE(MR_, 2) BF_TILE_CASE(MR_, 3) BF_TILE_CASE(MR_, 4)

#define XR_ 1
static BF_AVX512VNNI void conv_dispatch(const bf_qs8_conv_params *p, int mr, int nb, int nb0,
                                        const int8_t *const *rows, int8_t *const *outs) {
    switch (mr * 8 + nb) {
        BF_TILE_ROW(1) BF_TILE_ROW(2) BF_TILE_ROW(3) BF_TILE_ROW(4)
        BF_TILE_ROW(5) BF_TILE_ROW(6) BF_TILE_ROW(7) BF_TILE_ROW(8)
        default: break;
    }
}
#undef XR_
#define XR_ 0
static BF_AVX512VNNI void conv_dispatch_u(const bf_qs8_conv_params *p, int mr, int nb, int nb0,
                                          const int8_t *const *rows, int8_t *const *outs) {
    switch (mr * 8 + nb) {
        BF_TILE_ROW(1) BF_TILE_ROW(2) BF_TILE_ROW(3) BF_TILE_ROW(4)
        BF_TILE_ROW(5) BF_TILE_ROW(6) BF_TILE_ROW(7) BF_TILE_ROW(8)
        default: break;
    }
}
#undef XR_

enum { BF_CONV_SCRATCH = 1024 };

// Padded unsigned copy of the input (x ^ 0x80, borders zp_in ^ 0x80) when it fits on the stack:
// no border scratch rows and no xor per broadcast (e.g. the 5x5 first conv: 131 x 131 x 3 bytes;
// 1x1 convs: the input as is, x ^ 0x80).
enum { BF_CONV_PADDED_MAX = 56 * 1024 };

static size_t conv_padded_bytes(const bf_qs8_conv_params *p) {
    const size_t hp = (size_t)(p->out_h - 1) * p->stride_h + p->kh, wp = (size_t)(p->out_w - 1) * p->stride_w + p->kw;
    return hp * wp * p->in_c + 64;
}

static __attribute__((noinline)) BF_AVX512VNNI void conv_padded(const bf_qs8_conv_params *p, const int8_t *x, int8_t *y) {
    uint8_t xp[BF_CONV_PADDED_MAX] __attribute__((aligned(64)));
    const int kh = p->kh, ic = p->in_c, oc = p->out_c, ow = p->out_w, M = p->out_h * p->out_w;
    const int hp = (p->out_h - 1) * p->stride_h + kh, wp = (p->out_w - 1) * p->stride_w + p->kw;
    const size_t rowb = (size_t)wp * ic;
    const int flat = kh == 1 && p->kw == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 &&
                     p->pad_left == 0 && p->in_h == p->out_h && p->in_w == p->out_w;
    const uint8_t fill = (uint8_t)(p->zp_in ^ 0x80);
    const __m512i sign = _mm512_set1_epi8((char)0x80);
    // real columns [xa, xb) of the padded row come from input columns xa - pad_left ..
    int xa = p->pad_left, xb = p->pad_left + p->in_w;
    if (xb > wp) xb = wp;
    if (xa > xb) xa = xb;
    for (int r = 0; r < hp; r++) {
        uint8_t *dst = xp + (size_t)r * rowb;
        const int yy = r - p->pad_top;
        if (yy < 0 || yy >= p->in_h) { memset(dst, fill, rowb); continue; }
        memset(dst, fill, (size_t)xa * ic);
        memset(dst + (size_t)xb * ic, fill, (size_t)(wp - xb) * ic);
        const int8_t *src = x + ((size_t)yy * p->in_w + (xa - p->pad_left)) * ic;
        uint8_t *d = dst + (size_t)xa * ic;
        const int n = (xb - xa) * ic;
        int j = 0;
        for (; j + 64 <= n; j += 64) _mm512_storeu_si512(d + j, _mm512_xor_si512(_mm512_loadu_si512(src + j), sign));
        if (j < n) {
            const __mmask64 m = bf_mask64(0, n - j);
            _mm512_mask_storeu_epi8(d + j, m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + j), sign));
        }
    }
    const int8_t *rows[8 * 16];
    int8_t *outs[8];
    for (int nb0 = 0; nb0 < p->n_blocks; nb0 += 4) {
        const int nb = p->n_blocks - nb0 < 4 ? p->n_blocks - nb0 : 4;
        const int MRmax = nb <= 2 ? 8 : 4;
        const int pairs = p->rqf && p->n_blocks % 4 == 2 && oc - (p->n_blocks - 1) * 16 <= 8;
        for (int m0 = 0; m0 < M; m0 += MRmax) {
            const int mr = M - m0 < MRmax ? M - m0 : MRmax;
            for (int i = 0; i < mr; i++) {
                const int m = m0 + i;
                outs[i] = y + (size_t)m * oc;
                if (flat) { rows[i] = (const int8_t *)xp + (size_t)m * ic; continue; }
                const int oy = m / ow, ox = m % ow;
                const int8_t *base = (const int8_t *)xp + ((size_t)oy * p->stride_h * wp + (size_t)ox * p->stride_w) * ic;
                for (int ky = 0; ky < kh; ky++) rows[i * kh + ky] = base + (size_t)ky * rowb;
            }
            if (pairs && nb == 2 && mr == 8) conv_tile_pairs(p, 0, nb0, rows, outs);
            else conv_dispatch_u(p, mr, nb, nb0, rows, outs);
        }
    }
}

BF_AVX512VNNI void bf_qs8_conv_avx512vnni(const bf_qs8_conv_params *p, const int8_t *x, int8_t *y) {
    // Whenever the padded unsigned copy fits, 1x1 convs included (e.g. the compact plan's 256-pixel
    // bands): one xor per input byte instead of one per broadcast and channel group.
    if (conv_padded_bytes(p) <= BF_CONV_PADDED_MAX) { conv_padded(p, x, y); return; }
    const int kh = p->kh, kw = p->kw, ic = p->in_c, oc = p->out_c;
    const int ow = p->out_w, M = p->out_h * p->out_w;
    const int flat = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 &&
                     p->pad_left == 0 && p->in_h == p->out_h && p->in_w == p->out_w;
    const int seg = p->seg_len;
    // Border pixels get their filter rows copied here, padded taps filled with zp_in.
    int8_t scratch[8][BF_CONV_SCRATCH];
    const int8_t *rows[8 * 16];
    int8_t *outs[8];
    for (int nb0 = 0; nb0 < p->n_blocks; nb0 += 4) {
        const int nb = p->n_blocks - nb0 < 4 ? p->n_blocks - nb0 : 4;
        const int MRmax = nb <= 2 ? 8 : 4;
        const int pairs = p->rqf && p->n_blocks % 4 == 2 && oc - (p->n_blocks - 1) * 16 <= 8;
        for (int m0 = 0; m0 < M; m0 += MRmax) {
            const int mr = M - m0 < MRmax ? M - m0 : MRmax;
            for (int i = 0; i < mr; i++) {
                const int m = m0 + i;
                outs[i] = y + (size_t)m * oc;
                if (flat) { rows[i * kh] = x + (size_t)m * ic; continue; }
                const int oy = m / ow, ox = m % ow;
                const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
                const int inside_x = x0 >= 0 && x0 + kw <= p->in_w;
                for (int ky = 0; ky < kh; ky++) {
                    const int yy = y0 + ky;
                    if (yy >= 0 && yy < p->in_h && inside_x) {
                        rows[i * kh + ky] = x + ((size_t)yy * p->in_w + x0) * ic;
                        continue;
                    }
                    int8_t *r = &scratch[i][ky * (seg + 4)];
                    memset(r, p->zp_in, (size_t)seg + 4);
                    if (yy >= 0 && yy < p->in_h) {
                        for (int kx = 0; kx < kw; kx++) {
                            const int xx = x0 + kx;
                            if (xx >= 0 && xx < p->in_w) memcpy(r + kx * ic, x + ((size_t)yy * p->in_w + xx) * ic, (size_t)ic);
                        }
                    }
                    rows[i * kh + ky] = r;
                }
            }
            if (pairs && nb == 2 && mr == 8) conv_tile_pairs(p, 1, nb0, rows, outs);
            else conv_dispatch(p, mr, nb, nb0, rows, outs);
        }
    }
}

#endif  // BF_X86
