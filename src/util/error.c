/* error: the error record shared by all modules. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util/util.h"

void rowan_err_set(struct rowan_err *err, enum rowan_err_class err_class,
                   const char *fmt, ...)
{
	if (err == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	err->err_class = err_class;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

void rowan_err_clear(struct rowan_err *err)
{
	if (err == NULL)
		return;
	err->err_class = ROWAN_ERR_NONE;
	err->message[0] = '\0';
}

const char *rowan_err_class_name(enum rowan_err_class err_class)
{
	switch (err_class) {
	case ROWAN_ERR_NONE: return "none";
	case ROWAN_ERR_CONFIG: return "config";
	case ROWAN_ERR_IO: return "io";
	case ROWAN_ERR_NET: return "net";
	case ROWAN_ERR_TLS: return "tls";
	case ROWAN_ERR_AUTH: return "auth";
	case ROWAN_ERR_PROTOCOL: return "protocol";
	case ROWAN_ERR_SERVER: return "server";
	case ROWAN_ERR_INTERNAL: return "internal";
	}
	return "unknown";
}
