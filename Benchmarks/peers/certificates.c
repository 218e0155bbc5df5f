/*
 * Peer for the "certificates" benchmark (Benchmarks/run): the page obuka draws for a certificate, drawn by a plain
 * C program with the same libraries (pango and cairo for the page, libqrencode for the QR code), on every core.
 *
 * Usage:
 *     certificates PEOPLE.csv OUTPUT_FOLDER
 *
 * PEOPLE.csv is UTF-8 (a BOM is skipped) with ';' between plain (unquoted) fields and a header row naming the
 * columns serial, name and verify_url. For every row one PDF, OUTPUT_FOLDER/<serial>.pdf, is written: the page of
 * Certificates/uvjerenje-bs.xml as Sources/Certificates/CertificateRenderer.swift draws it (A4 landscape, the same
 * blocks at the same place and width, DejaVu Serif at the same sizes and weights, the same shrink-to-fit, the same
 * QR image), with the texts obuka prints for the benchmark's cohort of Curriculum/dijaspora-2022.xml, and the
 * holder's name, serial, verify URL and its QR code from the row. What obuka does besides drawing (the register,
 * signatures, the ZIP) is not done here.
 *
 * Every online CPU gets a thread with its own pango font map (one must not be shared between threads); the threads
 * take the next row from a shared counter until none is left, as obuka's ParallelRenderer does.
 *
 * Build (Benchmarks/run does):
 *     cc -O2 $(pkg-config --cflags pangocairo libqrencode) -o certificates certificates.c \
 *        $(pkg-config --libs pangocairo libqrencode) -pthread
 */

#include <cairo-pdf.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MM (72.0 / 25.4) /* points per millimetre: cairo's PDF unit is the point */

/* The texts that are the same on every certificate of the cohort (obuka's `fields` for the Bosnian template;
 * "završila" or "završio" follows the holder's sex, which the input does not carry). */
#define PROVIDER "Odjeljenje za evropske integracije i međunarodnu saradnju"
#define PROVIDER_CYRILLIC "Одјељење за европске интеграције и међународну сарадњу"
#define PLACE_AND_DATE "Brčko, 25. 11. 2026." /* {registry_line}{place}, {issued_on}: bulk issue has no registry number */
#define COMPLETED "završila je program obuke"
#define PROGRAM_TITLE "Program obuke rukovodilaca/službenika Brčko distrikta BiH za saradnju sa dijasporom"
#define DURATION "u ukupnom trajanju od 24 sata, kroz module: 1. Migracije i razvoj; " \
                 "2. Međusektorska saradnja i mobilizacija dijaspore; 3. Usluge dijaspori"
#define SIGNATORY "Šefica Odjeljenja\n\nAmra Hadžić"
#define TITLE "Uvjerenje o završenom programu obuke"
#define ISSUED "2026-11-25T00:00:00Z"

/* Which row field a block prints (the rest of its text is fixed). */
enum field { FIXED, FULL_NAME, SERIAL_AND_URL };

/* One block of Certificates/uvjerenje-bs.xml: position and sizes in millimetres, font sizes in points
 * (height 0: no box to fit; min_size: how far the text may shrink to fit its box). */
struct block {
    double x, y, width, height, size, min_size;
    int bold;
    PangoAlignment align;
    double red, green, blue;
    enum field field;
    const char *text;
};

