#ifndef BLAZEFACE_CPNG_SHIM_H
#define BLAZEFACE_CPNG_SHIM_H
#include <png.h>
#endif
