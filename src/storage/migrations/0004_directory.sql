-- SPDX-License-Identifier: EUPL-1.2
-- The social map (directory module, docs/social-map.md). HSDS 3.0 documents are kept as the
-- canonical JSON that was imported or edited, so export is lossless; the columns and side
-- tables beside them are a search index derived from that JSON by dir_index_service() and are
-- rebuilt whenever a service is written. Nothing here is client data. Times are milliseconds
-- since the epoch, UTC.

-- An HSDS organization, without nested objects that are stored elsewhere (none today: an
-- organization's own phones, contacts and attributes stay inside its document).
CREATE TABLE map_orgs (
    id         INTEGER PRIMARY KEY,
    hsds_id    TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    doc        TEXT NOT NULL,                  -- canonical HSDS JSON
    updated_at INTEGER NOT NULL
);

-- An HSDS location. Coordinates are copied out of the document for the distance search.
CREATE TABLE map_locations (
    id         INTEGER PRIMARY KEY,
    hsds_id    TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    latitude   REAL,
    longitude  REAL,
    doc        TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX map_locations_lat ON map_locations(latitude, longitude) WHERE latitude IS NOT NULL;

-- An HSDS service. `doc` is the service as in a service_package entry but WITHOUT its nested
-- `organization` and without `service_at_locations[].location` (those live once in map_orgs and
-- map_locations and are put back on export). The other columns are the search index.
CREATE TABLE map_services (
    id               INTEGER PRIMARY KEY,        -- also the rowid of map_fts
    hsds_id          TEXT NOT NULL UNIQUE,
    org_id           INTEGER NOT NULL REFERENCES map_orgs(id),
    region           TEXT NOT NULL DEFAULT '',   -- the region whose coordinators may edit it
    name             TEXT NOT NULL,              -- Dutch name, for sorting
    status           TEXT NOT NULL,              -- HSDS status
    level            TEXT NOT NULL CHECK (level IN ('L0', 'L1', 'L2', 'L3', 'crisis')),
    level_rank       INTEGER NOT NULL,           -- crisis 0, L0 1, L1 2, L2 3, L3 4
    iasc_layer       INTEGER NOT NULL CHECK (iasc_layer BETWEEN 1 AND 4),
    min_age          INTEGER NOT NULL DEFAULT 0,
    max_age          INTEGER,                    -- NULL: no upper limit
    capacity         TEXT NOT NULL CHECK (capacity IN ('open', 'waitlist', 'closed')),
    waitlist_weeks   INTEGER,
    capacity_updated TEXT,                       -- ISO date
    assured_date     TEXT,                       -- ISO date, last checked
    assurer_email    TEXT,
    doc              TEXT NOT NULL,
    updated_at       INTEGER NOT NULL,
    updated_by       TEXT NOT NULL DEFAULT ''    -- user uid, or 'import'
);
CREATE INDEX map_services_org ON map_services(org_id);
CREATE INDEX map_services_level ON map_services(level_rank, name);

-- Facet and filter codes of a service (docs/social-map.md §6): every code of our taxonomy on the
-- service, its cost options and its contacts, plus derived ones: free.<phase>, lang.<code>,
-- area.<uri>, no_referral, open.
CREATE TABLE map_service_codes (
    code       TEXT NOT NULL,
    service_id INTEGER NOT NULL REFERENCES map_services(id) ON DELETE CASCADE,
    PRIMARY KEY (code, service_id)
) WITHOUT ROWID;
CREATE INDEX map_service_codes_service ON map_service_codes(service_id);

CREATE TABLE map_service_locations (
    service_id  INTEGER NOT NULL REFERENCES map_services(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES map_locations(id),
    PRIMARY KEY (service_id, location_id)
) WITHOUT ROWID;
CREATE INDEX map_service_locations_loc ON map_service_locations(location_id);

-- Taxonomy terms from other taxonomies (ours is compiled in), and taxonomies, kept verbatim so
-- that an export carries what an import brought.
CREATE TABLE map_terms (
    hsds_id TEXT PRIMARY KEY,
    doc     TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE map_taxonomies (
    hsds_id TEXT PRIMARY KEY,
    doc     TEXT NOT NULL
) WITHOUT ROWID;

-- Service areas the region knows: a COA location lies in a municipality (parent_uri), so that the
-- municipality filter and the chain overview include the reception location's offers.
CREATE TABLE map_areas (
    uri        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('national', 'municipality', 'coa_location', 'other')),
    parent_uri TEXT
) WITHOUT ROWID;

-- Free text over every language of an entry; texts are folded by dir_text_fold() before they are
-- indexed and before a query is run (Arabic and Persian letter variants, tashkeel, tatweel).
CREATE VIRTUAL TABLE map_fts USING fts5(
    name, description, access, org, extra,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Who changed what, when: one row per write of a service (coordinator edit, create, import),
-- with the changed top-level fields of the edit model and the document as it was before.
-- The audit trail holds the same event (object map_service); this table holds the content.
CREATE TABLE map_revisions (
    id         INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,                   -- HSDS id (kept after a delete)
    at         INTEGER NOT NULL,
    by_user    TEXT NOT NULL,                   -- user uid, or 'import'
    source     TEXT NOT NULL CHECK (source IN ('create', 'edit', 'import', 'delete')),
    fields     TEXT NOT NULL,                   -- JSON array of changed field names
    prev_doc   TEXT                             -- NULL on create
);
CREATE INDEX map_revisions_service ON map_revisions(service_id, at);

-- The map's generation: bumped by a trigger on every write of a table the search reads, so that
-- an in-memory search index (directory/cache.c) knows it is stale whatever path wrote, including
-- another process such as `veerkracht map import` while the server runs. map_service_codes and
-- map_service_locations have no trigger: they are only ever written with their map_services row.
CREATE TABLE map_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO map_state (id, generation) VALUES (1, 0);
CREATE TRIGGER map_services_insert_bump AFTER INSERT ON map_services
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_services_update_bump AFTER UPDATE ON map_services
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_services_delete_bump AFTER DELETE ON map_services
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_locations_insert_bump AFTER INSERT ON map_locations
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_locations_update_bump AFTER UPDATE ON map_locations
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_locations_delete_bump AFTER DELETE ON map_locations
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_orgs_insert_bump AFTER INSERT ON map_orgs
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_orgs_update_bump AFTER UPDATE ON map_orgs
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_orgs_delete_bump AFTER DELETE ON map_orgs
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_areas_insert_bump AFTER INSERT ON map_areas
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_areas_update_bump AFTER UPDATE ON map_areas
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER map_areas_delete_bump AFTER DELETE ON map_areas
BEGIN UPDATE map_state SET generation = generation + 1 WHERE id = 1; END;
