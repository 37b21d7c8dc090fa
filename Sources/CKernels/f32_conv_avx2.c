// f32 convolution (indirect GEMM) and depthwise convolution with AVX2 and fused multiply-add, for
// x86-64 CPUs without AVX-512: the AVX-512 kernels' scheme in 8-lane vectors. Each output lane
// sums its taps in order with one rounding per fused multiply-add, then adds the bias, so results
// stay within float32 rounding of the reference kernels (AVX2FloatKernelTests bound each output by
// 2*gamma(n)*sum|terms|).
#include "avx2.h"

#if BF_X86

BF_INLINE BF_AVX2 __m256 f32_clamp8(__m256 v, __m256 lo, __m256 hi) { return _mm256_min_ps(_mm256_max_ps(v, lo), hi); }

// MR pixels x NB blocks of 8 channels: MR * NB accumulators, NB weight vectors and a broadcast
// (at most 16 ymm registers: 8x1, 6x2, 4x3). The weights are packed as for the AVX-512 kernel
// (bf_f32_conv_pack: [kh][seg_len][n_blocks][16]), where 8-channel block b of a tap is the 8
// floats at b * 8.
BF_INLINE BF_AVX2 void f32_tile8(const bf_f32_conv_params *p, const int MR, const int NB, const int nb0,
                                 const float *const *rows, float *const *outs) {
    __m256 acc[8][3];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < NB; j++) acc[i][j] = _mm256_setzero_ps();
    const int kh = p->kh, seg = p->seg_len, wstride = p->n_blocks * 16;
    const float *wp = p->w + (size_t)nb0 * 8;
    for (int ky = 0; ky < kh; ky++) {
        const float *r[8];
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) r[i] = rows[i * kh + ky];
        for (int k = 0; k < seg; k++) {
            __m256 wv[3];
#pragma clang loop unroll(full)
            for (int j = 0; j < NB; j++) wv[j] = _mm256_loadu_ps(wp + j * 8);
#pragma clang loop unroll(full)
            for (int i = 0; i < MR; i++) {
                const __m256 a = _mm256_broadcast_ss(r[i] + k);
#pragma clang loop unroll(full)
                for (int j = 0; j < NB; j++) acc[i][j] = _mm256_fmadd_ps(a, wv[j], acc[i][j]);
            }
            wp += wstride;
        }
    }
    const __m256 lo = _mm256_set1_ps(p->act_min), hi = _mm256_set1_ps(p->act_max);
    const int oc = p->out_c;
#pragma clang loop unroll(full)
    for (int j = 0; j < NB; j++) {
        const int c0 = (nb0 + j) * 8;
        const __m256 b = _mm256_loadu_ps(p->bias + c0);
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) bf_store8_ps(outs[i] + c0, oc - c0, f32_clamp8(_mm256_add_ps(acc[i][j], b), lo, hi));
    }
}

#define BF_F8_CASE(MR_, NB_) case (MR_) * 4 + (NB_): f32_tile8(p, MR_, NB_, nb0, rows, outs); break;

static BF_AVX2 void f32_dispatch8(const bf_f32_conv_params *p, int mr, int nb, int nb0, const float *const *rows, float *const *outs) {
    switch (mr * 4 + nb) {
        BF_F8_CASE(1, 1) BF_F8_CASE(2, 1) BF_F8_CASE(3, 1) BF_F8_CASE(4, 1)
        BF_F8_CASE(5, 1) BF_F8_CASE(6, 1) BF_F8_CASE(7, 1) BF_F8_CASE(8, 1)
        BF_F8_CASE(1, 2) BF_F8_CASE(2, 2) BF_F8_CASE(3, 2) BF_F8_CASE(4, 2) BF_F8_CASE(5, 2) BF_F8_CASE(6, 2)
        BF_F8_CASE(1, 3) BF_F8_CASE(2, 3) BF_F8_CASE(3, 3) BF_F8_CASE(4, 3)
        default: break;
    }
}

