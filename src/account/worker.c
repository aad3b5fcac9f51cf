#include "config.h"
#include "account/backend.h"
