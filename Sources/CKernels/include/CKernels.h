// CKernels: x86-64 microkernels for the blazeface engine, selected at run time.
//
// Naming follows XNNPACK: <type>-<op>-<variant>-<isa>, here bf_<type>_<op>_<isa>, and each C file
// holds one kernel family, named like its functions (qs8_conv_avx512vnni.c: bf_qs8_conv_*):
//   qs8  = int8 activations, per-channel symmetric int8 weights, int32 accumulators
//   f32  = float32
//   xx   = any element size (byte moves)
// Every kernel is wrapped by a Swift variant in Sources/Engine/Kernels/<Op>/<Op><ISA>.swift and
// registered in Sources/Engine/Ops/<Op>.swift after the kernels it beats; the reference kernel
// (Kernels/<Op>/<Op>Reference.swift) is the oracle: qs8 kernels are bit-exact with it, f32
// convolutions agree to rounding, other f32 kernels are equal.
//
// Nothing here allocates. The caller (Engine, at prepare time) asks for the packed size,
// allocates 64-byte aligned memory, and calls the pack function once. Kernels are only called
// when bf_cpu_features() reports the ISA they were compiled for.
#ifndef BLAZEFACE_CKERNELS_H
#define BLAZEFACE_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: CPU features

enum {
    BF_CPU_AVX2 = 1 << 0,          // AVX2 + FMA, OS saves ymm
    BF_CPU_AVX512 = 1 << 1,        // AVX-512 F/BW/VL/DQ, OS saves zmm
    BF_CPU_AVX512VNNI = 1 << 2,    // plus AVX512_VNNI
    BF_CPU_AVX512VBMI = 1 << 3,    // AVX-512 plus AVX512_VBMI (vpermb, vpermi2b)
};

/// Bit set of BF_CPU_* (cpuid + xgetbv; cached after the first call).
int32_t bf_cpu_features(void);

// MARK: Requantization (TFLite's MultiplyByQuantizedMultiplier, vectorized exactly)
//
// Reference: y = RDBPOT(SRDHM(x << l, m), r) with l = max(shift, 0), r = max(-shift, 0).
// With P = (x << l) * m + 2^30 (64-bit), SRDHM = floor(P / 2^31) (gemmlowp's nudge
// 1 - 2^30 for negative products, followed by truncation, equals this floor), and
// RDBPOT(q, r) = floor((q + 2^(r-1) - [q < 0]) / 2^r) for r > 0. Nested floors merge:
//   y = floor((P + 2^(30+r) - [P < 0] * 2^31) / 2^(31+r))     (r > 0)
//   y = floor(P / 2^31)                                        (r = 0)
// so per channel: T = (x << l) * m + k, k = 2^30 + (r > 0 ? 2^(30+r) : 0);
//   if T < rnd (rnd = k - 2^30, i.e. P < 0) then T -= neg (neg = r > 0 ? 2^31 : 0);
//   y = T >> sh (arithmetic, sh = 31 + r).
// m >= 0 (a significand), so SRDHM's single saturating case (INT32_MIN * INT32_MIN) never occurs.
typedef struct {
    int32_t shl[16];     // l per channel
    int32_t m[16];       // significand per channel (even lanes feed vpmuldq)
    int32_t m_odd[16];   // m_odd[2i] = m[2i + 1]
    int64_t k[16];       // [0..7]: channels 0,2,..,14; [8..15]: channels 1,3,..,15
    int64_t rnd[16];
    int64_t neg[16];
    int64_t sh[16];
} bf_rq16;

