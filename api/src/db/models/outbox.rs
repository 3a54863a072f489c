//! `outbox_messages`: SMS and e-mail waiting for (or done with) delivery. Written in the same
//! transaction as the change that causes them; a background worker hands them to the sender.
//! A message carrying a one-time code names it in `code_id`; once that code is used, replaced,
//! out of guesses or expired, the code is scrubbed from the stored text (see [`redact_codes`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::models::codes::MAX_ATTEMPTS;
use crate::db::schema::{one_time_codes, outbox_messages};

pub use shared::domain::messaging::{MessageChannel, OutboxStatus};

/// An outbox row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = outbox_messages)]
pub struct OutboxMessage {
    pub id: String,
    pub channel: MessageChannel,
    pub destination: String,
    pub subject: String,
    pub body: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    /// The one-time code in the text, until the code is dead and the text scrubbed.
    pub code_id: Option<String>,
}

impl OutboxMessage {
    /// Queues a message.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(outbox_messages::table).values(self).execute(conn).map(drop)
    }

    /// The oldest pending messages.
    pub fn pending(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutboxMessage>> {
        outbox_messages::table
            .filter(outbox_messages::status.eq(OutboxStatus::Pending))
            .order(outbox_messages::id.asc())
            .limit(limit)
            .select(OutboxMessage::as_select())
            .load(conn)
    }

    /// Records the outcome of one delivery attempt.
    pub fn mark(
        conn: &mut DbConn,
        id: &str,
        status: OutboxStatus,
        now: Option<NaiveDateTime>,
    ) -> QueryResult<()> {
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

    /// Scrubs the code from messages carrying a code that can no longer be used (consumed,
    /// replaced, out of guesses or expired at `now`); returns how many were scrubbed. The text
    /// stays (the person may ask for it in an export), the code becomes `******`.
    pub fn scrub_dead_codes(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
        let dead = one_time_codes::table
            .filter(
                one_time_codes::consumed_at
                    .is_not_null()
                    .or(one_time_codes::expires_at.le(now))
                    .or(one_time_codes::attempts.ge(MAX_ATTEMPTS)),
            )
            .select(one_time_codes::id);
        let carrying: Vec<(String, String)> = outbox_messages::table
            .filter(outbox_messages::code_id.is_not_null())
            .filter(outbox_messages::code_id.assume_not_null().eq_any(dead))
            .select((outbox_messages::id, outbox_messages::body))
            .load(conn)?;
        for (id, body) in &carrying {
            diesel::update(outbox_messages::table.find(id))
                .set((
                    outbox_messages::body.eq(redact_codes(body)),
                    outbox_messages::code_id.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        Ok(carrying.len())
    }
}

/// Hides one-time codes (runs of exactly six digits) in a message text.
pub fn redact_codes(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 6 {
            out.push_str("******");
        } else {
            out.extend(&chars[i..i + run.max(1)]);
        }
        i += run.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact_codes;

    #[test]
    fn stored_and_exported_messages_never_show_a_dead_code() {
        assert_eq!(redact_codes("验证码 123456，10 分钟内有效"), "验证码 ******，10 分钟内有效");
        assert_eq!(redact_codes("编号 D332012345 到期"), "编号 D332012345 到期");
        assert_eq!(redact_codes("654321"), "******");
    }
}
