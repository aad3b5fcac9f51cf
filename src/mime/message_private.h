/*
 * message_private: what the files behind mime/message.h share — the
 * message record, header-block helpers and running shell commands with
 * captured output.
 */
#ifndef ROWAN_MIME_MESSAGE_PRIVATE_H
#define ROWAN_MIME_MESSAGE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/message.h"

struct mime_message {
	char *data;			/* the copy of the input */
	size_t len;
	struct mime_limits limits;
	struct mime_part *root;
	struct mime_part **parts;	/* every part, for freeing */
	size_t part_count;
	size_t part_cap;
	char **owned;			/* decoded bodies of encoded message/rfc822 parts */
	size_t owned_count;
	const char *headers;
	size_t headers_len;
	size_t cut_depth;		/* parts left out: too deep */
	size_t cut_count;		/* parts left out: too many */
};

/* ---- header blocks ---- */

/*
 * Split [data, data + len) into a header block and a body: the header
 * block ends at the first empty line (which belongs to neither) or at the
 * first line that is neither a header field nor a continuation (the body
 * then starts there).
 */
void mime_split_headers(const char *data, size_t len, size_t *headers_len,
                        size_t *body_offset);

/* One field of a header block. */
struct mime_field {
	const char *name;
	size_t name_len;
	const char *value;	/* raw, still folded, up to the end of the field */
	size_t value_len;
};

/*
 * Step through the fields of a header block: *pos starts at 0; returns
 * false when no field is left.  Lines that are not fields are skipped.
 */
bool mime_field_next(const char *block, size_t len, size_t *pos, struct mime_field *field);

/* value unfolded (line breaks removed) and trimmed; newly allocated,
 * its length in *out_len when not NULL. */
char *mime_field_unfold(const char *value, size_t len, size_t *out_len);

/* ---- commands ---- */

/* "'...'" with every ' written as '\''; newly allocated. */
char *mime_shell_quote(const char *s);

struct mime_run {
	const char *command;	/* run with /bin/sh -c */
	const char *input;	/* written to standard input (unless stdin_fd >= 0) */
	size_t input_len;
	int stdin_fd;		/* >= 0: standard input from this file; else input or /dev/null */
	bool capture;		/* read standard output; else it goes to /dev/null */
	bool terminal;		/* inherit the terminal (standard input unless stdin_fd,
				 * output and error); no process group of its own */
	size_t max_out;
	int timeout_ms;
	/* results */
	char *out;		/* newly allocated when capture */
	size_t out_len;
	int status;		/* exit status, or -1 when killed or not started */
	bool timed_out;
	bool overflow;
};

/*
 * Run r->command with standard error to /dev/null, feeding and reading
 * pipes without deadlock and without SIGPIPE reaching Rowan; the command
 * and its children are killed at the time limit or when more than
 * max_out bytes come out (timeout_ms < 0: no limit).  Returns 0 when it
 * exited with status 0, else -1.
 */
int mime_run_command(struct mime_run *r);

/* A private temporary file "$TMPDIR/rowan-XXXXXX<suffix>" (0600) holding
 * data; the path is newly allocated in *path.  0, or -1 with errno set. */
int mime_temp_file_write(const char *data, size_t len, const char *suffix, char **path);

#endif
