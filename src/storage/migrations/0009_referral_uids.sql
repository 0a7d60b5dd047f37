-- SPDX-License-Identifier: EUPL-1.2
-- Sealing the referrals' free text (docs/dossier.md §3, docs/referrals.md §1): referrals.
-- handover_note, referrals.contact_with and referral_events.note keep their declared types but
-- hold BLOBs written by dossier/keys.c. A sealed value is bound to its row by the row's uid in
-- the associated data; referrals have one, events get one here. Rows from before this migration
-- get theirs, and their plain text is sealed, when the server next starts.
ALTER TABLE referral_events ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX referral_events_uid ON referral_events(uid);
