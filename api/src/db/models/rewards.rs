//! The rewards catalogue, redemptions, and the cached points balance per person.

use chrono::NaiveDateTime;
use diesel::prelude::*;

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

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(rewards::table.find(&self.id)).set(self).execute(conn).map(drop)
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
    pub status: String,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
}

impl RedemptionRow {
    /// Inserts a redemption.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(reward_redemptions::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(reward_redemptions::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One redemption.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<RedemptionRow>> {
        reward_redemptions::table.find(id).select(RedemptionRow::as_select()).first(conn).optional()
    }

    /// Redemptions newest first after `cursor`: one person's, or (staff) those with `status`.
    pub fn page(
        conn: &mut DbConn,
        user_id: Option<&str>,
        status: Option<&str>,
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
            query = query.filter(reward_redemptions::status.eq(status.to_owned()));
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
    /// Moves the cached balance by `delta` (creating it at the first entry).
    pub fn add(conn: &mut DbConn, user_id: &str, delta: i64) -> QueryResult<()> {
        let n = diesel::update(point_balances::table.find(user_id))
            .set(point_balances::balance.eq(point_balances::balance + delta))
            .execute(conn)?;
        if n == 0 {
            diesel::insert_into(point_balances::table)
                .values((point_balances::user_id.eq(user_id), point_balances::balance.eq(delta)))
                .execute(conn)?;
        }
        Ok(())
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
