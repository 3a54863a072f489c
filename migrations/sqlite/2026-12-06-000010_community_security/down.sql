DROP INDEX points_ledger_board;
DROP INDEX session_awards_host;
DROP TABLE session_awards;
ALTER TABLE post_revisions DROP COLUMN held;
ALTER TABLE posts DROP COLUMN search_terms;
