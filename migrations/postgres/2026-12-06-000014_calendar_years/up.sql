-- Official holiday schedules uploaded by a platform admin for years the release does not ship
-- (issue #14). One row per year; replacing a year overwrites its row and bumps `revision`.
-- `holidays` and `make_up_workdays` are JSON arrays of {"date": "YYYY-MM-DD", "festival": "…"}.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL,
    holidays TEXT NOT NULL,
    make_up_workdays TEXT NOT NULL,
    revision BIGINT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL
);
