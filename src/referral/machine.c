/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The referral life cycle as data: one table of legal transitions with the sides that may make
 * each, the reason codes per end state, and the overdue computation on an injected clock. Pure:
 * no storage, no clock of its own.
 */
#include "core/compat.h"

#include "referral/referral.h"

#define DAY_MS (24LL * 3600 * 1000)
#define S      REF_SIDE_SENDER
#define R      REF_SIDE_RECEIVER

static const char *const state_names[REF__COUNT] = {
    "draft",
    "sent",
    "received",
    "accepted",
    "waitlisted",
    "declined",
    "first_contact_planned",
    "first_contact_done",
    "completed",
    "closed_unsuccessful",
    "cancelled",
};

static const char *const level_names[REF_LEVEL_COUNT] = {"L0", "L1", "L2", "L3", "crisis"};

struct ref_edge {
    enum ref_state from;
    enum ref_state to;
    unsigned sides;
};

/* docs/referrals.md §2 keeps this table in prose; change both together. */
static const struct ref_edge edges[] = {
    {REF_DRAFT, REF_SENT, S},
    {REF_DRAFT, REF_CANCELLED, S},
    {REF_SENT, REF_RECEIVED, R},
    {REF_SENT, REF_CANCELLED, S},
    {REF_RECEIVED, REF_ACCEPTED, R},
    {REF_RECEIVED, REF_WAITLISTED, R},
    {REF_RECEIVED, REF_DECLINED, R},
    {REF_RECEIVED, REF_CANCELLED, S},
    {REF_WAITLISTED, REF_ACCEPTED, R},
    {REF_WAITLISTED, REF_DECLINED, R},
    {REF_WAITLISTED, REF_FC_PLANNED, R},
    {REF_WAITLISTED, REF_CLOSED_UNSUCCESSFUL, S | R},
    {REF_WAITLISTED, REF_CANCELLED, S},
    {REF_ACCEPTED, REF_FC_PLANNED, S | R},
    {REF_ACCEPTED, REF_FC_DONE, R},
    {REF_ACCEPTED, REF_CLOSED_UNSUCCESSFUL, S | R},
    {REF_ACCEPTED, REF_CANCELLED, S},
    {REF_FC_PLANNED, REF_FC_PLANNED, S | R}, /* re-planned */
    {REF_FC_PLANNED, REF_FC_DONE, R},
    {REF_FC_PLANNED, REF_CLOSED_UNSUCCESSFUL, S | R},
    {REF_FC_PLANNED, REF_CANCELLED, S},
    {REF_FC_DONE, REF_COMPLETED, R},
    {REF_FC_DONE, REF_CLOSED_UNSUCCESSFUL, R},
};

static const char *const declined_reasons[] = {"not_suitable", "no_capacity", "outside_area",
                                               "not_eligible", "other",       NULL};
static const char *const unsuccessful_reasons[] = {
    "could_not_reach", "client_declined", "no_capacity", "no_longer_needed",
    "client_moved",    "other",           NULL};
static const char *const completed_outcomes[] = {"care_started", "care_finished", "referred_on",
                                                 "other", NULL};

const char *ref_state_name(enum ref_state s)
{
    return (unsigned)s < REF__COUNT ? state_names[s] : "";
}

