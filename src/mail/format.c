/*
 * format: the index and status lines (index_format, status_format) from
 * mutt's % expandos.  Every piece — expandos and the format's own
 * literal text — passes through mime_safe_text, widths and precisions
 * count terminal columns (mime_display_width, locale-independent), a wide
 * character is never cut in half, and the line comes out exactly as
 * wide as asked.
 *
 * Syntax, as in mutt: "%[-][0][=][min][.max]X", "%%", "%?X?then&else?"
 * (the branch is chosen by whether X is non-zero or non-empty; a branch
 * cannot contain '?' or '&'), "%>X" (right-justify the rest, filling with
 * X), "%*X" (the same here), "%|X" (fill to the end with X and stop).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail/folder.h"
#include "mime/mime.h"
#include "util/util.h"

#define DEFAULT_DATE_FORMAT "%a, %d %b %Y %H:%M"

/* What the expandos of one line read. */
struct format_env {
	const struct envelope *envelope; /* NULL for the status line */
	size_t msgno;
	const struct folder_format_context *ctx;
};

/* A line being built: safe UTF-8 and its width in columns. */
struct format_out {
	struct buf text;
	size_t cols;
};

/* How one expando is laid out: "%-15.15L". */
struct format_spec {
	bool left;      /* '-': pad on the right */
	bool zero;      /* '0': numbers padded with zeros */
	bool center;    /* '=' */
	size_t min;     /* columns at least */
	size_t max;     /* columns at most, when has_max */
	bool has_max;
};

/* ---- columns ---- */

static size_t utf8_length(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	return n <= len ? n : len;
}

/*
 * The bytes of safe text s that fit in max columns (zero-width characters
 * that follow the last one that fits stay with it); *cols set to their width.
 */
static size_t columns_cut(const char *s, size_t len, size_t max, size_t *cols)
{
	size_t pos = 0, width = 0;

	while (pos < len) {
		size_t n = utf8_length(s + pos, len - pos);
		size_t w = mime_display_width(s + pos, n);
		if (width + w > max)
			break;
		width += w;
		pos += n;
	}
	*cols = width;
	return pos;
}

static void out_safe(struct format_out *out, const char *safe, size_t len)
{
	buf_add(&out->text, safe, len);
	out->cols += mime_display_width(safe, len);
}

static void out_repeat(struct format_out *out, const char *fill, size_t count)
{
	for (size_t i = 0; i < count; i++)
		out_safe(out, fill, strlen(fill));
}

/* Append raw (UTF-8, not yet safe) text laid out per spec. */
static void out_field(struct format_out *out, const char *raw,
                      const struct format_spec *spec, bool number)
{
	char *safe = mime_safe_text(raw, strlen(raw), MIME_SAFE_LINE);
	size_t len = strlen(safe);
	size_t cols = mime_display_width(safe, len);

	if (spec->has_max && cols > spec->max)
		len = columns_cut(safe, len, spec->max, &cols);
	size_t pad = spec->min > cols ? spec->min - cols : 0;
	if (spec->left) {
		out_safe(out, safe, len);
		out_repeat(out, " ", pad);
	} else if (spec->center) {
		out_repeat(out, " ", pad / 2);
		out_safe(out, safe, len);
		out_repeat(out, " ", pad - pad / 2);
	} else if (spec->zero && number && (safe[0] == '-' || safe[0] == '+')) {
		out_safe(out, safe, 1);
		out_repeat(out, "0", pad);
		out_safe(out, safe + 1, len - 1);
	} else {
		out_repeat(out, spec->zero && number ? "0" : " ", pad);
		out_safe(out, safe, len);
	}
	free(safe);
}

/* ---- values ---- */

/* mutt's size display (with size_show_bytes and size_show_fractions). */
static void size_format(struct buf *value, uint64_t n)
{
	if (n < 1024)
		buf_printf(value, "%u", (unsigned)n);
	else if (n < 10189) /* 1.0K - 9.9K */
		buf_printf(value, "%.1fK", (double)n / 1024.0);
	else if (n < 1023949) /* 10K - 999K; 51 rounds 10189/1024 up to 10 */
		buf_printf(value, "%uK", (unsigned)((n + 51) / 1024));
	else if (n < 10433332) /* 1.0M - 9.9M */
		buf_printf(value, "%.1fM", (double)n / 1048576.0);
	else
		buf_printf(value, "%lluM", (unsigned long long)((n + 52428) / 1048576));
}

