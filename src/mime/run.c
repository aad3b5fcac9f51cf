/*
 * run: the commands the mime module starts — html_filter and mailcap
 * viewers and tests — with their input fed and output read through pipes
 * (never deadlocking, never letting SIGPIPE reach Rowan), a size cap and
 * a time limit; and the private temporary files they read.  Text from a
 * message never becomes part of a command line: only file names Rowan
 * made, shell-quoted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mime/message_private.h"

char *mime_shell_quote(const char *s)
{
	struct buf b;
	buf_init(&b);
	buf_add_char(&b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_add_str(&b, "'\\''");
		else
			buf_add_char(&b, *s);
	}
	buf_add_char(&b, '\'');
	return buf_steal(&b);
}

int mime_temp_file_write(const char *data, size_t len, const char *suffix, char **path)
{
	*path = NULL;
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if (suffix == NULL)
		suffix = "";
	char *name = xasprintf("%s/rowan-XXXXXX%s", dir, suffix);
	int fd = mkostemps(name, (int)strlen(suffix), O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		free(name);
		errno = e;
		return -1;
	}
	fchmod(fd, 0600);
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			unlink(name);
			free(name);
			errno = e;
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(name);
		free(name);
		errno = e;
		return -1;
	}
	*path = name;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* In the child: only async-signal-safe calls from here on. */
static void child_exec(const struct mime_run *r, const sigset_t *mask, int in, int out,
                       int null_fd)
{
	signal(SIGPIPE, SIG_DFL);
	pthread_sigmask(SIG_SETMASK, mask, NULL);
	if (!r->terminal)
		setpgid(0, 0);
	int stdin_from = r->stdin_fd >= 0 ? r->stdin_fd : in >= 0 ? in : r->terminal ? -1 : null_fd;
	if (stdin_from >= 0 && dup2(stdin_from, STDIN_FILENO) < 0)
		_exit(127);
	if (!r->terminal) {
		if (dup2(out >= 0 ? out : null_fd, STDOUT_FILENO) < 0 ||
		    dup2(null_fd, STDERR_FILENO) < 0)
			_exit(127);
	}
	if (r->stdin_fd >= 0 && r->stdin_fd != STDIN_FILENO)
		close(r->stdin_fd);
	execl("/bin/sh", "sh", "-c", r->command, (char *)NULL);
	_exit(127);
}

int mime_run_command(struct mime_run *r)
{
	r->out = NULL;
	r->out_len = 0;
	r->status = -1;
	r->timed_out = false;
	r->overflow = false;
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	bool feed = r->stdin_fd < 0 && r->input != NULL;
	bool capture = r->capture && !r->terminal;
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return -1;
	if ((feed && pipe2(in, O_CLOEXEC) != 0) || (capture && pipe2(out, O_CLOEXEC) != 0)) {
		close_fd(&in[0]);
		close_fd(&in[1]);
		close(null_fd);
		return -1;
	}

	/* SIGPIPE stays blocked in this thread while Rowan writes to the
	 * command, and one it raises is taken back before unblocking. */
	sigset_t pipe_set, old_mask, child_mask, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	child_mask = old_mask;
	sigdelset(&child_mask, SIGPIPE);
	sigpending(&pending);
	bool pipe_was_pending = sigismember(&pending, SIGPIPE) == 1;

	pid_t pid = fork();
	if (pid < 0) {
		close_fd(&in[0]);
		close_fd(&in[1]);
		close_fd(&out[0]);
		close_fd(&out[1]);
		close(null_fd);
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
		return -1;
	}
	if (pid == 0)
		child_exec(r, &child_mask, in[0], out[1], null_fd);
	if (!r->terminal)
		setpgid(pid, pid);
	close_fd(&in[0]);
	close_fd(&out[1]);
	close(null_fd);
	if (in[1] >= 0)
		fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);

	struct buf got;
	buf_init(&got);
	size_t written = 0;
	if (feed && r->input_len == 0)
		close_fd(&in[1]);
	long long deadline = r->timeout_ms >= 0 ? now_ms() + r->timeout_ms : -1;
	bool reaped = false, lost = false;
	int status = 0;
	for (;;) {
		if (!reaped) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w < 0 && errno == ECHILD) {
				/* Someone else reaped it (a SIGCHLD handler):
				 * its status is lost, so it counts as failed. */
				status = -1;
				lost = true;
				w = pid;
			}
			if (w == pid) {
				reaped = true;
				/* Nobody reads its input any more; what it printed is
				 * collected, but children it left behind holding the
				 * pipe open are not waited for long. */
				close_fd(&in[1]);
				long long grace = now_ms() + 500;
				if (deadline < 0 || grace < deadline)
					deadline = grace;
			}
		}
		if (in[1] < 0 && out[0] < 0) {
			if (reaped)
				break;
		}
		long long left = deadline >= 0 ? deadline - now_ms() : 100;
		if (left <= 0) {
			r->timed_out = !reaped;
			break;
		}
		struct pollfd fds[2];
		nfds_t n = 0;
		if (in[1] >= 0)
			fds[n++] = (struct pollfd){.fd = in[1], .events = POLLOUT};
		if (out[0] >= 0)
			fds[n++] = (struct pollfd){.fd = out[0], .events = POLLIN};
		int slice = left > 50 ? 50 : (int)left;
		if (n == 0) {
			struct timespec ts = {0, (long)slice * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		int pr = poll(fds, n, slice);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (nfds_t i = 0; pr > 0 && i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			if (fds[i].fd == in[1]) {
				ssize_t w = write(in[1], r->input + written, r->input_len - written);
				if (w > 0) {
					written += (size_t)w;
					if (written == r->input_len)
						close_fd(&in[1]);
				} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
					close_fd(&in[1]);	/* EPIPE: it stopped reading */
				}
			} else {
				char chunk[8192];
				ssize_t got_n = read(out[0], chunk, sizeof chunk);
				if (got_n > 0) {
					if (got.len + (size_t)got_n > r->max_out) {
						r->overflow = true;
						close_fd(&out[0]);
					} else {
						buf_add(&got, chunk, (size_t)got_n);
					}
				} else if (got_n == 0 || (errno != EAGAIN && errno != EINTR)) {
					close_fd(&out[0]);
				}
			}
		}
		if (r->overflow)
			break;
	}
	close_fd(&in[1]);
	close_fd(&out[0]);
	if (!reaped) {
		if (!r->terminal)
			kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	sigpending(&pending);
	if (!pipe_was_pending && sigismember(&pending, SIGPIPE) == 1) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);

	if (capture) {
		buf_add(&got, "", 0);
		r->out_len = got.len;
		r->out = buf_steal(&got);
	} else {
		buf_free(&got);
	}
	if (!reaped || lost)
		r->status = -1;
	else if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else
		r->status = -1;
	if (r->timed_out || r->overflow)
		r->status = -1;
	return r->status == 0 ? 0 : -1;
}
