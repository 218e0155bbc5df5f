#ifndef OBUKA_CLIBXML2_SHIM_H
#define OBUKA_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; its headers would pull the system ICU headers, which clash with
   the ICU copy inside swift-foundation. obuka never touches the ICU converter fields (they sit at the
   end of xmlCharEncodingHandler, used only through pointers), so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlIO.h>

/* libxml2 prints some errors (encoding conversion, I/O) through its generic handler straight to stderr,
   outside the structured handler that obuka reads; each is also reported there as a parse error. The
   handler is variadic, which Swift cannot write, hence this C. */
static void obuka_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/** Silences libxml2's generic error output on this thread and on threads started later. */
static inline void obuka_silence_generic_errors(void) {
    xmlThrDefSetGenericErrorFunc(NULL, obuka_ignore_generic_error);
    xmlSetGenericErrorFunc(NULL, obuka_ignore_generic_error);
}
#endif