// Cheaper form, valid when every channel has r >= 1, m > 2^30 and |x| < 2^29 (checked at pack
// time from the accumulator bound |bias| + 256 * sum|w|): then [P < 0] = [x < 0] and, doubling
// numerator and denominator, y + zp = floor((H - [x < 0]) / 2^r) with
// H = floor((2 x m + 2^31 + 2^(31+r) + zp 2^(32+r)) / 2^32). With X = x mod 2^32 (unsigned),
// X * 2m = 2 x m + [x < 0] 2m 2^32 exactly, so H - [x < 0] = hi32(X * 2m + k) - [x < 0] (2m + 1)
// mod 2^32 (vpmuludq, high dwords by one shuffle, one masked subtract, one 32-bit shift).
// The output zero point is folded in (the result is y + zp, not y).
typedef struct {
    uint32_t m2[16];      // 2m per channel (even lanes feed vpmuludq)
    uint32_t m2_odd[16];  // m2_odd[2i] = m2[2i + 1]
    int64_t k[16];        // [0..7]: channels 0,2,..,14; [8..15]: channels 1,3,..,15
    uint32_t corr[16];    // 2m + 1
    int32_t sh[16];       // r
} bf_rq16f;

/// Fills ceil(count / 16) bf_rq16f blocks for output zero point zp; returns 0 (and leaves the
/// blocks unusable) unless every channel qualifies given its accumulator bound acc_bound[ch].
int32_t bf_rq16f_pack(const int32_t *multipliers, const int32_t *shifts, const int64_t *acc_bound,
                      int32_t count, int32_t zp, bf_rq16f *blocks);
/// Test hook: y[i] = requant(x[i]) + zp as bf_rq16_apply_avx512 plus zp.
void bf_rq16f_apply_avx512(const int32_t *x, int32_t count, const bf_rq16f *blocks, int32_t *y);

/// Fills `n_blocks` = ceil(count / 16) blocks; channels past `count` get multiplier 0.
void bf_rq16_pack(const int32_t *multipliers, const int32_t *shifts, int32_t count, bf_rq16 *blocks);

/// Test hook: y[i] = requant(x[i]) for channel i % 16 of block i / 16 (count a multiple of 16).
void bf_rq16_apply_avx512(const int32_t *x, int32_t count, const bf_rq16 *blocks, int32_t *y);

// MARK: qs8 convolution (any kh x kw, stride, SAME/VALID padding; dilation 1)
//
// Indirect GEMM: an output pixel's receptive field is kh segments of kw * in_c contiguous input
// bytes (one per filter row). Output channels in blocks of 16 (int32 lanes), reduction in
// groups of 4 bytes (vpdpbusd: u8 x s8). Activations are made unsigned with x ^ 0x80 = x + 128,
// so acc = bias - zp_in * sum(w) + sum((x + 128) * w) - 128 * sum(w): the constant terms are
// folded into `bias` at pack time. Padded taps read a row filled with zp_in, whose
// (x - zp_in) is 0 as in the reference.
typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t seg_len;      // kw * in_c
    int32_t seg_groups;   // ceil(seg_len / 4)
    int32_t n_blocks;     // ceil(out_c / 16)
    int32_t zp_in, zp_out, act_min, act_max;
    const int8_t *w;      // [kh][seg_groups][n_blocks][16 channels][4 bytes]
    const int32_t *bias;  // [n_blocks * 16], folded
    const bf_rq16 *rq;    // [n_blocks]
    const bf_rq16f *rqf;  // [n_blocks] or NULL (set by pack when every channel qualifies)
} bf_qs8_conv_params;

/// Bytes of packed data `bf_qs8_conv_pack` writes (64-byte aligned sections).
size_t bf_qs8_conv_packed_size(const bf_qs8_conv_params *p);
/// Packs weights [out_c][kh][kw][in_c], bias, multipliers and shifts into `buffer` (64-byte
/// aligned, `bf_qs8_conv_packed_size` bytes) and sets p->w, p->bias, p->rq.
void bf_qs8_conv_pack(bf_qs8_conv_params *p, const int8_t *weights, const int32_t *bias,
                      const int32_t *multipliers, const int32_t *shifts, void *buffer);
void bf_qs8_conv_avx512vnni(const bf_qs8_conv_params *p, const int8_t *x, int8_t *y);

