/*
 * mbox_read: a read-only mbox reader.  The file is mapped, indexed once
 * (where each message starts and ends, and the date on its "From "
 * line), and messages are handed out with mboxrd quoting undone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

struct store_mbox {
	const char *data;       /* the mapped file (NULL when empty) */
	size_t size;
	struct store_mbox_entry *entries;
	size_t count;
	size_t cap;
};

/* ------------------------------------------------------------------ */
/* The date of a "From " line                                           */
/* ------------------------------------------------------------------ */

#define FROM_TOKENS_MAX 16

struct token {
	const char *text;
	size_t len;
};

static bool all_digits(const struct token *t, size_t min, size_t max)
{
	if (t->len < min || t->len > max)
		return false;
	for (size_t i = 0; i < t->len; i++)
		if (t->text[i] < '0' || t->text[i] > '9')
			return false;
	return true;
}

static int number(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n = n * 10 + (s[i] - '0');
	return n;
}

static int month_index(const struct token *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (t->len != 3)
		return -1;
	for (int m = 0; m < 12; m++)
		if (strncasecmp(months + 3 * m, t->text, 3) == 0)
			return m;
	return -1;
}

/* "hh:mm" or "hh:mm:ss" into seconds since midnight, or -1. */
static long time_of_day(const struct token *t)
{
	int part[3] = { 0, 0, 0 };
	size_t n = 0, digits = 0;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->text[i];
		if (c >= '0' && c <= '9' && digits < 2) {
			part[n] = part[n] * 10 + (c - '0');
			digits++;
		} else if (c == ':' && digits > 0 && n < 2) {
			n++;
			digits = 0;
		} else {
			return -1;
		}
	}
	if (n < 1 || digits == 0 || part[0] > 23 || part[1] > 59 || part[2] > 60)
		return -1;
	return (long)part[0] * 3600 + part[1] * 60 + part[2];
}

/* A "+hhmm" / "-hhmm" zone in seconds east of UTC; false if t is not one. */
static bool zone_offset(const struct token *t, long *seconds)
{
	if (t->len != 5 || (t->text[0] != '+' && t->text[0] != '-'))
		return false;
	struct token digits = { t->text + 1, 4 };
	if (!all_digits(&digits, 4, 4))
		return false;
	long value = number(t->text + 1, 2) * 3600L + number(t->text + 3, 2) * 60L;
	*seconds = t->text[0] == '-' ? -value : value;
	return true;
}

/*
 * The date of a "From sender Www Mmm dd hh:mm:ss yyyy" line (asctime,
 * UTC by convention; a numeric zone before or after the year is applied).
 * The sender may contain anything, so the date is looked for from the
 * second word on.  0 when there is none.
 */
