// PAD of NHWC tensors of any element size with AVX-512 (64-byte moves and fills), equal to the reference.
#include "common.h"

#if BF_X86

// Copies n bytes with 64-byte vector moves (masked tail).
BF_INLINE BF_AVX512 void pad_copy(uint8_t *dst, const uint8_t *src, size_t n) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) _mm512_storeu_si512(dst + i, _mm512_loadu_si512(src + i));
    if (i < n) {
        const __mmask64 m = bf_mask64(0, (int)(n - i));
        _mm512_mask_storeu_epi8(dst + i, m, _mm512_maskz_loadu_epi8(m, src + i));
    }
}

// Fills n bytes with the 64-byte pattern v (n and the start a multiple of the element size,
// the pattern's period divides 64).
BF_INLINE BF_AVX512 void pad_fill(uint8_t *dst, __m512i v, size_t n) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) _mm512_storeu_si512(dst + i, v);
    if (i < n) _mm512_mask_storeu_epi8(dst + i, bf_mask64(0, (int)(n - i)), v);
}

// PAD: channel-only padding (the BlazeFace case) goes pixel by pixel: copy, then fill the tail;
// anything else fills the whole output, then copies each input row.
BF_AVX512 void bf_xx_pad_avx512(const int32_t in_shape[4], const int32_t out_shape[4], const int32_t before[4],
                           int32_t es, const uint8_t *fill, const void *xv, void *yv) {
    const uint8_t *x = (const uint8_t *)xv;
    uint8_t *y = (uint8_t *)yv;
    uint8_t pat[64];
    for (int i = 0; i < 64; i++) pat[i] = (es == 1 || es == 2 || es == 4) ? fill[i % es] : 0;
    const __m512i v = _mm512_loadu_si512(pat);
    const size_t total = (size_t)out_shape[0] * out_shape[1] * out_shape[2] * out_shape[3] * es;
    const size_t inrow = (size_t)in_shape[3] * es, outrow = (size_t)out_shape[3] * es;
    const int pattern_ok = es == 1 || es == 2 || es == 4;
    if (pattern_ok && before[0] == 0 && before[1] == 0 && before[2] == 0 && in_shape[0] == out_shape[0] &&
        in_shape[1] == out_shape[1] && in_shape[2] == out_shape[2]) {
        const size_t pixels = (size_t)in_shape[0] * in_shape[1] * in_shape[2];
        const size_t head = (size_t)before[3] * es, tail = outrow - inrow - head;
        if (outrow <= 8 * 64) {
            // Chunk q of an output pixel: lanes [head, head + inrow) come from the input (read
            // at src - head + 64q; masked-off lanes are not accessed), the rest is fill.
            const int nq = (int)((outrow + 63) / 64);
            __mmask64 m_in[8], m_out[8];
            for (int q = 0; q < nq; q++) {
                m_out[q] = bf_mask64(0, (int)(outrow - 64 * q < 64 ? outrow - 64 * q : 64));
                m_in[q] = bf_mask64((int)head - 64 * q, (int)(head + inrow) - 64 * q) & m_out[q];
            }
            for (size_t px = 0; px < pixels; px++) {
                uint8_t *dst = y + px * outrow;
                const uint8_t *src = x + px * inrow - head;
                for (int q = 0; q < nq; q++)
                    _mm512_mask_storeu_epi8(dst + 64 * q, m_out[q], _mm512_mask_loadu_epi8(v, m_in[q], src + 64 * q));
            }
            return;
        }
        for (size_t px = 0; px < pixels; px++) {
            uint8_t *dst = y + px * outrow;
            if (head) pad_fill(dst, v, head);
            pad_copy(dst + head, x + px * inrow, inrow);
            if (tail) pad_fill(dst + head + inrow, v, tail);
        }
        return;
    }
    if (pattern_ok) pad_fill(y, v, total);
    else for (size_t i = 0; i < total; i += (size_t)es) memcpy(y + i, fill, (size_t)es);
    for (int b = 0; b < in_shape[0]; b++)
        for (int yy = 0; yy < in_shape[1]; yy++) {
            const uint8_t *src = x + (((size_t)b * in_shape[1] + yy) * in_shape[2]) * inrow;
            uint8_t *dst = y + ((((size_t)(b + before[0]) * out_shape[1] + yy + before[1]) * out_shape[2] + before[2]) * out_shape[3] + before[3]) * es;
            if (inrow == outrow) { pad_copy(dst, src, inrow * in_shape[2]); continue; }
            for (int xx = 0; xx < in_shape[2]; xx++) pad_copy(dst + xx * outrow, src + xx * inrow, inrow);
        }
}

#endif  // BF_X86
