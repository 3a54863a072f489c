//! `notifications` and `stream_tickets`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{notifications, stream_tickets};

/// A notification row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub kind: shared::dto::NotificationKind,
    pub title: String,
    pub body: String,
    pub link: String,
    pub org_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    pub title_en: String,
    pub body_en: String,
}

impl NotificationRow {
    /// Inserts notifications.
    pub fn insert_all(conn: &mut DbConn, rows: &[NotificationRow]) -> QueryResult<()> {
        // One statement per row: diesel's MultiConnection has no batch insert.
        for row in rows {
            diesel::insert_into(notifications::table).values(row).execute(conn)?;
        }
        Ok(())
    }

    /// A person's notifications: newest first before `cursor`, or (with `after`) the ones newer
    /// than `after`, oldest first.
    pub fn page(
        conn: &mut DbConn,
        user_id: &str,
        cursor: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<NotificationRow>> {
        let query = notifications::table.filter(notifications::user_id.eq(user_id)).limit(limit).into_boxed();
        match after {
            Some(after) => {
                query.filter(notifications::id.gt(after.to_owned())).order(notifications::id.asc())
            }
            None => query
                .filter(notifications::id.lt(cursor.unwrap_or("~").to_owned()))
                .order(notifications::id.desc()),
        }
        .select(NotificationRow::as_select())
        .load(conn)
    }

    /// Unread notifications of a person.
    pub fn unread(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null())
            .count()
            .get_result(conn)
    }

    /// Marks one read; `false` when it is not the person's.
    pub fn mark_read(conn: &mut DbConn, user_id: &str, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let mine = notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::user_id.eq(user_id))
            .count()
            .get_result::<i64>(conn)?;
        diesel::update(
            notifications::table
                .filter(notifications::id.eq(id))
                .filter(notifications::user_id.eq(user_id))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(at))
        .execute(conn)?;
        Ok(mine == 1)
    }

    /// Marks all of a person's notifications read.
    pub fn mark_all_read(conn: &mut DbConn, user_id: &str, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(
            notifications::table
                .filter(notifications::user_id.eq(user_id))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(at))
        .execute(conn)
    }
}

/// A stream ticket row (the ticket itself is stored as its SHA-256).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = stream_tickets)]
pub struct StreamTicketRow {
    pub ticket_hash: String,
    pub user_id: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    /// The session that asked for the ticket; the stream ends with it.
    pub session_id: Option<String>,
}

impl StreamTicketRow {
    /// Stores a ticket and drops expired ones.
    pub fn insert(&self, conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<()> {
        diesel::delete(stream_tickets::table.filter(stream_tickets::expires_at.lt(now))).execute(conn)?;
        diesel::insert_into(stream_tickets::table).values(self).execute(conn).map(drop)
    }

    /// Uses a ticket once: the person and session it was issued to, if it was valid and unused.
    pub fn redeem(
        conn: &mut DbConn,
        hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<(String, Option<String>)>> {
        let n = diesel::update(
            stream_tickets::table
                .find(hash)
                .filter(stream_tickets::used_at.is_null())
                .filter(stream_tickets::expires_at.gt(now)),
        )
        .set(stream_tickets::used_at.eq(now))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        stream_tickets::table
            .find(hash)
            .select((stream_tickets::user_id, stream_tickets::session_id))
            .first(conn)
            .map(Some)
    }
}
