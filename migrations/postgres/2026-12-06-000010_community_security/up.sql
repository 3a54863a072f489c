-- Issue #13, community security.
-- `posts.search_terms`: the terms of a question (a JSON array, at most 64 distinct, cut with
-- jieba when it is written), so "search before you ask" ranks stored terms instead of cutting
-- every question per request. NULL until computed: rows written before this migration are
-- filled in by the server (jieba is not available to SQL).
ALTER TABLE posts ADD COLUMN search_terms TEXT;

-- `post_revisions.held`: whether the replaced version was held for review (banned words); such
-- versions are shown to the group's admins and their author only. Versions kept before this
-- migration are marked held when their post or reply is held now (it stays held until an admin
-- reviews it, so its versions are likely held ones).
ALTER TABLE post_revisions ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE post_revisions SET held = TRUE
 WHERE (reply_id IS NULL AND post_id IN (SELECT id FROM posts WHERE status = 'held'))
    OR reply_id IN (SELECT id FROM replies WHERE status = 'held');

-- The attendee set (JSON array of user ids, sorted) behind each hosted-session award: the same
-- attendees cannot earn the same host a second award within 30 days.
CREATE TABLE session_awards (
    event_id TEXT PRIMARY KEY NOT NULL REFERENCES community_events(id),
    host_id TEXT NOT NULL REFERENCES users(id),
    attendees TEXT NOT NULL,
    awarded_at TIMESTAMP NOT NULL
);
CREATE INDEX session_awards_host ON session_awards(host_id, awarded_at);

-- The leaderboard sums a period's entries per person in SQL.
CREATE INDEX points_ledger_board ON points_ledger(created_at, user_id, delta);
