#ifndef OBUKA_CQRENCODE_SHIM_H
#define OBUKA_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