// MARK: qs8 depthwise convolution (depth multiplier 1, dilation 1)
//
// Taps in groups of 4 interleaved per channel (vpunpck*), one vpdpbusd per 16 channels and
// group. A "slot" is 64 lanes: for stride 1 the kernel walks each output row as one flat
// vector of out_w * c bytes (tap (ky, kx) is the same vector shifted by (kx - pad_left) * c),
// and lane j is channel j % c, so weights repeat with period lcm(c, 64) bytes; otherwise a slot
// is 64 channels of one pixel.
typedef struct {
    int32_t in_h, in_w, c;
    int32_t out_h, out_w;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t flat;         // 1: stride 1 flat-row walk; 0: per pixel
    int32_t n_slots;      // flat: lcm(c, 64) / 64; per pixel: ceil(c / 64)
    int32_t n_groups;     // ceil(kh * kw / 4)
    int32_t zp_in, zp_out, act_min, act_max;
    const int8_t *w;      // [n_slots][n_groups][4 vectors][64 bytes], lane order of the unpacks
    const int32_t *bias;  // [n_slots][4][16]
    const bf_rq16 *rq;    // [n_slots][4]
    const bf_rq16f *rqf;  // [n_slots][4] or NULL (set by pack when every channel qualifies)
} bf_qs8_dwconv_params;

size_t bf_qs8_dwconv_packed_size(const bf_qs8_dwconv_params *p);
/// Weights [kh][kw][c] (TFLite [1, kh, kw, c]).
void bf_qs8_dwconv_pack(bf_qs8_dwconv_params *p, const int8_t *weights, const int32_t *bias,
                        const int32_t *multipliers, const int32_t *shifts, void *buffer);
void bf_qs8_dwconv_avx512vnni(const bf_qs8_dwconv_params *p, const int8_t *x, int8_t *y);

// MARK: qs8 elementwise ADD (TFLite reference int8 Add, same shapes)
//
// The input rescale of the reference, RQ((a - zp_a) << 20, m_a, s_a), is RQ'(a) with the 20-bit
// shift and the zero point folded into k (see bf_rq16): T = a * m + (k - zp_a * m') where the
// exponent 31 becomes 11. Inputs rescale to a common scale, their sum is rescaled to the output.
typedef struct {
    int64_t count;
    bf_rq16 rq_a, rq_b, rq_out;   // uniform blocks (all lanes equal)
    int32_t zp_out, act_min, act_max;
} bf_qs8_add_params;

void bf_qs8_add_init(bf_qs8_add_params *p, int64_t count, int32_t zp_a, int32_t m_a, int32_t s_a,
                     int32_t zp_b, int32_t m_b, int32_t s_b, int32_t zp_out, int32_t m_out,
                     int32_t s_out, int32_t act_min, int32_t act_max);
void bf_qs8_add_avx512(const bf_qs8_add_params *p, const int8_t *a, const int8_t *b, int8_t *y);

// MARK: qs8 ADD by exact table decomposition (AVX512-VBMI)
//
// The reference ADD's output for a pair (a, b) is y = floor(NA(a) + NB(b)) / 2^S up to the
// requantization's sign nudge, with NA = ra * m_out, NB = rb * m_out + k. Writing NA = Pi * 2^S + fa,
// NB = Qi * 2^S + fb (0 <= fa, fb < 2^S): y = Pi + Qi + [fa >= 2^S - fb], and that comparison is a
// comparison of ranks in the sorted union of the 512 values, so
//   y = clamp(Pi[a] + Qi[b] + [Ra[a] >= Rb[b]], act_min, act_max)   (int16, saturated to int8).
// The engine builds the tables and checks all 65,536 pairs against the reference at prepare.
// Tables: 8 x 256 bytes, indexed by the unsigned byte: Pi lo, Pi hi, Ra lo, Ra hi, Qi lo, Qi hi,
// Rb lo, Rb hi (zp_out folded into Qi).
typedef struct {
    int64_t count;
    int32_t act_min, act_max;
    const uint8_t *tables;   // 2048 bytes, 64-byte aligned
} bf_qs8_add_lut_params;

void bf_qs8_add_lut_avx512vbmi(const bf_qs8_add_lut_params *p, const int8_t *a, const int8_t *b, int8_t *y);

