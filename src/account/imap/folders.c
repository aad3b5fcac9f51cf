/*
 * account/imap/folders.c: the folder list — LIST (or LSUB when only
 * subscribed folders are wanted) with the RFC 6154 special-use
 * attributes, names decoded from modified UTF-7, and message counts from
 * STATUS (MESSAGES UNSEEN) per folder.  INBOX comes first, then the rest
 * sorted by name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account/imap/imap_private.h"
#include "mail/folder.h"

char *imap_folder_display(const char *name)
{
	if (strcasecmp(name, "INBOX") == 0)
		return xstrdup("INBOX");
	return folder_name_from_imap(name);
}

static const char *flag_name(const char *flag)
{
	return flag[0] == '\\' ? flag + 1 : flag;
}

static void folder_attributes(const struct mailimap_mbx_list_flags *mf,
                              struct account_folder *f)
{
	static const struct {
		const char *name;
		enum account_special special;
	} specials[] = {
		{"Sent", ACCOUNT_SPECIAL_SENT},
		{"Drafts", ACCOUNT_SPECIAL_DRAFTS},
		{"Trash", ACCOUNT_SPECIAL_TRASH},
		{"Junk", ACCOUNT_SPECIAL_JUNK},
		{"Archive", ACCOUNT_SPECIAL_ARCHIVE},
	};

	if (mf == NULL)
		return;
	if (mf->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
	    mf->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
		f->flags |= ACCOUNT_FOLDER_NOSELECT;
	if (mf->mbf_oflags == NULL)
		return;
	for (clistiter *it = clist_begin(mf->mbf_oflags); it != NULL;
	     it = clist_next(it)) {
		const struct mailimap_mbx_list_oflag *o = clist_content(it);
		if (o->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT ||
		    o->of_flag_ext == NULL)
			continue;
		const char *name = flag_name(o->of_flag_ext);
		if (strcasecmp(name, "HasChildren") == 0)
			f->flags |= ACCOUNT_FOLDER_CHILDREN;
		else if (strcasecmp(name, "NonExistent") == 0 ||
		         strcasecmp(name, "Noselect") == 0)
			f->flags |= ACCOUNT_FOLDER_NOSELECT;
		for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
			if (strcasecmp(name, specials[i].name) == 0)
				f->special = specials[i].special;
	}
}

/* The account's own sent/drafts/trash settings name special folders
 * when the server does not. */
static void folder_special_from_config(const struct config_account *acct,
                                       struct account_folder *f)
{
	if (f->special != ACCOUNT_SPECIAL_NONE)
		return;
	if (strcasecmp(f->name, "INBOX") == 0)
		f->special = ACCOUNT_SPECIAL_INBOX;
	else if (acct->sent != NULL && strcmp(acct->sent, f->display) == 0)
		f->special = ACCOUNT_SPECIAL_SENT;
	else if (acct->drafts != NULL && strcmp(acct->drafts, f->display) == 0)
		f->special = ACCOUNT_SPECIAL_DRAFTS;
	else if (acct->trash != NULL && strcmp(acct->trash, f->display) == 0)
		f->special = ACCOUNT_SPECIAL_TRASH;
}

static int folder_compare(const void *a, const void *b)
{
	const struct account_folder *x = a, *y = b;
	bool xi = strcasecmp(x->name, "INBOX") == 0;
	bool yi = strcasecmp(y->name, "INBOX") == 0;

	if (xi != yi)
		return xi ? -1 : 1;
	return strcmp(x->display, y->display);
}

/* STATUS (MESSAGES UNSEEN) of one folder into f. */
static int folder_status(struct imap_backend *b, struct account_folder *f,
                         struct rowan_err *err)
{
	struct mailimap_status_att_list *atts = mailimap_status_att_list_new_empty();
	struct mailimap_mailbox_data_status *status = NULL;

	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_MESSAGES);
	mailimap_status_att_list_add(atts, MAILIMAP_STATUS_ATT_UNSEEN);
	int r = mailimap_status(b->imap, f->name, atts, &status);
	mailimap_status_att_list_free(atts);
	imap_after_command(b);
	if (r == MAILIMAP_ERROR_STATUS)
		return 0;   /* the server said no: counts stay unknown */
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "STATUS", err);
		return -1;
	}
	if (status != NULL && status->st_info_list != NULL) {
		for (clistiter *it = clist_begin(status->st_info_list); it != NULL;
		     it = clist_next(it)) {
			const struct mailimap_status_info *info = clist_content(it);
			if (info->st_att == MAILIMAP_STATUS_ATT_MESSAGES)
				f->total = (long)info->st_value;
			else if (info->st_att == MAILIMAP_STATUS_ATT_UNSEEN)
				f->unseen = (long)info->st_value;
		}
	}
	if (status != NULL)
		mailimap_mailbox_data_status_free(status);
	return 0;
}

static void folders_free(struct account_folder *folders, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(folders[i].name);
		free(folders[i].display);
	}
	free(folders);
}

int imap_list_folders(void *state, struct account_worker *worker,
                      struct rowan_err *err)
{
	struct imap_backend *b = state;
	bool subscribed = config_get_bool(b->cfg, CONFIG_VAR_IMAP_LIST_SUBSCRIBED);
	clist *list = NULL;
	int r;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	if (subscribed)
		r = mailimap_lsub(b->imap, "", "*", &list);
	else
		r = mailimap_list(b->imap, "", "*", &list);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, subscribed ? "LSUB" : "LIST", err);
		return -1;
	}
	size_t n = clist_count(list), count = 0;
	struct account_folder *folders = xcalloc(n > 0 ? n : 1, sizeof *folders);
	for (clistiter *it = clist_begin(list); it != NULL; it = clist_next(it)) {
		const struct mailimap_mailbox_list *mb = clist_content(it);
		if (mb->mb_name == NULL)
			continue;
		struct account_folder *f = &folders[count++];
		f->name = xstrdup(mb->mb_name);
		f->display = imap_folder_display(mb->mb_name);
		f->delimiter = mb->mb_delimiter;
		f->total = f->unseen = -1;
		if (subscribed)
			f->flags |= ACCOUNT_FOLDER_SUBSCRIBED;
		folder_attributes(mb->mb_flag, f);
		folder_special_from_config(b->acct, f);
	}
	mailimap_list_result_free(list);
	qsort(folders, count, sizeof *folders, folder_compare);

	for (size_t i = 0; i < count; i++) {
		if (folders[i].flags & ACCOUNT_FOLDER_NOSELECT)
			continue;
		if (folder_status(b, &folders[i], err) != 0) {
			folders_free(folders, count);
			return -1;
		}
	}
	imap_post_changes(b);
	struct account_event *ev = account_event_new(ACCOUNT_EVENT_FOLDERS);
	ev->folders = folders;
	ev->folder_count = count;
	account_worker_post(worker, ev);
	return 0;
}
