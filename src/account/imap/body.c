/*
 * account/imap/body.c: reading messages.  A message up to
 * imap_fetch_parts_above bytes is fetched whole (BODY.PEEK[]); a larger
 * one is rebuilt from its BODYSTRUCTURE: the header, every part's MIME
 * header and the bodies of its text parts, with the other parts left
 * empty and listed as omitted, to be fetched one by one (fetch_part).
 * Reading a message sets \Seen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"

/* A section spec from "HEADER", "TEXT", "" (the whole message), "1.2",
 * "1.2.MIME"; NULL when text is not one. */
static struct mailimap_section *section_parse(const char *text)
{
	if (*text == '\0')
		return mailimap_section_new(NULL);
	if (strcmp(text, "HEADER") == 0)
		return mailimap_section_new_header();
	if (strcmp(text, "TEXT") == 0)
		return mailimap_section_new_text();
	clist *ids = clist_new();
	bool mime = false;
	const char *p = text;
	while (*p != '\0') {
		if (strcmp(p, "MIME") == 0) {
			mime = true;
			break;
		}
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || v == 0 || v > UINT32_MAX || (*end != '.' && *end))
			goto bad;
		uint32_t *id = xmalloc(sizeof *id);
		*id = (uint32_t)v;
		clist_append(ids, id);
		p = *end == '.' ? end + 1 : end;
	}
	if (clist_count(ids) == 0)
		goto bad;
	struct mailimap_section_part *part = mailimap_section_part_new(ids);
	return mime ? mailimap_section_new_part_mime(part)
	            : mailimap_section_new_part(part);
bad:
	for (clistiter *it = clist_begin(ids); it != NULL; it = clist_next(it))
		free(clist_content(it));
	clist_free(ids);
	return NULL;
}

/* UID FETCH uid with the given items and body sections into b->sink. */
static int fetch_sections(struct imap_backend *b, uint32_t uid,
                          bool structure, const char *const *sections,
                          size_t count, struct rowan_err *err)
{
	struct mailimap_fetch_type *type =
		mailimap_fetch_type_new_fetch_att_list_empty();
	struct mailimap_set *set = mailimap_set_new_single(uid);
	clist *list = NULL;

	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	if (structure) {
		mailimap_fetch_type_new_fetch_att_list_add(type,
			mailimap_fetch_att_new_flags());
		mailimap_fetch_type_new_fetch_att_list_add(type,
			mailimap_fetch_att_new_rfc822_size());
		mailimap_fetch_type_new_fetch_att_list_add(type,
			mailimap_fetch_att_new_bodystructure());
	}
	for (size_t i = 0; i < count; i++) {
		struct mailimap_section *s = section_parse(sections[i]);
		if (s == NULL) {
			mailimap_fetch_type_free(type);
			mailimap_set_free(set);
			rowan_err_set(err, ROWAN_ERR_INTERNAL,
			              _("not a message part: %s"), sections[i]);
			return -1;
		}
		mailimap_fetch_type_new_fetch_att_list_add(type,
			mailimap_fetch_att_new_body_peek_section(s));
	}
	b->sink.bodies = true;
	int r = mailimap_uid_fetch(b->imap, set, type, &list);
	b->sink.bodies = false;
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (list != NULL)
		mailimap_fetch_list_free(list);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "UID FETCH", err);
		return -1;
	}
	return 0;
}

static bool part_is_text(const struct imap_part *p)
{
	return strcmp(p->type, "text") == 0 && !p->attachment;
}

/* The sections a stand-in of the message needs. */
static void standin_sections(const struct imap_part *p, bool root,
                             char ***list, size_t *count)
{
	*list = xrealloc(*list, (*count + 2) * sizeof **list);
	if (root)
		(*list)[(*count)++] = xstrdup("HEADER");
	else
		(*list)[(*count)++] = xasprintf("%s.MIME", p->section);
	if (p->child_count > 0) {
		for (size_t i = 0; i < p->child_count; i++)
			standin_sections(p->children[i], false, list, count);
	} else if (part_is_text(p)) {
		(*list)[(*count)++] = xstrdup(root ? "TEXT" : p->section);
	}
}

static void omit(struct account_event *ev, const char *section, uint64_t size)
{
	ev->omitted = xrealloc(ev->omitted,
	                       (ev->omitted_count + 1) * sizeof *ev->omitted);
	ev->omitted[ev->omitted_count].part = xstrdup(section);
	ev->omitted[ev->omitted_count].size = size;
	ev->omitted_count++;
}

static void add_section(struct imap_backend *b, struct buf *out,
                        const char *name)
{
	struct imap_section_data *d = imap_sink_section(&b->sink, name);
	if (d != NULL)
		buf_add(out, d->data, d->len);
}

