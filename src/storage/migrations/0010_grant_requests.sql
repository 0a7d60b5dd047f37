-- SPDX-License-Identifier: EUPL-1.2
-- Consent in the client's hands (docs/dossier.md §2). A professional may only *ask* for access:
-- the request lives in grant_requests and gives no access until the client accepts it, which
-- makes a grant with the same uid. Grants recorded by a professional (verbal consent, the
-- registration grant) are active but unconfirmed until the client confirms them; grants the
-- client made are confirmed at once. Times are milliseconds since the epoch, UTC.

ALTER TABLE grants ADD COLUMN purpose TEXT NOT NULL DEFAULT 'care';
ALTER TABLE grants ADD COLUMN confirmed_at INTEGER;     -- NULL: recorded by a professional, not yet confirmed
ALTER TABLE grants ADD COLUMN changed_at INTEGER;       -- last narrow or extend by the client
UPDATE grants SET confirmed_at = created_at WHERE basis = 'client_consent';

CREATE TABLE grant_requests (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,           -- the grant made on acceptance gets this uid
    client_id         INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    org_id            INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    scopes            INTEGER NOT NULL,
    purpose           TEXT NOT NULL,
    days              INTEGER NOT NULL,               -- asked duration, counted from acceptance
    requested_by_user TEXT NOT NULL,
    requested_by_role TEXT NOT NULL,
    requested_by_org  INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    created_at        INTEGER NOT NULL,
    state             TEXT NOT NULL DEFAULT 'open'
                      CHECK (state IN ('open', 'accepted', 'declined')),
    decided_at        INTEGER,
    decided_by_user   TEXT
);
CREATE INDEX grant_requests_client ON grant_requests(client_id, state);
