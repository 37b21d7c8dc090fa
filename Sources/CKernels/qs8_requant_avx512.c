// qs8 requantization in 16 lanes (bf_rq16, bf_rq16f): packing of the per-channel multipliers and the
// AVX-512 test hooks; the inline kernels are in common.h.
#include "common.h"

void bf_rq16_pack(const int32_t *multipliers, const int32_t *shifts, int32_t count, bf_rq16 *blocks) {
    const int32_t nb = (count + 15) / 16;
    for (int32_t b = 0; b < nb; b++) {
        bf_rq16 *q = &blocks[b];
        memset(q, 0, sizeof *q);
        for (int i = 0; i < 16; i++) {
            const int32_t ch = b * 16 + i;
            int32_t m = 0, s = 0;
            if (ch < count) { m = multipliers[ch]; s = shifts[ch]; }
            if (m < 0) m = 0;   // significands are >= 0; guard anyway
            const int32_t l = s > 0 ? s : 0, r = s > 0 ? 0 : -s;
            q->shl[i] = l;
            q->m[i] = m;
            const int slot = (i & 1) ? 8 + i / 2 : i / 2;
            const int64_t rnd = r > 0 ? ((int64_t)1 << (30 + r)) : 0;
            q->k[slot] = ((int64_t)1 << 30) + rnd;
            q->rnd[slot] = rnd;
            q->neg[slot] = r > 0 ? ((int64_t)1 << 31) : 0;
            q->sh[slot] = 31 + r;
        }
        for (int i = 0; i < 8; i++) q->m_odd[2 * i] = q->m[2 * i + 1];
    }
}

int32_t bf_rq16f_pack(const int32_t *multipliers, const int32_t *shifts, const int64_t *acc_bound,
                      int32_t count, int32_t zp, bf_rq16f *blocks) {
    const int32_t nb = (count + 15) / 16;
    if (zp < -128 || zp > 127) return 0;
    for (int32_t b = 0; b < nb; b++) {
        bf_rq16f *q = &blocks[b];
        memset(q, 0, sizeof *q);
        for (int i = 0; i < 16; i++) {
            const int32_t ch = b * 16 + i;
            const int slot = (i & 1) ? 8 + i / 2 : i / 2;
            if (ch >= count) { q->sh[i] = 1; q->k[slot] = (int64_t)1 << 31; continue; }
            const int32_t m = multipliers[ch], s = shifts[ch];
            const int32_t r = -s;
            // |H| <= 2^29 + 1 + 2^(r-1) + 128 * 2^r < 2^31
            if (m <= (1 << 30) || r < 1 || r > 20 || acc_bound[ch] >= ((int64_t)1 << 29)) return 0;
            q->m2[i] = 2u * (uint32_t)m;
            q->corr[i] = 2u * (uint32_t)m + 1u;
            q->sh[i] = r;
            q->k[slot] = (int64_t)(((uint64_t)1 << 31) + ((uint64_t)1 << (31 + r)) + (uint64_t)((int64_t)zp * ((int64_t)1 << (32 + r))));
        }
        for (int i = 0; i < 8; i++) q->m2_odd[2 * i] = q->m2[2 * i + 1];
    }
    return 1;
}

#if BF_X86
BF_AVX512 void bf_rq16f_apply_avx512(const int32_t *x, int32_t count, const bf_rq16f *blocks, int32_t *y) {
    for (int32_t i = 0; i + 16 <= count; i += 16) {
        const __m512i v = _mm512_loadu_si512(x + i);
        _mm512_storeu_si512(y + i, bf_rq16f_zmm(v, &blocks[i / 16]));
    }
}

BF_AVX512 void bf_rq16_apply_avx512(const int32_t *x, int32_t count, const bf_rq16 *blocks, int32_t *y) {
    for (int32_t i = 0; i + 16 <= count; i += 16) {
        const __m512i v = _mm512_loadu_si512(x + i);
        _mm512_storeu_si512(y + i, bf_rq16_zmm(v, &blocks[i / 16]));
    }
}
#endif  // BF_X86