BF_AVX2 void bf_f32_conv_avx2(const bf_f32_conv_params *p, const float *x, float *y) {
    const int kh = p->kh, kw = p->kw, ic = p->in_c, oc = p->out_c, ow = p->out_w, M = p->out_h * p->out_w;
    const int flat = kh == 1 && kw == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 &&
                     p->pad_left == 0 && p->in_h == p->out_h && p->in_w == p->out_w;
    const int seg = p->seg_len, NBt = (oc + 7) / 8;
    float scratch[8][BF_AVX2_F32_CONV_MAX_K];
    const float *rows[8 * 16];
    float *outs[8];
    for (int nb0 = 0, nb; nb0 < NBt; nb0 += nb) {
        const int rem = NBt - nb0;
        nb = rem == 4 ? 2 : (rem < 3 ? rem : 3);   // 4 blocks as 2 + 2, else groups of 3
        const int MRmax = nb == 1 ? 8 : (nb == 2 ? 6 : 4);
        for (int m0 = 0; m0 < M; m0 += MRmax) {
            const int mr = M - m0 < MRmax ? M - m0 : MRmax;
            for (int i = 0; i < mr; i++) {
                const int m = m0 + i;
                outs[i] = y + (size_t)m * oc;
                if (flat) { rows[i] = x + (size_t)m * ic; continue; }
                const int oy = m / ow, ox = m % ow;
                const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
                const int inside_x = x0 >= 0 && x0 + kw <= p->in_w;
                for (int ky = 0; ky < kh; ky++) {
                    const int yy = y0 + ky;
                    if (yy >= 0 && yy < p->in_h && inside_x) { rows[i * kh + ky] = x + ((size_t)yy * p->in_w + x0) * ic; continue; }
                    float *r = &scratch[i][ky * seg];
                    memset(r, 0, (size_t)seg * 4);
                    if (yy >= 0 && yy < p->in_h)
                        for (int kx = 0; kx < kw; kx++) {
                            const int xx = x0 + kx;
                            if (xx >= 0 && xx < p->in_w) memcpy(r + kx * ic, x + ((size_t)yy * p->in_w + xx) * ic, (size_t)ic * 4);
                        }
                    rows[i * kh + ky] = r;
                }
            }
            f32_dispatch8(p, mr, nb, nb0, rows, outs);
        }
    }
}

// MARK: depthwise

// Weights and bias packed as for the AVX-512 kernel with flat = 0 (bf_f32_dwconv_pack:
// [n_slots][kh * kw][16], bias [n_slots][16]); channel block b of 8 is half b % 2 of slot b / 2.
// The last block's lanes past c are loaded masked (their weights and bias are 0) and not stored.
// Input vector of channel block ch0 at p (masked: the block holding channel c - 1, lanes past c
// not read).
#define BF_DW_LOAD(masked, ptr) ((masked) ? _mm256_maskload_ps((ptr), tail) : _mm256_loadu_ps(ptr))

// One output pixel (any position: taps outside the input skipped), every channel block.
static BF_AVX2 void f32_dw_pixel(const bf_f32_dwconv_params *p, const float *x, float *y, int oy, int ox) {
    const int c = p->c, kw = p->kw, kh = p->kh, taps = kh * kw, iw = p->in_w, NB = (c + 7) / 8;
    const __m256 lo = _mm256_set1_ps(p->act_min), hi = _mm256_set1_ps(p->act_max);
    const __m256i tail = bf_mask8_ymm(c - (NB - 1) * 8);
    const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
    const int ky0 = y0 < 0 ? -y0 : 0, ky1 = p->in_h - y0 < kh ? p->in_h - y0 : kh;
    const int kx0 = x0 < 0 ? -x0 : 0, kx1 = iw - x0 < kw ? iw - x0 : kw;
    const float *src = x + ((ptrdiff_t)y0 * iw + x0) * c;
    float *out = y + ((size_t)oy * p->out_w + ox) * c;
    for (int b = 0; b < NB; b++) {
        const float *w = p->w + (size_t)(b / 2) * taps * 16 + (b % 2) * 8, *s0 = src + b * 8;
        const int masked = b + 1 == NB;
        __m256 acc = _mm256_setzero_ps();
        for (int ky = ky0; ky < ky1; ky++)
            for (int kx = kx0; kx < kx1; kx++)
                acc = _mm256_fmadd_ps(BF_DW_LOAD(masked, s0 + ((ptrdiff_t)ky * iw + kx) * c), _mm256_loadu_ps(w + (ky * kw + kx) * 16), acc);
        acc = f32_clamp8(_mm256_add_ps(acc, _mm256_loadu_ps(p->bias + (b / 2) * 16 + (b % 2) * 8)), lo, hi);
        bf_store8_ps(out + b * 8, c - b * 8, acc);
    }
}

