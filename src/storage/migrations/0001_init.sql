-- SPDX-License-Identifier: EUPL-1.2
-- Foundation schema: organisations, accounts, sessions, login throttling, clients, consent
-- grants and the hash-chained audit trail. Times are milliseconds since the epoch, UTC.

CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE clients (
    id                INTEGER PRIMARY KEY,
    pid               TEXT NOT NULL UNIQUE,      -- random pseudonymous id, the public id
    year_of_birth     INTEGER NOT NULL,
    gender            TEXT NOT NULL,
    country_of_origin TEXT NOT NULL,
    language          TEXT NOT NULL,
    phase             TEXT NOT NULL CHECK (phase IN ('coa', 'municipality')),
    location          TEXT NOT NULL,
    risk_flags        INTEGER NOT NULL DEFAULT 0, -- bit set, see dossier.h
    name              TEXT,
    phone             TEXT,
    created_by_user   TEXT NOT NULL,
    created_by_org    INTEGER NOT NULL REFERENCES orgs(id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    role       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE,             -- lower-cased
    pw_hash    TEXT NOT NULL,
    client_id  INTEGER REFERENCES clients(id),   -- the own record, for role 'client'
    disabled   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,             -- BLAKE2b of the cookie token; never the token
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,               -- 'email:' || hash, or 'addr:' || address
    failures     INTEGER NOT NULL,
    last_at      INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE grants (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    scopes          INTEGER NOT NULL,            -- bit set, see dossier.h
    basis           TEXT NOT NULL,
    granted_by_user TEXT NOT NULL,
    granted_by_role TEXT NOT NULL,
    granted_by_org  INTEGER NOT NULL REFERENCES orgs(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    revoked_by_user TEXT
);
CREATE INDEX grants_client_org ON grants(client_id, org_id);
CREATE INDEX grants_org ON grants(org_id, client_id);

-- NEN 7513 access trail. Append-only (triggers below) and hash-chained: row_hash =
-- BLAKE2b(prev_hash || canonical row), so `veerkracht audit verify` finds any change or gap.
-- No content: identifiers, the action and its outcome only.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    user_id      TEXT,                           -- users.uid, NULL for anonymous attempts
    role         TEXT,
    org_id       TEXT,                           -- orgs.uid
    on_behalf_of TEXT,
    client_pid   TEXT,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    outcome      TEXT NOT NULL,
    source_addr  TEXT,
    request_id   TEXT,
    prev_hash    BLOB NOT NULL,
    row_hash     BLOB NOT NULL
);
CREATE INDEX audit_client ON audit(client_pid, at);
CREATE INDEX audit_user ON audit(user_id, at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;
