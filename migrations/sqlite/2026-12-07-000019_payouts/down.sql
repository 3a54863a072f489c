ALTER TABLE dual_control_requests DROP COLUMN milestone;
ALTER TABLE dual_control_requests DROP COLUMN target_contract_id;
DROP TABLE payouts;
DROP TABLE bank_accounts;
