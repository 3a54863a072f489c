//! `outbox_messages`: SMS and e-mail waiting for (or done with) delivery. Written in the same
//! transaction as the change that causes them; a background worker hands them to the sender.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::outbox_messages;

/// Not yet handed to a sender.
pub const STATUS_PENDING: &str = "pending";
/// Delivered by a gateway.
pub const STATUS_SENT: &str = "sent";
/// No gateway configured: kept in the outbox only (the default here).
pub const STATUS_RECORDED: &str = "recorded";
/// The sender failed too many times.
pub const STATUS_FAILED: &str = "failed";

/// An outbox row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = outbox_messages)]
pub struct OutboxMessage {
    pub id: String,
    pub channel: String,
    pub destination: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

impl OutboxMessage {
    /// Queues a message.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(outbox_messages::table).values(self).execute(conn).map(drop)
    }

    /// The oldest pending messages.
    pub fn pending(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutboxMessage>> {
        outbox_messages::table
            .filter(outbox_messages::status.eq(STATUS_PENDING))
            .order(outbox_messages::id.asc())
            .limit(limit)
            .select(OutboxMessage::as_select())
            .load(conn)
    }

    /// Records the outcome of one delivery attempt.
    pub fn mark(conn: &mut DbConn, id: &str, status: &str, now: Option<NaiveDateTime>) -> QueryResult<()> {
        diesel::update(outbox_messages::table.find(id))
            .set((
                outbox_messages::status.eq(status),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::delivered_at.eq(now),
            ))
            .execute(conn)
            .map(drop)
    }

    /// The newest messages, optionally to one destination (operator CLI, tests).
    pub fn recent(
        conn: &mut DbConn,
        destination: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<OutboxMessage>> {
        let mut query = outbox_messages::table.select(OutboxMessage::as_select()).into_boxed();
        if let Some(to) = destination {
            query = query.filter(outbox_messages::destination.eq(to.to_owned()));
        }
        query.order(outbox_messages::id.desc()).limit(limit).load(conn)
    }

    /// Removes messages to an address (account deletion erases what was sent to the person).
    pub fn erase_for(conn: &mut DbConn, destination: &str) -> QueryResult<()> {
        diesel::delete(outbox_messages::table.filter(outbox_messages::destination.eq(destination)))
            .execute(conn)
            .map(drop)
    }
}