static void date_format(struct buf *value, const char *format, size_t len,
                        time_t when)
{
	char fmt[256];
	char text[512];
	struct tm tm;

	if (len > 0 && format[0] == '!') { /* mutt: in the C locale; we always are */
		format++;
		len--;
	}
	if (len >= sizeof fmt || localtime_r(&when, &tm) == NULL)
		return;
	memcpy(fmt, format, len);
	fmt[len] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	size_t n = strftime(text, sizeof text, fmt, &tm);
#pragma GCC diagnostic pop
	buf_add(value, text, n);
}

/* "To name" or "Cc name" for the first recipient, as mutt's %t. */
static void recipient_format(struct buf *value, const struct envelope *envelope)
{
	const char *lists[2] = { envelope_to(envelope), envelope_cc(envelope) };
	const char *labels[2] = { "To ", "Cc " };

	for (size_t i = 0; i < 2; i++) {
		if (lists[i][0] == '\0')
			continue;
		struct mime_address_list *list =
			mime_address_list_parse(lists[i], strlen(lists[i]), NULL);
		if (list->count > 0) {
			const struct mime_address *a = &list->items[0];
			const char *name = a->name != NULL && a->name[0] ? a->name : a->mailbox;
			buf_add_str(value, labels[i]);
			buf_add_str(value, name != NULL ? name : "");
		}
		mime_address_list_free(&list);
		return;
	}
}

/* mutt's %Z: new/old/replied, deleted, flagged (no tags yet). */
static void flag_columns(struct buf *value, unsigned flags)
{
	char col[3];

	if (!(flags & ENVELOPE_SEEN))
		col[0] = flags & ENVELOPE_RECENT ? 'N' : 'O';
	else
		col[0] = flags & ENVELOPE_ANSWERED ? 'r' : ' ';
	col[1] = flags & ENVELOPE_DELETED ? 'D' : ' ';
	col[2] = flags & ENVELOPE_FLAGGED ? '!' : ' ';
	buf_add(value, col, 3);
}

/* mutt's %S: the one most important flag. */
static char flag_status(unsigned flags)
{
	if (flags & ENVELOPE_DELETED)
		return 'D';
	if (flags & ENVELOPE_FLAGGED)
		return '!';
	if (flags & ENVELOPE_ANSWERED)
		return 'r';
	if (flags & ENVELOPE_SEEN)
		return '-';
	return flags & ENVELOPE_RECENT ? 'N' : 'O';
}

/*
 * The value of an index expando into value; returns whether it counts
 * as true in %?X?...?.  *number set for numeric values.
 */
static bool index_value(const struct format_env *env, char op, const char *arg,
                        size_t arg_len, struct buf *value, bool *number)
{
	const struct envelope *e = env->envelope;
	const struct folder_format_context *ctx = env->ctx;
	unsigned flags = envelope_flags(e);

	switch (op) {
	case 'C':
		*number = true;
		buf_printf(value, "%zu", env->msgno);
		return env->msgno != 0;
	case 'Z':
		flag_columns(value, flags);
		return true;
	case 'S':
		buf_add_char(value, flag_status(flags));
		return true;
	case '{':
	case '[':
		date_format(value, arg, arg_len, envelope_date(e));
		return true;
	case '(':
		date_format(value, arg, arg_len, envelope_arrival(e));
		return true;
	case 'd':
	case 'D': {
		const char *fmt = ctx->date_format != NULL ? ctx->date_format : DEFAULT_DATE_FORMAT;
		date_format(value, fmt, strlen(fmt), envelope_date(e));
		return true;
	}
	case 'L':
	case 'F':
	case 'n':
		buf_add_str(value, envelope_from_display(e));
		return value->len > 0;
	case 'a':
		buf_add_str(value, envelope_from_address(e));
		return value->len > 0;
	case 't':
		recipient_format(value, e);
		return value->len > 0;
	case 'T':
		buf_add_char(value, ' ');
		return false;
	case 's':
		buf_add_str(value, envelope_subject(e));
		return value->len > 0;
	case 'c':
		size_format(value, envelope_size(e));
		return envelope_size(e) != 0;
	case 'l': /* no line counts */
	case 'N': /* no scores */
		*number = true;
		buf_add_char(value, '0');
		return false;
	default:
		return false;
	}
}

