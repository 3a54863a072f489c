-- Membership (四级用户分级): the tier stays in organisations.membership_tier; beside it, whether
-- an inactivity demotion holds until the next transaction, since when the tier is in force, and
-- the named platform advisor of a VIP organisation (a staff member with the operator role).
ALTER TABLE organisations ADD COLUMN membership_held BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organisations ADD COLUMN membership_since TIMESTAMP;
ALTER TABLE organisations ADD COLUMN advisor_id TEXT REFERENCES users(id);

-- Every change of tier with what moved it and why (reasons: JSON list of TierReason).
CREATE TABLE membership_changes (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    previous TEXT NOT NULL,
    tier TEXT NOT NULL,
    change TEXT NOT NULL,
    triggered_by TEXT NOT NULL,
    reasons TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX membership_changes_org ON membership_changes(org_id, created_at);

-- Settled contracts by completion time (the facts of the tiers read them per organisation).
CREATE INDEX contract_closings_completed ON contract_closings(completed_at);
