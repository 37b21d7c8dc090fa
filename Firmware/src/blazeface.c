/* The C entry points: static storage, then the Embedded Swift runner (swift/Entry.swift). */
#include "blazeface.h"

extern const bf_model_t blazeface_model;
extern uint8_t blazeface_arena[];
extern uint8_t blazeface_candidates[];

int32_t bf_swift_detect(const bf_model_t *model, uint8_t *arena, uint8_t *candidates, const uint8_t *rgb,
                        bf_face_t *out, int32_t max, void (*hook)(int32_t, int32_t));

int blazeface_detect_profiled(const uint8_t *rgb, bf_face_t *out, int max, void (*hook)(int32_t, int32_t)) {
    if (rgb == 0 || out == 0 || max < 0) return 0;
    return (int)bf_swift_detect(&blazeface_model, blazeface_arena, blazeface_candidates, rgb, out, max, hook);
}

int blazeface_detect(const uint8_t *rgb, bf_face_t *out, int max) {
    return blazeface_detect_profiled(rgb, out, max, 0);
}

const float *blazeface_output(int index, int32_t *count) {
    if (index < 0 || index >= blazeface_model.output_count) return 0;
    if (count) *count = blazeface_model.outputs[index].count;
    return (const float *)(blazeface_arena + blazeface_model.outputs[index].offset);
}

/* No heap. Embedded Swift's runtime links its allocation entry points (swift_slowAlloc and the
 * like) although nothing in this library allocates; these two give them an allocator that
 * always fails, so the link pulls in neither newlib's malloc nor _sbrk. */
#include <stddef.h>
int posix_memalign(void **out, size_t alignment, size_t size) {
    (void)alignment; (void)size;
    if (out) *out = 0;
    return 12; /* ENOMEM */
}
void free(void *p) { (void)p; }
