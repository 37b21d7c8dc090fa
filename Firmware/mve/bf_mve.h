/*
 * bf_mve.h: Helium (MVE) kernels for the int8 steps of an exported plan, bit-exact with the
 * portable Embedded Swift kernels (Sources/MicroKernels) and TensorFlow Lite's reference
 * kernels. Each returns 1 when it ran the step and 0 when the shape is outside it (the Swift
 * kernel then runs), so the portable path stays beside them.
 */
#ifndef BF_MVE_H
#define BF_MVE_H
#include <stdint.h>
#include "blazeface_plan.h"

int32_t bf_mve_pointwise(const bf_conv_t *p, const int8_t *x, int8_t *y, int32_t pixels);
int32_t bf_mve_conv(const bf_conv_t *p, const int8_t *x, int8_t *y);
int32_t bf_mve_depthwise(const bf_conv_t *p, const int8_t *x, int8_t *y, int32_t *scratch);
int32_t bf_mve_add(const bf_add_t *p, const int8_t *a, const int8_t *b, int8_t *y, int32_t count);

#endif
