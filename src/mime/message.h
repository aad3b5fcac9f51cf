/*
 * mime/message: the structure of a message and what the pager shows of it.
 *
 * mime_message_parse() splits a message into a tree of parts (its own
 * boundary walker, iterative, with limits against MIME bombs);
 * mime_part_decode() and mime_part_text() undo transfer encodings and
 * charsets; mime_render() produces the pager text; the attachment list,
 * file-name sanitising, saving and mailcap viewers complete the module.
 * Building blocks (charsets, RFC 2047, parameters, addresses, safe text)
 * are in mime/mime.h.  Nothing here prints or touches the terminal.
 */
#ifndef ROWAN_MIME_MESSAGE_H
#define ROWAN_MIME_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/mime.h"
#include "util/util.h"

/* ---- limits ---- */

#define MIME_DEFAULT_MAX_DEPTH 100
#define MIME_DEFAULT_MAX_PARTS 10000
#define MIME_DEFAULT_MAX_PART_BYTES ((size_t)64 * 1024 * 1024)
/* max_depth is never taken above this, whatever the caller asks for. */
#define MIME_HARD_MAX_DEPTH 1000

/*
 * Limits against MIME bombs.  max_depth: how many multipart or message
 * levels may enclose a part (the top-level part has depth 0, so a part
 * deeper than max_depth is cut); max_parts: parts below the top-level
 * one; max_part_bytes: decoded bytes of one part held in memory for
 * display (and in all for decoded message/rfc822 bodies).  A zero field
 * means its default.  A part beyond a limit is left out whole, unparsed,
 * and counts as one part not shown; the render says what was cut.
 */
struct mime_limits {
	unsigned max_depth;
	size_t max_parts;
	size_t max_part_bytes;
};

/* ---- the part tree ---- */

enum mime_encoding {
	MIME_ENCODING_7BIT,
	MIME_ENCODING_8BIT,
	MIME_ENCODING_BINARY,
	MIME_ENCODING_BASE64,
	MIME_ENCODING_QUOTED_PRINTABLE,
	MIME_ENCODING_OTHER,	/* unknown (x-uuencode, ...): shown as written */
};

struct mime_message;

/*
 * One part; read-only for callers.  Strings are UTF-8 unless said
 * otherwise; pointers into the message stay valid until it is freed.
 */
struct mime_part {
	const struct mime_message *message;
	struct mime_part *parent;	/* NULL for the top-level part */
	/*
	 * IMAP section number: the top-level single part is "1", the
	 * children of a top-level multipart "1", "2", ..., nested "2.1".
	 * A top-level multipart is "" and the message inside a
	 * message/rfc822 part "X" is "X" when it is multipart, else "X.1".
	 */
	char *part_id;
	/* Lower-case "type/subtype" after defaults and clean-up (a missing
	 * or invalid Content-Type is text/plain, message/rfc822 in a digest;
	 * a multipart without a usable boundary is text/plain). */
	char *type;
	struct mime_content_header content_type;	/* as written, parsed */
	struct mime_content_header disposition;	/* value "" when absent */
	const char *charset;	/* charset parameter (borrowed) or NULL */
	char *filename;		/* decoded, NOT sanitised; NULL if none */
	char *content_id;	/* without the angle brackets; NULL if none */
	char *description;	/* decoded Content-Description; NULL if none */
	enum mime_encoding encoding;
	const char *headers;	/* the raw header block of the part */
	size_t headers_len;
	const char *body;	/* the encoded body (for multiparts: all of it) */
	size_t body_len;
	struct mime_part **children;
	size_t child_count;
	unsigned depth;		/* enclosing multipart/message levels */
	bool is_multipart;
	bool is_message;	/* message/rfc822 or message/global */
	/* Content-Disposition says attachment (or an unknown disposition),
	 * or the type is not one shown as text. */
	bool is_attachment;
	bool boundary_missing;	/* declared multipart, shown as text/plain */
	bool close_missing;	/* multipart without its closing delimiter */
};

/*
 * Parse len bytes of a message (a leading mbox "From " line is skipped).
 * The data is copied.  limits may be NULL for the defaults.  Never NULL,
 * whatever the input: broken structure degrades to text.
 */
struct mime_message *mime_message_parse(const char *data, size_t len,
                                        const struct mime_limits *limits);
/* Free a message and all its parts; accepts NULL and clears *message. */
void mime_message_free(struct mime_message **message);
/* The top-level part (never NULL). */
const struct mime_part *mime_message_root(const struct mime_message *message);
/* The raw top-level header block (without the empty line after it). */
const char *mime_message_headers(const struct mime_message *message, size_t *len);
/* The limits in force (defaults filled in). */
const struct mime_limits *mime_message_limits(const struct mime_message *message);
/* Parts left out because of the depth / part-count limits. */
size_t mime_message_cut_by_depth(const struct mime_message *message);
size_t mime_message_cut_by_count(const struct mime_message *message);

