/*
 * account/imap/handler.c: every FETCH response, solicited or not, as it
 * is parsed — turned at once into an envelope, a flag change, a body
 * section or a part tree, according to what the running command collects
 * (struct imap_sink).  libetpan frees its own record right after.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"

/* ---- flags ---- */

static unsigned flag_bit(const struct mailimap_flag *flag)
{
	switch (flag->fl_type) {
	case MAILIMAP_FLAG_ANSWERED: return ENVELOPE_ANSWERED;
	case MAILIMAP_FLAG_FLAGGED: return ENVELOPE_FLAGGED;
	case MAILIMAP_FLAG_DELETED: return ENVELOPE_DELETED;
	case MAILIMAP_FLAG_SEEN: return ENVELOPE_SEEN;
	case MAILIMAP_FLAG_DRAFT: return ENVELOPE_DRAFT;
	default: return 0;
	}
}

unsigned imap_flags_from_list(struct mailimap_flag_list *list)
{
	unsigned flags = 0;

	if (list == NULL || list->fl_list == NULL)
		return 0;
	for (clistiter *it = clist_begin(list->fl_list); it != NULL;
	     it = clist_next(it))
		flags |= flag_bit(clist_content(it));
	return flags;
}

struct mailimap_flag_list *imap_flags_to_list(unsigned flags)
{
	struct mailimap_flag_list *list = mailimap_flag_list_new_empty();

	if (flags & ENVELOPE_SEEN)
		mailimap_flag_list_add(list, mailimap_flag_new_seen());
	if (flags & ENVELOPE_ANSWERED)
		mailimap_flag_list_add(list, mailimap_flag_new_answered());
	if (flags & ENVELOPE_FLAGGED)
		mailimap_flag_list_add(list, mailimap_flag_new_flagged());
	if (flags & ENVELOPE_DELETED)
		mailimap_flag_list_add(list, mailimap_flag_new_deleted());
	if (flags & ENVELOPE_DRAFT)
		mailimap_flag_list_add(list, mailimap_flag_new_draft());
	return list;
}

static unsigned flags_from_fetch(struct mailimap_msg_att_dynamic *dyn)
{
	unsigned flags = 0;

	if (dyn == NULL || dyn->att_list == NULL)
		return 0;
	for (clistiter *it = clist_begin(dyn->att_list); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_flag_fetch *f = clist_content(it);
		if (f->fl_type == MAILIMAP_FLAG_FETCH_RECENT)
			flags |= ENVELOPE_RECENT;
		else if (f->fl_flag != NULL)
			flags |= flag_bit(f->fl_flag);
	}
	return flags;
}

/* ---- sections and parts ---- */

static void section_name(const struct mailimap_section *section,
                         struct buf *out)
{
	const struct mailimap_section_spec *spec =
		section != NULL ? section->sec_spec : NULL;
	const struct mailimap_section_msgtext *text = NULL;

	if (spec == NULL)
		return;
	if (spec->sec_type == MAILIMAP_SECTION_SPEC_SECTION_MSGTEXT) {
		text = spec->sec_data.sec_msgtext;
	} else if (spec->sec_data.sec_part != NULL) {
		clist *ids = spec->sec_data.sec_part->sec_id;
		for (clistiter *it = clist_begin(ids); it != NULL;
		     it = clist_next(it)) {
			if (out->len > 0)
				buf_add_char(out, '.');
			buf_printf(out, "%u", *(uint32_t *)clist_content(it));
		}
		if (spec->sec_text != NULL) {
			if (spec->sec_text->sec_type == MAILIMAP_SECTION_TEXT_MIME)
				buf_add_str(out, ".MIME");
			else
				text = spec->sec_text->sec_msgtext;
			if (text != NULL)
				buf_add_char(out, '.');
		}
	}
	if (text == NULL)
		return;
	switch (text->sec_type) {
	case MAILIMAP_SECTION_MSGTEXT_HEADER: buf_add_str(out, "HEADER"); break;
	case MAILIMAP_SECTION_MSGTEXT_HEADER_FIELDS:
		buf_add_str(out, "HEADER.FIELDS");
		break;
	case MAILIMAP_SECTION_MSGTEXT_HEADER_FIELDS_NOT:
		buf_add_str(out, "HEADER.FIELDS.NOT");
		break;
	default: buf_add_str(out, "TEXT"); break;
	}
}