static const struct block blocks[] = {
    {18, 14, 125, 0, 9.5, 0, 0, PANGO_ALIGN_LEFT, 0, 0, 0, FIXED,
     "Bosna i Hercegovina\nBrčko distrikt Bosne i Hercegovine\nVlada Brčko distrikta BiH\n" PROVIDER},
    {154, 14, 125, 0, 9.5, 0, 0, PANGO_ALIGN_RIGHT, 0, 0, 0, FIXED,
     "Босна и Херцеговина\nБрчко дистрикт Босне и Херцеговине\nВлада Брчко дистрикта БиХ\n" PROVIDER_CYRILLIC},
    {18, 42, 130, 0, 9.5, 0, 0, PANGO_ALIGN_LEFT, 0, 0, 0, FIXED, PLACE_AND_DATE},
    {18, 58, 261, 0, 30, 0, 1, PANGO_ALIGN_CENTER, 0x1f / 255.0, 0x3a / 255.0, 0x5f / 255.0, FIXED, "UVJERENJE"},
    {18, 73, 261, 0, 12, 0, 0, PANGO_ALIGN_CENTER, 0, 0, 0, FIXED, "o završenom programu obuke"},
    {28, 86, 241, 24, 26, 12, 1, PANGO_ALIGN_CENTER, 0, 0, 0, FULL_NAME, NULL},
    {28, 112, 241, 0, 12, 0, 0, PANGO_ALIGN_CENTER, 0, 0, 0, FIXED, COMPLETED},
    {28, 120, 241, 16, 14, 9, 1, PANGO_ALIGN_CENTER, 0, 0, 0, FIXED, PROGRAM_TITLE},
    {28, 138, 241, 18, 10.5, 7, 0, PANGO_ALIGN_CENTER, 0, 0, 0, FIXED, DURATION},
    {170, 164, 90, 0, 10.5, 0, 0, PANGO_ALIGN_CENTER, 0, 0, 0, FIXED, SIGNATORY},
    {18, 168, 120, 0, 8, 0, 0, PANGO_ALIGN_LEFT, 0, 0, 0, SERIAL_AND_URL, NULL},
};
static const double page_width = 297, page_height = 210;
static const double qr_x = 18, qr_y = 183, qr_size = 22; /* the quiet zone is inside the square */

struct row {
    const char *serial, *name, *verify_url;
};

/* What the threads share: the rows, the output folder, the next row to draw, and whether one failed. */
static struct row *rows;
static size_t row_count;
static const char *output_folder;
static size_t next_row;
static int failed;

/* Sets the block's font, shrinking it in half-point steps until the text fits the block's height; below min_size
 * the text is left larger than the box (CertificateRenderer.fit). */
