//! The rewards catalogue, redemptions, and the cached points balance per person.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::RedemptionStatus;

use crate::db::DbConn;
use crate::db::schema::{point_balances, reward_redemptions, rewards};

/// A reward that points can be redeemed for.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rewards)]
pub struct RewardRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cost: i64,
    pub stock: i64,
    pub active: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl RewardRow {
    /// Inserts a reward.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(rewards::table).values(self).execute(conn).map(drop)
    }

    /// One reward.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<RewardRow>> {
        rewards::table.find(id).select(RewardRow::as_select()).first(conn).optional()
    }

    /// The catalogue, cheapest first; inactive rewards only when `all`.
    pub fn list(conn: &mut DbConn, all: bool) -> QueryResult<Vec<RewardRow>> {
        let mut query = rewards::table
            .select(RewardRow::as_select())
            .order((rewards::cost.asc(), rewards::id.asc()))
            .into_boxed();
        if !all {
            query = query.filter(rewards::active.eq(true));
        }
        query.load(conn)
    }

    /// Takes one from the stock if any is left (a conditional update: concurrent takers queue on
    /// the row and the last one finds none). Returns whether one was taken.
    pub fn take_one(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
        let n = diesel::update(
            rewards::table.find(id).filter(rewards::stock.gt(0)).filter(rewards::active.eq(true)),
        )
        .set(rewards::stock.eq(rewards::stock - 1))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Adds `n` (negative takes away) unless that would leave less than zero; returns whether it
    /// changed (a relative update, so redemptions in between are not overwritten).
    pub fn restock(conn: &mut DbConn, id: &str, n: i64) -> QueryResult<bool> {
        let changed = diesel::update(rewards::table.find(id).filter(rewards::stock.ge(-n)))
            .set(rewards::stock.eq(rewards::stock + n))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Offers or withdraws a reward.
    pub fn set_active(conn: &mut DbConn, id: &str, active: bool) -> QueryResult<()> {
        diesel::update(rewards::table.find(id)).set(rewards::active.eq(active)).execute(conn).map(drop)
    }

    /// Puts one back (a cancelled redemption).
    pub fn put_back(conn: &mut DbConn, id: &str) -> QueryResult<()> {
        diesel::update(rewards::table.find(id))
            .set(rewards::stock.eq(rewards::stock + 1))
            .execute(conn)
            .map(drop)
    }
}

/// A redemption of a reward.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = reward_redemptions)]
#[diesel(treat_none_as_null = true)]
pub struct RedemptionRow {
    pub id: String,
    pub reward_id: String,
    pub user_id: String,
    pub cost: i64,
    pub status: RedemptionStatus,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
}

impl RedemptionRow {
    /// Inserts a redemption.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(reward_redemptions::table).values(self).execute(conn).map(drop)
    }

    /// Moves a redemption from `from` to `to` (a conditional update: of two concurrent
    /// cancellations or a cancellation racing a fulfilment, only one succeeds). Returns whether
    /// it moved.
    pub fn decide(
        conn: &mut DbConn,
        id: &str,
        from: RedemptionStatus,
        to: RedemptionStatus,
        by: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed =
            diesel::update(reward_redemptions::table.find(id).filter(reward_redemptions::status.eq(from)))
                .set((
                    reward_redemptions::status.eq(to),
                    reward_redemptions::decided_at.eq(Some(at)),
                    reward_redemptions::decided_by.eq(Some(by)),
                ))
                .execute(conn)?;
        Ok(changed == 1)
    }

    /// One redemption.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<RedemptionRow>> {
        reward_redemptions::table.find(id).select(RedemptionRow::as_select()).first(conn).optional()
    }

    /// Redemptions newest first after `cursor`: one person's, or (staff) those with `status`.
    pub fn page(
        conn: &mut DbConn,
        user_id: Option<&str>,
        status: Option<RedemptionStatus>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<RedemptionRow>> {
        let mut query = reward_redemptions::table
            .select(RedemptionRow::as_select())
            .order(reward_redemptions::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(user) = user_id {
            query = query.filter(reward_redemptions::user_id.eq(user.to_owned()));
        }
        if let Some(status) = status {
            query = query.filter(reward_redemptions::status.eq(status));
        }
        if let Some(cursor) = cursor {
            query = query.filter(reward_redemptions::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }
}

/// The cached balance of a person's points ledger.
pub struct BalanceRow;

impl BalanceRow {
    /// Makes sure the person has a balance row (`INSERT … ON CONFLICT DO NOTHING`, so concurrent
    /// first entries do not collide).
    pub fn ensure(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
        use diesel::sql_types::Text;
        let sql =
            "INSERT INTO point_balances (user_id, balance) VALUES ({p}, 0) ON CONFLICT (user_id) DO NOTHING";
        match conn {
            DbConn::Sqlite(c) => {
                diesel::sql_query(sql.replace("{p}", "?")).bind::<Text, _>(user_id).execute(c)
            }
            DbConn::Pg(c) => diesel::sql_query(sql.replace("{p}", "$1")).bind::<Text, _>(user_id).execute(c),
        }
        .map(drop)
    }

    /// Locks the person's balance row until the transaction ends (on PostgreSQL; SQLite write
    /// transactions are serialised anyway), so that checks of their awards today and their
    /// balance are not raced by their own parallel requests.
    pub fn lock(conn: &mut DbConn, user_id: &str) -> QueryResult<()> {
        Self::ensure(conn, user_id)?;
        diesel::update(point_balances::table.find(user_id))
            .set(point_balances::balance.eq(point_balances::balance))
            .execute(conn)
            .map(drop)
    }

    /// Moves the cached balance by `delta`.
    pub fn add(conn: &mut DbConn, user_id: &str, delta: i64) -> QueryResult<()> {
        Self::ensure(conn, user_id)?;
        diesel::update(point_balances::table.find(user_id))
            .set(point_balances::balance.eq(point_balances::balance + delta))
            .execute(conn)
            .map(drop)
    }

    /// Debits `cost` if the balance covers it (a conditional update: concurrent debits queue on
    /// the row and never take it below zero). Returns whether it was debited.
    pub fn debit(conn: &mut DbConn, user_id: &str, cost: i64) -> QueryResult<bool> {
        let n = diesel::update(point_balances::table.find(user_id).filter(point_balances::balance.ge(cost)))
            .set(point_balances::balance.eq(point_balances::balance - cost))
            .execute(conn)?;
        Ok(n == 1)
    }

    /// The cached balance (0 without entries).
    pub fn get(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        Ok(point_balances::table
            .find(user_id)
            .select(point_balances::balance)
            .first(conn)
            .optional()?
            .unwrap_or(0))
    }
}
