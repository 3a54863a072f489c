DROP TABLE qualifications;
DROP TABLE verification_submissions;
DROP TABLE file_uploads;
DROP TABLE files;
