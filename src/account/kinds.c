/*
 * account/kinds.c: the accounts Rowan knows how to make — an IMAP account
 * from the rc file, and a local mbox file.
 */
#include "config.h"

#include "account/account.h"
#include "account/backend.h"
#include "account/worker.h"

struct account *account_new(const struct config *cfg,
                            const struct config_account *acct,
                            struct rowan_err *err)
{
	if (acct->type != CONFIG_ACCOUNT_IMAP) {
		rowan_err_set(err, ROWAN_ERR_CONFIG,
		              _("account %s: %s accounts cannot be read yet"),
		              acct->name, config_account_type_name(acct->type));
		return NULL;
	}
	return account_new_with_backend(cfg, acct, acct->name, &account_imap_ops,
	                                account_imap_new(cfg, acct));
}

struct account *account_new_mbox(const struct config *cfg, const char *name,
                                 const char *path)
{
	return account_new_with_backend(cfg, NULL, name, &account_mbox_ops,
	                                account_mbox_new(cfg, name, path));
}

