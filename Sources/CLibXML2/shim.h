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
#endif
