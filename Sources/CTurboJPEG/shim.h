#ifndef BLAZEFACE_CTURBOJPEG_SHIM_H
#define BLAZEFACE_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