/* ---- decoding ---- */

/* Flags reported by the decoders. */
#define MIME_DECODE_DAMAGED 0x1		/* invalid input was skipped or kept as written */
#define MIME_DECODE_TRUNCATED 0x2	/* more than max bytes: the rest was dropped */

/*
 * Base64 and quoted-printable decoding, tolerant of damage: base64
 * ignores characters outside the alphabet and decodes a final group
 * without padding; quoted-printable keeps a bad "=" escape as written and
 * takes "=" before optional blanks and a line break as a soft break,
 * dropping unencoded blanks before a line break (transport padding).  At
 * most max bytes come out.  Newly allocated, NUL-terminated; *out_len and
 * *flags (MIME_DECODE_*) are set when not NULL.
 */
char *mime_base64_decode(const char *in, size_t len, size_t max,
                         size_t *out_len, unsigned *flags);
char *mime_qp_decode(const char *in, size_t len, size_t max,
                     size_t *out_len, unsigned *flags);

/*
 * The body of a leaf part with its transfer encoding undone (7bit, 8bit,
 * binary and unknown encodings come out as written), at most max bytes.
 * Newly allocated, NUL-terminated; *out_len and *flags set when not NULL.
 */
char *mime_part_decode(const struct mime_part *part, size_t max,
                       size_t *out_len, unsigned *flags);
/* The decoded size of a part's body, counted without keeping it. */
size_t mime_part_decoded_size(const struct mime_part *part);

/*
 * The part as UTF-8 text: transfer-decoded (at most the message's
 * max_part_bytes; MIME_DECODE_TRUNCATED in *flags otherwise), converted
 * from its charset (fallback for a missing or unknown one, NULL meaning
 * windows-1252), CRLF made LF, and format=flowed reflowed.  Not yet safe
 * for a terminal (see mime_safe_text).  Newly allocated.
 */
char *mime_part_text(const struct mime_part *part, const char *fallback,
                     size_t *out_len, unsigned *flags);

/*
 * RFC 3676 format=flowed text (UTF-8, LF line ends) reflowed for display:
 * flowed lines joined into one line per paragraph, space-stuffing undone,
 * quoted paragraphs kept apart by depth and written with ">" per level
 * and a space, "-- " kept as a fixed line.  delsp: DelSp=yes.  Newly
 * allocated.
 */
char *mime_flowed_reflow(const char *text, size_t len, bool delsp, size_t *out_len);

/*
 * Built-in HTML to text (UTF-8 in, UTF-8 out): scripts, styles and the
 * head dropped, block elements and <br> as line breaks, list items as
 * "* ", links as "text <url>", entities decoded, whitespace collapsed
 * outside <pre>.  Newly allocated.
 */
char *mime_html_to_text(const char *html, size_t len, size_t *out_len);

/*
 * Run an html_filter command with /bin/sh.  With "%s" in the command the
 * HTML is written to a private temporary file whose shell-quoted name
 * replaces every %s; otherwise it goes to the command's standard input.
 * Standard output is read (at most max_out bytes, within timeout_ms).
 * Returns 0 with *out (newly allocated, as the command printed it) when
 * the command exited with status 0, else -1 (not started, failed, killed,
 * timed out or too much output) with *out NULL.
 */
int mime_html_filter_run(const char *command, const char *html, size_t len,
                         size_t max_out, int timeout_ms, char **out, size_t *out_len);

/* text/enriched (RFC 1896) to plain text; newly allocated. */
char *mime_enriched_to_text(const char *text, size_t len, size_t *out_len);

/* ---- rendering ---- */

/* Any field may be NULL (or false) for its default. */
struct mime_render_options {
	const char *headers;		/* pager_headers: "From To Cc Date Subject" */
	bool all_headers;		/* every header in message order instead */
	const char *alternative_order;	/* "text/plain text/enriched text/html" */
	const char *html_filter;	/* NULL or "": built-in HTML to text */
	const char *assumed_charset;	/* NULL: windows-1252 */
};

/*
 * The pager text of a message: the headers, a blank line, the inline
 * parts (a "[-- ID: type[, name] --]" line before each after the first,
 * forwarded messages between "[-- Forwarded message (ID) --]" and
 * "[-- End of forwarded message --]"), then "[-- Attachments --]" with a
 * line per attachment and "[-- Cut: ... --]" lines for limits hit.  Blocks
 * are separated by one blank line; the text ends with one newline and has
 * been through mime_safe_text.  HTML shown goes through html_filter when
 * set (10 seconds each, at most 32 runs per render), else or when that
 * fails through mime_html_to_text.  Newly allocated.
 */
