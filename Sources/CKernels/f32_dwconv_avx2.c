// f32 depthwise convolution with AVX2 and fused multiply-add, for x86-64 CPUs without AVX-512:
// within float32 rounding of the reference.
#include "avx2.h"

#if BF_X86

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