static char *lower_dup(const char *s)
{
	char *copy = xstrdup(s != NULL ? s : "");
	for (char *p = copy; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return copy;
}

static const char *param_find(const struct mailimap_body_fld_param *params,
                              const char *name)
{
	if (params == NULL || params->pa_list == NULL)
		return NULL;
	for (clistiter *it = clist_begin(params->pa_list); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_single_body_fld_param *p = clist_content(it);
		if (p->pa_name != NULL && strcasecmp(p->pa_name, name) == 0)
			return p->pa_value;
	}
	return NULL;
}

static const char *basic_type_name(const struct mailimap_media_basic *m)
{
	switch (m->med_type) {
	case MAILIMAP_MEDIA_BASIC_APPLICATION: return "application";
	case MAILIMAP_MEDIA_BASIC_AUDIO: return "audio";
	case MAILIMAP_MEDIA_BASIC_IMAGE: return "image";
	case MAILIMAP_MEDIA_BASIC_MESSAGE: return "message";
	case MAILIMAP_MEDIA_BASIC_VIDEO: return "video";
	default: return m->med_basic_type;
	}
}

static struct imap_part *part_from_body(const struct mailimap_body *body,
                                        const char *section, int depth)
{
	struct imap_part *part = xcalloc(1, sizeof *part);

	part->section = xstrdup(section);
	if (body->bd_type == MAILIMAP_BODY_MPART && body->bd_data.bd_body_mpart) {
		const struct mailimap_body_type_mpart *mp = body->bd_data.bd_body_mpart;
		part->type = xstrdup("multipart");
		part->subtype = lower_dup(mp->bd_media_subtype);
		if (mp->bd_ext_mpart != NULL) {
			const char *boundary =
				param_find(mp->bd_ext_mpart->bd_parameter, "boundary");
			if (boundary != NULL)
				part->boundary = xstrdup(boundary);
		}
		size_t n = clist_count(mp->bd_list), i = 0;
		part->children = xcalloc(n > 0 ? n : 1, sizeof *part->children);
		for (clistiter *it = clist_begin(mp->bd_list);
		     it != NULL && depth < 50; it = clist_next(it), i++) {
			char *child = *section != '\0'
			              ? xasprintf("%s.%zu", section, i + 1)
			              : xasprintf("%zu", i + 1);
			part->children[part->child_count++] =
				part_from_body(clist_content(it), child, depth + 1);
			free(child);
		}
		return part;
	}
	const struct mailimap_body_type_1part *one = body->bd_data.bd_body_1part;
	const struct mailimap_body_fields *fields = NULL;
	if (one == NULL) {
		part->type = xstrdup("application");
		part->subtype = xstrdup("octet-stream");
		return part;
	}
	switch (one->bd_type) {
	case MAILIMAP_BODY_TYPE_1PART_TEXT:
		part->type = xstrdup("text");
		part->subtype = lower_dup(one->bd_data.bd_type_text->bd_media_text);
		fields = one->bd_data.bd_type_text->bd_fields;
		break;
	case MAILIMAP_BODY_TYPE_1PART_MSG:
		part->type = xstrdup("message");
		part->subtype = xstrdup("rfc822");
		fields = one->bd_data.bd_type_msg->bd_fields;
		break;
	default: {
		const struct mailimap_media_basic *m =
			one->bd_data.bd_type_basic->bd_media_basic;
		part->type = lower_dup(basic_type_name(m));
		part->subtype = lower_dup(m->med_subtype);
		fields = one->bd_data.bd_type_basic->bd_fields;
		break;
	}
	}
	if (fields != NULL)
		part->size = fields->bd_size;
	if (one->bd_ext_1part != NULL && one->bd_ext_1part->bd_disposition &&
	    one->bd_ext_1part->bd_disposition->dsp_type != NULL &&
	    strcasecmp(one->bd_ext_1part->bd_disposition->dsp_type,
	               "attachment") == 0)
		part->attachment = true;
	return part;
}

void imap_part_free(struct imap_part **part)
{
	if (part == NULL || *part == NULL)
		return;
	struct imap_part *p = *part;
	for (size_t i = 0; i < p->child_count; i++)
		imap_part_free(&p->children[i]);
	free(p->children);
	free(p->section);
	free(p->type);
	free(p->subtype);
	free(p->boundary);
	free(p);
	*part = NULL;
}

/* ---- the sink ---- */

void imap_sink_reset(struct imap_sink *sink)
{
	for (size_t i = 0; i < sink->envelope_count; i++)
		envelope_free(&sink->envelopes[i]);
	free(sink->envelopes);
	free(sink->list);
	for (size_t i = 0; i < sink->section_count; i++) {
		free(sink->sections[i].section);
		free(sink->sections[i].data);
	}
	free(sink->sections);
	imap_part_free(&sink->structure);
	memset(sink, 0, sizeof *sink);
}

struct imap_section_data *imap_sink_section(struct imap_sink *sink,
                                            const char *section)
{
	for (size_t i = sink->section_count; i > 0; i--)
		if (strcmp(sink->sections[i - 1].section, section) == 0)
			return &sink->sections[i - 1];
	return NULL;
}

static time_t date_time_to_time(const struct mailimap_date_time *dt)
{
	struct tm tm = {0};

	if (dt == NULL)
		return 0;
	tm.tm_year = dt->dt_year - 1900;
	tm.tm_mon = dt->dt_month - 1;
	tm.tm_mday = dt->dt_day;
	tm.tm_hour = dt->dt_hour;
	tm.tm_min = dt->dt_min;
	tm.tm_sec = dt->dt_sec;
	time_t t = timegm(&tm);
	int zone = dt->dt_zone;   /* +0100 is 100 */
	int sign = zone < 0 ? -1 : 1;
	zone *= sign;
	return t - sign * ((zone / 100) * 3600 + (zone % 100) * 60);
}

void imap_msg_att_handle(struct mailimap_msg_att *msg_att, void *context)
{
	struct imap_backend *b = context;
	struct imap_sink *sink = &b->sink;
	struct imap_fetched f = {.seq = msg_att->att_number};
	const struct mailimap_msg_att_body_section *header = NULL;

	for (clistiter *it = clist_begin(msg_att->att_list); it != NULL;
	     it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
			f.has_flags = true;
			f.flags = flags_from_fetch(item->att_data.att_dyn);
			continue;
		}
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		struct mailimap_msg_att_static *st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			f.uid = st->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_INTERNALDATE:
			f.arrival = date_time_to_time(st->att_data.att_internal_date);
			break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			f.size = st->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_BODYSTRUCTURE:
			if (sink->bodies && st->att_data.att_bodystructure != NULL) {
				imap_part_free(&sink->structure);
				sink->structure =
					part_from_body(st->att_data.att_bodystructure, "", 0);
			}
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION: {
			const struct mailimap_msg_att_body_section *sec =
				st->att_data.att_body_section;
			if (sec == NULL)
				break;
			struct buf name;
			buf_init(&name);
			section_name(sec->sec_section, &name);
			if (strcmp(name.data != NULL ? name.data : "",
			           "HEADER.FIELDS") == 0 && sink->headers) {
				header = sec;
			} else if (sink->bodies) {
				sink->sections = xrealloc(sink->sections,
				                          (sink->section_count + 1) *
				                          sizeof *sink->sections);
				struct imap_section_data *d =
					&sink->sections[sink->section_count++];
				d->section = xstrdup(name.data != NULL ? name.data : "");
				d->len = sec->sec_body_part != NULL ? sec->sec_length : 0;
				d->data = xmalloc(d->len + 1);
				if (d->len > 0)
					memcpy(d->data, sec->sec_body_part, d->len);
				d->data[d->len] = '\0';
			}
			buf_free(&name);
			break;
		}
		default:
			break;
		}
	}

	if (header != NULL) {
		f.header = header->sec_body_part != NULL ? header->sec_body_part : "";
		f.header_len = header->sec_body_part != NULL ? header->sec_length : 0;
	}
	imap_fetched_handle(b, &f);
}

