-- SPDX-License-Identifier: EUPL-1.2
-- Client login without DigiD (docs/dossier.md §1): the login card of a client account, the
-- dossiers a client account holds for someone else (a parent for a child), and which dossier a
-- client session is acting on. Times are milliseconds since the epoch, UTC.

-- One card per client account. Only BLAKE2b(code) is kept, like session tokens; the PIN (or
-- passphrase) as argon2id. Re-issuing replaces code_hash and clears the PIN and the counters in
-- one statement, so the old card stops working in the same transaction.
CREATE TABLE client_cards (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code_hash       BLOB NOT NULL UNIQUE,
    pin_hash        TEXT,                        -- NULL until the client chooses a PIN
    failures        INTEGER NOT NULL DEFAULT 0,  -- wrong PINs since the last success or issue
    last_failure_at INTEGER NOT NULL DEFAULT 0,
    issued_at       INTEGER NOT NULL,
    issued_by_user  TEXT NOT NULL,               -- users.uid of the professional
    pin_set_at      INTEGER
);

-- A client account (user_id, role client) that may act on another client's dossier. The own
-- dossier stays users.client_id ("self") and is not repeated here.
CREATE TABLE client_holders (
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id        INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    relation         TEXT NOT NULL CHECK (relation IN ('parent', 'guardian', 'representative')),
    recorded_by_user TEXT NOT NULL,              -- users.uid of the professional
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (user_id, client_id)
) WITHOUT ROWID;
CREATE INDEX client_holders_client ON client_holders(client_id);

-- The held dossier a client session has switched to; no row means its own dossier.
CREATE TABLE session_dossier (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE
);
