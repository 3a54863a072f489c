ALTER TABLE outbox_messages DROP COLUMN code_id;
DROP INDEX group_invitations_inviter;
DROP INDEX invitations_inviter;
DROP INDEX contact_invitations_inviter;
DROP INDEX contact_invitations_contact;
DROP INDEX contact_invitations_target;
DROP TABLE contact_invitations;