void imap_fetched_handle(struct imap_backend *b, const struct imap_fetched *in)
{
	struct imap_sink *sink = &b->sink;
	struct imap_fetched f = *in;

	/* Without a UID (an unsolicited FETCH), the sequence number says
	 * which message. */
	if (f.uid == 0 && f.seq > 0 && f.seq <= b->message_count)
		f.uid = b->messages[f.seq - 1].uid;
	if (f.size > 0)
		sink->size = f.size;

	if (f.header != NULL && f.uid != 0 && sink->headers) {
		struct envelope_meta meta = {
			.uid = f.uid, .arrival = f.arrival, .size = f.size,
			.flags = f.flags,
		};
		const char *charset =
			config_get_string(b->cfg, CONFIG_VAR_ASSUMED_CHARSET);
		struct envelope *e = envelope_from_headers(f.header, f.header_len,
		                                           &meta, charset);
		if (sink->envelope_count == sink->envelope_cap) {
			sink->envelope_cap = sink->envelope_cap ? sink->envelope_cap * 2 : 64;
			sink->envelopes = xrealloc(sink->envelopes, sink->envelope_cap *
			                           sizeof *sink->envelopes);
		}
		sink->envelopes[sink->envelope_count++] = e;
		long index = imap_message_find(b, f.uid);
		if (index >= 0)
			b->messages[index].flags = f.flags;
		return;
	}
	if (!f.has_flags || f.uid == 0)
		return;
	if (sink->uid_list) {
		if (sink->list_count == sink->list_cap) {
			sink->list_cap = sink->list_cap ? sink->list_cap * 2 : 256;
			sink->list = xrealloc(sink->list,
			                      sink->list_cap * sizeof *sink->list);
		}
		sink->list[sink->list_count].uid = f.uid;
		sink->list[sink->list_count].flags = f.flags;
		sink->list_count++;
		return;
	}
	long index = imap_message_find(b, f.uid);
	if (index < 0)
		return;
	if (b->messages[index].flags != f.flags || sink->all_flags) {
		b->messages[index].flags = f.flags;
		imap_note_flags(b, f.uid, f.flags);
	}
}
