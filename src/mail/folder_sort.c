/*
 * folder_sort: the display order of a folder — the names of the sort
 * variable's values, and the comparison behind every sort: the chosen
 * key, then the date sent, then the UID, so the order is total.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "mail/folder_private.h"

static const struct {
	const char *name;
	enum folder_sort sort;
} folder_sort_names[] = {
	{ "date", FOLDER_SORT_DATE },
	{ "date-sent", FOLDER_SORT_DATE },
	{ "date-received", FOLDER_SORT_RECEIVED },
	{ "from", FOLDER_SORT_FROM },
	{ "to", FOLDER_SORT_TO },
	{ "subject", FOLDER_SORT_SUBJECT },
	{ "size", FOLDER_SORT_SIZE },
	{ "unsorted", FOLDER_SORT_UNSORTED },
	{ "mailbox-order", FOLDER_SORT_UNSORTED },
	{ "threads", FOLDER_SORT_DATE }, /* no threading yet */
};

enum folder_sort folder_sort_parse(const char *name, bool *reverse)
{
	static const char prefix[] = "reverse-";
	bool rev = false;

	if (name != NULL && strncmp(name, prefix, sizeof prefix - 1) == 0) {
		rev = true;
		name += sizeof prefix - 1;
	}
	if (reverse != NULL)
		*reverse = rev;
	if (name == NULL)
		return FOLDER_SORT_DATE;
	for (size_t i = 0; i < sizeof folder_sort_names / sizeof folder_sort_names[0]; i++)
		if (strcmp(name, folder_sort_names[i].name) == 0)
			return folder_sort_names[i].sort;
	return FOLDER_SORT_DATE;
}

static unsigned char ascii_fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Length of a reply or forward word at s followed by its ':', or 0. */
static size_t prefix_length(const char *s)
{
	static const char *const words[] = { "re", "fwd", "fw", "aw", "sv" };

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		size_t k;

		for (k = 0; k < n; k++)
			if (ascii_fold((unsigned char)s[k]) != (unsigned char)words[i][k])
				break;
		if (k < n)
			continue;
		if (s[k] == '[') { /* Re[2]: */
			size_t d = k + 1;
			while (s[d] >= '0' && s[d] <= '9')
				d++;
			if (d > k + 1 && s[d] == ']')
				k = d + 1;
		}
		if (s[k] == ':')
			return k + 1;
	}
	return 0;
}

const char *folder_subject_strip(const char *subject)
{
	const char *s = subject;

	for (;;) {
		while (is_blank(*s))
			s++;
		size_t n = prefix_length(s);
		if (n == 0)
			return s;
		s += n;
	}
}

/* strcmp after ASCII case folding. */
static int fold_compare(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (;; x++, y++) {
		unsigned char cx = ascii_fold(*x), cy = ascii_fold(*y);
		if (cx != cy || cx == '\0')
			return (int)cx - (int)cy;
	}
}

#define COMPARE_NUMBERS(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

int folder_envelope_compare(const struct envelope *a, const struct envelope *b,
                            enum folder_sort sort, bool reverse)
{
	int c = 0;

	switch (sort) {
	case FOLDER_SORT_DATE:
	case FOLDER_SORT_UNSORTED:
		break;
	case FOLDER_SORT_RECEIVED:
		c = COMPARE_NUMBERS(envelope_arrival(a), envelope_arrival(b));
		break;
	case FOLDER_SORT_FROM:
		c = fold_compare(envelope_from_display(a), envelope_from_display(b));
		break;
	case FOLDER_SORT_TO:
		c = fold_compare(envelope_to(a), envelope_to(b));
		break;
	case FOLDER_SORT_SUBJECT:
		c = fold_compare(folder_subject_strip(envelope_subject(a)),
		                 folder_subject_strip(envelope_subject(b)));
		break;
	case FOLDER_SORT_SIZE:
		c = COMPARE_NUMBERS(envelope_size(a), envelope_size(b));
		break;
	}
	if (c == 0 && sort != FOLDER_SORT_UNSORTED)
		c = COMPARE_NUMBERS(envelope_date(a), envelope_date(b));
	if (c == 0)
		c = COMPARE_NUMBERS(envelope_uid(a), envelope_uid(b));
	return reverse ? -c : c;
}
