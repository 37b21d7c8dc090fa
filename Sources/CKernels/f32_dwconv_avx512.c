// f32 depthwise convolution with AVX-512 and fused multiply-add: per pixel or, stride 1, flat rows;
// within float32 rounding of the reference.
#include "common.h"

#if BF_X86

size_t bf_f32_dwconv_packed_size(const bf_f32_dwconv_params *p) {
    return bf_align64((size_t)p->n_slots * p->kh * p->kw * 64) + bf_align64((size_t)p->n_slots * 64);
}

void bf_f32_dwconv_pack(bf_f32_dwconv_params *p, const float *weights, const float *bias, void *buffer) {
    const int32_t S = p->n_slots, taps = p->kh * p->kw, c = p->c;
    float *w = (float *)buffer;
    float *b = (float *)((uint8_t *)buffer + bf_align64((size_t)S * taps * 64));
    memset(buffer, 0, bf_f32_dwconv_packed_size(p));
    for (int32_t s = 0; s < S; s++)
        for (int32_t j = 0; j < 16; j++) {
            const int32_t ch = p->flat ? (s * 16 + j) % c : s * 16 + j;
            if (ch >= c) continue;
            for (int32_t t = 0; t < taps; t++) w[((size_t)s * taps + t) * 16 + j] = weights[(size_t)t * c + ch];
            b[s * 16 + j] = bias[ch];
        }
    p->w = w;
    p->bias = b;
}

static inline __mmask16 bf_mask16(int lo, int hi) {
    if (hi <= lo) return 0;
    const uint32_t upto = hi >= 16 ? 0xFFFFu : ((1u << hi) - 1);
    const uint32_t from = lo >= 16 ? 0 : (0xFFFFu << lo);
    return (__mmask16)(upto & from);
}

BF_AVX512 void bf_f32_dwconv_avx512(const bf_f32_dwconv_params *p, const float *x, float *y) {
    const int c = p->c, kw = p->kw, taps = p->kh * p->kw;
    const __m512 lo = _mm512_set1_ps(p->act_min), hi = _mm512_set1_ps(p->act_max);
    if (p->flat) {
        // Four vectors (64 lanes) in flight; each lane still sums its taps in order, then bias.
        const int Li = p->in_w * c, Lo = p->out_w * c, S = p->n_slots;
        for (int oy = 0; oy < p->out_h; oy++) {
            float *yrow = y + (size_t)oy * Lo;
            int slot = 0;
            for (int j0 = 0; j0 < Lo; j0 += 64) {
                const float *w[4];
                const float *bv[4];
                for (int u = 0, s = slot; u < 4; u++) {
                    w[u] = p->w + (size_t)s * taps * 16;
                    bv[u] = p->bias + s * 16;
                    if (++s == S) s = 0;
                }
                __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps(), acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
                const int full = j0 + 64 <= Lo;
                for (int t = 0, ky = 0, kx = 0; t < taps; t++, kx = kx + 1 == kw ? 0 : kx + 1, ky += kx == 0) {
                    const int yy = oy + ky - p->pad_top;
                    if (yy < 0 || yy >= p->in_h) continue;
                    const int off = j0 + (kx - p->pad_left) * c;
                    const float *src = x + (ptrdiff_t)yy * Li + off;
                    __m512 a0, a1, a2, a3;
                    if (full && off >= 0 && off + 64 <= Li) {
                        a0 = _mm512_loadu_ps(src); a1 = _mm512_loadu_ps(src + 16);
                        a2 = _mm512_loadu_ps(src + 32); a3 = _mm512_loadu_ps(src + 48);
                    } else {
                        __m512 *av[4] = {&a0, &a1, &a2, &a3};
                        for (int u = 0; u < 4; u++) {
                            const int o = off + 16 * u, nv = Lo - (j0 + 16 * u);
                            const int l = o < 0 ? -o : 0;
                            int h = Li - o < 16 ? Li - o : 16;
                            if (nv < h) h = nv;
                            *av[u] = _mm512_maskz_loadu_ps(bf_mask16(l, h), src + 16 * u);
                        }
                    }
                    acc0 = _mm512_fmadd_ps(a0, _mm512_loadu_ps(w[0] + t * 16), acc0);
                    acc1 = _mm512_fmadd_ps(a1, _mm512_loadu_ps(w[1] + t * 16), acc1);
                    acc2 = _mm512_fmadd_ps(a2, _mm512_loadu_ps(w[2] + t * 16), acc2);
                    acc3 = _mm512_fmadd_ps(a3, _mm512_loadu_ps(w[3] + t * 16), acc3);
                }
                acc0 = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc0, _mm512_loadu_ps(bv[0])), lo), hi);
                acc1 = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc1, _mm512_loadu_ps(bv[1])), lo), hi);
                acc2 = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc2, _mm512_loadu_ps(bv[2])), lo), hi);
                acc3 = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc3, _mm512_loadu_ps(bv[3])), lo), hi);
                if (full) {
                    _mm512_storeu_ps(yrow + j0, acc0); _mm512_storeu_ps(yrow + j0 + 16, acc1);
                    _mm512_storeu_ps(yrow + j0 + 32, acc2); _mm512_storeu_ps(yrow + j0 + 48, acc3);
                } else {
                    const __m512 accs[4] = {acc0, acc1, acc2, acc3};
                    for (int u = 0; u < 4; u++) {
                        const int nv = Lo - (j0 + 16 * u);
                        if (nv <= 0) break;
                        _mm512_mask_storeu_ps(yrow + j0 + 16 * u, bf_mask16(0, nv), accs[u]);
                    }
                }
                slot = (slot + 4) % S;
            }
        }
        return;
    }
    for (int oy = 0; oy < p->out_h; oy++)
        for (int ox = 0; ox < p->out_w; ox++) {
            const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
            float *out = y + ((size_t)oy * p->out_w + ox) * c;
            for (int s = 0; s < p->n_slots; s++) {
                const int ch0 = s * 16, nvalid = c - ch0 < 16 ? c - ch0 : 16;
                const __mmask16 m = bf_mask16(0, nvalid);
                const float *w = p->w + (size_t)s * taps * 16;
                __m512 acc = _mm512_setzero_ps();
                for (int t = 0, ky = 0, kx = 0; t < taps; t++, kx = kx + 1 == kw ? 0 : kx + 1, ky += kx == 0) {
                    const int yy = y0 + ky, xx = x0 + kx;
                    if (yy < 0 || yy >= p->in_h || xx < 0 || xx >= p->in_w) continue;
                    acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + ((size_t)yy * p->in_w + xx) * c + ch0), _mm512_loadu_ps(w + t * 16), acc);
                }
                acc = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc, _mm512_loadu_ps(p->bias + s * 16)), lo), hi);
                _mm512_mask_storeu_ps(out + ch0, m, acc);
            }
        }
}

#endif  // BF_X86
