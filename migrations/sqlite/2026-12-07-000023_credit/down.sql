ALTER TABLE dual_control_requests DROP COLUMN credit_grade;
DROP TABLE credit_overrides;
DROP TABLE credit_findings;
DROP TABLE credit_assessments;
