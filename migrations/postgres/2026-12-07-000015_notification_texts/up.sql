-- Notifications carry their text in both languages: title/body stay the Chinese text, the
-- English text sits beside it (empty on rows stored before this migration).
ALTER TABLE notifications ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN body_en TEXT NOT NULL DEFAULT '';
