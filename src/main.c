/* main: start-up — arguments, configuration, then the chosen mode. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account/account.h"
#include "config/rc.h"
#include "mail/mail.h"
#include "mime/message.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/util.h"

enum {
	OPT_CHECK_CONFIG = 256,
	OPT_DUMP_CONFIG,
	OPT_DEMO,
	OPT_PRINT,
	OPT_PRINT_RAW_HEADERS,
	OPT_HTML_FILTER,
};

/* The largest single message file --print reads. */
#define PRINT_MAX_FILE ((size_t)1 << 30)

static void usage(FILE *out)
{
	fprintf(out, _("Usage: rowan [OPTION]...\n"
	               "A terminal mail user agent.\n"
	               "\n"
	               "  -F FILE          read FILE instead of the default rc file\n"
	               "  -f FOLDER        open FOLDER instead of start_folder (an IMAP folder of\n"
	               "                   the first account, or the path of an mbox file)\n"
	               "      --check-config  check the rc file and exit (1 on errors)\n"
	               "      --dump-config   print the effective configuration and exit\n"
	               "      --demo          show a generated demo mailbox (no account needed)\n"
	               "      --print FILE    print the message in FILE as the pager shows it\n"
	               "      --print FILE:N  print the N-th message (from 1) of the mbox FILE\n"
	               "      --print-raw-headers  with --print: show every header field\n"
	               "      --html-filter   with --print: run the html_filter command for HTML\n"
	               "  -h, --help       show this help and exit\n"
	               "  -v, --version    show the version and exit\n"));
}