// Output pixels [oxa, oxb) of row oy, all taps inside the input, channel block b: the block's
// weights loaded once (in registers for 3x3), 4 pixels in flight.
BF_INLINE BF_AVX2 void f32_dw_run(const bf_f32_dwconv_params *p, const int kh, const int kw, const int masked,
                                  const float *x, float *y, int oy, int oxa, int oxb, int b) {
    const int c = p->c, iw = p->in_w, sw = p->stride_w, taps = kh * kw, NB = (c + 7) / 8;
    const __m256 lo = _mm256_set1_ps(p->act_min), hi = _mm256_set1_ps(p->act_max);
    const __m256i tail = bf_mask8_ymm(c - (NB - 1) * 8);
    const float *w = p->w + (size_t)(b / 2) * taps * 16 + (b % 2) * 8;
    __m256 wr[25];
    for (int t = 0; t < taps; t++) wr[t] = _mm256_loadu_ps(w + t * 16);
    const __m256 bias = _mm256_loadu_ps(p->bias + (b / 2) * 16 + (b % 2) * 8);
    const ptrdiff_t step = (ptrdiff_t)sw * c;
    const float *src = x + ((ptrdiff_t)(oy * p->stride_h - p->pad_top) * iw + (oxa * sw - p->pad_left)) * c + b * 8;
    float *out = y + ((size_t)oy * p->out_w + oxa) * c + b * 8;
    const int nv = c - b * 8;
    int ox = oxa;
    for (; ox + 4 <= oxb; ox += 4, src += 4 * step, out += 4 * c) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int t = 0; t < taps; t++) {
            const float *s0 = src + ((ptrdiff_t)(t / kw) * iw + t % kw) * c;
            a0 = _mm256_fmadd_ps(BF_DW_LOAD(masked, s0), wr[t], a0);
            a1 = _mm256_fmadd_ps(BF_DW_LOAD(masked, s0 + step), wr[t], a1);
            a2 = _mm256_fmadd_ps(BF_DW_LOAD(masked, s0 + 2 * step), wr[t], a2);
            a3 = _mm256_fmadd_ps(BF_DW_LOAD(masked, s0 + 3 * step), wr[t], a3);
        }
        bf_store8_ps(out, nv, f32_clamp8(_mm256_add_ps(a0, bias), lo, hi));
        bf_store8_ps(out + c, nv, f32_clamp8(_mm256_add_ps(a1, bias), lo, hi));
        bf_store8_ps(out + 2 * c, nv, f32_clamp8(_mm256_add_ps(a2, bias), lo, hi));
        bf_store8_ps(out + 3 * c, nv, f32_clamp8(_mm256_add_ps(a3, bias), lo, hi));
    }
    for (; ox < oxb; ox++, src += step, out += c) {
        __m256 a0 = _mm256_setzero_ps();
        for (int t = 0; t < taps; t++)
            a0 = _mm256_fmadd_ps(BF_DW_LOAD(masked, src + ((ptrdiff_t)(t / kw) * iw + t % kw) * c), wr[t], a0);
        bf_store8_ps(out, nv, f32_clamp8(_mm256_add_ps(a0, bias), lo, hi));
    }
}

static BF_AVX2 void f32_dw_run_any(const bf_f32_dwconv_params *p, const float *x, float *y, int oy, int oxa, int oxb, int b, int masked) {
    const int k33 = p->kh == 3 && p->kw == 3;
    if (k33 && masked) f32_dw_run(p, 3, 3, 1, x, y, oy, oxa, oxb, b);
    else if (k33) f32_dw_run(p, 3, 3, 0, x, y, oy, oxa, oxb, b);
    else if (masked) f32_dw_run(p, p->kh, p->kw, 1, x, y, oy, oxa, oxb, b);
    else f32_dw_run(p, p->kh, p->kw, 0, x, y, oy, oxa, oxb, b);
}

BF_AVX2 void bf_f32_dwconv_avx2(const bf_f32_dwconv_params *p, const float *x, float *y) {
    const int c = p->c, kw = p->kw, kh = p->kh, sw = p->stride_w, NB = (c + 7) / 8;
    // Columns whose taps are all inside the input: x0 >= 0 and x0 + kw <= in_w.
    int oxa = (p->pad_left + sw - 1) / sw, oxb = p->in_w - kw + p->pad_left < 0 ? 0 : (p->in_w - kw + p->pad_left) / sw + 1;
    if (oxb > p->out_w) oxb = p->out_w;
    if (oxa > oxb) oxa = oxb;
    for (int oy = 0; oy < p->out_h; oy++) {
        const int y0 = oy * p->stride_h - p->pad_top;
        if (y0 < 0 || y0 + kh > p->in_h || kh * kw > 25) {
            for (int ox = 0; ox < p->out_w; ox++) f32_dw_pixel(p, x, y, oy, ox);
            continue;
        }
        for (int ox = 0; ox < oxa; ox++) f32_dw_pixel(p, x, y, oy, ox);
        for (int b = 0; b < NB; b++) f32_dw_run_any(p, x, y, oy, oxa, oxb, b, b + 1 == NB);
        for (int ox = oxb; ox < p->out_w; ox++) f32_dw_pixel(p, x, y, oy, ox);
    }
}

#endif  // BF_X86
