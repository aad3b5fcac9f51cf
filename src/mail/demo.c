/*
 * demo: the demo mailbox behind `rowan --demo`.  A few dozen realistic
 * messages — a discussion thread, encoded non-ASCII headers in several
 * scripts, a message with an attachment, flowed and quoted text — written
 * as an mbox (RFC 4155, mboxrd quoting) under the user's cache directory
 * on first use, so a newcomer sees Rowan working with no account.
 * The content is fixed: the same bytes on every machine.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mail/mail.h"

struct demo_person {
	const char *header;	/* as it appears in From:/To:, RFC 2047 if needed */
	const char *address;
};

static const struct demo_person people[] = {
	{ "Ada Lovelace <ada@analytical.example>", "ada@analytical.example" },
	{ "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@beispiel.example>", "juergen@beispiel.example" },
	{ "=?UTF-8?B?5bGx55SwIOWkqumDjg==?= <taro@yamada.example>", "taro@yamada.example" },
	{ "Grace Hopper <grace@navy.example>", "grace@navy.example" },
	{ "=?ISO-8859-1?Q?Fran=E7oise_Dupr=E9?= <francoise@exemple.example>", "francoise@exemple.example" },
	{ "\"Linus T.\" <linus@kernel.example>", "linus@kernel.example" },
	{ "=?UTF-8?B?0JDQvdC90LAg0J/QtdGC0YDQvtCy0LA=?= <anna@primer.example>", "anna@primer.example" },
	{ "Release Bot <noreply@ci.example>", "noreply@ci.example" },
};

static const char demo_user[] = "You <you@rowan.example>";

struct demo_message {
	int from;		/* index into people */
	int minutes;		/* minutes after the demo's first message */
	const char *zone;	/* the sender's time zone */
	const char *subject;	/* header value, RFC 2047 if needed */
	const char *body;	/* text/plain; utf-8 body, LF line ends */
	int thread;		/* >0: n-th reply in the thread */
};

static const char thread_subject[] = "Plans for the autumn release";

static const struct demo_message messages[] = {
	{ 7, 0, "+0000", "Welcome to Rowan",
	  "Hello,\n\nthis is Rowan's demo mailbox. Nothing here left your machine:\n"
	  "Rowan generated these messages so that you can try the keys\n"
	  "without an account.\n\n"
	  "  j / k      next / previous message\n"
	  "  Enter      read the message\n"
	  "  q          back, or quit\n"
	  "  ?          all key bindings\n\n"
	  "When you are ready, write an account into ~/.config/rowan/rowanrc\n"
	  "(see rowanrc(5)) and start rowan without --demo.\n", 0 },
	{ 0, 95, "+0000", thread_subject,
	  "Hi all,\n\nwe should agree on what goes into the autumn release.\n"
	  "My list: the new folder browser, faster header fetching and the\n"
	  "POP3 download fixes. Anything else?\n\nAda\n", 1 },
	{ 3, 140, "-0500", NULL,
	  "Ada Lovelace wrote:\n> My list: the new folder browser, faster header fetching and the\n"
	  "> POP3 download fixes. Anything else?\n\nThe header cache, please. Opening big folders twice is slow.\n\n"
	  "Grace\n", 2 },
	{ 1, 200, "+0100", NULL,
	  "Grace Hopper wrote:\n> Ada Lovelace wrote:\n>> Anything else?\n>\n> The header cache, please.\n\n"
	  "Agreed. I can take the cache if someone reviews it.\n\nGrüße,\nJürgen\n", 3 },
	{ 0, 260, "+0000", NULL,
	  "Jürgen Müller wrote:\n> Agreed. I can take the cache if someone reviews it.\n\n"
	  "I will review it. Let's freeze features at the end of the month.\n\nAda\n", 4 },
	{ 2, 330, "+0900", NULL,
	  "Ada Lovelace wrote:\n> Let's freeze features at the end of the month.\n\n"
	  "Sounds good. I will update the translations after the freeze.\n\n山田 太郎\n", 5 },
	{ 4, 420, "+0100", "=?ISO-8859-1?Q?R=E9union_de_jeudi?=",
	  "Bonjour,\n\nla réunion de jeudi est déplacée à 14 h.\nÀ bientôt,\nFrançoise\n", 0 },
	{ 6, 500, "+0300", "=?UTF-8?B?0J/RgNC40LLQtdGCINC40Lcg0JzQvtGB0LrQstGL?=",
	  "Здравствуйте!\n\nПосылаю фотографии с конференции на следующей неделе.\n\nАнна\n", 0 },
	{ 2, 610, "+0900", "=?UTF-8?B?5Lya6K2w44Gu6K2w5LqL6Yyy?=",
	  "皆さん、\n\n昨日の会議の議事録を添付します。\nよろしくお願いします。\n\n山田\n", 0 },
	{ 5, 720, "-0800", "Re: patch review etiquette",
	  "On the list somebody asked how to review patches. Short version:\n\n"
	  "- read the whole change before commenting;\n"
	  "- say what is wrong and why, not only that it is wrong;\n"
	  "- a test that shows the bug is worth more than a long mail.\n\nLinus\n", 0 },
};