// MARK: AVX2 kernels (AVX2 + FMA: x86-64 CPUs without AVX-512), bit-exact with the reference
//
// Requantization in 8 lanes: the formulas of bf_rq16 and bf_rq16f with 4 lanes of 64 bits per
// vpmuldq / vpmuludq. AVX2 has no 64-bit arithmetic shift: floor(T / 2^sh) is taken as
// s ^ ((T ^ s) >>> sh) with s = [T < 0] ? ~0 : 0 (for T < 0, floor(T / 2^sh) = ~floor(~T / 2^sh)).
typedef struct {
    int32_t shl[8];      // l per channel
    int32_t m[8];        // significand per channel (even lanes feed vpmuldq)
    int32_t m_odd[8];    // m_odd[2i] = m[2i + 1]
    int64_t k[8];        // [0..3]: channels 0,2,4,6; [4..7]: channels 1,3,5,7
    int64_t rnd[8];
    int64_t neg[8];
    int64_t sh[8];
} bf_rq8;

/// The bf_rq16f form in 8 lanes (output zero point folded in; see bf_rq16f for when it is valid).
typedef struct {
    uint32_t m2[8];      // 2m per channel
    uint32_t m2_odd[8];  // m2_odd[2i] = m2[2i + 1]
    int64_t k[8];        // [0..3]: channels 0,2,4,6; [4..7]: channels 1,3,5,7
    uint32_t corr[8];    // 2m + 1
    int32_t sh[8];       // r
} bf_rq8f;

/// Fills ceil(count / 8) blocks; channels past `count` get multiplier 0.
void bf_rq8_pack(const int32_t *multipliers, const int32_t *shifts, int32_t count, bf_rq8 *blocks);
/// Fills ceil(count / 8) bf_rq8f blocks; returns 0 unless every channel qualifies (see bf_rq16f_pack).
int32_t bf_rq8f_pack(const int32_t *multipliers, const int32_t *shifts, const int64_t *acc_bound,
                     int32_t count, int32_t zp, bf_rq8f *blocks);
/// Test hooks: y[i] = requant(x[i]) (plus zp for bf_rq8f) for channel i % 8 of block i / 8
/// (count a multiple of 8).
void bf_rq8_apply_avx2(const int32_t *x, int32_t count, const bf_rq8 *blocks, int32_t *y);
void bf_rq8f_apply_avx2(const int32_t *x, int32_t count, const bf_rq8f *blocks, int32_t *y);

// qs8 convolution with AVX2 (any kh x kw, stride, SAME/VALID padding; dilation 1;
// 2 * pairs <= BF_AVX2_CONV_MAX_K): each filter row's kw * in_c taps are taken in pairs (an odd
// row ends with a weight 0), as int16: vpmaddwd of a broadcast pair of inputs with 8 channels'
// pairs of int16 weights gives exact int32 sums (|x * w| <= 2^14), accumulated modulo 2^32 as
// the reference does; acc = bias - zp_in * sum(w) + sum(x * w), the constant folded into `bias`.
// Tiles of up to 4 pixels x 24 channels or 6 x 16. The inputs come from a padded int16 copy of
// the input (zp_in in the padding) when it fits on the stack, from the input widened in place
// (1x1 stride-1 unpadded convolutions), or from the taps of 12 pixels gathered as int16.
enum { BF_AVX2_CONV_MAX_K = 2048 };
typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t seg_pairs;    // ceil(kw * in_c / 2): pairs per filter row
    int32_t pairs;        // kh * seg_pairs
    int32_t n_blocks;     // ceil(out_c / 8)
    int32_t zp_in, zp_out, act_min, act_max;
    const int32_t *w;     // [kh][seg_pairs][n_blocks][8 channels]: int16 weights of a row's taps 2j (low), 2j + 1 (high)
    const int32_t *bias;  // [n_blocks * 8], folded
    const bf_rq8 *rq;     // [n_blocks]
    const bf_rq8f *rqf;   // [n_blocks] or NULL (set by pack when every channel qualifies)
} bf_qs8_conv_avx2_params;

