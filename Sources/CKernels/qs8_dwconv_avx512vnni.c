// qs8 depthwise convolution with AVX512-VNNI: 64 lanes per slot, taps in groups of 4.
#include "common.h"

#if BF_X86

enum { BF_DW_MAX_TAPS = 16 };

size_t bf_qs8_dwconv_packed_size(const bf_qs8_dwconv_params *p) {
    const size_t s = (size_t)p->n_slots;
    return bf_align64(s * p->n_groups * 256) + bf_align64(s * 64 * 4) + s * 4 * sizeof(bf_rq16) + s * 4 * sizeof(bf_rq16f);
}

// Channel of lane j of a slot, or -1 for a lane past the channels (per-pixel tail).
static int32_t dw_channel(const bf_qs8_dwconv_params *p, int32_t slot, int32_t j) {
    if (p->flat) return (slot * 64 + j) % p->c;
    const int32_t ch = slot * 64 + j;
    return ch < p->c ? ch : -1;
}

void bf_qs8_dwconv_pack(bf_qs8_dwconv_params *p, const int8_t *weights, const int32_t *bias,
                        const int32_t *multipliers, const int32_t *shifts, void *buffer) {
    const int32_t S = p->n_slots, G = p->n_groups, taps = p->kh * p->kw, c = p->c;
    uint8_t *base = (uint8_t *)buffer;
    const size_t wbytes = bf_align64((size_t)S * G * 256), bbytes = bf_align64((size_t)S * 64 * 4);
    int8_t *w = (int8_t *)base;
    int32_t *b = (int32_t *)(base + wbytes);
    bf_rq16 *rq = (bf_rq16 *)(base + wbytes + bbytes);
    bf_rq16f *rqf = (bf_rq16f *)(rq + S * 4);
    int fast = 1;
    memset(base, 0, wbytes + bbytes);
    for (int32_t s = 0; s < S; s++) {
        for (int32_t k = 0; k < 4; k++) {
            int32_t m16[16], s16[16], fm16[16], fs16[16];
            int64_t b16[16];
            for (int32_t e = 0; e < 16; e++) {
                // After unpacklo/hi_epi8 then unpacklo/hi_epi16, dword e of vector k holds byte
                // position 16 * (e / 4) + 4 * k + e % 4 of the slot.
                const int32_t j = 16 * (e / 4) + 4 * k + e % 4;
                const int32_t ch = dw_channel(p, s, j);
                m16[e] = 0; s16[e] = 0;
                // lanes past the channels (stored masked): any qualifying values
                fm16[e] = (1 << 30) + 1; fs16[e] = -1; b16[e] = 0;
                if (ch < 0) continue;
                int64_t sum = 0, asum = 0;
                for (int32_t t = 0; t < taps; t++) {
                    const int8_t v = weights[(size_t)t * c + ch];
                    sum += v;
                    asum += v < 0 ? -v : v;
                    w[(((size_t)s * G + t / 4) * 4 + k) * 64 + e * 4 + t % 4] = v;
                }
                b[(s * 4 + k) * 16 + e] = (int32_t)(uint32_t)((uint64_t)(int64_t)bias[ch] - (uint64_t)(((int64_t)p->zp_in + 128) * sum));
                m16[e] = multipliers[ch]; s16[e] = shifts[ch];
                fm16[e] = m16[e]; fs16[e] = s16[e];
                b16[e] = (bias[ch] < 0 ? -(int64_t)bias[ch] : (int64_t)bias[ch]) + 256 * asum;
            }
            bf_rq16_pack(m16, s16, 16, &rq[s * 4 + k]);
            if (fast) fast = bf_rq16f_pack(fm16, fs16, b16, 16, p->zp_out, &rqf[s * 4 + k]);
        }
    }
    p->w = w;
    p->bias = b;
    p->rq = rq;
    p->rqf = fast ? rqf : NULL;
}