static time_t from_line_date(const char *line, size_t len)
{
	struct token tokens[FROM_TOKENS_MAX];
	size_t n = 0;
	size_t i = 5;   /* after "From " */
	while (i < len && n < FROM_TOKENS_MAX) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len)
			break;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		tokens[n].text = line + start;
		tokens[n].len = i - start;
		n++;
	}
	for (size_t k = 1; k + 3 < n; k++) {
		int month = month_index(&tokens[k]);
		if (month < 0 || !all_digits(&tokens[k + 1], 1, 2))
			continue;
		long seconds = time_of_day(&tokens[k + 2]);
		if (seconds < 0)
			continue;
		long zone = 0;
		size_t y = k + 3;
		if (zone_offset(&tokens[y], &zone) && y + 1 < n)
			y++;
		if (!all_digits(&tokens[y], 4, 4))
			continue;
		if (y + 1 < n)
			zone_offset(&tokens[y + 1], &zone);
		struct tm tm = { 0 };
		tm.tm_year = number(tokens[y].text, 4) - 1900;
		tm.tm_mon = month;
		tm.tm_mday = number(tokens[k + 1].text, tokens[k + 1].len);
		if (tm.tm_mday < 1 || tm.tm_mday > 31)
			continue;
		time_t day = timegm(&tm);
		if (day == (time_t)-1)
			continue;
		return day + seconds - zone;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Indexing                                                             */
/* ------------------------------------------------------------------ */

static bool line_is_empty(const char *line, size_t len)
{
	return len == 0 || (len == 1 && line[0] == '\r');
}

static bool line_is_from(const char *line, size_t len)
{
	return len >= 5 && memcmp(line, "From ", 5) == 0;
}

static void entry_add(struct store_mbox *mbox, size_t from, size_t offset, time_t arrival)
{
	if (mbox->count == mbox->cap) {
		mbox->cap = mbox->cap ? mbox->cap * 2 : 64;
		mbox->entries = xrealloc(mbox->entries, mbox->cap * sizeof *mbox->entries);
	}
	struct store_mbox_entry *e = &mbox->entries[mbox->count++];
	e->from_offset = from;
	e->offset = offset;
	e->length = 0;
	e->arrival = arrival;
}

/* Set the length of the last message, which ends at end. */
static void entry_end(struct store_mbox *mbox, size_t end)
{
	if (mbox->count == 0)
		return;
	struct store_mbox_entry *e = &mbox->entries[mbox->count - 1];
	e->length = end > e->offset ? end - e->offset : 0;
}

/* Find the messages; false when the file does not start like an mbox. */
static bool mbox_index(struct store_mbox *mbox)
{
	const char *data = mbox->data;
	size_t size = mbox->size;
	size_t pos = 0;
	bool prev_empty = true;     /* the start of the file counts as one */
	bool seen_text = false;     /* a non-empty line was read */
	size_t prev_start = 0;      /* where the previous line starts */
	while (pos < size) {
		const char *nl = memchr(data + pos, '\n', size - pos);
		size_t next = nl != NULL ? (size_t)(nl - data) + 1 : size;
		size_t len = (nl != NULL ? (size_t)(nl - data) : size) - pos;
		const char *line = data + pos;
		bool empty = line_is_empty(line, len);
		if (prev_empty && line_is_from(line, len)) {
			/* the empty line before belongs to neither message */
			entry_end(mbox, prev_start);
			entry_add(mbox, pos, next, from_line_date(line, len));
		} else if (!empty && !seen_text && mbox->count == 0) {
			return false;
		}
		if (!empty)
			seen_text = true;
		prev_empty = empty;
		prev_start = pos;
		pos = next;
	}
	/* An empty last line is the separator written after every message. */
	entry_end(mbox, prev_empty && mbox->count > 0 &&
	                prev_start >= mbox->entries[mbox->count - 1].offset ? prev_start : size);
	return true;
}

struct store_mbox *store_mbox_open(const char *path, struct rowan_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot open: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot read: %s"), path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: is a folder, not an mbox file"), path);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: not a regular file"), path);
		close(fd);
		return NULL;
	}
	if ((uintmax_t)st.st_size > (uintmax_t)SIZE_MAX) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: too large to read"), path);
		close(fd);
		return NULL;
	}
	struct store_mbox *mbox = xcalloc(1, sizeof *mbox);
	mbox->size = (size_t)st.st_size;
	if (mbox->size > 0) {
		void *map = mmap(NULL, mbox->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot read: %s"), path, strerror(errno));
			close(fd);
			free(mbox);
			return NULL;
		}
		mbox->data = map;
	}
	close(fd);
	if (mbox->size > 0 && !mbox_index(mbox)) {
		rowan_err_set(err, ROWAN_ERR_IO,
		              _("%s: not an mbox folder (it does not start with a \"From \" line)"),
		              path);
		store_mbox_close(&mbox);
		return NULL;
	}
	return mbox;
}

void store_mbox_close(struct store_mbox **mbox)
{
	if (mbox == NULL || *mbox == NULL)
		return;
	struct store_mbox *m = *mbox;
	if (m->data != NULL)
		munmap((void *)m->data, m->size);
	free(m->entries);
	free(m);
	*mbox = NULL;
}

size_t store_mbox_count(const struct store_mbox *mbox)
{
	return mbox->count;
}

const struct store_mbox_entry *store_mbox_entry(const struct store_mbox *mbox, size_t index)
{
	return index < mbox->count ? &mbox->entries[index] : NULL;
}

const char *store_mbox_raw(const struct store_mbox *mbox, size_t index, size_t *len)
{
	if (index >= mbox->count)
		return NULL;
	const struct store_mbox_entry *e = &mbox->entries[index];
	if (len != NULL)
		*len = (size_t)e->length;
	/* An empty message at the very end has offset == size. */
	return e->length > 0 ? mbox->data + e->offset : "";
}

char *store_mbox_message(const struct store_mbox *mbox, size_t index, size_t *len)
{
	size_t raw_len;
	const char *raw = store_mbox_raw(mbox, index, &raw_len);
	if (raw == NULL)
		return NULL;
	char *out = xmalloc(raw_len + 1);
	size_t n = 0;
	size_t pos = 0;
	while (pos < raw_len) {
		const char *nl = memchr(raw + pos, '\n', raw_len - pos);
		size_t next = nl != NULL ? (size_t)(nl - raw) + 1 : raw_len;
		size_t q = pos;
		while (q < next && raw[q] == '>')
			q++;
		if (q > pos && next - q >= 5 && memcmp(raw + q, "From ", 5) == 0)
			pos++;   /* drop one '>' */
		memcpy(out + n, raw + pos, next - pos);
		n += next - pos;
		pos = next;
	}
	out[n] = '\0';
	if (len != NULL)
		*len = n;
	return out;
}