size_t bf_qs8_conv_avx2_packed_size(const bf_qs8_conv_avx2_params *p);
/// Weights [out_c][kh][kw][in_c]; sets p->w, p->bias, p->rq, p->rqf.
void bf_qs8_conv_avx2_pack(bf_qs8_conv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                           const int32_t *multipliers, const int32_t *shifts, void *buffer);
void bf_qs8_conv_avx2(const bf_qs8_conv_avx2_params *p, const int8_t *x, int8_t *y);

// qs8 depthwise convolution with AVX2 (depth multiplier 1, dilation 1, kh, kw <= 5): input rows
// are taken in pairs (r, r + 1) and interleaved as int16 pairs per channel and column
// (32-bit words lo = x[r], hi = x[r + 1], zp_in outside the input), so one vpmaddwd of 8 such
// words with the words (w[ky][kx], w[ky + 1][kx]) of 8 channels adds two taps exactly (an odd
// kh pairs its last row with weight 0). Up to 6 interleaved rows of (out_w - 1) * stride_w + kw
// columns are kept on the stack (at most BF_AVX2_DW_MAX_ROW words each) and reused by the next
// output rows. Channels in blocks of 8 (the last block starts at c - 8 when c > 8, overlapping).
enum { BF_AVX2_DW_MAX_ROW = 4096 };
typedef struct {
    int32_t in_h, in_w, c;
    int32_t out_h, out_w;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t n_blocks;     // ceil(c / 8)
    int32_t row_pairs;    // ceil(kh / 2)
    int32_t zp_in, zp_out, act_min, act_max;
    const int32_t *w;     // [n_blocks][row_pairs][kw][8 channels]: int16 weights of rows 2q (low), 2q + 1 (high)
    const int32_t *bias;  // [n_blocks][8], folded
    const bf_rq8 *rq;     // [n_blocks]
    const bf_rq8f *rqf;   // [n_blocks] or NULL
} bf_qs8_dwconv_avx2_params;

size_t bf_qs8_dwconv_avx2_packed_size(const bf_qs8_dwconv_avx2_params *p);
/// Weights [kh][kw][c] (TFLite [1, kh, kw, c]).
void bf_qs8_dwconv_avx2_pack(bf_qs8_dwconv_avx2_params *p, const int8_t *weights, const int32_t *bias,
                             const int32_t *multipliers, const int32_t *shifts, void *buffer);
void bf_qs8_dwconv_avx2(const bf_qs8_dwconv_avx2_params *p, const int8_t *x, int8_t *y);

/// ADD int8 with AVX2 gathers from the exact tables of the portable kernel: two int32 tables of
/// 256 entries indexed by the input byte, T1 = 65536 * P + Ra and T2 = 65536 * (Q + 1) - Rb, and
/// y = clamp((T1[a] + T2[b]) >> 16, act_min, act_max) (see bf_qs8_add_lut_params).
/// Elementwise: y may be a or b.
typedef struct {
    int64_t count;
    int32_t act_min, act_max;
    const int32_t *t1, *t2;
} bf_qs8_add_lut_avx2_params;

void bf_qs8_add_lut_avx2(const bf_qs8_add_lut_avx2_params *p, const int8_t *a, const int8_t *b, int8_t *y);

// MARK: Data movement and simple ops (any element size unless noted)

/// PAD of NHWC tensors: output zero-filled with `fill` then the input copied at `before`.
void bf_xx_pad_avx512(const int32_t in_shape[4], const int32_t out_shape[4], const int32_t before[4],
                 int32_t elem_size, const uint8_t *fill, const void *x, void *y);
/// MAX_POOL_2D int8, any window and stride, SAME/VALID (pad_top/pad_left), clamp.
void bf_qs8_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                           int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                           int32_t act_min, int32_t act_max, const int8_t *x, int8_t *y);
void bf_f32_maxpool_avx512(const int32_t in_shape[4], const int32_t out_shape[4], int32_t kh, int32_t kw,
                           int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                           float act_min, float act_max, const float *x, float *y);