/* Filler messages: routine mail that makes the index look lived-in. */
static void add_routine_subject(struct buf *out, int n)
{
	int number = 40 + n;
	switch (n % 5) {
	case 0: buf_printf(out, "Subject: Build #%d passed\n", number); break;
	case 1: buf_printf(out, "Subject: Weekly report, week %d\n", number); break;
	case 2: buf_printf(out, "Subject: Minutes of meeting %d\n", number); break;
	case 3: buf_printf(out, "Subject: Invoice %d from Analytical Engines Ltd\n", number); break;
	default: buf_printf(out, "Subject: Reminder: review queue (%d open)\n", number % 7 + 2); break;
	}
}

static const char *const weekday_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* 2026-10-05 09:00:00 UTC: the demo's first message. */
#define DEMO_EPOCH ((time_t)1791190800)

static int zone_minutes(const char *zone)
{
	int value = atoi(zone + 1);
	int minutes = (value / 100) * 60 + value % 100;
	return zone[0] == '-' ? -minutes : minutes;
}

/* RFC 5322 date in the sender's zone, English names whatever the locale. */
static void add_date_header(struct buf *out, time_t when, const char *zone)
{
	time_t local = when + (time_t)zone_minutes(zone) * 60;
	struct tm tm;
	gmtime_r(&local, &tm);
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d %s\n",
	           weekday_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
	           tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

/* The mbox separator: "From address asctime-date" in UTC. */
static void add_from_line(struct buf *out, const char *address, time_t when)
{
	struct tm tm;
	gmtime_r(&when, &tm);
	buf_printf(out, "From %s %s %s %2d %02d:%02d:%02d %d\n", address,
	           weekday_names[tm.tm_wday], month_names[tm.tm_mon], tm.tm_mday,
	           tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

/* Append body lines with mboxrd quoting: ">*From " gains one more ">". */
static void add_body(struct buf *out, const char *body)
{
	const char *line = body;
	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line + 1) : strlen(line);
		const char *p = line;
		while (p < line + len && *p == '>')
			p++;
		if ((size_t)(line + len - p) >= 5 && memcmp(p, "From ", 5) == 0)
			buf_add_char(out, '>');
		buf_add(out, line, len);
		line += len;
	}
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_add_char(out, '\n');
}

static void add_thread_ids(struct buf *out, int position)
{
	buf_printf(out, "Message-ID: <thread-%d@rowan.example>\n", position);
	if (position <= 1)
		return;
	buf_printf(out, "In-Reply-To: <thread-%d@rowan.example>\n", position - 1);
	buf_add_str(out, "References:");
	for (int i = 1; i < position; i++)
		buf_printf(out, " <thread-%d@rowan.example>", i);
	buf_add_char(out, '\n');
}

static void add_story_message(struct buf *out, const struct demo_message *message, int index)
{
	const struct demo_person *person = &people[message->from];
	time_t when = DEMO_EPOCH + (time_t)message->minutes * 60;
	add_from_line(out, person->address, when);
	buf_printf(out, "From: %s\n", person->header);
	buf_printf(out, "To: %s\n", message->thread ? "release@lists.rowan.example" : demo_user);
	if (message->thread > 0) {
		buf_printf(out, "Subject: %s%s\n", message->thread > 1 ? "Re: " : "", thread_subject);
		add_thread_ids(out, message->thread);
	} else {
		buf_printf(out, "Subject: %s\n", message->subject);
		buf_printf(out, "Message-ID: <story-%d@rowan.example>\n", index);
	}
	add_date_header(out, when, message->zone);
	buf_add_str(out, "MIME-Version: 1.0\n"
	                 "Content-Type: text/plain; charset=utf-8; format=flowed\n"
	                 "Content-Transfer-Encoding: 8bit\n\n");
	add_body(out, message->body);
	buf_add_char(out, '\n');
}

static void add_attachment_message(struct buf *out)
{
	const struct demo_person *person = &people[4];
	time_t when = DEMO_EPOCH + 900 * 60;
	add_from_line(out, person->address, when);
	buf_printf(out, "From: %s\n", person->header);
	buf_printf(out, "To: %s\n", demo_user);
	buf_add_str(out, "Subject: =?UTF-8?Q?Budget_2027_=E2=80=94_draft?=\n"
	                 "Message-ID: <attachment-1@rowan.example>\n");
	add_date_header(out, when, "+0100");
	buf_add_str(out,
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"rowan-demo-boundary\"\n\n"
		"This is a multi-part message in MIME format.\n\n"
		"--rowan-demo-boundary\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"Bonjour,\n\nvoici le brouillon du budget (en pi=C3=A8ce jointe).\n"
		"Les chiffres sont en euros (=E2=82=AC).\n\nFran=C3=A7oise\n\n"
		"--rowan-demo-boundary\n"
		"Content-Type: text/csv; charset=utf-8; name=\"budget-2027.csv\"\n"
		"Content-Disposition: attachment; filename=\"budget-2027.csv\"\n"
		"Content-Transfer-Encoding: base64\n\n"
		/* "poste;montant\nserveurs;12000\ntraductions;3500\ncafé;800\n" */
		"cG9zdGU7bW9udGFudApzZXJ2ZXVyczsxMjAwMAp0cmFkdWN0aW9uczszNTAwCmNhZsOp\n"
		"OzgwMAo=\n\n"
		"--rowan-demo-boundary--\n\n");
}

static void add_routine_message(struct buf *out, int n)
{
	const struct demo_person *person = &people[n % 3 == 0 ? 7 : (n % 8)];
	time_t when = DEMO_EPOCH + (time_t)(1000 + n * 613) * 60;
	add_from_line(out, person->address, when);
	buf_printf(out, "From: %s\n", person->header);
	buf_printf(out, "To: %s\n", demo_user);
	add_routine_subject(out, n);
	buf_printf(out, "Message-ID: <routine-%d@rowan.example>\n", n);
	add_date_header(out, when, "+0000");
	buf_add_str(out, "MIME-Version: 1.0\n"
	                 "Content-Type: text/plain; charset=us-ascii\n\n");
	char *body = xasprintf("This is routine message number %d of the demo mailbox.\n"
	                       "From here on the text is ordinary; the line below starts with\n"
	                       "From and is quoted in the mbox file but not on your screen.\n"
	                       "From the archive: nothing to do.\n", n);
	add_body(out, body);
	buf_add_char(out, '\n');
	free(body);
}

char *demo_mbox_build(size_t *len_out, int *count_out)
{
	struct buf out;
	buf_init(&out);
	int count = 0;
	size_t story_count = sizeof messages / sizeof *messages;
	for (size_t i = 0; i < story_count; i++, count++)
		add_story_message(&out, &messages[i], (int)i);
	add_attachment_message(&out);
	count++;
	for (int n = 1; n <= DEMO_ROUTINE_MESSAGES; n++, count++)
		add_routine_message(&out, n);
	if (len_out != NULL)
		*len_out = out.len;
	if (count_out != NULL)
		*count_out = count;
	return buf_steal(&out);
}

int demo_mbox_ensure(char **path_out, struct rowan_err *err)
{
	char *dir = path_cache_dir();
	char *path = path_join(dir, "demo.mbox");
	int rc = -1;
	struct stat st;
	if (stat(path, &st) == 0) {
		rc = 0;
		goto out;
	}
	if (path_mkdir_p(dir, 0700) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot create directory: %s"), dir, strerror(errno));
		goto out;
	}
	size_t len;
	char *data = demo_mbox_build(&len, NULL);
	rc = file_write_atomic(path, data, len, 0600, err);
	free(data);
out:
	free(dir);
	if (rc == 0)
		*path_out = path;
	else
		free(path);
	return rc;
}
