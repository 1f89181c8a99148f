#ifndef OVERSTAP_CLIBICAL_SHIM_H
#define OVERSTAP_CLIBICAL_SHIM_H

#include <libical/ical.h>

#endif
