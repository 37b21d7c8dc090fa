/* Cortex-M55 start-up for the QEMU demo (mps3-an547): vector table, .data/.bss set-up, FPU
 * and MVE enabled, the stack painted for the high-water mark, SysTick counting instructions
 * (QEMU with -icount shift=0 advances the clock one nanosecond per instruction). */
#include <stdint.h>
#include "demo.h"

extern uint32_t __stack_top, __stack_limit, __bss_start, __bss_end, __data_start, __data_end, __data_load;
int main(void);

volatile uint32_t systick_wraps;

void Reset_Handler(void) {
    for (uint32_t *p = &__data_start, *q = &__data_load; p < &__data_end;) *p++ = *q++;
    for (uint32_t *p = &__bss_start; p < &__bss_end;) *p++ = 0;
    /* Paint the stack below this frame for the high-water mark. */
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = &__stack_limit; p < sp - 16;) *p++ = STACK_PAINT;
    /* CP10/CP11 (FPU and MVE) full access. */
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
    __asm__ volatile("dsb\n isb");
    sh_exit(main());
}

static void fault(const char *what) {
    sh_write0(what);
    sh_exit(3);
}
void HardFault_Handler(void) { fault("blazeface firmware: HardFault\n"); }
void Default_Handler(void) { fault("blazeface firmware: unexpected exception\n"); }
void SysTick_Handler(void) { systick_wraps++; }

__attribute__((section(".vectors"), used)) const void *const vectors[16] = {
    &__stack_top, Reset_Handler, Default_Handler, HardFault_Handler, Default_Handler, Default_Handler, Default_Handler,
    0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, SysTick_Handler,
};

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

void clock_start(void) {
    SYST_RVR = 0x00FFFFFF;
    SYST_CVR = 0;
    systick_wraps = 0;
    SYST_CSR = 7; /* processor clock, interrupt, enable */
    while (SYST_CVR == 0) {} /* the first tick loads the reload value */
    systick_wraps = 0;
}

/* Ticks since clock_start (24-bit counter counting down, plus the wraps). */
uint64_t clock_ticks(void) {
    uint32_t w1, v, w2;
    do {
        w1 = systick_wraps;
        v = SYST_CVR;
        w2 = systick_wraps;
    } while (w1 != w2);
    return (uint64_t)w1 * 0x01000000u + (0x00FFFFFFu - v);
}
