DROP TABLE contract_ratings;
DROP TABLE risk_cases;
DROP TABLE defect_claims;
DROP TABLE contract_closings;
