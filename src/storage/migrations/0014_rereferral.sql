-- SPDX-License-Identifier: EUPL-1.2
-- Re-referral keeps the history (docs/referrals.md §6): a referral made to follow up a declined,
-- unsuccessful or cancelled one, or one the client could not go to, names the one it replaces.
-- A referral is followed up at most once (the partial unique index); the chain goes on from the
-- new one. The old referral gets an event of kind 'followed_up', so referral_events is rebuilt
-- with that kind in its CHECK (SQLite cannot alter a CHECK); its rows, ids and uids are kept.

ALTER TABLE referrals ADD COLUMN replaces_id INTEGER REFERENCES referrals(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX referrals_replaces ON referrals(replaces_id) WHERE replaces_id IS NOT NULL;

CREATE TABLE referral_events_0014 (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('transition', 'client_answer', 'followed_up')),
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    reason      TEXT,
    note        TEXT,                                -- sealed (0009)
    by_user     TEXT NOT NULL,
    by_role     TEXT NOT NULL,
    by_org      INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    uid         TEXT
);
INSERT INTO referral_events_0014(id, referral_id, kind, from_state, to_state, reason, note,
                                 by_user, by_role, by_org, at, uid)
    SELECT id, referral_id, kind, from_state, to_state, reason, note, by_user, by_role, by_org,
           at, uid FROM referral_events;
DROP TABLE referral_events;
ALTER TABLE referral_events_0014 RENAME TO referral_events;
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
CREATE UNIQUE INDEX referral_events_uid ON referral_events(uid);
