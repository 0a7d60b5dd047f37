/* SPDX-License-Identifier: EUPL-1.2 */
/* Declarations shared by the files of the accounts module (login.c and card.c). */
#ifndef VK_ACCOUNTS_INT_H
#define VK_ACCOUNTS_INT_H

#include "accounts/accounts.h"

/* Opens a session for u inside the caller's write transaction; fills out->who and out->token. */
enum err acct__session_open(struct store_conn *c, const struct user_row *u,
                            struct login_result *out);

/*
 * For a client session: sets who->self_client_id, and when the session has switched to a dossier
 * the account still holds, who->client_id and who->acting_for to that dossier. A switch to a
 * dossier no longer held is ignored (the own dossier again). Inside the caller's transaction.
 */
enum err acct__acting_apply(struct store_conn *c, struct principal *who);

#endif
