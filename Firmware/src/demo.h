/* The QEMU demo's I/O and clock (not part of the library). */
#ifndef BLAZEFACE_DEMO_H
#define BLAZEFACE_DEMO_H
#include <stdint.h>
#define STACK_PAINT 0xA5A5A5A5u
#define SH_READ_BINARY 1    /* "rb" */
#define SH_WRITE_BINARY 5   /* "wb" */
int32_t sh_open(const char *path, int32_t mode);
int32_t sh_close(int32_t fd);
int32_t sh_write(int32_t fd, const void *p, uint32_t n);
int32_t sh_read(int32_t fd, void *p, uint32_t n);
void sh_write0(const char *s);
void sh_exit(int code) __attribute__((noreturn));
void clock_start(void);
uint64_t clock_ticks(void);
/* Generated beside model_data.c: the .npy header of each output and its file name. */
extern const char *const demo_output_files[];
extern const char *const demo_output_headers[];
extern const int32_t demo_output_header_bytes[];
extern uint8_t demo_frame[];
extern const int32_t demo_frame_bytes;
#endif
