#ifndef BLAZEFACE_CWEBP_SHIM_H
#define BLAZEFACE_CWEBP_SHIM_H
#include <webp/decode.h>
#include <webp/encode.h>
#endif
