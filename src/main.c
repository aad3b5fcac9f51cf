/* main: start-up — arguments, configuration, then the chosen mode. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/rc.h"
#include "mail/mail.h"
#include "util/util.h"

enum {
	OPT_CHECK_CONFIG = 256,
	OPT_DUMP_CONFIG,
	OPT_DEMO,
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: rowan [OPTION]...\n"
	               "A terminal mail user agent.\n"
	               "\n"
	               "  -F FILE          read FILE instead of the default rc file\n"
	               "      --check-config  check the rc file and exit (1 on errors)\n"
	               "      --dump-config   print the effective configuration and exit\n"
	               "      --demo          prepare a generated demo mailbox (no account needed)\n"
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

/*
 * --demo: prepare the demo mailbox (no account, no rc file needed).
 * The mail screens that show it come with the user interface.
 */
static int run_demo(void)
{
	struct rowan_err err;
	char *path = NULL;
	if (demo_mbox_ensure(&path, &err) != 0) {
		fprintf(stderr, "rowan: %s\n", err.message);
		return 1;
	}
	printf(_("rowan: demo mailbox ready: %s\n"), path);
	free(path);
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
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	const char *rc_file = NULL;
	bool check_config = false, dump_config = false, demo = false;
	int c;
	while ((c = getopt_long(argc, argv, "F:hv", options, NULL)) != -1) {
		switch (c) {
		case 'F':
			rc_file = optarg;
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
	if (demo)
		return run_demo();

	struct config *cfg = NULL;
	char *path = NULL;
	size_t errors = load_config(rc_file, &cfg, &path);
	int status = errors > 0 ? 1 : 0;
	if (check_config) {
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
		/* The mail screens start here once they exist. */
		fprintf(stderr, _("rowan: %s: configuration OK; this version has no mail screens yet "
		                  "(try --check-config, --dump-config or --demo)\n"), path);
	}
	config_free(&cfg);
	free(path);
	return status;
}
