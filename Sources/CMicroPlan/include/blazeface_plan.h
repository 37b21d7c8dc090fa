/*
 * blazeface_plan.h: the static op plan of a model exported for a microcontroller.
 *
 * Data only. `blazeface export` writes a model as constant arrays and a list of steps in this
 * layout (model_data.c); the kernels in Sources/MicroKernels (Embedded Swift, shared with the
 * host engine's portable int8 kernels) run it over one arena. Every multiplier, shift, offset
 * and arena position was computed on the host by the same code that prepares the host engine,
 * so the microcontroller parses no FlatBuffer and allocates nothing.
 */
#ifndef BLAZEFACE_PLAN_H
#define BLAZEFACE_PLAN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a step does. */
typedef enum {
    BF_STEP_CONV = 1,        /* CONV_2D int8, per-channel weights (bf_conv_t) */
    BF_STEP_DEPTHWISE = 2,   /* DEPTHWISE_CONV_2D int8, depth multiplier 1 (bf_conv_t) */
    BF_STEP_ADD = 3,         /* ADD int8 (bf_add_t) */
    BF_STEP_PAD = 4,         /* PAD of the channel dimension (bf_pad_t) */
    BF_STEP_MAX_POOL = 5,    /* MAX_POOL_2D int8 (bf_pool_t) */
    BF_STEP_DEQUANTIZE = 6,  /* int8 -> float32 (bf_dequantize_t) */
    BF_STEP_COPY = 7,        /* RESHAPE: the same bytes elsewhere (bf_copy_t) */
    BF_STEP_BANDED = 8,      /* ADD(CONV_2D 1x1, [PAD] skip) band by band (bf_banded_t) */
    BF_STEP_CONCAT = 9       /* CONCATENATION of same-quantized tensors (bf_concat_t) */
} bf_step_kind_t;

/* CONV_2D and DEPTHWISE_CONV_2D. Weights are [out_c][kh][kw][in_c] for CONV_2D and
 * [kh][kw][c] for DEPTHWISE_CONV_2D; acc = bias + sum over taps inside the input of
 * (x + input_offset) * w, then out = clamp(MultiplyByQuantizedMultiplier(acc, multiplier,
 * shift) + output_offset, act_min, act_max), exactly as TensorFlow Lite's reference kernels. */
typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t input_offset;   /* -zero point of the input */
    int32_t output_offset;  /* zero point of the output */
    int32_t act_min, act_max;
    const int8_t *weights;
    const int32_t *bias;        /* [out_c] */
    const int32_t *multiplier;  /* [out_c], significands in [2^30, 2^31) */
    const int8_t *shift;        /* [out_c], power-of-two exponents (-31...30) */
} bf_conv_t;

/* ADD: both inputs are offset, shifted left by left_shift, rescaled to a common scale, summed,
 * rescaled to the output and clamped (TensorFlow Lite's reference AddElementwise for int8). */
typedef struct {
    int32_t input1_offset, input2_offset, output_offset;
    int32_t left_shift;
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} bf_add_t;

/* PAD of the last (channel) dimension: every pixel of in_c values becomes before + in_c +
 * after values, the new ones set to fill. */
typedef struct {
    int32_t in_c, before, after;
    int32_t fill;
} bf_pad_t;

/* MAX_POOL_2D (SAME or VALID padding; taps outside the input are skipped). */
typedef struct {
    int32_t in_h, in_w, c;
    int32_t out_h, out_w;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t act_min, act_max;
} bf_pool_t;

/* DEQUANTIZE: y = scale * (float)(x - zero_point). */
typedef struct {
    int32_t zero_point;
    float scale;
} bf_dequantize_t;

/* RESHAPE: byte_count bytes copied (memmove). */
typedef struct {
    int32_t byte_count;
} bf_copy_t;

/* CONCATENATION: for each of `outer` slices, each input's run of inner_bytes[i] bytes, in
 * order, into the step's output. */
typedef struct {
    int32_t outer, count;
    const int32_t *inputs;       /* [count] arena byte offsets */
    const int32_t *inner_bytes;  /* [count] */
} bf_concat_t;

/* A fused group of the compact memory plan: per band of band_pixels consecutive pixels, the
 * pointwise conv writes scratch0, the channel PAD (if any) writes scratch1 from the skip, and
 * the ADD combines them into y. Bands run last to first when `reverse` (the output is written
 * over a narrower skip tensor). Offsets are arena byte offsets. */
typedef struct {
    const bf_conv_t *conv;
    const bf_pad_t *pad;     /* NULL: the skip is added as it is */
    const bf_add_t *add;
    int32_t conv_operand;    /* which ADD operand (0 or 1) the conv output is */
    int32_t pixels, band_pixels, reverse;
    int32_t x, skip, y, scratch0, scratch1;
} bf_banded_t;

/* One step: its kind, its operands' arena byte offsets (-1: unused) and its parameters. */
typedef struct {
    int32_t kind;           /* bf_step_kind_t */
    int32_t op;             /* the model's operator index (ADD for a banded group) */
    int32_t input, input2, output;
    int32_t count;          /* elements (ADD, DEQUANTIZE) or pixels (PAD) */
    const void *params;
} bf_step_t;

/* One graph output: float32 values in the arena, dequantized from int8 with scale and zero
 * point (scale 0: not a DEQUANTIZE output). */
typedef struct {
    int32_t offset;         /* arena byte offset of the float32 values */
    int32_t count;          /* elements */
    float scale;
    int32_t zero_point;
} bf_output_t;

/* Anchor decoding and non-maximum suppression (MediaPipe's weighted NMS), as `blazeface
 * detect` runs them for one 128x128 frame. */
typedef struct {
    int32_t anchor_count;
    int32_t grid_count;
    const int32_t *grids;          /* [grid_count][3]: width, height, anchors per cell; anchors run
                                      grid by grid, row by row, column by column, anchor by anchor */
    float anchor_offset_x, anchor_offset_y;  /* centre = (column + offset_x) / width, likewise y; size 1 x 1 */
    int32_t head_count;            /* score/regressor output pairs, in anchor order */
    const int32_t *score_output;   /* [head_count] output index of the scores */
    const int32_t *box_output;     /* [head_count] output index of the regressors */
    const float *score_table;      /* [head_count][256] clipped sigmoid of each int8 score */
    int32_t num_coords, num_keypoints;
    float x_scale, y_scale, w_scale, h_scale;
    float min_score, iou_threshold;
    float box_up, box_width, box_height;  /* WIDER box adjustment (0, 1, 1: the model's box) */
    int32_t clip_boxes;
} bf_detect_config_t;

/* An exported model. */
typedef struct {
    const bf_step_t *steps;
    int32_t step_count;
    int32_t arena_size;             /* bytes */
    int32_t input_offset;           /* arena byte offset of the int8 input */
    const int8_t *input_table;      /* [256]: the int8 input value of each 8-bit pixel value */
    int32_t input_h, input_w, input_c;
    int32_t scratch_offset;         /* arena byte offset of 4 * scratch_count bytes of int32 accumulators */
    int32_t scratch_count;
    int32_t output_count;
    const bf_output_t *outputs;
    const bf_detect_config_t *detect;
} bf_model_t;

/* A face in pixels of the 128x128 frame. */
typedef struct {
    float x, y, width, height;
    float score;
    float keypoints[12];  /* right eye, left eye, nose tip, mouth centre, right and left ear tragion: x, y */
} bf_face_t;

#ifdef __cplusplus
}
#endif

#endif /* BLAZEFACE_PLAN_H */
