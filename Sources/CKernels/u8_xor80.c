// 8-bit pixels p to int8 p - 128 (p ^ 0x80): the compact plan's pixel input; plain C, any CPU.
#include "common.h"

void bf_u8_xor80(const uint8_t *x, int64_t count, uint8_t *y) {
    for (int64_t i = 0; i < count; i++) y[i] = (uint8_t)(x[i] ^ 0x80u);
}
