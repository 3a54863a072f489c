DROP TABLE credit_priors;
