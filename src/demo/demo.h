/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The demo region: a fictional reception centre, two municipalities, an organisation of every
 * kind and one account per role, all with the password DEMO_PASSWORD, two clients, the social
 * map, and a referral in flight (docs/referrals.md §1). Later modules add their own demo data
 * here. Everything is fictional; no real organisation's contact details.
 */
#ifndef VK_DEMO_H
#define VK_DEMO_H

#include "core/compat.h"
#include "core/err.h"
#include "storage/store.h"

#define DEMO_PASSWORD "veerkracht-demo-2026"

struct screen_registry;
struct keyring;

/*
 * Wipes the database (not the keyring) and seeds the demo region, in one transaction the
 * function owns: the organisations and accounts, two clients (their data keys wrapped by keys),
 * a screening (from reg), an open red flag and the demo client's login card.
 */
enum err demo_seed(struct store_conn *c, const struct screen_registry *reg,
                   const struct keyring *keys);
/* Prints the demo logins (role, email or the client's login card, organisation) to f. */
void demo_print_logins(FILE *f);

#endif
