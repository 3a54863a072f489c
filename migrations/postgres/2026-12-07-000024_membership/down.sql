DROP INDEX contract_closings_completed;
DROP TABLE membership_changes;
ALTER TABLE organisations DROP COLUMN advisor_id;
ALTER TABLE organisations DROP COLUMN membership_since;
ALTER TABLE organisations DROP COLUMN membership_held;
