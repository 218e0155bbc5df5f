#ifndef OBUKA_CPANGOCAIRO_SHIM_H
#define OBUKA_CPANGOCAIRO_SHIM_H
#include <sys/types.h>
#include <pango/pangocairo.h>
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#endif
