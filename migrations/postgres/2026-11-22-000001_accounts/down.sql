DROP TABLE outbox_messages;
DROP TABLE one_time_codes;
DROP TABLE recovery_codes;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
