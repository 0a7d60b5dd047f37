-- SPDX-License-Identifier: EUPL-1.2
-- Transfer packages between installations (docs/dossier.md §5). A package is the client's
-- dossier sealed under a one-time transfer key K that only the client holds, signed with this
-- installation's Ed25519 key. transfers_out records what was packed here (and keeps a package
-- made through the API until its one download); transfers_in records what was imported, so the
-- same package cannot be imported twice; transfer_history keeps, sealed with the client's data
-- key, what came along that is not rebuilt as rows here (referrals, the earlier access log,
-- screenings of instruments unknown here). Times are milliseconds since the epoch, UTC.

CREATE TABLE transfers_out (
    id          INTEGER PRIMARY KEY,
    package_id  TEXT NOT NULL UNIQUE,                 -- UUID in the package header
    client_id   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    by_user     TEXT,                                 -- users.uid; NULL for the CLI
    by_role     TEXT,
    via         TEXT NOT NULL CHECK (via IN ('api', 'cli')),
    session_id  INTEGER,                              -- API: only this session may download
    package     BLOB,                                 -- API: the file until it is fetched (already
                                                      -- sealed under K; K is not stored)
    created_at  INTEGER NOT NULL,
    fetched_at  INTEGER
);
CREATE INDEX transfers_out_client ON transfers_out(client_id, created_at);

CREATE TABLE transfers_in (
    id                 INTEGER PRIMARY KEY,
    package_id         TEXT NOT NULL UNIQUE,          -- a second import of the same id: 409
    client_id          INTEGER REFERENCES clients(id) ON DELETE SET NULL,  -- NULL once erased
    sender_name        TEXT NOT NULL,
    sender_fingerprint TEXT NOT NULL,
    package_created_at INTEGER NOT NULL,
    by_user            TEXT,                          -- users.uid; NULL for the CLI
    by_org             INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
    at                 INTEGER NOT NULL
);
CREATE INDEX transfers_in_client ON transfers_in(client_id);

CREATE TABLE transfer_history (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,                 -- row uid in the sealed value's AD
    client_id   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    sender_name TEXT NOT NULL,                        -- "history from <sender>"
    created_at  INTEGER NOT NULL,                     -- when the package was made
    imported_at INTEGER NOT NULL,
    body        BLOB                                  -- sealed JSON (STORE_COL_TRANSFER_HISTORY)
);
CREATE INDEX transfer_history_client ON transfer_history(client_id);
