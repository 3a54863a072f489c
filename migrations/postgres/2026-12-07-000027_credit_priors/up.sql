-- The platform's mean rating (the Bayesian prior of the reputation indicator) as the monthly
-- credit run computed it; event recomputes in that month use it instead of re-reading every
-- rating on the platform (so one recompute stays cheap, and every server process uses the same
-- prior). Before the first run of a month the prior is computed from the ratings.
CREATE TABLE credit_priors (
    month TEXT PRIMARY KEY NOT NULL,
    mean_rating DOUBLE PRECISION NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
