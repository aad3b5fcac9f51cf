#include "config.h"
#include "account/account.h"
