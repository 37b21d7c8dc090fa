/* Helium (MVE) int8 kernels for the Cortex-M55 (see bf_mve.h). Requantization follows
 * TensorFlow Lite's MultiplyByQuantizedMultiplier exactly: VQRDMULH is gemmlowp's
 * SaturatingRoundingDoublingHighMul, and RoundingDivideByPOT (half away from zero) is VRSHL
 * (half up) after subtracting 1 from negative values when the shift is positive. */
#include <arm_mve.h>
#include "bf_mve.h"

/* Four accumulators of channels c..c+3: rescaled, offset, clamped and stored as bytes. */
static inline void requantize4(int32x4_t acc, const int32_t *mult, const int8_t *shift, int32_t offset,
                               int32_t lo, int32_t hi, int8_t *out, mve_pred16_t p) {
    int32x4_t s = vldrbq_z_s32(shift, p);
    int32x4_t left = vmaxq_s32(s, vdupq_n_s32(0));
    int32x4_t right = vminq_s32(s, vdupq_n_s32(0));          /* -right shift, <= 0 */
    int32x4_t v = vqrdmulhq_s32(vshlq_s32(acc, left), vldrwq_z_s32(mult, p));
    /* -1 for negative values when the right shift is positive. */
    int32x4_t fix = vandq_s32(vshrq_n_s32(v, 31), vshrq_n_s32(right, 31));
    v = vrshlq_s32(vqaddq_s32(v, fix), right);
    v = vaddq_s32(v, vdupq_n_s32(offset));
    v = vminq_s32(vmaxq_s32(v, vdupq_n_s32(lo)), vdupq_n_s32(hi));
    vstrbq_p_s32(out, v, p);
}

/* sum over k of (x[k] + offset) * w[k] = sum(x * w) + offset * sum(w), for n <= 16 * chunks. */
static inline int32_t dot(const int8_t *x, const int8_t *w, int32_t n) {
    int32_t acc = 0;
    for (int32_t k = 0; k < n; k += 16) {
        mve_pred16_t p = vctp8q((uint32_t)(n - k));
        acc = vmladavaq_p_s8(acc, vldrbq_z_s8(x + k, p), vldrbq_z_s8(w + k, p), p);
    }
    return acc;
}

static inline int32_t sum8(const int8_t *w, int32_t n) {
    int32_t s = 0;
    for (int32_t k = 0; k < n; k += 16) {
        mve_pred16_t p = vctp8q((uint32_t)(n - k));
        s = vaddvaq_p_s8(s, vldrbq_z_s8(w + k, p), p);
    }
    return s;
}

/* Channels [0, oc) of one output from a contiguous patch of k taps: four channels at a time,
 * each 16-byte chunk of the patch loaded once for the four. */
static inline void channels(const bf_conv_t *p, const int8_t *patch, int32_t k, const int32_t *base, int8_t *out) {
    int32_t oc = p->out_c;
    int32_t c = 0;
    for (; c + 4 <= oc; c += 4) {
        const int8_t *w0 = p->weights + c * k, *w1 = w0 + k, *w2 = w1 + k, *w3 = w2 + k;
        int32_t a0 = base[c], a1 = base[c + 1], a2 = base[c + 2], a3 = base[c + 3];
        for (int32_t j = 0; j < k; j += 16) {
            mve_pred16_t pr = vctp8q((uint32_t)(k - j));
            int8x16_t xv = vldrbq_z_s8(patch + j, pr);
            a0 = vmladavaq_p_s8(a0, xv, vldrbq_z_s8(w0 + j, pr), pr);
            a1 = vmladavaq_p_s8(a1, xv, vldrbq_z_s8(w1 + j, pr), pr);
            a2 = vmladavaq_p_s8(a2, xv, vldrbq_z_s8(w2 + j, pr), pr);
            a3 = vmladavaq_p_s8(a3, xv, vldrbq_z_s8(w3 + j, pr), pr);
        }
        int32_t a[4] = {a0, a1, a2, a3};
        requantize4(vldrwq_s32(a), p->multiplier + c, p->shift + c, p->output_offset, p->act_min, p->act_max, out + c, vctp32q(4));
    }
    if (c < oc) {
        int32_t a[4] = {0, 0, 0, 0};
        int32_t n = oc - c;
        for (int32_t j = 0; j < n; j++) a[j] = base[c + j] + dot(patch, p->weights + (c + j) * k, k);
        mve_pred16_t pr = vctp32q((uint32_t)n);
        requantize4(vldrwq_z_s32(a, pr), p->multiplier + c, p->shift + c, p->output_offset, p->act_min, p->act_max, out + c, pr);
    }
}

