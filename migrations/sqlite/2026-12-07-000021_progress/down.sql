DROP TABLE progress_warnings;
DROP TABLE progress_photos;
DROP TABLE progress_logs;