// One slot: a[4 * G] tap vectors (x bytes of 64 lanes) -> 64 output bytes in lane order.
// RT: taps used in the last group (1..4); past them the weights are 0 and zero vectors stand in.
BF_INLINE BF_AVX512VNNI __m512i dw_slot(const bf_qs8_dwconv_params *p, const int G, const int RT, int32_t slot, const __m512i *a) {
    const int8_t *w = p->w + (size_t)slot * G * 256;
    const int32_t *b = p->bias + slot * 64;
    __m512i acc0 = _mm512_loadu_si512(b), acc1 = _mm512_loadu_si512(b + 16);
    __m512i acc2 = _mm512_loadu_si512(b + 32), acc3 = _mm512_loadu_si512(b + 48);
    const __m512i sign = _mm512_set1_epi8((char)0x80);
#pragma clang loop unroll(full)
    for (int g = 0; g < G; g++) {
        const int last = g == G - 1;
        const __m512i z = _mm512_setzero_si512();
        const __m512i u0 = _mm512_xor_si512(a[4 * g], sign);
        const __m512i u1 = last && RT < 2 ? z : _mm512_xor_si512(a[4 * g + 1], sign);
        const __m512i u2 = last && RT < 3 ? z : _mm512_xor_si512(a[4 * g + 2], sign);
        const __m512i u3 = last && RT < 4 ? z : _mm512_xor_si512(a[4 * g + 3], sign);
        const __m512i lo01 = _mm512_unpacklo_epi8(u0, u1), hi01 = _mm512_unpackhi_epi8(u0, u1);
        const __m512i lo23 = _mm512_unpacklo_epi8(u2, u3), hi23 = _mm512_unpackhi_epi8(u2, u3);
        const int8_t *wg = w + g * 256;
        acc0 = _mm512_dpbusd_epi32(acc0, _mm512_unpacklo_epi16(lo01, lo23), _mm512_loadu_si512(wg));
        acc1 = _mm512_dpbusd_epi32(acc1, _mm512_unpackhi_epi16(lo01, lo23), _mm512_loadu_si512(wg + 64));
        acc2 = _mm512_dpbusd_epi32(acc2, _mm512_unpacklo_epi16(hi01, hi23), _mm512_loadu_si512(wg + 128));
        acc3 = _mm512_dpbusd_epi32(acc3, _mm512_unpackhi_epi16(hi01, hi23), _mm512_loadu_si512(wg + 192));
    }
    __m512i o;
    if (p->rqf) {
        const bf_rq16f *rqf = p->rqf + slot * 4;
        const __m512i r0 = bf_rq16f_zmm(acc0, rqf), r1 = bf_rq16f_zmm(acc1, rqf + 1);
        const __m512i r2 = bf_rq16f_zmm(acc2, rqf + 2), r3 = bf_rq16f_zmm(acc3, rqf + 3);
        // zp already added; saturating packs clamp to int8 exactly
        o = _mm512_packs_epi16(_mm512_packs_epi32(r0, r1), _mm512_packs_epi32(r2, r3));
    } else {
    const bf_rq16 *rq = p->rq + slot * 4;
    const __m512i r0 = bf_rq16_zmm(acc0, rq), r1 = bf_rq16_zmm(acc1, rq + 1);
    const __m512i r2 = bf_rq16_zmm(acc2, rq + 2), r3 = bf_rq16_zmm(acc3, rq + 3);
    const __m512i zp = _mm512_set1_epi16((short)p->zp_out);
    // Saturating packs clamp to int8 exactly as clamp(v + zp, -128, 127) (see CKernels.h).
    const __m512i p01 = _mm512_adds_epi16(_mm512_packs_epi32(r0, r1), zp);
    const __m512i p23 = _mm512_adds_epi16(_mm512_packs_epi32(r2, r3), zp);
    o = _mm512_packs_epi16(p01, p23);
    }
    o = _mm512_max_epi8(o, _mm512_set1_epi8((char)p->act_min));
    return _mm512_min_epi8(o, _mm512_set1_epi8((char)p->act_max));
}

