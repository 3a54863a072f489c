DROP TABLE signing_authorities;
DROP TABLE contract_signatures;
DROP TABLE contract_versions;
DROP TABLE contracts;
