/* Arm semihosting (BKPT 0xAB): the demo's file I/O through the host (QEMU
 * -semihosting-config enable=on,target=native). */
#include <stdint.h>
#include "demo.h"

static int32_t semihost(int32_t op, void *arg) {
    register int32_t r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static uint32_t length(const char *s) { uint32_t n = 0; while (s[n]) n++; return n; }

int32_t sh_open(const char *path, int32_t mode) {
    uint32_t a[3] = {(uint32_t)path, (uint32_t)mode, length(path)};
    return semihost(0x01, a);
}
int32_t sh_close(int32_t fd) { uint32_t a[1] = {(uint32_t)fd}; return semihost(0x02, a); }
/* Return the number of bytes NOT written/read, as the semihosting calls do. */
int32_t sh_write(int32_t fd, const void *p, uint32_t n) { uint32_t a[3] = {(uint32_t)fd, (uint32_t)p, n}; return semihost(0x05, a); }
int32_t sh_read(int32_t fd, void *p, uint32_t n) { uint32_t a[3] = {(uint32_t)fd, (uint32_t)p, n}; return semihost(0x06, a); }
void sh_write0(const char *s) { semihost(0x04, (void *)s); }
void sh_exit(int code) {
    uint32_t a[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)code};
    semihost(0x20, a); /* SYS_EXIT_EXTENDED */
    for (;;) {}
}
