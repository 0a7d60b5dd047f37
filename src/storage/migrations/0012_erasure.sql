-- SPDX-License-Identifier: EUPL-1.2
-- Erasure (docs/dossier.md §6): the client (or a holder of the dossier) asks, a professional
-- with the right role confirms, and the erasure deletes every row of the client, this table's
-- included (src/storage/store_erase.c holds the list). No free text: a reason would be client
-- data to erase with everything else. At most one open request per client. Times are
-- milliseconds since the epoch, UTC.
CREATE TABLE erasure_requests (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    client_id         INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    requested_by_user TEXT NOT NULL,               -- users.uid of the client or the holder
    requested_at      INTEGER NOT NULL,
    state             TEXT NOT NULL DEFAULT 'requested'
                      CHECK (state IN ('requested', 'withdrawn', 'confirmed')),
    withdrawn_at      INTEGER,
    confirmed_by_user TEXT,                        -- users.uid of the professional
    confirmed_at      INTEGER
);
CREATE UNIQUE INDEX erasure_requests_open ON erasure_requests(client_id) WHERE state = 'requested';
CREATE INDEX erasure_requests_state ON erasure_requests(state, requested_at);
