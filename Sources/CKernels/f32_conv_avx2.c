// f32 convolution (indirect GEMM) and depthwise convolution with AVX2 and fused multiply-add, for
// x86-64 CPUs without AVX-512: the AVX-512 kernels' scheme in 8-lane vectors. Each output lane
// sums its taps in order with one rounding per fused multiply-add, then adds the bias, so results
// stay within float32 rounding of the reference kernels (KernelVariantTests bound each output by
// 2*gamma(n)*sum|terms|).
#include "avx2.h"

#if BF_X86

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

#endif  // BF_X86
