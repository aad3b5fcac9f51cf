/* suggest: "did you mean" for misspelt names (Damerau-Levenshtein). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;
	return m < c ? m : c;
}

unsigned suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t w = lb + 1;
	unsigned *d = xcalloc((la + 1) * w, sizeof *d);
	for (size_t i = 0; i <= la; i++)
		d[i * w] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			unsigned cost = ca == cb ? 0 : 1;
			unsigned v = min3(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1,
			                  d[(i - 1) * w + j - 1] + cost);
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb) {
				unsigned t = d[(i - 2) * w + j - 2] + 1;
				if (t < v)
					v = t;
			}
			d[i * w + j] = v;
		}
	}
	unsigned result = d[la * w + lb];
	free(d);
	return result;
}

void suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->best_distance = (unsigned)-1;
}

void suggest_consider(struct suggest *s, const char *candidate)
{
	unsigned d = suggest_distance(s->word, candidate);
	/* On a tie, prefer a candidate that starts like the word. */
	bool better = d < s->best_distance ||
	              (d == s->best_distance && s->best != NULL &&
	               tolower((unsigned char)candidate[0]) == tolower((unsigned char)s->word[0]) &&
	               tolower((unsigned char)s->best[0]) != tolower((unsigned char)s->word[0]));
	if (better) {
		s->best = candidate;
		s->best_distance = d;
	}
}

const char *suggest_result(const struct suggest *s)
{
	if (s->best == NULL)
		return NULL;
	size_t len = strlen(s->word);
	/* Allow one edit in short words, two in medium, three in long. */
	unsigned limit = len <= 4 ? 1 : len <= 9 ? 2 : 3;
	if (s->best_distance > limit || s->best_distance >= len)
		return NULL;
	return s->best;
}