char *mime_render(const struct mime_message *message,
                  const struct mime_render_options *options);

/* "N bytes", "X.Y KiB", "X.Y MiB", "X.Y GiB"; newly allocated. */
char *mime_size_format(size_t bytes);

/* ---- attachments ---- */

/*
 * The parts the render lists under "Attachments", in that order: an
 * array of count pointers into the message, newly allocated (free() it;
 * NULL when count is 0).
 */
const struct mime_part **mime_attachment_list(const struct mime_message *message,
                                              const struct mime_render_options *options,
                                              size_t *count);

/*
 * A file name fit to save under: only what follows the last '/' or '\\',
 * control and invisible characters (and invalid UTF-8) as '_', runs of
 * dots as one dot, no leading dots, dashes or blanks, at most 200 bytes
 * (keeping a short extension), and "attachment" when nothing is left.
 * name may be NULL.  Newly allocated UTF-8.
 */
char *mime_filename_sanitize(const char *name);

/*
 * Write the decoded body of part to path, which must not exist yet
 * (O_CREAT | O_EXCL, never following a symbolic link).  Returns 0, or -1
 * with errno set and err filled; errno is EEXIST when path exists, so the
 * caller can ask before choosing another name.  A failed write leaves no
 * file behind.
 */
int mime_part_save(const struct mime_part *part, const char *path,
                   struct rowan_err *err);

/* ---- mailcap (RFC 1524) ---- */

struct mime_mailcap_entry {
	char *type;		/* lower case; a bare "text" is stored as the wildcard "text/" "*" */
	char *command;		/* the view command as written (\; undone) */
	char *test;		/* test= command or NULL */
	char *nametemplate;	/* nametemplate= or NULL */
	char *description;	/* description= or NULL */
	bool copiousoutput;
	bool needsterminal;
	char *file;		/* where it was read, and the line */
	unsigned line;
};

struct mime_mailcap;

/*
 * Read the mailcap files in paths (a NULL-terminated list, "~" expanded;
 * missing files are skipped).  paths NULL: the $MAILCAPS list if set,
 * else ~/.mailcap then /etc/mailcap.  Never NULL.
 */
struct mime_mailcap *mime_mailcap_load(const char *const *paths);
/* Parse mailcap text (for tests and callers that read files themselves). */
void mime_mailcap_add_text(struct mime_mailcap *mailcap, const char *name,
                           const char *text, size_t len);
void mime_mailcap_free(struct mime_mailcap **mailcap);
size_t mime_mailcap_count(const struct mime_mailcap *mailcap);
const struct mime_mailcap_entry *mime_mailcap_get(const struct mime_mailcap *mailcap, size_t i);

/* Flags for mime_mailcap_find. */
#define MIME_MAILCAP_COPIOUSOUTPUT 0x1	/* only entries with copiousoutput */
#define MIME_MAILCAP_NO_TEST 0x2	/* do not run test= commands */

/*
 * The first entry, in file order, for type ("text/html"; wildcard entries
 * such as "text" and "text/" "*" match any subtype) whose test= command (if any, run with
 * /bin/sh, at most 5 seconds) exits with 0.  Entries whose test needs the
 * file (%s) are skipped.  NULL when none fits.
 */
const struct mime_mailcap_entry *mime_mailcap_find(const struct mime_mailcap *mailcap,
                                                   const char *type, unsigned flags);

/*
 * The command line for entry with file as the file name: %s becomes
 * the shell-quoted file name, %t the shell-quoted type, %{name} the
 * shell-quoted parameter of part (empty when part is NULL), %% a percent
 * sign, \% a percent sign.  Newly allocated.
 */
char *mime_mailcap_command(const struct mime_mailcap_entry *entry, const char *command,
                           const char *file, const char *type,
                           const struct mime_part *part);

/*
 * View part with entry: its decoded body goes to a new private (0600)
 * temporary file in $TMPDIR (else /tmp), named by Rowan (never by the
 * message) with the nametemplate's suffix; the command gets that name
 * as a shell-quoted argument (or the file on standard input when it has
 * no %s), and the file is removed afterwards.  With copiousoutput and
 * output not NULL, what it prints is captured into *output (as printed,
 * not yet safe for a terminal; at most max_part_bytes, within 60 seconds);
 * otherwise the command inherits the terminal and Rowan waits for it as
 * long as it takes (the UI must leave curses mode first).  Returns the command's exit status
 * (0..255), or -1 with err filled when it could not run (or was killed or
 * timed out).
 */
int mime_mailcap_view(const struct mime_mailcap_entry *entry, const struct mime_part *part,
                      char **output, size_t *output_len, struct rowan_err *err);

#endif
