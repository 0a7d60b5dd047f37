-- SPDX-License-Identifier: EUPL-1.2
-- Signalling: imported instrument definitions, screenings, red flags with the actions taken,
-- and cached read-aloud audio. Times are milliseconds since the epoch, UTC.

-- Definitions imported by `veerkracht instrument import` (licensed instruments, newer versions).
-- Shipped ones are compiled in. A definition never changes under the same id and version.
CREATE TABLE instruments (
    id          INTEGER PRIMARY KEY,
    iid         TEXT NOT NULL,
    version     TEXT NOT NULL,
    definition  TEXT NOT NULL,
    hash        BLOB NOT NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (iid, version)
);

CREATE TABLE screenings (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    instrument      TEXT NOT NULL,
    version         TEXT NOT NULL,
    def_hash        BLOB NOT NULL,           -- BLAKE2b of the definition used, to re-score later
    language        TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('client', 'interviewer')),
    answers         TEXT NOT NULL,           -- JSON object item -> value
    result          TEXT NOT NULL,           -- JSON, as computed at the time
    level           TEXT NOT NULL,
    band            TEXT,
    flag_count      INTEGER NOT NULL,
    created_by_user TEXT NOT NULL,
    created_by_role TEXT NOT NULL,
    created_by_org  INTEGER NOT NULL REFERENCES orgs(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX screenings_client ON screenings(client_id, created_at);

CREATE TABLE red_flags (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    client_id      INTEGER NOT NULL REFERENCES clients(id),
    screening_id   INTEGER REFERENCES screenings(id),
    flag           TEXT NOT NULL,           -- the instrument's red-flag id, or 'manual'
    severity       TEXT NOT NULL,
    protocol       TEXT NOT NULL CHECK (protocol IN ('suicide', 'danger')),
    note           TEXT,
    raised_by_user TEXT NOT NULL,
    raised_by_role TEXT NOT NULL,
    raised_by_org  INTEGER NOT NULL REFERENCES orgs(id),
    raised_at      INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    closed_at      INTEGER,
    closed_by_user TEXT,
    closed_by_role TEXT,
    close_reason   TEXT
);
CREATE INDEX red_flags_client ON red_flags(client_id, raised_at);
CREATE INDEX red_flags_open ON red_flags(closed_at, due_at);

CREATE TABLE red_flag_actions (
    id      INTEGER PRIMARY KEY,
    flag_id INTEGER NOT NULL REFERENCES red_flags(id),
    action  TEXT NOT NULL,
    note    TEXT,
    by_user TEXT NOT NULL,
    by_role TEXT NOT NULL,
    by_org  INTEGER NOT NULL REFERENCES orgs(id),
    at      INTEGER NOT NULL
);
CREATE INDEX red_flag_actions_flag ON red_flag_actions(flag_id, at);

-- Read-aloud audio: synthesised once per text (hash of the text) or uploaded as a recording.
CREATE TABLE audio (
    instrument TEXT NOT NULL,
    lang       TEXT NOT NULL,
    key        TEXT NOT NULL,
    text_hash  BLOB NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('tts', 'recording')),
    wav        BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (instrument, lang, key)
);
