DROP TABLE acceptance_signatures;
DROP TABLE acceptances;
DROP TABLE bank_statement_lines;
DROP TABLE bank_statements;
DROP TABLE funding_requests;
DROP TABLE ledger_postings;
DROP TABLE ledger_transactions;
DROP TABLE ledger_accounts;
