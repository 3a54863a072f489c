//! Delivery of queued SMS and e-mail. Senders are pluggable per deployment; no gateway is
//! reachable here, so the default [`RecordingSender`] keeps each message in the outbox with
//! status `recorded` (operators read them with `gongzhu outbox`).
//!
//! One-time codes stay readable in the stored text only while they can still be used: the
//! code is replaced by `******` when it is consumed or replaced, and the worker scrubs codes
//! that expired or ran out of guesses once a minute. Account deletion removes the person's
//! messages altogether.

use crate::db::Db;
use crate::db::models::outbox::{OutboxMessage, OutboxStatus};

/// Attempts before a message is marked failed.
const MAX_ATTEMPTS: i32 = 5;

/// What happened to one message.
pub enum Delivery {
    /// A gateway accepted it.
    Sent,
    /// Kept in the outbox only.
    Recorded,
    /// The gateway refused or was unreachable; try again later.
    Failed(String),
}

/// A channel to people's phones or mailboxes.
pub trait MessageSender: Send + Sync {
    /// Delivers one message.
    fn deliver(&self, message: &OutboxMessage) -> Delivery;
}

/// The default sender: no gateway, the outbox row is the record.
pub struct RecordingSender;

impl MessageSender for RecordingSender {
    fn deliver(&self, message: &OutboxMessage) -> Delivery {
        tracing::info!(id = %message.id, channel = %message.channel, "outbox message recorded (no gateway configured)");
        Delivery::Recorded
    }
}

/// Delivers pending messages once; returns how many were handled.
pub fn deliver_pending(db: &Db, sender: &dyn MessageSender) -> Result<usize, crate::db::DbError> {
    let mut conn = db.get()?;
    let pending = OutboxMessage::pending(&mut conn, 100)?;
    for message in &pending {
        let now = crate::db::now();
        match sender.deliver(message) {
            Delivery::Sent => OutboxMessage::mark(&mut conn, &message.id, OutboxStatus::Sent, Some(now))?,
            Delivery::Recorded => {
                OutboxMessage::mark(&mut conn, &message.id, OutboxStatus::Recorded, Some(now))?
            }
            Delivery::Failed(why) => {
                tracing::warn!(id = %message.id, "outbox delivery failed: {why}");
                let status =
                    if message.attempts + 1 >= MAX_ATTEMPTS { OutboxStatus::Failed } else { message.status };
                OutboxMessage::mark(&mut conn, &message.id, status, None)?;
            }
        }
    }
    Ok(pending.len())
}

/// Scrubs one-time codes that can no longer be used from the stored message texts.
pub fn scrub_dead_codes(db: &Db) -> Result<usize, crate::db::DbError> {
    let mut conn = db.get()?;
    Ok(OutboxMessage::scrub_dead_codes(&mut conn, crate::db::now())?)
}
