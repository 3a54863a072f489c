DROP TABLE tender_marks;
DROP TABLE bid_files;
DROP TABLE bid_revisions;
DROP TABLE bids;
DROP TABLE tender_prequalifications;
DROP TABLE tenders;
