-- Invitations to a phone number or e-mail address that has no account yet: kept here until the
-- person registers and proves the contact, then turned into an ordinary organisation or group
-- invitation with the same id. The inviter never learns whether an account exists.
CREATE TABLE contact_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    contact TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP
);
CREATE INDEX contact_invitations_contact ON contact_invitations(contact, status);
CREATE INDEX contact_invitations_target ON contact_invitations(target_id, status);
CREATE INDEX contact_invitations_inviter ON contact_invitations(invited_by, created_at);
-- Invitations per inviter and hour are counted for the invitation rate limit.
CREATE INDEX invitations_inviter ON invitations(invited_by, created_at);
CREATE INDEX group_invitations_inviter ON group_invitations(invited_by, created_at);
-- The one-time code an outbox message carries, so its text can be scrubbed once the code is
-- used, replaced or expired.
ALTER TABLE outbox_messages ADD COLUMN code_id TEXT;
