DROP TABLE password_change_required;
ALTER TABLE stream_tickets DROP COLUMN session_id;
DROP TABLE idempotency_keys;