static void fit(PangoLayout *layout, const struct block *block) {
    double size = block->size;
    double floor = block->min_size > 0 ? block->min_size : block->size;
    for (;;) {
        PangoFontDescription *description = pango_font_description_new();
        pango_font_description_set_family(description, "DejaVu Serif");
        pango_font_description_set_weight(description, block->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_style(description, PANGO_STYLE_NORMAL);
        pango_font_description_set_size(description, (int)(size * PANGO_SCALE));
        pango_layout_set_font_description(layout, description);
        pango_font_description_free(description);
        if (block->height <= 0 || size - 0.5 < floor) return;
        PangoRectangle logical;
        pango_layout_get_extents(layout, NULL, &logical);
        if ((double)logical.height / PANGO_SCALE <= block->height * MM) return;
        size -= 0.5;
    }
}

/* The QR code of the verify URL as one small 1-bit-looking RGB image (8 pixels a module, four light modules of quiet
 * zone), scaled onto the page without smoothing. Returns 0, or -1 when the text cannot be encoded. */
static int draw_qr(cairo_t *cr, const char *text) {
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (code == NULL) return -1;
    const int modules = code->width + 8, scale = 8, side = modules * scale;
    cairo_surface_t *image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
    cairo_surface_flush(image);
    unsigned char *pixels = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    for (int y = 0; y < side; y++) {
        uint32_t *line = (uint32_t *)(pixels + (size_t)y * stride);
        const int module_row = y / scale - 4;
        for (int x = 0; x < side; x++) {
            const int module_column = x / scale - 4;
            const int dark = module_row >= 0 && module_row < code->width && module_column >= 0 &&
                             module_column < code->width &&
                             (code->data[module_row * code->width + module_column] & 1); /* bit 0: dark */
            line[x] = dark ? 0x000000 : 0xFFFFFF;
        }
    }
    cairo_surface_mark_dirty(image);
    QRcode_free(code);

    const double size = qr_size * MM;
    cairo_save(cr);
    cairo_translate(cr, qr_x * MM, qr_y * MM);
    cairo_scale(cr, size / side, size / side);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(image);
    return 0;
}

/* Draws one certificate into OUTPUT_FOLDER/<serial>.pdf. Returns 0, or -1 after saying why on stderr. */
static int draw_certificate(PangoFontMap *font_map, const struct row *row) {
    char path[4096], title[256], keywords[256], serial_and_url[1024];
    snprintf(path, sizeof path, "%s/%s.pdf", output_folder, row->serial);
    snprintf(title, sizeof title, "%s %s", TITLE, row->serial);
    snprintf(keywords, sizeof keywords, "certificate %s", row->serial);
    snprintf(serial_and_url, sizeof serial_and_url, "Broj uvjerenja: %s\nVjerodostojnost provjerite na:\n%s",
             row->serial, row->verify_url);

    cairo_surface_t *surface = cairo_pdf_surface_create(path, page_width * MM, page_height * MM);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, PROVIDER);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, PROGRAM_TITLE);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "certificates.c");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, ISSUED);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, ISSUED);
    cairo_t *cr = cairo_create(surface);

    PangoContext *context = pango_font_map_create_context(font_map);
    pango_cairo_context_set_resolution(context, 72); /* sizes are points, and so is the page's unit */
    pango_cairo_update_context(cr, context);
    /* Serbian glyph forms for Cyrillic, as obuka sets for Bosnian ("bs"). */
    pango_context_set_language(context, pango_language_from_string("bs"));

    for (size_t index = 0; index < sizeof blocks / sizeof blocks[0]; index++) {
        const struct block *block = &blocks[index];
        const char *text = block->field == FULL_NAME ? row->name
                           : block->field == SERIAL_AND_URL ? serial_and_url : block->text;
        if (*text == '\0') continue;
        PangoLayout *layout = pango_layout_new(context);
        pango_layout_set_text(layout, text, -1);
        pango_layout_set_width(layout, (int)(block->width * MM * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(layout, block->align);
        fit(layout, block);
        cairo_set_source_rgb(cr, block->red, block->green, block->blue);
        cairo_move_to(cr, block->x * MM, block->y * MM);
        pango_cairo_show_layout(cr, layout);
        g_object_unref(layout);
    }
    int result = draw_qr(cr, row->verify_url);
    if (result != 0) fprintf(stderr, "certificates: cannot encode the QR code of %s\n", row->serial);

    cairo_show_page(cr);
    g_object_unref(context);
    cairo_destroy(cr);
    cairo_surface_finish(surface); /* writes the file: fonts subset and embedded */
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "certificates: %s: %s\n", path, cairo_status_to_string(status));
        result = -1;
    }
    return result;
}

/* A worker: its own font map, then rows from the shared counter until none is left or one failed. */
static void *work(void *unused) {
    (void)unused;
    PangoFontMap *font_map = pango_cairo_font_map_new();
    for (;;) {
        size_t index = __atomic_fetch_add(&next_row, 1, __ATOMIC_RELAXED);
        if (index >= row_count || __atomic_load_n(&failed, __ATOMIC_RELAXED)) break;
        if (draw_certificate(font_map, &rows[index]) != 0) __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
    }
    g_object_unref(font_map);
    return NULL;
}

/* Reads the whole file into a NUL-terminated buffer; NULL on failure. */
static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return NULL;
    size_t capacity = 1 << 16, length = 0, got;
    char *data = malloc(capacity);
    while (data != NULL && (got = fread(data + length, 1, capacity - length - 1, file)) > 0) {
        length += got;
        if (length + 1 == capacity) {
            char *larger = realloc(data, capacity *= 2);
            if (larger == NULL) free(data);
            data = larger;
        }
    }
    if (data != NULL && ferror(file)) {
        free(data);
        data = NULL;
    }
    fclose(file);
    if (data != NULL) data[length] = '\0';
    return data;
}

