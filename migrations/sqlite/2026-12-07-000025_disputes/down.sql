DROP TABLE dispute_messages;
DROP TABLE disputes;
