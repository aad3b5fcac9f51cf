/* main: start-up — arguments, configuration, then the chosen mode. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void usage(FILE *out)
{
	fprintf(out, _("Usage: rowan [OPTION]...\n"
	               "A terminal mail user agent.\n"
	               "\n"
	               "  -F FILE          read FILE instead of the default rc file\n"
	               "      --check-config  check the rc file and exit (1 on errors)\n"
	               "      --dump-config   print the effective configuration and exit\n"
	               "      --demo          open a generated demo mailbox (no account needed)\n"
	               "  -h, --help       show this help and exit\n"
	               "  -v, --version    show the version and exit\n"));
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
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
		switch (c) {
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
	return 0;
}
