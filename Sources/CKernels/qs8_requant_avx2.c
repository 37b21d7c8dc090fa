// bf_rq8 / bf_rq8f blocks (8-lane requantization of the AVX2 kernels), made from the 16-lane
// blocks so that both share one derivation (cpu.c), and their test hooks.
#include "avx2.h"

#if BF_X86

// 64-bit slot of channel i in a 16-lane block and in an 8-lane block.
static int slot16(int i) { return (i & 1) ? 8 + i / 2 : i / 2; }
static int slot8(int i) { return (i & 1) ? 4 + i / 2 : i / 2; }

void bf_rq8_pack(const int32_t *multipliers, const int32_t *shifts, int32_t count, bf_rq8 *blocks) {
    for (int32_t b = 0; b * 8 < count; b++) {
        const int32_t n = count - b * 8 < 8 ? count - b * 8 : 8;
        bf_rq16 q;
        bf_rq16_pack(multipliers + b * 8, shifts + b * 8, n, &q);
        bf_rq8 *o = &blocks[b];
        for (int i = 0; i < 8; i++) {
            o->shl[i] = q.shl[i];
            o->m[i] = q.m[i];
            o->k[slot8(i)] = q.k[slot16(i)];
            o->rnd[slot8(i)] = q.rnd[slot16(i)];
            o->neg[slot8(i)] = q.neg[slot16(i)];
            o->sh[slot8(i)] = q.sh[slot16(i)];
        }
        for (int i = 0; i < 8; i++) o->m_odd[i] = (i & 1) ? 0 : o->m[i + 1];
    }
}

int32_t bf_rq8f_pack(const int32_t *multipliers, const int32_t *shifts, const int64_t *acc_bound,
                     int32_t count, int32_t zp, bf_rq8f *blocks) {
    for (int32_t b = 0; b * 8 < count; b++) {
        const int32_t n = count - b * 8 < 8 ? count - b * 8 : 8;
        bf_rq16f q;
        if (!bf_rq16f_pack(multipliers + b * 8, shifts + b * 8, acc_bound + b * 8, n, zp, &q)) return 0;
        bf_rq8f *o = &blocks[b];
        for (int i = 0; i < 8; i++) {
            o->m2[i] = q.m2[i];
            o->corr[i] = q.corr[i];
            o->sh[i] = q.sh[i];
            o->k[slot8(i)] = q.k[slot16(i)];
        }
        for (int i = 0; i < 8; i++) o->m2_odd[i] = (i & 1) ? 0 : o->m2[i + 1];
    }
    return 1;
}

BF_AVX2 void bf_rq8_apply_avx2(const int32_t *x, int32_t count, const bf_rq8 *blocks, int32_t *y) {
    for (int32_t i = 0; i + 8 <= count; i += 8)
        _mm256_storeu_si256((__m256i *)(y + i), bf_rq8_ymm(_mm256_loadu_si256((const __m256i *)(x + i)), &blocks[i / 8]));
}

BF_AVX2 void bf_rq8f_apply_avx2(const int32_t *x, int32_t count, const bf_rq8f *blocks, int32_t *y) {
    for (int32_t i = 0; i + 8 <= count; i += 8)
        _mm256_storeu_si256((__m256i *)(y + i), bf_rq8f_ymm(_mm256_loadu_si256((const __m256i *)(x + i)), &blocks[i / 8]));
}

#endif  // BF_X86