static void standin_build(struct imap_backend *b, const struct imap_part *p,
                          bool root, struct buf *out, struct account_event *ev)
{
	if (root) {
		add_section(b, out, "HEADER");
	} else {
		char *name = xasprintf("%s.MIME", p->section);
		add_section(b, out, name);
		free(name);
	}
	if (p->child_count > 0) {
		for (size_t i = 0; i < p->child_count; i++) {
			buf_printf(out, "--%s\r\n", p->boundary);
			standin_build(b, p->children[i], false, out, ev);
			buf_add_str(out, "\r\n");
		}
		buf_printf(out, "--%s--\r\n", p->boundary);
	} else if (part_is_text(p)) {
		add_section(b, out, root ? "TEXT" : p->section);
	} else {
		omit(ev, root ? "1" : p->section, p->size);
	}
}

static bool structure_usable(const struct imap_part *p)
{
	if (p->child_count > 0 && p->boundary == NULL)
		return false;
	for (size_t i = 0; i < p->child_count; i++)
		if (!structure_usable(p->children[i]))
			return false;
	return true;
}

int imap_fetch_message(void *state, struct account_worker *worker,
                       uint32_t uid, struct rowan_err *err)
{
	struct imap_backend *b = state;
	struct account_event *ev = NULL;
	char **sections = NULL;
	size_t section_count = 0;
	int result = -1;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	if (b->folder == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: no folder is open"),
		              b->acct->host);
		return -1;
	}
	imap_sink_reset(&b->sink);
	if (fetch_sections(b, uid, true, NULL, 0, err) != 0)
		goto out;
	if (b->sink.structure == NULL) {
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: message %u is no longer in %s"), b->acct->host,
		              (unsigned)uid, b->folder);
		goto out;
	}
	uint64_t limit = (uint64_t)config_get_number(b->cfg,
		CONFIG_VAR_IMAP_FETCH_PARTS_ABOVE);
	struct imap_part *structure = b->sink.structure;
	b->sink.structure = NULL;
	ev = account_event_new(ACCOUNT_EVENT_MESSAGE);
	ev->uid = uid;
	if (b->sink.size <= limit || !structure_usable(structure)) {
		const char *whole[] = {""};
		imap_sink_reset(&b->sink);
		if (fetch_sections(b, uid, false, whole, 1, err) == 0) {
			struct imap_section_data *d = imap_sink_section(&b->sink, "");
			if (d != NULL) {
				ev->data = d->data;
				ev->len = d->len;
				d->data = NULL;
			}
		}
	} else {
		standin_sections(structure, true, &sections, &section_count);
		imap_sink_reset(&b->sink);
		if (fetch_sections(b, uid, false, (const char *const *)sections,
		                   section_count, err) == 0) {
			struct buf out;
			buf_init(&out);
			standin_build(b, structure, true, &out, ev);
			ev->len = out.len;
			ev->data = buf_steal(&out);
		}
	}
	imap_part_free(&structure);
	if (ev->data == NULL) {
		if (err->err_class == ROWAN_ERR_NONE)
			rowan_err_set(err, ROWAN_ERR_SERVER,
			              _("%s: message %u is no longer in %s"),
			              b->acct->host, (unsigned)uid, b->folder);
		goto out;
	}
	account_worker_post(worker, ev);
	ev = NULL;
	imap_post_changes(b);
	long index = imap_message_find(b, uid);
	if (!b->read_only && index >= 0 &&
	    !(b->messages[index].flags & ENVELOPE_SEEN)) {
		if (imap_set_flags(b, worker, &uid, 1, ENVELOPE_SEEN, 0, err) != 0)
			goto out;
	}
	result = 0;
out:
	account_event_free(&ev);
	for (size_t i = 0; i < section_count; i++)
		free(sections[i]);
	free(sections);
	imap_sink_reset(&b->sink);
	return result;
}

int imap_fetch_part(void *state, struct account_worker *worker, uint32_t uid,
                    const char *part, struct rowan_err *err)
{
	struct imap_backend *b = state;
	int result = -1;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	if (b->folder == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: no folder is open"),
		              b->acct->host);
		return -1;
	}
	imap_sink_reset(&b->sink);
	if (fetch_sections(b, uid, false, &part, 1, err) != 0)
		goto out;
	struct imap_section_data *d = imap_sink_section(&b->sink, part);
	if (d == NULL) {
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: part %s of message %u is not on the server"),
		              b->acct->host, part, (unsigned)uid);
		goto out;
	}
	struct account_event *ev = account_event_new(ACCOUNT_EVENT_PART);
	ev->uid = uid;
	ev->part = xstrdup(part);
	ev->data = d->data;
	ev->len = d->len;
	d->data = NULL;
	account_worker_post(worker, ev);
	result = 0;
out:
	imap_sink_reset(&b->sink);
	imap_post_changes(b);
	return result;
}