/* Splits a line at ';' in place into at most `capacity` fields; returns how many there are. */
static int split(char *line, char **fields, int capacity) {
    int count = 0;
    for (char *field = line; count < capacity; field++) {
        fields[count++] = field;
        field = strchr(field, ';');
        if (field == NULL) break;
        *field = '\0';
    }
    return count;
}

/* Parses PEOPLE.csv (in place, in `data`) into `rows`. Returns 0, or -1 after saying why. */
static int parse_people(char *data, const char *path) {
    if (strncmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3;
    size_t lines = 1;
    for (const char *c = data; *c; c++) lines += *c == '\n';
    rows = calloc(lines, sizeof *rows);
    if (rows == NULL) return -1;

    int serial = -1, name = -1, verify_url = -1, columns = 0;
    char *line = data, *end;
    for (int header = 1; *line; line = end, header = 0) {
        end = line + strcspn(line, "\n");
        if (*end) *end++ = '\0';
        line[strcspn(line, "\r")] = '\0';
        if (*line == '\0') continue; /* blank line */
        if (strchr(line, '"') != NULL) {
            fprintf(stderr, "certificates: %s: quoted fields are not supported\n", path);
            return -1;
        }
        char *fields[16];
        int count = split(line, fields, 16);
        if (header) {
            for (int index = 0; index < count; index++) {
                if (strcmp(fields[index], "serial") == 0) serial = index;
                if (strcmp(fields[index], "name") == 0) name = index;
                if (strcmp(fields[index], "verify_url") == 0) verify_url = index;
            }
            if (serial < 0 || name < 0 || verify_url < 0) {
                fprintf(stderr, "certificates: %s has no serial;name;verify_url header\n", path);
                return -1;
            }
            columns = count;
            continue;
        }
        if (count != columns) {
            fprintf(stderr, "certificates: %s: data row %zu has %d fields, expected %d\n", path, row_count + 1, count,
                    columns);
            return -1;
        }
        struct row *row = &rows[row_count++];
        *row = (struct row){fields[serial], fields[name], fields[verify_url]};
        /* The serial names the file: nothing that could leave the folder. */
        if (*row->serial == '\0' || strspn(row->serial, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                        "0123456789._-") != strlen(row->serial)) {
            fprintf(stderr, "certificates: bad serial '%s' on data row %zu\n", row->serial, row_count);
            return -1;
        }
    }
    if (serial < 0) {
        fprintf(stderr, "certificates: %s is empty\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: certificates PEOPLE.csv OUTPUT_FOLDER\n");
        return 2;
    }
    output_folder = argv[2];
    char *data = read_file(argv[1]);
    if (data == NULL) {
        fprintf(stderr, "certificates: cannot read %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (parse_people(data, argv[1]) != 0) return 1;
    if (mkdir(output_folder, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "certificates: cannot create %s: %s\n", output_folder, strerror(errno));
        return 1;
    }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t workers = cores < 1 ? 1 : (size_t)cores;
    if (workers > row_count) workers = row_count;
    pthread_t threads[256];
    if (workers > 256) workers = 256;
    for (size_t index = 0; index < workers; index++) {
        if (pthread_create(&threads[index], NULL, work, NULL) != 0) {
            fprintf(stderr, "certificates: cannot start a thread\n");
            return 1;
        }
    }
    for (size_t index = 0; index < workers; index++) pthread_join(threads[index], NULL);

    free(rows);
    free(data);
    if (failed) return 1;
    fprintf(stderr, "certificates: %zu certificates in %s (%zu threads)\n", row_count, output_folder, workers);
    return 0;
}
