-- Organisations, their members and invitations. Lists (roles, categories, regions served) are
-- stored as JSON text; money (declared capacity) as BIGINT fen; coordinates as DOUBLE.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    uscc TEXT NOT NULL UNIQUE,
    roles TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    categories TEXT NOT NULL,
    regions_served TEXT NOT NULL,
    declared_capacity_fen BIGINT,
    verification_status TEXT NOT NULL,
    suspended_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_directory ON organisations(verification_status, id);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_user_id ON memberships(user_id);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    invitee_user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX invitations_invitee ON invitations(invitee_user_id, status);
CREATE INDEX invitations_org ON invitations(org_id, status);