BF_INLINE BF_AVX512VNNI void dw_flat(const bf_qs8_dwconv_params *p, const int G, const int RT, const int8_t *x, int8_t *y) {
    const int c = p->c, kh = p->kh, kw = p->kw, taps = p->kh * p->kw;
    const int Li = p->in_w * c, Lo = p->out_w * c;
    const __m512i zpv = _mm512_set1_epi8((char)p->zp_in);
    __m512i a[BF_DW_MAX_TAPS];
    for (int t = taps; t < 4 * G; t++) a[t] = zpv;
    for (int oy = 0; oy < p->out_h; oy++) {
        int8_t *yrow = y + (size_t)oy * Lo;
        int slot = 0;
        for (int j0 = 0; j0 < Lo; j0 += 64) {
            const int nvalid = Lo - j0 < 64 ? Lo - j0 : 64;
            for (int ky = 0, t = 0; ky < kh; ky++) {
                const int yy = oy + ky - p->pad_top;
                if (yy < 0 || yy >= p->in_h) { for (int kx = 0; kx < kw; kx++, t++) a[t] = zpv; continue; }
                const int8_t *srow = x + (ptrdiff_t)yy * Li;
                for (int kx = 0; kx < kw; kx++, t++) {
                    const int off = j0 + (kx - p->pad_left) * c;
                    if (off >= 0 && off + 64 <= Li && nvalid == 64) { a[t] = _mm512_loadu_si512(srow + off); continue; }
                    const int lo = off < 0 ? -off : 0;
                    const int hi = Li - off < nvalid ? Li - off : nvalid;
                    a[t] = _mm512_mask_loadu_epi8(zpv, bf_mask64(lo, hi), srow + off);
                }
            }
            const __m512i o = dw_slot(p, G, RT, slot, a);
            if (nvalid == 64) _mm512_storeu_si512(yrow + j0, o);
            else _mm512_mask_storeu_epi8(yrow + j0, bf_mask64(0, nvalid), o);
            if (++slot == p->n_slots) slot = 0;
        }
    }
}

BF_INLINE BF_AVX512VNNI void dw_pixels(const bf_qs8_dwconv_params *p, const int G, const int RT, const int8_t *x, int8_t *y) {
    const int c = p->c, kh = p->kh, kw = p->kw, taps = p->kh * p->kw;
    const __m512i zpv = _mm512_set1_epi8((char)p->zp_in);
    __m512i a[BF_DW_MAX_TAPS];
    for (int t = taps; t < 4 * G; t++) a[t] = zpv;
    for (int oy = 0; oy < p->out_h; oy++) {
        for (int ox = 0; ox < p->out_w; ox++) {
            const int y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
            int8_t *out = y + ((size_t)oy * p->out_w + ox) * c;
            for (int s = 0; s < p->n_slots; s++) {
                const int ch0 = s * 64;
                const int nvalid = c - ch0 < 64 ? c - ch0 : 64;
                const __mmask64 m = bf_mask64(0, nvalid);
                for (int ky = 0, t = 0; ky < kh; ky++) {
                    const int yy = y0 + ky;
                    for (int kx = 0; kx < kw; kx++, t++) {
                        const int xx = x0 + kx;
                        if (yy < 0 || yy >= p->in_h || xx < 0 || xx >= p->in_w) { a[t] = zpv; continue; }
                        const int8_t *src = x + ((size_t)yy * p->in_w + xx) * c + ch0;
                        a[t] = nvalid == 64 ? _mm512_loadu_si512(src) : _mm512_maskz_loadu_epi8(m, src);
                    }
                }
                const __m512i o = dw_slot(p, G, RT, s, a);
                if (nvalid == 64) _mm512_storeu_si512(out + ch0, o);
                else _mm512_mask_storeu_epi8(out + ch0, m, o);
            }
        }
    }
}

BF_AVX512VNNI void bf_qs8_dwconv_avx512vnni(const bf_qs8_dwconv_params *p, const int8_t *x, int8_t *y) {
    if (p->kh * p->kw == 9) {   // 3x3: two full groups and one tap
        if (p->flat) dw_flat(p, 3, 1, x, y); else dw_pixels(p, 3, 1, x, y);
        return;
    }
    switch (p->n_groups * 2 + (p->flat ? 1 : 0)) {
        case 3: dw_flat(p, 1, 4, x, y); break;
        case 5: dw_flat(p, 2, 4, x, y); break;
        case 7: dw_flat(p, 3, 4, x, y); break;
        case 9: dw_flat(p, 4, 4, x, y); break;
        case 2: dw_pixels(p, 1, 4, x, y); break;
        case 4: dw_pixels(p, 2, 4, x, y); break;
        case 6: dw_pixels(p, 3, 4, x, y); break;
        case 8: dw_pixels(p, 4, 4, x, y); break;
        default: break;
    }
}

#endif  // BF_X86
