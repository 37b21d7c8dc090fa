/* The QEMU demo: reads input.rgb (one frame of 8-bit RGB) through semihosting, runs the model,
 * writes the four outputs as .npy files (named as `blazeface run --dump` names them), the faces
 * (faces.bin, faces.json) and profile.txt (ticks per step, calibration, stack high-water mark). */
#include <stdint.h>
#include "blazeface.h"
#include "demo.h"

extern uint32_t __stack_limit, __stack_top;

static bf_face_t faces[64];
static uint64_t step_ticks[512];
static uint64_t step_start;

static void hook(int32_t step, int32_t before) {
    uint64_t now = clock_ticks();
    if (before) step_start = now;
    else if (step >= 0 && step < 512) step_ticks[step] = now - step_start;
}

static int write_file(const char *name, const void *head, uint32_t head_bytes, const void *data, uint32_t bytes) {
    int32_t fd = sh_open(name, SH_WRITE_BINARY);
    if (fd < 0) return -1;
    int bad = (head_bytes && sh_write(fd, head, head_bytes) != 0) || (bytes && sh_write(fd, data, bytes) != 0);
    sh_close(fd);
    return bad ? -1 : 0;
}

/* Text helpers (no printf: the demo stays free of the C library's allocator). */
static char *put_str(char *p, const char *s) { while (*s) *p++ = *s++; return p; }
static char *put_u64(char *p, uint64_t v) {
    char t[24]; int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = t[--n];
    return p;
}
static char *put_i64(char *p, int64_t v) { if (v < 0) { *p++ = '-'; v = -v; } return put_u64(p, (uint64_t)v); }
/* A float with 9 decimals (enough to read it back; faces.bin holds the exact bits). */
static char *put_float(char *p, float f) {
    double d = f;
    if (!(d == d)) return put_str(p, "null");
    if (d < 0) { *p++ = '-'; d = -d; }
    if (d >= 1e9) return put_u64(p, (uint64_t)d);
    uint64_t scaled = (uint64_t)(d * 1e9 + 0.5);
    p = put_u64(p, scaled / 1000000000u);
    *p++ = '.';
    uint64_t frac = scaled % 1000000000u;
    for (uint64_t div = 100000000u; div; div /= 10) *p++ = (char)('0' + (frac / div) % 10);
    return p;
}

/* Two instructions per iteration: the ticks of a known instruction count. */
static uint64_t calibrate(uint32_t iterations) {
    clock_start();
    uint64_t t0 = clock_ticks();
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(iterations) : : "cc");
    return clock_ticks() - t0;
}

static char text[16384];

int main(void) {
    const bf_model_t *m = &blazeface_model;
    uint32_t bytes = (uint32_t)(m->input_h * m->input_w * m->input_c);
    uint8_t *frame = demo_frame;
    if (bytes > (uint32_t)demo_frame_bytes || m->step_count > 512) { sh_write0("blazeface demo: the model's frame or plan is larger than the demo's buffers\n"); return 2; }
    int32_t fd = sh_open("input.rgb", SH_READ_BINARY);
    if (fd < 0) { sh_write0("blazeface demo: cannot open input.rgb\n"); return 2; }
    int32_t missing = sh_read(fd, frame, bytes);
    sh_close(fd);
    if (missing != 0) { sh_write0("blazeface demo: input.rgb is shorter than one frame\n"); return 2; }

    uint64_t calibration = calibrate(1000000);
    clock_start();
    uint64_t t0 = clock_ticks();
    int n = blazeface_detect_profiled(frame, faces, 64, hook);
    uint64_t total = clock_ticks() - t0;

    for (int k = 0; k < m->output_count; k++) {
        int32_t count = 0;
        const float *values = blazeface_output(k, &count);
        if (write_file(demo_output_files[k], demo_output_headers[k], (uint32_t)demo_output_header_bytes[k], values, (uint32_t)count * 4) != 0) {
            sh_write0("blazeface demo: cannot write an output file\n");
            return 2;
        }
    }
    int32_t count = n;
    int32_t fd2 = sh_open("faces.bin", SH_WRITE_BINARY);
    if (fd2 < 0 || sh_write(fd2, &count, 4) != 0 || sh_write(fd2, faces, (uint32_t)n * sizeof(bf_face_t)) != 0) return 2;
    sh_close(fd2);

    char *p = put_str(text, "{\"faces\":[");
    for (int i = 0; i < n; i++) {
        const bf_face_t *f = &faces[i];
        p = put_str(p, i ? ",{\"score\":" : "{\"score\":"); p = put_float(p, f->score);
        p = put_str(p, ",\"box\":{\"x\":"); p = put_float(p, f->x);
        p = put_str(p, ",\"y\":"); p = put_float(p, f->y);
        p = put_str(p, ",\"width\":"); p = put_float(p, f->width);
        p = put_str(p, ",\"height\":"); p = put_float(p, f->height);
        p = put_str(p, "},\"keypoints\":[");
        for (int k = 0; k < 6; k++) {
            p = put_str(p, k ? ",[" : "["); p = put_float(p, f->keypoints[2 * k]);
            p = put_str(p, ","); p = put_float(p, f->keypoints[2 * k + 1]); p = put_str(p, "]");
        }
        p = put_str(p, "]}");
    }
    p = put_str(p, "]}\n");
    if (write_file("faces.json", 0, 0, text, (uint32_t)(p - text)) != 0) return 2;

    uint32_t *s = &__stack_limit;
    while (s < &__stack_top && *s == STACK_PAINT) s++;
    p = put_str(text, "calibration_instructions 2000000\ncalibration_ticks ");
    p = put_u64(p, calibration);
    p = put_str(p, "\ntotal_ticks "); p = put_u64(p, total);
    p = put_str(p, "\nstack_high_water_bytes "); p = put_u64(p, (uint64_t)((uint8_t *)&__stack_top - (uint8_t *)s));
    p = put_str(p, "\nfaces "); p = put_i64(p, n);
    for (int i = 0; i < m->step_count; i++) {
        p = put_str(p, "\nstep "); p = put_i64(p, i);
        p = put_str(p, " op "); p = put_i64(p, m->steps[i].op);
        p = put_str(p, " kind "); p = put_i64(p, m->steps[i].kind);
        p = put_str(p, " ticks "); p = put_u64(p, step_ticks[i]);
    }
    p = put_str(p, "\n");
    if (write_file("profile.txt", 0, 0, text, (uint32_t)(p - text)) != 0) return 2;
    sh_write0("blazeface demo: done\n");
    return 0;
}
