/*
 * password: running an account's password_command.  Rowan never stores
 * passwords; the command prints one on its standard output when an account
 * connects (never while the rc file is read).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/internal.h"

#define PASSWORD_MAX 8192
#define STDERR_MAX 1024

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}

/* Read what is available on fd into b (at most max bytes kept); false at EOF. */
static bool drain(int fd, char *b, size_t *len, size_t max, bool *overflow)
{
	char chunk[512];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	size_t room = max - *len;
	size_t take = (size_t)n < room ? (size_t)n : room;
	memcpy(b + *len, chunk, take);
	*len += take;
	if ((size_t)n > take)
		*overflow = true;
	wipe(chunk, sizeof chunk);
	return true;
}

static void child_run(const char *command, int out, int errfd)
{
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	dup2(out, STDOUT_FILENO);
	dup2(errfd, STDERR_FILENO);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/* The first line of what the command said on stderr, for messages. */
static char *first_line(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[n] != '\n' && s[n] != '\0')
		n++;
	return xstrndup(s, n);
}

char *config_password_run(const char *command, int timeout_seconds,
                          struct rowan_err *err)
{
	if (timeout_seconds < 1)
		timeout_seconds = 1;
	int out[2], errp[2];
	if (pipe2(out, O_CLOEXEC) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot run password command: %s"), strerror(errno));
		return NULL;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot run password command: %s"), strerror(errno));
		close(out[0]);
		close(out[1]);
		return NULL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot run password command: %s"), strerror(errno));
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		return NULL;
	}
	if (pid == 0)
		child_run(command, out[1], errp[1]);
	setpgid(pid, pid);
	close(out[1]);
	close(errp[1]);

	char *password = xmalloc(PASSWORD_MAX + 1);
	char errtext[STDERR_MAX + 1];
	size_t plen = 0, elen = 0;
	bool overflow = false, err_overflow = false, timed_out = false;
	bool out_open = true, err_open = true;
	long long deadline = now_ms() + (long long)timeout_seconds * 1000;
	int status = 0, poll_errno = 0;
	bool reaped = false;
	for (;;) {
		if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
			/* Gone: collect what is still in the pipes, but do not wait
			 * for children it left behind holding them open. */
			reaped = true;
			long long grace = now_ms() + 500;
			if (grace < deadline)
				deadline = grace;
		}
		long long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = !reaped;
			break;
		}
		if (!out_open && !err_open) {
			if (reaped)
				break;
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd fds[2];
		nfds_t n = 0;
		if (out_open)
			fds[n++] = (struct pollfd){.fd = out[0], .events = POLLIN};
		if (err_open)
			fds[n++] = (struct pollfd){.fd = errp[0], .events = POLLIN};
		int r = poll(fds, n, left > 100 ? 100 : (int)left);
		if (r < 0 && errno != EINTR) {
			poll_errno = errno;
			break;
		}
		for (nfds_t i = 0; r > 0 && i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			if (fds[i].fd == out[0])
				out_open = drain(out[0], password, &plen, PASSWORD_MAX, &overflow);
			else
				err_open = drain(errp[0], errtext, &elen, STDERR_MAX, &err_overflow);
		}
	}
	close(out[0]);
	close(errp[0]);
	if (!reaped) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	password[plen] = '\0';
	errtext[elen] = '\0';
	char *why = NULL;
	if (timed_out) {
		rowan_err_set(err, ROWAN_ERR_AUTH,
		              ngettext("password command did not finish within %d second",
		                       "password command did not finish within %d seconds",
		                       (unsigned long)timeout_seconds), timeout_seconds);
	} else if (!reaped) {
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot read from password command: %s"),
		              strerror(poll_errno));
	} else if (WIFSIGNALED(status)) {
		rowan_err_set(err, ROWAN_ERR_AUTH, _("password command was killed by signal %d"),
		              WTERMSIG(status));
	} else if (WEXITSTATUS(status) != 0) {
		why = first_line(errtext, elen);
		if (why[0] != '\0')
			rowan_err_set(err, ROWAN_ERR_AUTH,
			              _("password command failed with exit status %d: %s"),
			              WEXITSTATUS(status), why);
		else
			rowan_err_set(err, ROWAN_ERR_AUTH,
			              _("password command failed with exit status %d"),
			              WEXITSTATUS(status));
	} else if (overflow) {
		rowan_err_set(err, ROWAN_ERR_AUTH,
		              _("password command printed more than %d bytes"), PASSWORD_MAX);
	} else {
		if (plen > 0 && password[plen - 1] == '\n') {
			password[--plen] = '\0';
			if (plen > 0 && password[plen - 1] == '\r')
				password[--plen] = '\0';
		}
		if (plen == 0 || memchr(password, '\0', plen) != NULL) {
			rowan_err_set(err, ROWAN_ERR_AUTH,
			              plen == 0 ? _("password command printed nothing")
			                        : _("password command printed a NUL byte"));
		} else {
			free(why);
			char *result = xstrndup(password, plen);
			wipe(password, PASSWORD_MAX + 1);
			free(password);
			return result;
		}
	}
	free(why);
	wipe(password, PASSWORD_MAX + 1);
	free(password);
	return NULL;
}

char *config_account_password(const struct config *cfg,
                              const struct config_account *acct,
                              struct rowan_err *err)
{
	if (acct->password_command == NULL || acct->password_command[0] == '\0') {
		rowan_err_set(err, ROWAN_ERR_CONFIG, _("account \"%s\" has no password_command"),
		              acct->name);
		return NULL;
	}
	int timeout = (int)config_get_number(cfg, CONFIG_VAR_PASSWORD_TIMEOUT);
	struct rowan_err inner;
	rowan_err_clear(&inner);
	char *password = config_password_run(acct->password_command, timeout, &inner);
	if (password == NULL)
		rowan_err_set(err, inner.err_class, _("account \"%s\": %s"), acct->name, inner.message);
	return password;
}

void config_password_free(char **password)
{
	if (password == NULL || *password == NULL)
		return;
	wipe(*password, strlen(*password));
	free(*password);
	*password = NULL;
}
