/*
 * blazeface.h: face detection on a Cortex-M, for C firmware (STM32CubeIDE and the like).
 *
 * Link the static library built by `make` (libblazeface.a: Embedded Swift kernels and the
 * exported model_data.c). No heap, no RTOS, no FlatBuffer: the model is constant data and one
 * static arena of BLAZEFACE_ARENA_BYTES (see model_data.c) holds every activation.
 */
#ifndef BLAZEFACE_H
#define BLAZEFACE_H

#include <stdint.h>
#include "blazeface_plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The exported model (model_data.c). */
extern const bf_model_t blazeface_model;

/* Runs the model on one frame of 8-bit RGB pixels (input_h x input_w x 3 bytes, rows top to
 * bottom: 128 x 128 for BlazeFace front) and writes up to `max` faces, strongest first, in pixels
 * of that frame. Returns the number of faces. Not reentrant: one static arena. */
int blazeface_detect(const uint8_t *rgb, bf_face_t *out, int max);

/* The same, calling hook(step, 1) before and hook(step, 0) after each step (NULL: none). */
int blazeface_detect_profiled(const uint8_t *rgb, bf_face_t *out, int max, void (*hook)(int32_t step, int32_t before));

/* Output `index` of the last run: float32 values, as `blazeface run --dump` writes them. */
const float *blazeface_output(int index, int32_t *count);

#ifdef __cplusplus
}
#endif

#endif
