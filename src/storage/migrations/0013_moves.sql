-- SPDX-License-Identifier: EUPL-1.2
-- A client moves within one installation (docs/dossier.md §5, docs/referrals.md §6): from a
-- reception location to a municipality, or between regions. The dossier stays the same row; the
-- client gets a region of their own (the chain whose coordinator follows them), and every move is
-- kept as a row for the timeline. Locations are places (a reception centre, a municipality), not
-- addresses, so they stay plain text like clients.location.

ALTER TABLE clients ADD COLUMN region TEXT NOT NULL DEFAULT '';

-- Existing clients: the region of the organisation of their first grant (the registration
-- grant), else of the registering organisation.
UPDATE clients SET region = coalesce(
    (SELECT o.region FROM grants g JOIN orgs o ON o.id = g.org_id
      WHERE g.client_id = clients.id ORDER BY g.id LIMIT 1),
    (SELECT o.region FROM orgs o WHERE o.id = clients.created_by_org),
    '');

CREATE INDEX clients_region ON clients(region);

CREATE TABLE client_moves (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    client_id     INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    from_phase    TEXT NOT NULL,
    from_location TEXT NOT NULL,
    from_region   TEXT NOT NULL,
    to_phase      TEXT NOT NULL CHECK (to_phase IN ('coa', 'municipality')),
    to_location   TEXT NOT NULL,
    to_region     TEXT NOT NULL,
    to_area       TEXT NOT NULL DEFAULT '',   -- map_areas.uri the new location matched; '' none
    by_user       TEXT NOT NULL,              -- users.uid
    by_role       TEXT NOT NULL,
    by_org        INTEGER NOT NULL REFERENCES orgs(id),
    at            INTEGER NOT NULL
);
CREATE INDEX client_moves_client ON client_moves(client_id, at);
CREATE INDEX client_moves_to_region ON client_moves(to_region, client_id);
