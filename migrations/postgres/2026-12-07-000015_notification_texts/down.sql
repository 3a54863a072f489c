ALTER TABLE notifications DROP COLUMN body_en;
ALTER TABLE notifications DROP COLUMN title_en;
