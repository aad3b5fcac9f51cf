/* placeholder: replaced by the real module */
#include "config.h"
