ALTER TABLE organisations DROP COLUMN suspension_reason;
DROP TABLE dual_control_requests;
DROP TABLE staff_roles;
