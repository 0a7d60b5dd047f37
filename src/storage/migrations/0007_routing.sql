-- SPDX-License-Identifier: EUPL-1.2
-- Route-map advice (routing module, docs/routing.md). One row per computed advice, so that the
-- client's route can be shown again and every advice names the rules it used. Only codes and
-- ids are stored (levels, rule ids, stressor ids, service HSDS ids, fit codes): no free text.
-- Texts are rendered from the rule file at read time. Times are milliseconds since the epoch.
CREATE TABLE route_advice (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    client_id       INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    rules_id        TEXT NOT NULL,
    rules_version   TEXT NOT NULL,
    rules_hash      BLOB NOT NULL,              -- BLAKE2b-256 of the canonical rule file
    screening_uid   TEXT,                       -- the screening used; NULL when none
    input           TEXT NOT NULL,              -- JSON: the situation as codes and ids
    output          TEXT NOT NULL,              -- JSON: levels, rule ids, matches as codes
    created_by_user TEXT NOT NULL,
    created_by_role TEXT NOT NULL,
    created_by_org  INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX route_advice_client ON route_advice(client_id, id);
