/*
 * loop: the UI's main loop — poll() over the keyboard, the account's
 * wake-up fd and a self-pipe for signals; keys go through the key map of
 * the top view to its functions, then to the core's (help, folders,
 * quitting); the view stack; opening and leaving folders.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/ui_private.h"

/* ---- signals: a byte per signal down the self-pipe ---- */

static int signal_fd = -1;

static void signal_note(int signo)
{
	int saved = errno;
	char c = signo == SIGWINCH ? 'W' : signo == SIGINT ? 'I' : 'T';
	if (signal_fd >= 0) {
		ssize_t n = write(signal_fd, &c, 1);
		(void)n;
	}
	errno = saved;
}

static const int handled_signals[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP};
#define N_SIGNALS (sizeof handled_signals / sizeof handled_signals[0])
static struct sigaction saved_actions[N_SIGNALS];

static int signals_start(struct ui *ui)
{
	if (pipe(ui->signal_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(ui->signal_pipe[i], F_SETFL, fcntl(ui->signal_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(ui->signal_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	signal_fd = ui->signal_pipe[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_note;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaction(handled_signals[i], &sa, &saved_actions[i]);
	return 0;
}

static void signals_stop(struct ui *ui)
{
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
	signal_fd = -1;
	for (int i = 0; i < 2; i++) {
		if (ui->signal_pipe[i] >= 0)
			close(ui->signal_pipe[i]);
		ui->signal_pipe[i] = -1;
	}
}

static void signals_read(struct ui *ui)
{
	char buf[64];
	ssize_t n;
	while ((n = read(ui->signal_pipe[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 'W') {
				ui_screen_resize(ui);
			} else if (buf[i] == 'I') {
				ui->interrupted = true;
			} else {
				ui->terminate = true;
				ui->quit = true;
			}
		}
	}
}

/* ---- one round ---- */

bool ui_round(struct ui *ui, int timeout_ms)
{
	if (ui->dirty)
		ui_screen_draw(ui);
	struct pollfd fds[3];
	nfds_t nfds = 2;
	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	fds[1].fd = ui->signal_pipe[0];
	fds[1].events = POLLIN;
	if (ui->account != NULL && !ui->in_events) {
		fds[2].fd = account_wake_fd(ui->account);
		fds[2].events = POLLIN;
		nfds = 3;
	}
	for (nfds_t i = 0; i < nfds; i++)
		fds[i].revents = 0;
	int n = poll(fds, nfds, timeout_ms);
	if (n < 0)
		return false;
	if (fds[1].revents & POLLIN)
		signals_read(ui);
	if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* The terminal is gone. */
		ui->terminate = true;
		ui->quit = true;
	}
	if (nfds == 3 && (fds[2].revents & POLLIN))
		ui_events_drain(ui, UI_EVENT_BUDGET_MS);
	return (fds[0].revents & POLLIN) != 0;
}

/* ---- the view stack ---- */

static struct ui_view *top_view(struct ui *ui)
{
	return ui->view_count > 0 ? ui->views[ui->view_count - 1] : NULL;
}

void ui_view_push(struct ui *ui, struct ui_view *view)
{
	if (view == NULL)
		return;
	if (ui->view_count == ui->view_cap) {
		ui->view_cap = ui->view_cap ? ui->view_cap * 2 : 8;
		ui->views = xrealloc(ui->views, ui->view_cap * sizeof(*ui->views));
	}
	ui->views[ui->view_count++] = view;
	ui->dirty = true;
}

static void view_destroy(struct ui *ui, struct ui_view *view)
{
	if (ui->in_events) {
		/* A view's event handler may be running: destroy it later. */
		ui->graveyard = xrealloc(ui->graveyard,
		                         (ui->graveyard_count + 1) * sizeof(*ui->graveyard));
		ui->graveyard[ui->graveyard_count++] = view;
		return;
	}
	if (view->ops->destroy != NULL)
		view->ops->destroy(view);
}

void ui_view_pop(struct ui *ui)
{
	/* The index stays at the bottom. */
	if (ui->view_count <= 1)
		return;
	struct ui_view *view = ui->views[--ui->view_count];
	view_destroy(ui, view);
	ui->dirty = true;
}

static void views_free(struct ui *ui)
{
	while (ui->view_count > 0) {
		struct ui_view *view = ui->views[--ui->view_count];
		if (view->ops->destroy != NULL)
			view->ops->destroy(view);
	}
	free(ui->views);
	ui->views = NULL;
	for (size_t i = 0; i < ui->graveyard_count; i++)
		if (ui->graveyard[i]->ops->destroy != NULL)
			ui->graveyard[i]->ops->destroy(ui->graveyard[i]);
	free(ui->graveyard);
	ui->graveyard = NULL;
	ui->graveyard_count = 0;
}

/* ---- accessors ---- */

const struct config *ui_config(struct ui *ui)
{
	return ui->cfg;
}

struct account *ui_account(struct ui *ui)
{
	return ui->account;
}

struct folder *ui_folder(struct ui *ui)
{
	return ui->folder;
}

const char *ui_folder_name(struct ui *ui)
{
	return ui->folder_display != NULL ? ui->folder_display : "";
}

int ui_last_key(struct ui *ui)
{
	return ui->last_key;
}

enum account_state ui_account_state(struct ui *ui)
{
	return ui->state;
}

uint64_t ui_request(struct ui *ui, struct account_request *request)
{
	if (ui->account == NULL) {
		account_request_free(&request);
		return 0;
	}
	return account_request_send(ui->account, request);
}

bool ui_fn_is(int function, const char *name)
{
	return function >= 0 && strcmp(config_function_name(function), name) == 0;
}

/* ---- folders ---- */

bool ui_folder_writable(struct ui *ui)
{
	if (ui->folder_read_only ||
	    (ui->state == ACCOUNT_STATE_ONLINE && ui->caps != 0 &&
	     !(ui->caps & ACCOUNT_CAN_WRITE))) {
		ui_error(ui, _("Folder is read-only."));
		return false;
	}
	return true;
}

bool ui_flags_change(struct ui *ui, uint32_t uid, unsigned add, unsigned remove)
{
	struct envelope *envelope = folder_find(ui->folder, uid);
	if (envelope == NULL || !ui_folder_writable(ui))
		return false;
	unsigned flags = (envelope_flags(envelope) | add) & ~remove;
	folder_set_flags(ui->folder, uid, flags);
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_SET_FLAGS);
	request->uids = xmalloc(sizeof(uint32_t));
	request->uids[0] = uid;
	request->uid_count = 1;
	request->add = add;
	request->remove = remove;
	ui_request(ui, request);
	ui->dirty = true;
	return true;
}

uint64_t ui_folder_leave(struct ui *ui, bool *cancelled)
{
	*cancelled = false;
	if (ui->folder_name == NULL)
		return 0;
	bool expunge = false;
	size_t deleted = folder_count_deleted(ui->folder);
	if (deleted > 0 && !ui->folder_read_only) {
		enum config_quad quad = config_get_quad(ui->cfg, CONFIG_VAR_EXPUNGE_ON_EXIT);
		if (quad == CONFIG_QUAD_YES) {
			expunge = true;
		} else if (quad == CONFIG_QUAD_ASK_YES || quad == CONFIG_QUAD_ASK_NO) {
			char *question = xasprintf(ngettext("Purge %zu deleted message?",
			                                    "Purge %zu deleted messages?", deleted),
			                           deleted);
			int answer = ui_ask(ui, question, quad == CONFIG_QUAD_ASK_YES);
			free(question);
			if (answer < 0) {
				*cancelled = true;
				return 0;
			}
			expunge = answer == 1;
		}
	}
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_CLOSE_FOLDER);
	request->expunge = expunge;
	uint64_t id = ui_request(ui, request);
	ui->folder_serial = 0;
	free(ui->folder_name);
	ui->folder_name = NULL;
	return id;
}

void ui_open_folder_named(struct ui *ui, const char *folder, const char *display)
{
	while (ui->view_count > 1)
		ui_view_pop(ui);
	if (ui->folder_name != NULL) {
		bool cancelled;
		ui_folder_leave(ui, &cancelled);
		if (cancelled)
			return;
	}
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_OPEN_FOLDER);
	request->folder = xstrdup(folder);
	uint64_t id = ui_request(ui, request);
	folder_clear(ui->folder);
	ui->folder_generation++;
	ui->folder_serial = id;
	free(ui->folder_name);
	ui->folder_name = xstrdup(folder);
	free(ui->folder_display);
	ui->folder_display = display != NULL ? xstrdup(display) : folder_name_from_imap(folder);
	ui->folder_read_only = false;
	ui->loading = true;
	ui->load_done = 0;
	ui->load_total = 0;
	free(ui->progress);
	ui->progress = xstrdup("");
	ui_index_reset(ui);
	ui->dirty = true;
}

void ui_open_folder(struct ui *ui, const char *folder)
{
	ui_open_folder_named(ui, folder, NULL);
}

/* ---- quitting ---- */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool ui_quit(struct ui *ui, bool expunge_allowed, bool confirm)
{
	if (confirm && config_get_bool(ui->cfg, CONFIG_VAR_CONFIRM_QUIT)) {
		const char *question = expunge_allowed ? _("Quit Rowan?")
		                                        : _("Exit Rowan without saving?");
		if (ui_ask(ui, question, true) != 1)
			return false;
	}
	if (expunge_allowed && ui->folder_name != NULL) {
		bool cancelled;
		uint64_t id = ui_folder_leave(ui, &cancelled);
		if (cancelled)
			return false;
		ui->close_request = id;
		ui->close_done = id == 0;
		long deadline = now_ms() + UI_CLOSE_WAIT_MS;
		/* Let the close (and the flag changes sent before it) reach the
		 * server, but never hang on a dead one. */
		while (!ui->close_done && !ui->terminate) {
			long left = deadline - now_ms();
			if (left <= 0)
				break;
			ui_round(ui, (int)left);
		}
	}
	ui->quit = true;
	return true;
}

/* ---- keys to functions ---- */

struct key_state {
	int keys[UI_KEYS_MAX];
	size_t len;
};

static void run_function(struct ui *ui, struct ui_view *view, int f)
{
	if (view->ops->function != NULL && view->ops->function(ui, view, f))
		return;
	if (ui_core_function(ui, view, f))
		return;
	ui_error(ui, _("The function %s is not available here."), config_function_name(f));
}

static void key_not_bound(struct ui *ui, struct ui_view *view)
{
	char *help = ui_keymap_key_for(ui->cfg, view->menu, config_function_find("help"));
	if (help != NULL)
		ui_error(ui, _("Key is not bound.  Press '%s' for help."), help);
	else
		ui_error(ui, _("Key is not bound."));
	free(help);
	ui_keys_flush(ui);
}

static void dispatch_key(struct ui *ui, struct key_state *state, int key)
{
	struct ui_view *view = top_view(ui);
	if (view == NULL)
		return;
	if (key >= CONFIG_KEY_FUNCTION) {
		/* <function-name> in a macro */
		state->len = 0;
		run_function(ui, view, key - CONFIG_KEY_FUNCTION);
		return;
	}
	if (state->len == 0 && !ui->message_state)
		ui_message_clear(ui);
	state->keys[state->len++] = key;
	const struct config_keyseq *macro = NULL;
	int f = ui_keymap_lookup(ui->cfg, view->menu, state->keys, state->len, &macro);
	if (f == -2 && state->len < UI_KEYS_MAX)
		return;
	state->len = 0;
	if (f == -3 && macro != NULL) {
		ui_keys_push(ui, macro->keys, macro->len);
	} else if (f >= 0) {
		run_function(ui, view, f);
	} else {
		key_not_bound(ui, view);
	}
}

static void interrupt(struct ui *ui)
{
	if (ui_ask(ui, _("Exit Rowan without saving?"), true) == 1)
		ui->quit = true;
}

int ui_run(const struct config *cfg, struct account *account)
{
	struct ui *ui = xcalloc(1, sizeof(*ui));
	ui->cfg = cfg;
	ui->account = account;
	ui->signal_pipe[0] = ui->signal_pipe[1] = -1;
	ui->sort = folder_sort_parse(config_get_string(cfg, CONFIG_VAR_SORT), &ui->sort_reverse);
	ui->folder = folder_new(ui->sort, ui->sort_reverse);
	ui->progress = xstrdup("");
	ui->state = ACCOUNT_STATE_CONNECTING;
	int status = 0;

	/* Signals after curses: Rowan's handlers, not ncurses's, see them. */
	if (ui_screen_start(ui) != 0 || signals_start(ui) != 0) {
		const char *term = getenv("TERM");
		fprintf(stderr, _("rowan: cannot start the terminal interface (TERM=%s)\n"),
		        term != NULL ? term : "");
		status = 1;
		goto out;
	}
	ui->index = ui_index_new(ui);
	ui_view_push(ui, ui->index);
	ui_open_folder(ui, config_get_string(cfg, CONFIG_VAR_START_FOLDER));

	struct key_state keys = {{0}, 0};
	while (!ui->quit) {
		int key = ui_key_read(ui);
		if (key == UI_KEY_ABORT)
			break;
		if (key == UI_KEY_INTERRUPT) {
			keys.len = 0;
			interrupt(ui);
			continue;
		}
		if (key == UI_KEY_RESIZE)
			continue;
		dispatch_key(ui, &keys, key);
	}
	status = ui->exit_status;
out:
	views_free(ui);
	ui_screen_stop(ui);
	signals_stop(ui);
	folder_free(&ui->folder);
	free(ui->folder_name);
	free(ui->folder_display);
	free(ui->progress);
	free(ui->message);
	free(ui->pending);
	if (ui->password_prompt != NULL)
		free(ui->password_prompt);
	free(ui);
	return status;
}
