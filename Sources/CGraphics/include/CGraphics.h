/*
 * The part of cairo, pango and libqrencode that obuka draws with, bound at first use.
 *
 * Linking these libraries loads some forty shared objects (glib, gobject, fontconfig, freetype, harfbuzz, X11…) and
 * runs their constructors at every start of every command: about 8 ms, most of the start of a command that draws
 * nothing. Here the functions are obuka's own, forwarding to the libraries' opened with dlopen when the first
 * PDF or QR code is drawn (obuka_graphics_load).
 *
 * The declarations copy the libraries' ABI, which has been stable for more than a decade. GraphicsBindingTests
 * compiles these prototypes against the system headers (a difference is a compile error) and compares every
 * constant and structure layout below with theirs.
 */
#ifndef OBUKA_CGRAPHICS_H
#define OBUKA_CGRAPHICS_H

#include <stddef.h>

#pragma GCC visibility push(hidden)

/* Loads the libraries (once; thread-safe). Returns 0, or -1 with the loader's message in `message`. */
int obuka_graphics_load(char *message, size_t capacity);

#ifndef OBUKA_GRAPHICS_CHECK_AGAINST_SYSTEM_HEADERS

/* cairo */
typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _cairo_pattern cairo_pattern_t;
typedef enum _cairo_status { CAIRO_STATUS_SUCCESS = 0, CAIRO_STATUS_WRITE_ERROR = 11 } cairo_status_t;
typedef enum _cairo_format { CAIRO_FORMAT_RGB24 = 1 } cairo_format_t;
typedef enum _cairo_filter { CAIRO_FILTER_NEAREST = 3 } cairo_filter_t;
typedef enum _cairo_pdf_version { CAIRO_PDF_VERSION_1_5 = 1 } cairo_pdf_version_t;
typedef enum _cairo_pdf_metadata {
    CAIRO_PDF_METADATA_TITLE = 0, CAIRO_PDF_METADATA_AUTHOR = 1, CAIRO_PDF_METADATA_SUBJECT = 2,
    CAIRO_PDF_METADATA_KEYWORDS = 3, CAIRO_PDF_METADATA_CREATOR = 4, CAIRO_PDF_METADATA_CREATE_DATE = 5,
    CAIRO_PDF_METADATA_MOD_DATE = 6
} cairo_pdf_metadata_t;
typedef cairo_status_t (*cairo_write_func_t)(void *closure, const unsigned char *data, unsigned int length);

/* glib and pango */
typedef void *gpointer;
typedef int gint;
typedef struct _PangoFontMap PangoFontMap;
typedef struct _PangoContext PangoContext;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct _PangoLanguage PangoLanguage;
typedef struct _PangoRectangle { int x; int y; int width; int height; } PangoRectangle;
typedef enum { PANGO_WEIGHT_NORMAL = 400, PANGO_WEIGHT_BOLD = 700 } PangoWeight;
typedef enum { PANGO_STYLE_NORMAL = 0, PANGO_STYLE_ITALIC = 2 } PangoStyle;
typedef enum { PANGO_ALIGN_LEFT = 0, PANGO_ALIGN_CENTER = 1, PANGO_ALIGN_RIGHT = 2 } PangoAlignment;
typedef enum { PANGO_WRAP_WORD_CHAR = 2 } PangoWrapMode;
#define PANGO_SCALE 1024

/* libqrencode */
typedef enum { QR_ECLEVEL_M = 1 } QRecLevel;
typedef enum { QR_MODE_8 = 2 } QRencodeMode;
typedef struct { int version; int width; unsigned char *data; } QRcode;

#endif