/* bias + offset * sum(w) per output channel (at most 512 channels). */
static int32_t folded_bias(const bf_conv_t *p, int32_t k, int32_t *base) {
    if (p->out_c > 512) return 0;
    for (int32_t c = 0; c < p->out_c; c++) base[c] = p->bias[c] + p->input_offset * sum8(p->weights + c * k, k);
    return 1;
}

int32_t bf_mve_pointwise(const bf_conv_t *p, const int8_t *x, int8_t *y, int32_t pixels) {
    int32_t base[512];
    int32_t ic = p->in_c;
    if (!folded_bias(p, ic, base)) return 0;
    for (int32_t i = 0; i < pixels; i++) channels(p, x + i * ic, ic, base, y + i * p->out_c);
    return 1;
}

int32_t bf_mve_conv(const bf_conv_t *p, const int8_t *x, int8_t *y) {
    int8_t patch[1024] __attribute__((aligned(16)));
    int32_t base[512];
    int32_t ic = p->in_c, row = p->kw * ic, k = p->kh * row;
    if (k > 1024 || !folded_bias(p, k, base)) return 0;
    int8_t fill = (int8_t)(-p->input_offset); /* padding reads zp_in: (zp_in + offset) * w = 0 */
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        int32_t y0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++) {
            int32_t x0 = ox * p->stride_w - p->pad_left;
            int32_t kx0 = x0 < 0 ? -x0 : 0, kx1 = p->in_w - x0 < p->kw ? p->in_w - x0 : p->kw;
            for (int32_t ky = 0; ky < p->kh; ky++) {
                int8_t *dst = patch + ky * row;
                int32_t yy = y0 + ky;
                if (yy < 0 || yy >= p->in_h || kx1 <= kx0) {
                    for (int32_t j = 0; j < row; j++) dst[j] = fill;
                    continue;
                }
                for (int32_t j = 0; j < kx0 * ic; j++) dst[j] = fill;
                const int8_t *src = x + (yy * p->in_w + x0 + kx0) * ic;
                int32_t n = (kx1 - kx0) * ic;
                for (int32_t j = 0; j < n; j += 16) {
                    mve_pred16_t pr = vctp8q((uint32_t)(n - j));
                    vstrbq_p_s8(dst + kx0 * ic + j, vldrbq_z_s8(src + j, pr), pr);
                }
                for (int32_t j = kx1 * ic; j < row; j++) dst[j] = fill;
            }
            channels(p, patch, k, base, y + (oy * p->out_w + ox) * p->out_c);
        }
    }
    return 1;
}

/* Taps of one output pixel inside the input: the generic loop (borders, other kernel sizes). */
static inline int32x4_t depthwise_taps(const bf_conv_t *p, const int8_t *x, int32_t y0, int32_t x0, int32_t c, mve_pred16_t pr) {
    int32_t ky0 = y0 < 0 ? -y0 : 0, ky1 = p->in_h - y0 < p->kh ? p->in_h - y0 : p->kh;
    int32_t kx0 = x0 < 0 ? -x0 : 0, kx1 = p->in_w - x0 < p->kw ? p->in_w - x0 : p->kw;
    int32x4_t off = vdupq_n_s32(p->input_offset), a = vldrwq_z_s32(p->bias + c, pr);
    for (int32_t ky = ky0; ky < ky1; ky++) {
        for (int32_t kx = kx0; kx < kx1; kx++) {
            int32x4_t xv = vaddq_s32(vldrbq_z_s32(x + ((y0 + ky) * p->in_w + x0 + kx) * p->out_c + c, pr), off);
            a = vaddq_s32(a, vmulq_s32(xv, vldrbq_z_s32(p->weights + (ky * p->kw + kx) * p->out_c + c, pr)));
        }
    }
    return a;
}

