DROP TABLE test_clock;
DROP TABLE jobs;
