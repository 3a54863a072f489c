DROP TABLE dispute_awards;
