-- SPDX-License-Identifier: EUPL-1.2
-- Encryption at rest (docs/dossier.md §3). The master key (KEK) is never stored here: the keyring
-- only records which KEK version wraps the data keys, with a check value that lets start-up refuse
-- a wrong key. Each client has a data key (DEK), stored wrapped by the KEK. The sealed columns
-- (clients.name, phone; screenings.answers, result; red_flags.note, close_reason;
-- red_flag_actions.note) keep their declared types but hold BLOBs written by dossier/keys.c;
-- plain text left by an older version is sealed by the server at its next start.

CREATE TABLE keyring (
    version     INTEGER PRIMARY KEY,           -- KEK version; the newest row is the one in use
    check_value BLOB NOT NULL,                 -- a constant sealed under the KEK, AD vk-kek|version
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER                        -- set when `key rotate` replaced this KEK
);

CREATE TABLE client_keys (
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    dek_version INTEGER NOT NULL,
    kek_version INTEGER NOT NULL REFERENCES keyring(version),
    wrapped     BLOB NOT NULL,                 -- the DEK sealed under the KEK,
                                               -- AD vk-dek|pid|dek_version|kek_version
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (client_id, dek_version)
);
CREATE INDEX client_keys_kek ON client_keys(kek_version);

-- Actions get a row uid, so that a sealed note is bound to its row (the AD names it). Rows from
-- before this migration get theirs when the server seals them.
ALTER TABLE red_flag_actions ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX red_flag_actions_uid ON red_flag_actions(uid);
