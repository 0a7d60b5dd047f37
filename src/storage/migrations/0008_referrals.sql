-- SPDX-License-Identifier: EUPL-1.2
-- Referrals that close the loop (docs/referrals.md): which account organisation handles the
-- services of a social-map organisation, the referrals with their state, the events of each
-- (transitions and the client's answers). The first-contact targets per care level come from
-- the route map's rule file (targets_days), not from a table.
-- Times are milliseconds since the epoch, UTC.

-- A map organisation (HSDS id; map_orgs may be re-imported, so no foreign key) and the orgs
-- row whose users handle referrals to its services.
CREATE TABLE map_org_accounts (
    map_org_hsds_id TEXT NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    PRIMARY KEY (map_org_hsds_id, org_id)
) WITHOUT ROWID;
CREATE INDEX map_org_accounts_org ON map_org_accounts(org_id);

CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    client_id           INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    from_user           TEXT NOT NULL,               -- users.uid
    from_org            INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    to_service          TEXT NOT NULL,               -- HSDS id of the service
    to_service_name     TEXT NOT NULL,               -- its Dutch name when referred
    to_org              INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    level               TEXT NOT NULL CHECK (level IN ('L0', 'L1', 'L2', 'L3', 'crisis')),
    advice_id           TEXT,                        -- routing advice (0007), no foreign key
    scopes              INTEGER NOT NULL,            -- shared, bit set as in dossier.h
    handover_note       TEXT,                        -- sensitive free text: to be sealed (E1)
    interpreter         INTEGER NOT NULL DEFAULT 0,
    interpreter_lang    TEXT,
    contact_with        TEXT,                        -- joint first contact: who takes part
    contact_at          INTEGER,
    contact_mode        TEXT CHECK (contact_mode IN ('in_person', 'phone')),
    contact_interpreter INTEGER NOT NULL DEFAULT 0,
    state               TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'received', 'accepted',
                            'waitlisted', 'declined', 'first_contact_planned',
                            'first_contact_done', 'completed', 'closed_unsuccessful',
                            'cancelled')),
    reason              TEXT,                        -- declined / unsuccessful reason, outcome
    waitlist_weeks      INTEGER,
    needs_new_offer     INTEGER NOT NULL DEFAULT 0,  -- the client could not go: reopen the route
    client_answer       TEXT CHECK (client_answer IN ('went', 'could_not_go')),
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX referrals_client ON referrals(client_id, created_at);
CREATE INDEX referrals_from ON referrals(from_org, state);
CREATE INDEX referrals_to ON referrals(to_org, state);

-- One row per step: a transition (from_state -> to_state) or a client's answer.
CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('transition', 'client_answer')),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    reason      TEXT,
    note        TEXT,                                -- sensitive free text: to be sealed (E1)
    by_user     TEXT NOT NULL,
    by_role     TEXT NOT NULL,
    by_org      INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