/// QUANTIZE float32 -> int8, exact: clamp(round_half_away(x / scale) + zp) with x / scale in float32.
void bf_qs8_quantize_avx512(const float *x, int64_t count, float scale, int32_t zp, int8_t *y);
/// 8-bit pixels p -> int8 p - 128 (= p ^ 0x80), plain C (any CPU); x and y may be equal.
void bf_u8_xor80(const uint8_t *x, int64_t count, uint8_t *y);
/// DEQUANTIZE int8 -> float32: float(double(scale) * (q - zp)).
void bf_qs8_dequantize_avx512(const int8_t *x, int64_t count, double scale, int32_t zp, float *y);

// MARK: f32 kernels (results agree with the reference to float rounding, not bit for bit)

typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t seg_len;      // kw * in_c floats
    int32_t n_blocks;     // ceil(out_c / 16)
    float act_min, act_max;
    const float *w;       // [kh][seg_len][n_blocks][16]
    const float *bias;    // [n_blocks * 16]
} bf_f32_conv_params;

size_t bf_f32_conv_packed_size(const bf_f32_conv_params *p);
void bf_f32_conv_pack(bf_f32_conv_params *p, const float *weights, const float *bias, void *buffer);
void bf_f32_conv_avx512(const bf_f32_conv_params *p, const float *x, float *y);

typedef struct {
    int32_t in_h, in_w, c;
    int32_t out_h, out_w;
    int32_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int32_t flat;         // as in qs8: stride-1 flat rows, lanes j % c
    int32_t n_slots;      // flat: lcm(c, 16) / 16; per pixel: ceil(c / 16)
    float act_min, act_max;
    const float *w;       // [n_slots][kh * kw][16]
    const float *bias;    // [n_slots][16]
} bf_f32_dwconv_params;

size_t bf_f32_dwconv_packed_size(const bf_f32_dwconv_params *p);
void bf_f32_dwconv_pack(bf_f32_dwconv_params *p, const float *weights, const float *bias, void *buffer);
void bf_f32_dwconv_avx512(const bf_f32_dwconv_params *p, const float *x, float *y);

/// y = clamp(a + b, lo, hi) elementwise; and y = clamp(x, lo, hi).
void bf_f32_add_avx512(const float *a, const float *b, int64_t count, float lo, float hi, float *y);
void bf_f32_clamp_avx512(const float *x, int64_t count, float lo, float hi, float *y);

// f32 kernels with AVX2 + FMA (x86-64 CPUs without AVX-512): the parameters and packed weights of
// the AVX-512 kernels, read as 8-channel blocks.
//
// CONV_2D (bf_f32_conv_pack; any kernel, stride, padding; dilation 1; kh <= 16 and, unless 1x1
// stride 1 unpadded, kh * seg_len <= BF_AVX2_F32_CONV_MAX_K): tiles of 8 pixels x 8 channels,
// 6 x 16 or 4 x 24, broadcast input x weight rows.
enum { BF_AVX2_F32_CONV_MAX_K = 2048 };
void bf_f32_conv_avx2(const bf_f32_conv_params *p, const float *x, float *y);
/// DEPTHWISE_CONV_2D (bf_f32_dwconv_pack with flat = 0, n_slots = ceil(c / 16); dilation 1):
/// blocks of 8 channels, taps in order; where every tap is inside the input (and kh * kw <= 25)
/// a block's weights are loaded once per output row and 4 pixels run at a time.
void bf_f32_dwconv_avx2(const bf_f32_dwconv_params *p, const float *x, float *y);
/// y = clamp(a + b, lo, hi) elementwise; and y = clamp(x, lo, hi) (8 lanes, masked tail).
void bf_f32_add_avx2(const float *a, const float *b, int64_t count, float lo, float hi, float *y);
void bf_f32_clamp_avx2(const float *x, int64_t count, float lo, float hi, float *y);
/// PAD of the channels only, with 0: `pixels` pixels of in_c floats become out_c floats, the
/// input at channel before_c.
void bf_f32_pad_channels_avx2(int64_t pixels, int32_t in_c, int32_t out_c, int32_t before_c, const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif
