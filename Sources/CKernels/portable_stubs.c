// Definitions of the x86-64 microkernels' symbols on other architectures, so that the package
// links there: bf_cpu_features() reports no feature, every kernel's make() returns nil first, and
// the engine runs its portable Swift and reference kernels. Reaching one of these is a bug.
#include "common.h"

#if !BF_X86
void bf_rq16f_apply_avx512(const int32_t *x, int32_t count, const bf_rq16f *blocks, int32_t *y) { __builtin_trap(); }
void bf_rq16_apply_avx512(const int32_t *x, int32_t count, const bf_rq16 *blocks, int32_t *y) { __builtin_trap(); }
size_t bf_qs8_conv_packed_size(const bf_qs8_conv_params *p) { __builtin_trap(); }
void bf_qs8_conv_pack(bf_qs8_conv_params *p, const int8_t *weights, const int32_t *bias,
                      const int32_t *multipliers, const int32_t *shifts, void *buffer) { __builtin_trap(); }
void bf_qs8_conv_avx512vnni(const bf_qs8_conv_params *p, const int8_t *x, int8_t *y) { __builtin_trap(); }
size_t bf_qs8_dwconv_packed_size(const bf_qs8_dwconv_params *p) { __builtin_trap(); }
void bf_qs8_dwconv_pack(bf_qs8_dwconv_params *p, const int8_t *weights, const int32_t *bias,
                        const int32_t *multipliers, const int32_t *shifts, void *buffer) { __builtin_trap(); }
void bf_qs8_dwconv_avx512vnni(const bf_qs8_dwconv_params *p, const int8_t *x, int8_t *y) { __builtin_trap(); }
void bf_qs8_add_init(bf_qs8_add_params *p, int64_t count, int32_t zp_a, int32_t m_a, int32_t s_a,
                     int32_t zp_b, int32_t m_b, int32_t s_b, int32_t zp_out, int32_t m_out,
                     int32_t s_out, int32_t act_min, int32_t act_max) { __builtin_trap(); }
void bf_qs8_add_avx512(const bf_qs8_add_params *p, const int8_t *a, const int8_t *b, int8_t *y) { __builtin_trap(); }
void bf_qs8_add_lut_avx512vbmi(const bf_qs8_add_lut_params *p, const int8_t *a, const int8_t *b, int8_t *y) { __builtin_trap(); }
void bf_xx_pad_avx512(const int32_t in_shape[4], const int32_t out_shape[4], const int32_t before[4],
                 int32_t elem_size, const uint8_t *fill, const void *x, void *y) { __builtin_trap(); }
void bf_qs8_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                           int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                           int32_t act_min, int32_t act_max, const int8_t *x, int8_t *y) { __builtin_trap(); }
void bf_f32_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                           int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                           float act_min, float act_max, const float *x, float *y) { __builtin_trap(); }
void bf_qs8_quantize_avx512(const float *x, int64_t count, float scale, int32_t zp, int8_t *y) { __builtin_trap(); }
void bf_qs8_dequantize_avx512(const int8_t *x, int64_t count, double scale, int32_t zp, float *y) { __builtin_trap(); }
size_t bf_f32_conv_packed_size(const bf_f32_conv_params *p) { __builtin_trap(); }
void bf_f32_conv_pack(bf_f32_conv_params *p, const float *weights, const float *bias, void *buffer) { __builtin_trap(); }
void bf_f32_conv_avx512(const bf_f32_conv_params *p, const float *x, float *y) { __builtin_trap(); }
size_t bf_f32_dwconv_packed_size(const bf_f32_dwconv_params *p) { __builtin_trap(); }
void bf_f32_dwconv_pack(bf_f32_dwconv_params *p, const float *weights, const float *bias, void *buffer) { __builtin_trap(); }
void bf_f32_dwconv_avx512(const bf_f32_dwconv_params *p, const float *x, float *y) { __builtin_trap(); }
void bf_f32_add_avx512(const float *a, const float *b, int64_t count, float lo, float hi, float *y) { __builtin_trap(); }
void bf_f32_clamp_avx512(const float *x, int64_t count, float lo, float hi, float *y) { __builtin_trap(); }
void bf_rq8_pack(const int32_t *multipliers, const int32_t *shifts, int32_t count, bf_rq8 *blocks) { __builtin_trap(); }
int32_t bf_rq8f_pack(const int32_t *multipliers, const int32_t *shifts, const int64_t *acc_bound,
                     int32_t count, int32_t zp, bf_rq8f *blocks) { __builtin_trap(); }
void bf_rq8_apply_avx2(const int32_t *x, int32_t count, const bf_rq8 *blocks, int32_t *y) { __builtin_trap(); }
void bf_rq8f_apply_avx2(const int32_t *x, int32_t count, const bf_rq8f *blocks, int32_t *y) { __builtin_trap(); }
size_t bf_qs8_conv_avx2_packed_size(const bf_qs8_conv_avx2_params *p) { __builtin_trap(); }
void bf_qs8_conv_avx2_pack(bf_qs8_conv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                           const int32_t *multipliers, const int32_t *shifts, void *buffer) { __builtin_trap(); }
void bf_qs8_conv_avx2(const bf_qs8_conv_avx2_params *p, const int8_t *x, int8_t *y) { __builtin_trap(); }
size_t bf_qs8_dwconv_avx2_packed_size(const bf_qs8_dwconv_avx2_params *p) { __builtin_trap(); }
void bf_qs8_dwconv_avx2_pack(bf_qs8_dwconv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                             const int32_t *multipliers, const int32_t *shifts, void *buffer) { __builtin_trap(); }
void bf_qs8_dwconv_avx2(const bf_qs8_dwconv_avx2_params *p, const int8_t *x, int8_t *y) { __builtin_trap(); }
void bf_qs8_add_lut_avx2(const bf_qs8_add_lut_avx2_params *p, const int8_t *a, const int8_t *b, int8_t *y) { __builtin_trap(); }
void bf_f32_conv_avx2(const bf_f32_conv_params *p, const float *x, float *y) { __builtin_trap(); }
void bf_f32_dwconv_avx2(const bf_f32_dwconv_params *p, const float *x, float *y) { __builtin_trap(); }
void bf_f32_add_avx2(const float *a, const float *b, int64_t count, float lo, float hi, float *y) { __builtin_trap(); }
void bf_f32_clamp_avx2(const float *x, int64_t count, float lo, float hi, float *y) { __builtin_trap(); }
void bf_f32_pad_channels_avx2(int64_t pixels, int32_t in_c, int32_t out_c, int32_t before_c, const float *x, float *y) { __builtin_trap(); }
#endif
