//! The community points ledger.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::community::points::PointsReason;

use crate::db::DbConn;
use crate::db::schema::{points_ledger, users};

/// One points ledger entry.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = points_ledger)]
pub struct PointsRow {
    pub id: String,
    pub user_id: String,
    pub delta: i64,
    pub reason: PointsReason,
    pub group_id: Option<String>,
    pub subject_id: Option<String>,
    pub created_at: NaiveDateTime,
}

impl PointsRow {
    /// Appends an entry.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(points_ledger::table).values(self).execute(conn).map(drop)
    }

    /// A person's balance: the sum of their entries (summed here: SQLite and PostgreSQL type
    /// SUM(BIGINT) differently).
    pub fn balance(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        let deltas: Vec<i64> = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .select(points_ledger::delta)
            .load(conn)?;
        Ok(deltas.into_iter().sum())
    }

    /// How many awards for `reason` with a positive amount the person got since `since`.
    pub fn awards_since(
        conn: &mut DbConn,
        user_id: &str,
        reason: PointsReason,
        since: NaiveDateTime,
    ) -> QueryResult<i64> {
        points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .filter(points_ledger::reason.eq(reason))
            .filter(points_ledger::delta.gt(0))
            .filter(points_ledger::created_at.ge(since))
            .count()
            .get_result(conn)
    }

    /// The points an award for `reason` on `subject_id` brought the person (0 when none).
    pub fn award_for(
        conn: &mut DbConn,
        user_id: &str,
        reason: PointsReason,
        subject_id: &str,
    ) -> QueryResult<i64> {
        let deltas: Vec<i64> = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id))
            .filter(points_ledger::reason.eq(reason))
            .filter(points_ledger::subject_id.eq(subject_id))
            .select(points_ledger::delta)
            .load(conn)?;
        Ok(deltas.into_iter().sum())
    }

    /// A person's entries, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        user_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<PointsRow>> {
        let mut query = points_ledger::table
            .filter(points_ledger::user_id.eq(user_id.to_owned()))
            .select(PointsRow::as_select())
            .order(points_ledger::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(points_ledger::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// The `limit` people who earned the most points (awards and withdrawals, not redemptions)
    /// since `since`, optionally in one group, with a positive total: (user id, display name,
    /// points), most first, ties by user id. Summed and ranked in SQL (the CAST because
    /// PostgreSQL types SUM(BIGINT) as NUMERIC), so a busy month is never read row by row.
    pub fn leaderboard(
        conn: &mut DbConn,
        since: NaiveDateTime,
        group_id: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(String, String, i64)>> {
        use diesel::dsl::sql;
        use diesel::sql_types::{BigInt, Bool};
        let mut query = points_ledger::table
            .filter(points_ledger::created_at.ge(since))
            .filter(
                points_ledger::reason.ne_all(vec![PointsReason::Redemption, PointsReason::RedemptionRefund]),
            )
            .group_by(points_ledger::user_id)
            .select((points_ledger::user_id, sql::<BigInt>("CAST(SUM(points_ledger.delta) AS BIGINT)")))
            .into_boxed();
        if let Some(group_id) = group_id {
            query = query.filter(points_ledger::group_id.eq(group_id.to_owned()));
        }
        let totals: Vec<(String, i64)> = query
            .having(sql::<Bool>("SUM(points_ledger.delta) > 0"))
            .order(sql::<BigInt>("CAST(SUM(points_ledger.delta) AS BIGINT) DESC, points_ledger.user_id"))
            .limit(limit)
            .load(conn)?;
        let people: Vec<&String> = totals.iter().map(|(u, _)| u).collect();
        let names: std::collections::HashMap<String, String> = users::table
            .filter(users::id.eq_any(people))
            .select((users::id, users::display_name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(totals
            .into_iter()
            .map(|(u, p)| {
                let name = names.get(&u).cloned().unwrap_or_default();
                (u, name, p)
            })
            .collect())
    }
}