/* Print every diagnostic to stderr, in file:line:column form. */
static void print_diags(const struct config_diags *diags)
{
	for (size_t i = 0; i < config_diags_count(diags); i++) {
		char *line = config_diag_format(config_diags_get(diags, i));
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}

/* Whether the program can draw screens (standard input and output are a
 * terminal). */
static bool have_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* Run the mail screens over account (started here); frees it. */
static int run_ui(const struct config *cfg, struct account *account)
{
	struct rowan_err err;
	if (account_start(account, &err) != 0) {
		fprintf(stderr, "rowan: %s\n", err.message);
		account_free(&account);
		return 1;
	}
	int status = ui_run(cfg, account);
	account_free(&account);
	return status;
}

/*
 * --demo: prepare the demo mailbox (no account needed) and show it; without
 * a terminal, only say where it is.
 */
static int run_demo(const struct config *cfg)
{
	struct rowan_err err;
	char *path = NULL;
	if (demo_mbox_ensure(&path, &err) != 0) {
		fprintf(stderr, "rowan: %s\n", err.message);
		return 1;
	}
	if (!have_terminal()) {
		printf(_("rowan: demo mailbox ready: %s\n"), path);
		free(path);
		return 0;
	}
	struct account *account = account_new_mbox(cfg, _("demo"), path);
	free(path);
	return run_ui(cfg, account);
}

/* True when folder names a local file rather than a server folder. */
static bool is_local_path(const char *folder)
{
	return strchr(folder, '/') != NULL && (folder[0] == '/' || folder[0] == '~' ||
	                                       folder[0] == '.');
}

/*
 * Plain rowan: open the first account's start folder (or -f FOLDER) and
 * run the mail screens.
 */
static int run_mail(struct config *cfg, const char *folder)
{
	if (!have_terminal()) {
		fprintf(stderr, _("rowan: the mail screens need a terminal "
		                  "(standard input and output are not one)\n"));
		return 1;
	}
	struct rowan_err err;
	if (folder != NULL && is_local_path(folder)) {
		char *path = path_expand_home(folder);
		if (access(path, R_OK) != 0) {
			fprintf(stderr, "rowan: %s: %s\n", path, strerror(errno));
			free(path);
			return 1;
		}
		const char *slash = strrchr(path, '/');
		struct account *account = account_new_mbox(cfg, slash + 1, path);
		free(path);
		return run_ui(cfg, account);
	}
	if (config_account_count(cfg) == 0) {
		fprintf(stderr, _("rowan: no account is configured; add one to the rc file "
		                  "(see rowanrc(5)), or try rowan --demo\n"));
		return 1;
	}
	if (folder != NULL && config_var_set(cfg, "start_folder", folder, &err) != 0) {
		fprintf(stderr, "rowan: %s\n", err.message);
		return 1;
	}
	struct account *account = account_new(cfg, config_account_get(cfg, 0), &err);
	if (account == NULL) {
		fprintf(stderr, "rowan: %s\n", err.message);
		return 1;
	}
	return run_ui(cfg, account);
}

/*
 * Read the message --print names: FILE when that path exists (so names
 * with ':' work), else FILE:N, the N-th message of the mbox FILE.  Returns
 * the message (newly allocated) or NULL after printing why not.
 */
static char *print_read_message(const char *target, size_t *len)
{
	struct rowan_err err;
	struct stat st;
	const char *colon = strrchr(target, ':');
	if (stat(target, &st) == 0 || colon == NULL || colon == target ||
	    colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
		char *data = file_read_all(target, PRINT_MAX_FILE, len, &err);
		if (data == NULL)
			fprintf(stderr, "rowan: %s\n", err.message);
		return data;
	}
	char *path = xstrndup(target, (size_t)(colon - target));
	const char *number = colon + 1;
	char *data = NULL;
	struct store_mbox *mbox = store_mbox_open(path, &err);
	if (mbox == NULL) {
		fprintf(stderr, "rowan: %s\n", err.message);
		free(path);
		return NULL;
	}
	size_t count = store_mbox_count(mbox);
	errno = 0;
	unsigned long long n = strtoull(number, NULL, 10);
	if (errno != 0 || n < 1 || n > count)
		fprintf(stderr, ngettext("rowan: %s: has %zu message; there is no message %s\n",
		                         "rowan: %s: has %zu messages; there is no message %s\n",
		                         count), path, count, number);
	else
		data = store_mbox_message(mbox, (size_t)(n - 1), len);
	store_mbox_close(&mbox);
	free(path);
	return data;
}

/*
 * --print: write one message to standard output exactly as the pager
 * shows it, with the pager settings of the configuration.  The
 * html_filter command runs only when html_filter is true (--html-filter).
 */
static int run_print(const struct config *cfg, const char *target, bool raw_headers,
                     bool html_filter)
{
	size_t len = 0;
	char *data = print_read_message(target, &len);
	if (data == NULL)
		return 1;
	struct mime_message *message = mime_message_parse(data, len, NULL);
	free(data);
	struct mime_render_options options = {
		.headers = config_get_string(cfg, CONFIG_VAR_PAGER_HEADERS),
		.all_headers = raw_headers,
		.alternative_order = config_get_string(cfg, CONFIG_VAR_ALTERNATIVE_ORDER),
		.html_filter = html_filter ? config_get_string(cfg, CONFIG_VAR_HTML_FILTER) : NULL,
		.assumed_charset = config_get_string(cfg, CONFIG_VAR_ASSUMED_CHARSET),
	};
	char *text = mime_render(message, &options);
	mime_message_free(&message);
	fputs(text, stdout);
	free(text);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* a reader that stopped early (rowan --print ... | head) is no news */
		if (errno != EPIPE)
			fprintf(stderr, _("rowan: cannot write to standard output: %s\n"),
			        strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * Load the rc file (rc_file from -F, else the default one) into *cfg_out
 * and print what was found wrong.  Returns the number of errors.
 */
static size_t load_config(const char *rc_file, struct config **cfg_out, char **path_out)
{
	struct config *cfg = config_new();
	struct config_diags *diags = config_diags_new();
	char *path = rc_file != NULL ? xstrdup(rc_file) : config_path_default();
	config_load_file(cfg, path, rc_file != NULL, diags);
	print_diags(diags);
	size_t errors = config_diags_errors(diags);
	config_diags_free(&diags);
	*cfg_out = cfg;
	*path_out = path;
	return errors;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	signal(SIGPIPE, SIG_IGN);

	static const struct option options[] = {
		{"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
		{"dump-config", no_argument, NULL, OPT_DUMP_CONFIG},
		{"demo", no_argument, NULL, OPT_DEMO},
		{"print", required_argument, NULL, OPT_PRINT},
		{"print-raw-headers", no_argument, NULL, OPT_PRINT_RAW_HEADERS},
		{"html-filter", no_argument, NULL, OPT_HTML_FILTER},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	const char *rc_file = NULL;
	const char *folder = NULL;
	bool check_config = false, dump_config = false, demo = false;
	const char *print_target = NULL;
	bool print_raw_headers = false, html_filter = false;
	int c;
	while ((c = getopt_long(argc, argv, "F:f:hv", options, NULL)) != -1) {
		switch (c) {
		case 'F':
			rc_file = optarg;
			break;
		case 'f':
			folder = optarg;
			break;
		case OPT_CHECK_CONFIG:
			check_config = true;
			break;
		case OPT_DUMP_CONFIG:
			dump_config = true;
			break;
		case OPT_DEMO:
			demo = true;
			break;
		case OPT_PRINT:
			print_target = optarg;
			break;
		case OPT_PRINT_RAW_HEADERS:
			print_raw_headers = true;
			break;
		case OPT_HTML_FILTER:
			html_filter = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("rowan %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("rowan: unexpected argument \"%s\"\n"), argv[optind]);
		usage(stderr);
		return 2;
	}
	if (check_config && dump_config) {
		fprintf(stderr, _("rowan: --check-config and --dump-config cannot be combined\n"));
		return 2;
	}
	if ((print_raw_headers || html_filter) && print_target == NULL) {
		fprintf(stderr, _("rowan: --print-raw-headers and --html-filter need --print\n"));
		return 2;
	}
	if (print_target != NULL && (check_config || dump_config || demo)) {
		fprintf(stderr, _("rowan: --print cannot be combined with --check-config, "
		                  "--dump-config or --demo\n"));
		return 2;
	}
	struct config *cfg = NULL;
	char *path = NULL;
	size_t errors = load_config(rc_file, &cfg, &path);
	int status = errors > 0 ? 1 : 0;
	if (demo) {
		if (errors == 0)
			status = run_demo(cfg);
	} else if (print_target != NULL) {
		if (errors == 0)
			status = run_print(cfg, print_target, print_raw_headers, html_filter);
	} else if (check_config) {
		if (errors > 0)
			fprintf(stderr, ngettext("rowan: %s: %zu error\n", "rowan: %s: %zu errors\n",
			                         errors), path, errors);
		else if (rc_file == NULL && access(path, F_OK) != 0)
			printf(_("rowan: %s does not exist; the defaults apply\n"), path);
		else
			printf(_("rowan: %s: configuration OK\n"), path);
	} else if (dump_config && errors == 0) {
		char *text = config_dump(cfg);
		fputs(text, stdout);
		free(text);
	} else if (errors == 0) {
		status = run_mail(cfg, folder);
	}
	config_free(&cfg);
	free(path);
	return status;
}
