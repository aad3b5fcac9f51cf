/* diag: the list of problems found while reading rc files. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "config/internal.h"

struct config_diags {
	struct config_diag *items;
	size_t count;
	size_t cap;
	size_t errors;
	size_t warnings;
};

void *array_grow(void *items, size_t count, size_t *cap, size_t elem_size)
{
	if (count < *cap)
		return items;
	size_t n = *cap ? *cap * 2 : 8;
	*cap = n;
	return xrealloc(items, n * elem_size);
}

struct config_diags *config_diags_new(void)
{
	return xcalloc(1, sizeof(struct config_diags));
}

void config_diags_free(struct config_diags **diags)
{
	if (diags == NULL || *diags == NULL)
		return;
	struct config_diags *d = *diags;
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	free(d);
	*diags = NULL;
}

size_t config_diags_count(const struct config_diags *diags)
{
	return diags->count;
}

const struct config_diag *config_diags_get(const struct config_diags *diags, size_t i)
{
	return i < diags->count ? &diags->items[i] : NULL;
}

size_t config_diags_errors(const struct config_diags *diags)
{
	return diags->errors;
}

size_t config_diags_warnings(const struct config_diags *diags)
{
	return diags->warnings;
}

void diags_add(struct config_diags *diags, enum config_severity severity,
               const char *file, unsigned line, unsigned column,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(diags, severity, file, line, column, fmt, ap);
	va_end(ap);
}

void diags_vadd(struct config_diags *diags, enum config_severity severity,
                const char *file, unsigned line, unsigned column,
                const char *fmt, va_list ap)
{
	diags->items = array_grow(diags->items, diags->count, &diags->cap,
	                          sizeof *diags->items);
	struct config_diag *d = &diags->items[diags->count++];
	d->message = xvasprintf(fmt, ap);
	d->severity = severity;
	d->file = xstrdup(file);
	d->line = line;
	d->column = column;
	if (severity == CONFIG_ERROR)
		diags->errors++;
	else
		diags->warnings++;
}

char *config_diag_format(const struct config_diag *diag)
{
	bool error = diag->severity == CONFIG_ERROR;
	if (diag->line == 0)
		return xasprintf(error ? _("%s: error: %s") : _("%s: warning: %s"),
		                 diag->file, diag->message);
	return xasprintf(error ? _("%s:%u:%u: error: %s") : _("%s:%u:%u: warning: %s"),
	                 diag->file, diag->line, diag->column, diag->message);
}