/* The status line's %r: the progress, else mutt's read-only '%', else '-'. */
static const char *status_flag(const struct folder_format_context *ctx)
{
	if (ctx->progress != NULL && ctx->progress[0] != '\0')
		return ctx->progress;
	return ctx->read_only ? "%" : "-";
}

static bool status_count(struct buf *value, size_t count, bool *number)
{
	*number = true;
	buf_printf(value, "%zu", count);
	return count != 0;
}

static bool status_value(const struct format_env *env, char op, struct buf *value,
                         bool *number)
{
	const struct folder_format_context *ctx = env->ctx;
	const char *text = NULL;

	switch (op) {
	case 'f':
		text = ctx->folder_name;
		break;
	case 'a':
		text = ctx->account_name;
		break;
	case 's':
		text = ctx->sort_name;
		break;
	case 'm':
		return status_count(value, ctx->msg_count, number);
	case 'n':
	case 'u':
		return status_count(value, ctx->unseen_count, number);
	case 'd':
		return status_count(value, ctx->deleted_count, number);
	case 'F':
		return status_count(value, ctx->flagged_count, number);
	case 'r':
		buf_add_str(value, status_flag(ctx));
		return strcmp(value->data, "-") != 0;
	case 'v':
		text = PACKAGE_NAME " " PACKAGE_VERSION;
		break;
	default:
		return false;
	}
	buf_add_str(value, text != NULL ? text : "");
	return value->len > 0;
}

/* ---- the format language ---- */

static void expand(const char *fmt, size_t len, const struct format_env *env,
                   size_t limit, struct format_out *out);

static void out_init(struct format_out *out)
{
	buf_init(&out->text);
	buf_add(&out->text, "", 0);
	out->cols = 0;
}

/* The fill character after %> %* %|, made safe; "" at the end of the format. */
static char *fill_char(const char **p, const char *end)
{
	if (*p >= end)
		return xstrdup(" ");
	size_t n = utf8_length(*p, (size_t)(end - *p));
	char *fill = mime_safe_text(*p, n, MIME_SAFE_LINE);
	*p += n;
	if (mime_display_width(fill, strlen(fill)) != 1) {
		free(fill);
		fill = xstrdup(" ");
	}
	return fill;
}

/* Parse "[-][0][=][min][.max]" at *p. */
static void spec_parse(const char **p, const char *end, struct format_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	for (; *p < end; (*p)++) {
		if (**p == '-')
			spec->left = true;
		else if (**p == '0')
			spec->zero = true;
		else if (**p == '=')
			spec->center = true;
		else
			break;
	}
	while (*p < end && **p >= '0' && **p <= '9' && spec->min < 10000)
		spec->min = spec->min * 10 + (size_t)(*(*p)++ - '0');
	if (*p < end && **p == '.') {
		(*p)++;
		spec->has_max = true;
		while (*p < end && **p >= '0' && **p <= '9' && spec->max < 10000)
			spec->max = spec->max * 10 + (size_t)(*(*p)++ - '0');
	}
	if (spec->min > 1000)
		spec->min = 1000;
}

/* Right-justify the rest of the format in what is left of limit. */
static void expand_right(const char *rest, size_t len, const char *fill,
                         const struct format_env *env, size_t limit,
                         struct format_out *out)
{
	if (out->cols >= limit)
		return;
	size_t room = limit - out->cols;
	struct format_out right;
	out_init(&right);
	expand(rest, len, env, room, &right);
	size_t cut = right.text.len, cols = right.cols;
	if (cols > room)
		cut = columns_cut(right.text.data, right.text.len, room, &cols);
	out_repeat(out, fill, room - cols);
	out_safe(out, right.text.data, cut);
	buf_free(&right.text);
}

/*
 * Expand fmt[0..len) onto out; fills (%> %| %*) count against limit,
 * the columns this piece may take in all.
 */
