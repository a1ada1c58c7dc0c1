-- Run once on the tracker database after the first Rasa server has created `events`
-- (tools/run_scaled.py and docs/deploy.md do it). Rasa's SQLTrackerStore already indexes
-- events.sender_id; it reads a conversation as "WHERE sender_id = ? ORDER BY id", which
-- this composite index answers without a sort, and it keeps inserts cheap.
CREATE INDEX IF NOT EXISTS ix_events_sender_id_id ON events (sender_id, id);
CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id);