/* `base` (scratch, out_c entries): bias + input_offset * the sum of the channel's 3x3 weights,
 * so interior pixels need only sum(x * w). */
int32_t bf_mve_depthwise(const bf_conv_t *p, const int8_t *x, int8_t *y, int32_t *base) {
    int32_t ch = p->out_c, full = p->kh == 3 && p->kw == 3;
    if (full) {
        for (int32_t c = 0; c < ch; c++) {
            int32_t s = 0;
            for (int32_t t = 0; t < 9; t++) s += p->weights[t * ch + c];
            base[c] = p->bias[c] + p->input_offset * s;
        }
    }
    int32_t rs = p->in_w * ch;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        int32_t y0 = oy * p->stride_h - p->pad_top;
        for (int32_t ox = 0; ox < p->out_w; ox++) {
            int32_t x0 = ox * p->stride_w - p->pad_left;
            int8_t *out = y + (oy * p->out_w + ox) * ch;
            int32_t inside = full && y0 >= 0 && x0 >= 0 && y0 + 3 <= p->in_h && x0 + 3 <= p->in_w;
            const int8_t *xb = x + (y0 * p->in_w + x0) * ch;
            for (int32_t c = 0; c < ch; c += 4) {
                mve_pred16_t pr = vctp32q((uint32_t)(ch - c));
                int32x4_t a;
                if (inside && ch - c >= 4) {
                    /* Whole blocks: unpredicated loads (no VPST before each). */
                    const int8_t *r0 = xb + c, *r1 = r0 + rs, *r2 = r1 + rs, *w = p->weights + c;
                    a = vldrwq_s32(base + c);
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r0), vldrbq_s32(w)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r0 + ch), vldrbq_s32(w + ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r0 + 2 * ch), vldrbq_s32(w + 2 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r1), vldrbq_s32(w + 3 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r1 + ch), vldrbq_s32(w + 4 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r1 + 2 * ch), vldrbq_s32(w + 5 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r2), vldrbq_s32(w + 6 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r2 + ch), vldrbq_s32(w + 7 * ch)));
                    a = vaddq_s32(a, vmulq_s32(vldrbq_s32(r2 + 2 * ch), vldrbq_s32(w + 8 * ch)));
                } else {
                    a = depthwise_taps(p, x, y0, x0, c, pr);
                }
                requantize4(a, p->multiplier + c, p->shift + c, p->output_offset, p->act_min, p->act_max, out + c, pr);
            }
        }
    }
    return 1;
}

/* x * m * 2^shift rescaled with TFLite's two roundings, four lanes, one multiplier. */
static inline int32x4_t rescale(int32x4_t x, int32_t m, int32_t shift) {
    int32x4_t v = shift > 0 ? vshlq_s32(x, vdupq_n_s32(shift)) : x;
    v = vqrdmulhq_n_s32(v, m);
    if (shift < 0) v = vrshlq_s32(vqaddq_s32(v, vshrq_n_s32(v, 31)), vdupq_n_s32(shift));
    return v;
}

int32_t bf_mve_add(const bf_add_t *p, const int8_t *a, const int8_t *b, int8_t *y, int32_t count) {
    if (p->left_shift < 0 || p->left_shift > 30) return 0;
    int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
    int32x4_t o1 = vdupq_n_s32(p->input1_offset), o2 = vdupq_n_s32(p->input2_offset);
    for (int32_t i = 0; i < count; i += 4) {
        mve_pred16_t pr = vctp32q((uint32_t)(count - i));
        int32x4_t sa = vshlq_s32(vaddq_s32(vldrbq_z_s32(a + i, pr), o1), vdupq_n_s32(p->left_shift));
        int32x4_t sb = vshlq_s32(vaddq_s32(vldrbq_z_s32(b + i, pr), o2), vdupq_n_s32(p->left_shift));
        int32x4_t s = vaddq_s32(rescale(sa, p->input1_multiplier, p->input1_shift), rescale(sb, p->input2_multiplier, p->input2_shift));
        int32x4_t v = vaddq_s32(rescale(s, p->output_multiplier, p->output_shift), vdupq_n_s32(p->output_offset));
        vstrbq_p_s32(y + i, vminq_s32(vmaxq_s32(v, lo), hi), pr);
    }
    return 1;
}
