-- SPDX-License-Identifier: EUPL-1.2
-- Transfer package ids that outlive the dossier, and replays keyed on the signer (docs/dossier.md
-- §5-6). transfers_out.client_id may now be NULL: an erasure keeps the package id (without the
-- client, the file, the session or the user) so that a package taken before the erasure cannot
-- bring the dossier back here ("made here, erased"). transfers_in is unique per (sender key
-- fingerprint, package id) instead of per id: the id is chosen by the signer, so a package of
-- another key that copies a real package's id is not a replay of it. SQLite cannot alter a NOT
-- NULL or a UNIQUE constraint, so both tables are rebuilt; their rows and ids are kept.

CREATE TABLE transfers_out_0015 (
    id          INTEGER PRIMARY KEY,
    package_id  TEXT NOT NULL UNIQUE,                 -- UUID in the package header
    client_id   INTEGER REFERENCES clients(id) ON DELETE SET NULL,  -- NULL once erased
    by_user     TEXT,                                 -- users.uid; NULL for the CLI or erased
    by_role     TEXT,
    via         TEXT NOT NULL CHECK (via IN ('api', 'cli')),
    session_id  INTEGER,                              -- API: only this session may download
    package     BLOB,                                 -- API: the file until it is fetched
    created_at  INTEGER NOT NULL,
    fetched_at  INTEGER
);
INSERT INTO transfers_out_0015(id, package_id, client_id, by_user, by_role, via, session_id,
                               package, created_at, fetched_at)
    SELECT id, package_id, client_id, by_user, by_role, via, session_id, package, created_at,
           fetched_at FROM transfers_out;
DROP TABLE transfers_out;
ALTER TABLE transfers_out_0015 RENAME TO transfers_out;
CREATE INDEX transfers_out_client ON transfers_out(client_id, created_at);

CREATE TABLE transfers_in_0015 (
    id                 INTEGER PRIMARY KEY,
    package_id         TEXT NOT NULL,
    client_id          INTEGER REFERENCES clients(id) ON DELETE SET NULL,  -- NULL once erased
    sender_name        TEXT NOT NULL,
    sender_fingerprint TEXT NOT NULL,                 -- of the key that signed the package
    package_created_at INTEGER NOT NULL,
    by_user            TEXT,                          -- users.uid; NULL for the CLI
    by_org             INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
    at                 INTEGER NOT NULL,
    UNIQUE (sender_fingerprint, package_id)           -- the same package a second time: 409
);
INSERT INTO transfers_in_0015(id, package_id, client_id, sender_name, sender_fingerprint,
                              package_created_at, by_user, by_org, at)
    SELECT id, package_id, client_id, sender_name, sender_fingerprint, package_created_at,
           by_user, by_org, at FROM transfers_in;
DROP TABLE transfers_in;
ALTER TABLE transfers_in_0015 RENAME TO transfers_in;
CREATE INDEX transfers_in_client ON transfers_in(client_id);
