-- SPDX-License-Identifier: EUPL-1.2
-- Item-text packs: the texts of one language for an instrument whose texts are licensed per
-- deployment. Kept apart from the definition and merged into it when the server starts.
CREATE TABLE text_packs (
    iid         TEXT NOT NULL,
    version     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    pack        TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (iid, version, lang)
);