enum err ref_state_parse(const char *name, enum ref_state *out)
{
    for (int i = 0; name && i < REF__COUNT; i++) {
        if (!strcmp(state_names[i], name)) {
            *out = (enum ref_state)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

const char *ref_level_name(enum ref_level l)
{
    return (unsigned)l < REF_LEVEL_COUNT ? level_names[l] : "";
}

enum err ref_level_parse(const char *name, enum ref_level *out)
{
    for (int i = 0; name && i < REF_LEVEL_COUNT; i++) {
        if (!strcmp(level_names[i], name)) {
            *out = (enum ref_level)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

bool ref_state_open(enum ref_state s)
{
    return s != REF_DECLINED && s != REF_COMPLETED && s != REF_CLOSED_UNSUCCESSFUL &&
           s != REF_CANCELLED && (unsigned)s < REF__COUNT;
}

unsigned ref_transition_sides(enum ref_state from, enum ref_state to)
{
    for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
        if (edges[i].from == from && edges[i].to == to) {
            return edges[i].sides;
        }
    }
    return 0;
}

/* Appends s to out (", " between items), truncating safely. */
static void list_add(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);
    if (n < size) {
        snprintf(out + n, size - n, "%s%s", n ? ", " : "", s);
    }
}

void ref_allowed_text(enum ref_state from, unsigned sides, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
        if (edges[i].from == from && (edges[i].sides & sides)) {
            list_add(out, size, state_names[edges[i].to]);
        }
    }
    if (!out[0]) {
        snprintf(out, size, "none");
    }
}

static const char *const *reasons_for(enum ref_state to)
{
    switch (to) {
    case REF_DECLINED:
        return declined_reasons;
    case REF_CLOSED_UNSUCCESSFUL:
        return unsuccessful_reasons;
    case REF_COMPLETED:
        return completed_outcomes;
    default:
        return NULL;
    }
}

bool ref_needs_reason(enum ref_state to)
{
    return reasons_for(to) != NULL;
}

bool ref_reason_ok(enum ref_state to, const char *code)
{
    const char *const *list = reasons_for(to);
    for (size_t i = 0; list && code && list[i]; i++) {
        if (!strcmp(list[i], code)) {
            return true;
        }
    }
    return false;
}

void ref_reasons_text(enum ref_state to, char *out, size_t size)
{
    const char *const *list = reasons_for(to);
    out[0] = '\0';
    for (size_t i = 0; list && list[i]; i++) {
        list_add(out, size, list[i]);
    }
}

/* 0 = Monday ... 6 = Sunday, for a UTC time in ms (1970-01-01 was a Thursday). */
static int weekday(int64_t t)
{
    int64_t days = t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
    return (int)(((days % 7) + 7 + 3) % 7);
}

int64_t ref_add_working_days(int64_t t, int n)
{
    while (n > 0) {
        t += DAY_MS;
        if (weekday(t) < 5) {
            n--;
        }
    }
    return t;
}

/* The end of the UTC day of t (the last millisecond). */
static int64_t end_of_day(int64_t t)
{
    int64_t start = t >= 0 ? t - t % DAY_MS : t - (DAY_MS + t % DAY_MS) % DAY_MS;
    return start + DAY_MS - 1;
}

static int64_t first_contact_due(enum ref_level l, int64_t sent_at,
                                 const int target_days[REF_LEVEL_COUNT])
{
    int days = (unsigned)l < REF_LEVEL_COUNT ? target_days[l] : 0;
    return days <= 0 ? end_of_day(sent_at) : sent_at + (int64_t)days * DAY_MS;
}

void ref_overdue_compute(enum ref_state s, enum ref_level l, int64_t sent_at,
                         const int target_days[REF_LEVEL_COUNT], int64_t now,
                         struct ref_overdue *out)
{
    int64_t contact_due = first_contact_due(l, sent_at, target_days);

    out->why = REF_ON_TIME;
    out->due_at = 0;
    if (s == REF_DRAFT || !ref_state_open(s) || s == REF_FC_DONE || !sent_at) {
        return;
    }
    if (s == REF_SENT) {
        int64_t receive_due = ref_add_working_days(sent_at, REF_RECEIVE_WORKING_DAYS);
        out->due_at = receive_due < contact_due ? receive_due : contact_due;
        if (now > receive_due) {
            out->why = REF_NOT_RECEIVED;
            return;
        }
    } else {
        out->due_at = contact_due;
    }
    if (now > contact_due) {
        out->why = REF_NO_FIRST_CONTACT;
    }
}

const char *ref_overdue_name(enum ref_overdue_why w)
{
    switch (w) {
    case REF_NOT_RECEIVED:
        return "not_received";
    case REF_NO_FIRST_CONTACT:
        return "no_first_contact";
    case REF_ON_TIME:
        break;
    }
    return "on_time";
}