cairo_t *cairo_create(cairo_surface_t *target);
void cairo_destroy(cairo_t *cr);
void cairo_save(cairo_t *cr);
void cairo_restore(cairo_t *cr);
void cairo_translate(cairo_t *cr, double tx, double ty);
void cairo_scale(cairo_t *cr, double sx, double sy);
void cairo_set_source_rgb(cairo_t *cr, double red, double green, double blue);
void cairo_set_source_surface(cairo_t *cr, cairo_surface_t *surface, double x, double y);
cairo_pattern_t *cairo_get_source(cairo_t *cr);
void cairo_pattern_set_filter(cairo_pattern_t *pattern, cairo_filter_t filter);
void cairo_set_line_width(cairo_t *cr, double width);
void cairo_move_to(cairo_t *cr, double x, double y);
void cairo_line_to(cairo_t *cr, double x, double y);
void cairo_rectangle(cairo_t *cr, double x, double y, double width, double height);
void cairo_fill(cairo_t *cr);
void cairo_stroke(cairo_t *cr);
void cairo_paint(cairo_t *cr);
void cairo_show_page(cairo_t *cr);
const char *cairo_status_to_string(cairo_status_t status);
cairo_status_t cairo_surface_status(cairo_surface_t *surface);
void cairo_surface_finish(cairo_surface_t *surface);
void cairo_surface_flush(cairo_surface_t *surface);
void cairo_surface_mark_dirty(cairo_surface_t *surface);
void cairo_surface_destroy(cairo_surface_t *surface);
cairo_surface_t *cairo_image_surface_create(cairo_format_t format, int width, int height);
cairo_surface_t *cairo_image_surface_create_from_png(const char *filename);
unsigned char *cairo_image_surface_get_data(cairo_surface_t *surface);
int cairo_image_surface_get_width(cairo_surface_t *surface);
int cairo_image_surface_get_height(cairo_surface_t *surface);
int cairo_image_surface_get_stride(cairo_surface_t *surface);
cairo_surface_t *cairo_pdf_surface_create_for_stream(cairo_write_func_t write_func, void *closure,
                                                     double width_in_points, double height_in_points);
void cairo_pdf_surface_restrict_to_version(cairo_surface_t *surface, cairo_pdf_version_t version);
void cairo_pdf_surface_set_metadata(cairo_surface_t *surface, cairo_pdf_metadata_t metadata, const char *utf8);

void g_object_unref(gpointer object);

PangoFontMap *pango_cairo_font_map_new(void);
PangoContext *pango_font_map_create_context(PangoFontMap *fontmap);
void pango_cairo_context_set_resolution(PangoContext *context, double dpi);
void pango_cairo_update_context(cairo_t *cr, PangoContext *context);
void pango_cairo_show_layout(cairo_t *cr, PangoLayout *layout);
PangoLanguage *pango_language_from_string(const char *language);
void pango_context_set_language(PangoContext *context, PangoLanguage *language);
PangoFontDescription *pango_font_description_new(void);
void pango_font_description_free(PangoFontDescription *desc);
void pango_font_description_set_family(PangoFontDescription *desc, const char *family);
void pango_font_description_set_size(PangoFontDescription *desc, gint size);
void pango_font_description_set_style(PangoFontDescription *desc, PangoStyle style);
void pango_font_description_set_weight(PangoFontDescription *desc, PangoWeight weight);
PangoLayout *pango_layout_new(PangoContext *context);
void pango_layout_set_text(PangoLayout *layout, const char *text, int length);
void pango_layout_set_width(PangoLayout *layout, int width);
void pango_layout_set_wrap(PangoLayout *layout, PangoWrapMode wrap);
void pango_layout_set_alignment(PangoLayout *layout, PangoAlignment alignment);
void pango_layout_set_font_description(PangoLayout *layout, const PangoFontDescription *desc);
void pango_layout_get_extents(PangoLayout *layout, PangoRectangle *ink_rect, PangoRectangle *logical_rect);

QRcode *QRcode_encodeString(const char *string, int version, QRecLevel level, QRencodeMode hint, int casesensitive);
void QRcode_free(QRcode *qrcode);

#pragma GCC visibility pop

#endif
