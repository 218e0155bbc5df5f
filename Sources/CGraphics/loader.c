// Forwarders for the functions CGraphics.h declares: each resolves its library function at first call and
// keeps it. The libraries are opened once, with their dependencies, the first time anything draws.
#include "CGraphics.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum library { PANGO_CAIRO, QRENCODE, LIBRARY_COUNT };

// Sonames (the ABI versions): pangocairo brings pango, cairo, gobject and glib, where dlsym finds them too.
static const char *const library_names[LIBRARY_COUNT] = {"libpangocairo-1.0.so.0", "libqrencode.so.4"};
static void *handles[LIBRARY_COUNT];
static char load_error[512];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_libraries(void) {
    for (int index = 0; index < LIBRARY_COUNT; index++) {
        handles[index] = dlopen(library_names[index], RTLD_NOW | RTLD_LOCAL);
        if (handles[index] == NULL) {
            const char *reason = dlerror();
            snprintf(load_error, sizeof load_error, "%s", reason ? reason : library_names[index]);
            return;
        }
    }
}

int obuka_graphics_load(char *message, size_t capacity) {
    pthread_once(&load_once, load_libraries);
    for (int index = 0; index < LIBRARY_COUNT; index++) {
        if (handles[index] == NULL) {
            if (message != NULL && capacity > 0) snprintf(message, capacity, "%s", load_error);
            return -1;
        }
    }
    return 0;
}

// A missing library is an installation defect (scripts/bootstrap installs them): say which, and stop.
static void *resolve(void **slot, enum library library, const char *name) {
    void *function = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (function != NULL) return function;
    char message[512];
    if (obuka_graphics_load(message, sizeof message) != 0) {
        fprintf(stderr, "obuka: cannot draw PDFs or QR codes: %s\n", message);
        abort();
    }
    function = dlsym(handles[library], name);
    if (function == NULL) {
        fprintf(stderr, "obuka: %s is missing from %s\n", name, library_names[library]);
        abort();
    }
    __atomic_store_n(slot, function, __ATOMIC_RELEASE);
    return function;
}

