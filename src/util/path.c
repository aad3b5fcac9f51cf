/* path: home expansion, XDG base directories, atomic file writes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	if (home != NULL && home[0] != '\0')
		return home;
	struct passwd *pw = getpwuid(getuid());
	return pw != NULL ? pw->pw_dir : "/";
}

char *path_expand_home(const char *path)
{
	if (path[0] != '~')
		return xstrdup(path);
	if (path[1] == '\0' || path[1] == '/')
		return xasprintf("%s%s", home_dir(), path + 1);
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path - 1) : strlen(path + 1);
	char *user = xstrndup(path + 1, len);
	struct passwd *pw = getpwnam(user);
	free(user);
	if (pw == NULL)
		return NULL;
	return xasprintf("%s%s", pw->pw_dir, slash ? slash : "");
}

static char *xdg_dir(const char *variable, const char *fallback)
{
	const char *base = getenv(variable);
	if (base != NULL && base[0] == '/')
		return xasprintf("%s/rowan", base);
	return xasprintf("%s/%s/rowan", home_dir(), fallback);
}

char *path_config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *path_cache_dir(void)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache");
}

char *path_state_dir(void)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state");
}

char *path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir);
	if (len > 0 && dir[len - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

int path_mkdir_p(const char *path, unsigned int mode)
{
	char *copy = xstrdup(path);
	int rc = 0;
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, (mode_t)mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	int saved_errno = errno;
	free(copy);
	errno = saved_errno;
	return rc;
}

int file_write_atomic(const char *path, const void *data, size_t len,
                      unsigned int mode, struct rowan_err *err)
{
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	int rc = -1;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot create: %s"), path, strerror(errno));
		goto out;
	}
	if (fchmod(fd, (mode_t)mode) != 0)
		goto io_error;
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto io_error;
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) != 0)
		goto io_error;
	if (close(fd) != 0) {
		fd = -1;
		goto io_error;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto io_error;
	rc = 0;
	goto out;
io_error:
	rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	return rc;
}

char *file_read_all(const char *path, size_t max, size_t *len_out,
                    struct rowan_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot open: %s"), path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b);
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot read: %s"), path, strerror(errno));
			close(fd);
			buf_free(&b);
			return NULL;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			rowan_err_set(err, ROWAN_ERR_IO, _("%s: file is larger than %zu bytes"), path, max);
			close(fd);
			buf_free(&b);
			return NULL;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	if (len_out != NULL)
		*len_out = b.len;
	return buf_steal(&b);
}