static void expand(const char *fmt, size_t len, const struct format_env *env,
                   size_t limit, struct format_out *out)
{
	const char *p = fmt, *end = fmt + len;

	while (p < end) {
		const char *literal = p;
		while (p < end && *p != '%')
			p++;
		if (p > literal) {
			char *safe = mime_safe_text(literal, (size_t)(p - literal), MIME_SAFE_LINE);
			out_safe(out, safe, strlen(safe));
			free(safe);
		}
		if (p >= end)
			return;
		p++; /* '%' */
		if (p >= end)
			return;
		if (*p == '%') {
			out_safe(out, "%", 1);
			p++;
			continue;
		}
		if (*p == '>' || *p == '*' || *p == '|') {
			bool to_end = *p == '|';
			p++;
			char *fill = fill_char(&p, end);
			if (to_end) {
				if (out->cols < limit)
					out_repeat(out, fill, limit - out->cols);
			} else {
				expand_right(p, (size_t)(end - p), fill, env, limit, out);
			}
			free(fill);
			return;
		}
		bool conditional = *p == '?';
		if (conditional)
			p++;
		struct format_spec spec;
		spec_parse(&p, end, &spec);
		if (p >= end)
			return;
		char op = *p++;
		const char *arg = NULL;
		size_t arg_len = 0;
		if (op == '{' || op == '[' || op == '(') {
			char close = op == '{' ? '}' : op == '[' ? ']' : ')';
			arg = p;
			while (p < end && *p != close)
				p++;
			arg_len = (size_t)(p - arg);
			if (p < end)
				p++;
		}

		struct buf value;
		bool number = false, truth;
		buf_init(&value);
		buf_add(&value, "", 0);
		if (env->envelope != NULL)
			truth = index_value(env, op, arg, arg_len, &value, &number);
		else
			truth = status_value(env, op, &value, &number);

		if (!conditional) {
			out_field(out, value.data, &spec, number);
			buf_free(&value);
			continue;
		}
		buf_free(&value);
		/* %?X?then&else? */
		if (p < end && *p == '?')
			p++;
		const char *then_part = p;
		while (p < end && *p != '?' && *p != '&')
			p++;
		size_t then_len = (size_t)(p - then_part);
		const char *else_part = p;
		size_t else_len = 0;
		if (p < end && *p == '&') {
			else_part = ++p;
			while (p < end && *p != '?')
				p++;
			else_len = (size_t)(p - else_part);
		}
		if (p < end)
			p++; /* the closing '?' */
		if (truth)
			expand(then_part, then_len, env, limit, out);
		else
			expand(else_part, else_len, env, limit, out);
	}
}

/* Expand, then pad or cut to exactly width columns. */
static char *format_line(const char *format, const struct format_env *env, int width)
{
	struct format_out out;
	size_t cols = width > 0 ? (size_t)width : 0;

	out_init(&out);
	expand(format != NULL ? format : "", format != NULL ? strlen(format) : 0, env,
	       cols, &out);
	if (out.cols > cols) {
		size_t got;
		size_t cut = columns_cut(out.text.data, out.text.len, cols, &got);
		out.text.len = cut;
		out.text.data[cut] = '\0';
		out.cols = got;
	}
	out_repeat(&out, " ", cols - out.cols);
	return buf_steal(&out.text);
}

char *folder_format_index(const char *format, const struct envelope *envelope,
                          size_t msgno, const struct folder_format_context *ctx,
                          int width)
{
	static const struct folder_format_context empty = { 0 };
	struct format_env env = {
		.envelope = envelope, .msgno = msgno, .ctx = ctx != NULL ? ctx : &empty,
	};

	if (envelope == NULL) {
		char *blank = xmalloc(width > 0 ? (size_t)width + 1 : 1);
		memset(blank, ' ', width > 0 ? (size_t)width : 0);
		blank[width > 0 ? width : 0] = '\0';
		return blank;
	}
	return format_line(format, &env, width);
}

char *folder_format_status(const char *format,
                           const struct folder_format_context *ctx, int width)
{
	static const struct folder_format_context empty = { 0 };
	struct format_env env = {
		.envelope = NULL, .msgno = 0, .ctx = ctx != NULL ? ctx : &empty,
	};

	return format_line(format, &env, width);
}
