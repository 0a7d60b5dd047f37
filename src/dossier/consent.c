/* SPDX-License-Identifier: EUPL-1.2 */
/* Scopes, role ceilings and the single access decision. */
#include "core/compat.h"

#include "dossier/dossier.h"

static const char *const scope_names[SCOPE_COUNT] = {"signal",  "referral", "clinical",
                                                     "network", "plan",     "contact"};

const char *consent_scope_name(uint32_t s)
{
    for (int i = 0; i < SCOPE_COUNT; i++) {
        if (s == (1u << i)) {
            return scope_names[i];
        }
    }
    return NULL;
}

enum err consent_scope_parse(const char *name, uint32_t *bit)
{
    for (int i = 0; i < SCOPE_COUNT; i++) {
        if (!strcmp(scope_names[i], name)) {
            *bit = 1u << i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

uint32_t consent_role_ceiling(enum role r)
{
    const uint32_t base = SCOPE_SIGNAL | SCOPE_REFERRAL | SCOPE_NETWORK | SCOPE_CONTACT;
    switch (r) {
    case ROLE_VOLUNTEER:
    case ROLE_KEYPERSON:
        return base;
    case ROLE_COA_STAFF:
    case ROLE_WIJKTEAM:
        return base | SCOPE_PLAN;
    case ROLE_HEALTH_STAFF:
    case ROLE_GP:
    case ROLE_POH_GGZ:
    case ROLE_GGZ:
        return base | SCOPE_CLINICAL;
    case ROLE_KLANTMANAGER:
        return SCOPE_REFERRAL | SCOPE_NETWORK | SCOPE_PLAN | SCOPE_CONTACT;
    case ROLE_COORDINATOR:
        return SCOPE_SIGNAL | SCOPE_REFERRAL | SCOPE_CONTACT;
    case ROLE_CLIENT: /* reaches only its own record, through own_record */
    case ROLE_ANALYST:
    case ROLE_ADMIN:
    case ROLE__COUNT:
        break;
    }
    return 0;
}

bool consent_decide(enum role r, bool own_record, uint32_t granted, uint32_t wanted,
                    uint32_t *effective)
{
    uint32_t eff;

    if (r == ROLE_CLIENT) {
        eff = own_record ? SCOPE_ALL : 0;
    } else {
        eff = consent_role_ceiling(r) & granted & SCOPE_ALL;
    }
    *effective = 0;
    if (eff == 0 || (wanted & eff) != wanted) {
        return false;
    }
    *effective = eff;
    return true;
}
