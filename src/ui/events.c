/*
 * events: taking the account's events and routing them — the folder
 * model (envelopes, flags, expunges), the connection state and loading
 * progress on the screen, errors, password questions — and then to every
 * view.  Events of a folder the UI has left are dropped.  Draining stops
 * after a time budget so that keys are answered while a big folder loads.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_private.h"

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void progress_set(struct ui *ui, long done, long total)
{
	free(ui->progress);
	if (total > 0)
		/* L10N: %r of the status line while a folder loads */
		ui->progress = xasprintf(_("Loading %ld/%ld"), done, total);
	else
		ui->progress = xasprintf(_("Loading %ld"), done);
}

static void loading_end(struct ui *ui)
{
	ui->loading = false;
	free(ui->progress);
	ui->progress = xstrdup("");
}

static void state_message(struct ui *ui, const struct account_event *event)
{
	ui->state = event->state;
	if (event->caps != 0 || event->state == ACCOUNT_STATE_ONLINE)
		ui->caps = event->caps;
	const char *reason = event->text != NULL ? event->text : "";
	switch (event->state) {
	case ACCOUNT_STATE_CONNECTING:
		ui_message(ui, _("Connecting to %s…"), account_name(ui->account));
		ui->message_state = true;
		break;
	case ACCOUNT_STATE_OFFLINE:
		if (event->retry_seconds >= 0)
			ui_error(ui, _("Offline: %s — retrying in %d s"), reason,
			         event->retry_seconds);
		else
			ui_error(ui, _("Offline: %s"), reason);
		ui->message_state = true;
		break;
	case ACCOUNT_STATE_ONLINE:
		if (ui->message_state)
			ui_message_clear(ui);
		break;
	}
}

/* The core's part; false when the event is dropped (a folder left). */
static bool event_route(struct ui *ui, struct account_event *event)
{
	bool ours = event->folder_serial != 0 && event->folder_serial == ui->folder_serial;
	switch (event->kind) {
	case ACCOUNT_EVENT_STATE:
		state_message(ui, event);
		break;
	case ACCOUNT_EVENT_FOLDER_OPENED:
		if (!ours && (ui->folder_serial == 0 || event->request_id != ui->folder_serial))
			return false;
		if (event->reset) {
			folder_clear(ui->folder);
			ui->folder_generation++;
		}
		ui->folder_read_only = event->read_only;
		ui->load_total = event->total;
		if (ui->loading)
			progress_set(ui, (long)folder_count(ui->folder), ui->load_total);
		break;
	case ACCOUNT_EVENT_ENVELOPES:
		if (!ours)
			return false;
		if (event->envelopes != NULL && event->envelope_count > 0) {
			/* folder_add takes each envelope; the array stays the event's. */
			folder_add(ui->folder, event->envelopes, event->envelope_count);
			memset(event->envelopes, 0, event->envelope_count * sizeof(*event->envelopes));
			event->envelope_count = 0;
			ui->folder_generation++;
		}
		if (ui->loading)
			progress_set(ui, (long)folder_count(ui->folder), ui->load_total);
		break;
	case ACCOUNT_EVENT_FLAGS:
		if (!ours)
			return false;
		for (size_t i = 0; i < event->uid_count && event->flags != NULL; i++)
			folder_set_flags(ui->folder, event->uids[i], event->flags[i]);
		break;
	case ACCOUNT_EVENT_EXPUNGED:
		if (!ours)
			return false;
		folder_remove(ui->folder, event->uids, event->uid_count);
		ui->folder_generation++;
		break;
	case ACCOUNT_EVENT_PROGRESS:
		if (ui->loading && (ours || event->request_id == ui->folder_serial) &&
		    ui->folder_serial != 0)
			progress_set(ui, event->done, event->total);
		break;
	case ACCOUNT_EVENT_PASSWORD_NEEDED:
		free(ui->password_prompt);
		ui->password_prompt = xstrdup(event->text != NULL ? event->text : _("Password: "));
		break;
	case ACCOUNT_EVENT_DONE:
		if (event->request_id != 0 && event->request_id == ui->folder_serial)
			loading_end(ui);
		if (event->request_id != 0 && event->request_id == ui->close_request)
			ui->close_done = true;
		break;
	case ACCOUNT_EVENT_ERROR:
		if (event->request_id != 0 && event->request_id == ui->folder_serial)
			loading_end(ui);
		if (event->request_id != 0 && event->request_id == ui->close_request)
			ui->close_done = true;
		ui_error(ui, "%s", event->err.message[0] != '\0' ? event->err.message
		                                                 : _("The request failed."));
		break;
	case ACCOUNT_EVENT_FOLDERS:
	case ACCOUNT_EVENT_FOLDER_COUNTS:
	case ACCOUNT_EVENT_MESSAGE:
	case ACCOUNT_EVENT_PART:
		break;
	}
	return true;
}

static void graveyard_flush(struct ui *ui)
{
	for (size_t i = 0; i < ui->graveyard_count; i++)
		if (ui->graveyard[i]->ops->destroy != NULL)
			ui->graveyard[i]->ops->destroy(ui->graveyard[i]);
	ui->graveyard_count = 0;
}

bool ui_events_drain(struct ui *ui, int budget_ms)
{
	if (ui->account == NULL || ui->in_events)
		return false;
	ui->in_events = true;
	long start = now_ms();
	bool more = false;
	struct account_event *event;
	while ((event = account_event_next(ui->account)) != NULL) {
		if (event_route(ui, event)) {
			for (size_t i = 0; i < ui->view_count; i++) {
				struct ui_view *view = ui->views[i];
				if (view->ops->event != NULL)
					view->ops->event(ui, view, event);
			}
			ui->dirty = true;
		}
		account_event_free(&event);
		if (now_ms() - start >= budget_ms) {
			more = true;
			break;
		}
	}
	ui->in_events = false;
	graveyard_flush(ui);
	return more;
}

void ui_events_password(struct ui *ui)
{
	if (ui->password_prompt == NULL || ui->prompt != NULL)
		return;
	char *question = ui->password_prompt;
	ui->password_prompt = NULL;
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_PASSWORD);
	/* NULL (cancelled) tells the worker to give up on this login. */
	request->text = ui_prompt(ui, question, NULL, true);
	ui_request(ui, request);
	free(question);
}
