-- Tendering on a published demand (招投标): the tender with its weights and evaluators, the
-- prequalification report of each organisation that looked or bid, sealed bids (every offer
-- field sealed with the data key, revisions kept), bid files (sealed bytes in the file store,
-- sealed metadata here) and the evaluators' technical marks.
CREATE TABLE tenders (
    id TEXT PRIMARY KEY NOT NULL,
    demand_id TEXT NOT NULL UNIQUE REFERENCES demands(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    -- Open tender: any eligible organisation may bid, not only invited and recommended ones.
    open_to_all BOOLEAN NOT NULL,
    bidding_closes_at TIMESTAMP NOT NULL,
    -- The checked evaluation weights and technical criteria (JSON).
    weights TEXT NOT NULL,
    -- The named evaluators: user ids of members of the posting organisation (JSON list).
    evaluators TEXT NOT NULL,
    awarded_bid_id TEXT,
    awarded_on DATE,
    award_reason TEXT,
    closed_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tenders_org ON tenders(org_id, id);

CREATE TABLE tender_prequalifications (
    tender_id TEXT NOT NULL REFERENCES tenders(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    may_bid BOOLEAN NOT NULL,
    -- The report as shown (JSON), regenerated at every look, bid and revision.
    report TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tender_id, org_id)
);

CREATE TABLE bids (
    id TEXT PRIMARY KEY NOT NULL,
    tender_id TEXT NOT NULL REFERENCES tenders(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    -- tender_id:org_id while the bid is live (not withdrawn), NULL after: one live bid per
    -- organisation, kept by the unique index even under parallel submissions.
    live_key TEXT UNIQUE,
    revision INTEGER NOT NULL,
    -- The current offer (price, duration, proposal, validity), sealed with the data key.
    offer_sealed TEXT NOT NULL,
    rank INTEGER,
    submitted_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bids_tender ON bids(tender_id, id);
CREATE INDEX bids_org ON bids(org_id, id);

CREATE TABLE bid_revisions (
    bid_id TEXT NOT NULL REFERENCES bids(id),
    revision INTEGER NOT NULL,
    offer_sealed TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, revision)
);

CREATE TABLE bid_files (
    id TEXT PRIMARY KEY NOT NULL,
    bid_id TEXT NOT NULL REFERENCES bids(id),
    -- Where the sealed bytes are in the file store (SHA-256 of the sealed bytes).
    storage_key TEXT NOT NULL,
    -- Name, type, size and plaintext SHA-256, sealed with the data key (JSON).
    meta_sealed TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bid_files_bid ON bid_files(bid_id);

CREATE TABLE tender_marks (
    tender_id TEXT NOT NULL REFERENCES tenders(id),
    bid_id TEXT NOT NULL REFERENCES bids(id),
    evaluator_id TEXT NOT NULL REFERENCES users(id),
    -- One mark per technical criterion, in the criteria's order (JSON list).
    marks TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, evaluator_id)
);
CREATE INDEX tender_marks_tender ON tender_marks(tender_id);
