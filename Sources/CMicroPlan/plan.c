/* The plan layout is data only (include/blazeface_plan.h); SwiftPM needs one source file. */
#include "blazeface_plan.h"
