/*
 * attach: saving attachments — a file name from the message made safe to
 * use in a folder of the user's, and writing the decoded part to a new
 * file without ever replacing one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/message_private.h"

#define FILENAME_MAX_BYTES 200
#define EXTENSION_MAX_BYTES 16

/* Decode one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters that must not be in a saved file's name. */
static bool char_unwanted(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '/' || c == '\\' ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xfeff || c == 0xad || c == 0xfffd ||
	       (c >= 0xfff9 && c <= 0xfffb);
}

/* Bytes of s that fit in max without splitting a UTF-8 sequence. */
static size_t utf8_fit(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

char *mime_filename_sanitize(const char *name)
{
	if (name == NULL)
		name = "";
	/* Only the last component of a path (either kind of slash). */
	for (const char *p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			name = p + 1;
	size_t len = strlen(name);
	struct buf b;
	buf_init(&b);
	buf_add(&b, "", 0);
	const unsigned char *s = (const unsigned char *)name;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t n = utf8_next(s + i, len - i, &c);
		if (n == 0) {
			buf_add_char(&b, '_');
			i++;
			continue;
		}
		if (char_unwanted(c))
			buf_add_char(&b, '_');
		else if (c == '.' && b.len > 0 && b.data[b.len - 1] == '.')
			;	/* ".." never survives */
		else
			buf_add(&b, name + i, n);
		i += n;
	}
	/* Leading dots, dashes and blanks; trailing blanks and dots. */
	size_t start = 0;
	while (start < b.len && (b.data[start] == '.' || b.data[start] == '-' ||
	                         b.data[start] == ' '))
		start++;
	size_t end = b.len;
	while (end > start && (b.data[end - 1] == ' ' || b.data[end - 1] == '.'))
		end--;
	const char *stem = b.data + start;
	size_t stem_len = end - start;
	char *out;
	if (stem_len == 0) {
		out = xstrdup("attachment");
	} else if (stem_len <= FILENAME_MAX_BYTES) {
		out = xstrndup(stem, stem_len);
	} else {
		/* Keep a short extension. */
		const char *dot = NULL;
		for (size_t i = stem_len; i-- > 0;) {
			if (stem[i] == '.') {
				dot = stem + i;
				break;
			}
		}
		size_t ext = dot != NULL ? stem_len - (size_t)(dot - stem) : 0;
		if (ext > EXTENSION_MAX_BYTES || ext == stem_len)
			ext = 0;
		size_t keep = utf8_fit(stem, stem_len - ext, FILENAME_MAX_BYTES - ext);
		out = xmalloc(keep + ext + 1);
		memcpy(out, stem, keep);
		memcpy(out + keep, stem + stem_len - ext, ext);
		out[keep + ext] = '\0';
	}
	buf_free(&b);
	return out;
}

int mime_part_save(const struct mime_part *part, const char *path, struct rowan_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;
		if (e == EEXIST)
			rowan_err_set(err, ROWAN_ERR_IO, _("%s already exists"), path);
		else
			rowan_err_set(err, ROWAN_ERR_IO, _("cannot create %s: %s"), path, strerror(e));
		errno = e;
		return -1;
	}
	size_t len;
	char *data = mime_part_decode(part, SIZE_MAX, &len, NULL);
	size_t done = 0;
	int e = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	free(data);
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e != 0) {
		unlink(path);
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot write %s: %s"), path, strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}