// The function's own declared type, from CGraphics.h, is the type it is called through.
#define FORWARD(library, type, name, parameters, arguments) \
    static void *slot_##name; \
    type name parameters { return ((__typeof__(&name))resolve(&slot_##name, library, #name)) arguments; }
#define FORWARD_VOID(library, name, parameters, arguments) \
    static void *slot_##name; \
    void name parameters { ((__typeof__(&name))resolve(&slot_##name, library, #name)) arguments; }

FORWARD(PANGO_CAIRO, cairo_t *, cairo_create, (cairo_surface_t *target), (target))
FORWARD_VOID(PANGO_CAIRO, cairo_destroy, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_save, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_restore, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_translate, (cairo_t *cr, double tx, double ty), (cr, tx, ty))
FORWARD_VOID(PANGO_CAIRO, cairo_scale, (cairo_t *cr, double sx, double sy), (cr, sx, sy))
FORWARD_VOID(PANGO_CAIRO, cairo_set_source_rgb, (cairo_t *cr, double red, double green, double blue),
             (cr, red, green, blue))
FORWARD_VOID(PANGO_CAIRO, cairo_set_source_surface, (cairo_t *cr, cairo_surface_t *surface, double x, double y),
             (cr, surface, x, y))
FORWARD(PANGO_CAIRO, cairo_pattern_t *, cairo_get_source, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_pattern_set_filter, (cairo_pattern_t *pattern, cairo_filter_t filter), (pattern, filter))
FORWARD_VOID(PANGO_CAIRO, cairo_set_line_width, (cairo_t *cr, double width), (cr, width))
FORWARD_VOID(PANGO_CAIRO, cairo_move_to, (cairo_t *cr, double x, double y), (cr, x, y))
FORWARD_VOID(PANGO_CAIRO, cairo_line_to, (cairo_t *cr, double x, double y), (cr, x, y))
FORWARD_VOID(PANGO_CAIRO, cairo_rectangle, (cairo_t *cr, double x, double y, double width, double height),
             (cr, x, y, width, height))
FORWARD_VOID(PANGO_CAIRO, cairo_fill, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_stroke, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_paint, (cairo_t *cr), (cr))
FORWARD_VOID(PANGO_CAIRO, cairo_show_page, (cairo_t *cr), (cr))
FORWARD(PANGO_CAIRO, const char *, cairo_status_to_string, (cairo_status_t status), (status))
FORWARD(PANGO_CAIRO, cairo_status_t, cairo_surface_status, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_finish, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_flush, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_mark_dirty, (cairo_surface_t *surface), (surface))
FORWARD_VOID(PANGO_CAIRO, cairo_surface_destroy, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, cairo_surface_t *, cairo_image_surface_create, (cairo_format_t format, int width, int height),
        (format, width, height))
FORWARD(PANGO_CAIRO, cairo_surface_t *, cairo_image_surface_create_from_png, (const char *filename), (filename))
FORWARD(PANGO_CAIRO, unsigned char *, cairo_image_surface_get_data, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, int, cairo_image_surface_get_width, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, int, cairo_image_surface_get_height, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, int, cairo_image_surface_get_stride, (cairo_surface_t *surface), (surface))
FORWARD(PANGO_CAIRO, cairo_surface_t *, cairo_pdf_surface_create_for_stream,
        (cairo_write_func_t write_func, void *closure, double width_in_points, double height_in_points),
        (write_func, closure, width_in_points, height_in_points))
FORWARD_VOID(PANGO_CAIRO, cairo_pdf_surface_restrict_to_version, (cairo_surface_t *surface, cairo_pdf_version_t version),
             (surface, version))
FORWARD_VOID(PANGO_CAIRO, cairo_pdf_surface_set_metadata,
             (cairo_surface_t *surface, cairo_pdf_metadata_t metadata, const char *utf8), (surface, metadata, utf8))

FORWARD_VOID(PANGO_CAIRO, g_object_unref, (gpointer object), (object))

FORWARD(PANGO_CAIRO, PangoFontMap *, pango_cairo_font_map_new, (void), ())
FORWARD(PANGO_CAIRO, PangoContext *, pango_font_map_create_context, (PangoFontMap *fontmap), (fontmap))
FORWARD_VOID(PANGO_CAIRO, pango_cairo_context_set_resolution, (PangoContext *context, double dpi), (context, dpi))
FORWARD_VOID(PANGO_CAIRO, pango_cairo_update_context, (cairo_t *cr, PangoContext *context), (cr, context))
FORWARD_VOID(PANGO_CAIRO, pango_cairo_show_layout, (cairo_t *cr, PangoLayout *layout), (cr, layout))
FORWARD(PANGO_CAIRO, PangoLanguage *, pango_language_from_string, (const char *language), (language))
FORWARD_VOID(PANGO_CAIRO, pango_context_set_language, (PangoContext *context, PangoLanguage *language),
             (context, language))
FORWARD(PANGO_CAIRO, PangoFontDescription *, pango_font_description_new, (void), ())
FORWARD_VOID(PANGO_CAIRO, pango_font_description_free, (PangoFontDescription *desc), (desc))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_family, (PangoFontDescription *desc, const char *family),
             (desc, family))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_size, (PangoFontDescription *desc, gint size), (desc, size))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_style, (PangoFontDescription *desc, PangoStyle style), (desc, style))
FORWARD_VOID(PANGO_CAIRO, pango_font_description_set_weight, (PangoFontDescription *desc, PangoWeight weight),
             (desc, weight))
FORWARD(PANGO_CAIRO, PangoLayout *, pango_layout_new, (PangoContext *context), (context))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_text, (PangoLayout *layout, const char *text, int length), (layout, text, length))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_width, (PangoLayout *layout, int width), (layout, width))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_wrap, (PangoLayout *layout, PangoWrapMode wrap), (layout, wrap))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_alignment, (PangoLayout *layout, PangoAlignment alignment),
             (layout, alignment))
FORWARD_VOID(PANGO_CAIRO, pango_layout_set_font_description, (PangoLayout *layout, const PangoFontDescription *desc),
             (layout, desc))
FORWARD_VOID(PANGO_CAIRO, pango_layout_get_extents,
             (PangoLayout *layout, PangoRectangle *ink_rect, PangoRectangle *logical_rect), (layout, ink_rect, logical_rect))

FORWARD(QRENCODE, QRcode *, QRcode_encodeString,
        (const char *string, int version, QRecLevel level, QRencodeMode hint, int casesensitive),
        (string, version, level, hint, casesensitive))
FORWARD_VOID(QRENCODE, QRcode_free, (QRcode *qrcode), (qrcode))
