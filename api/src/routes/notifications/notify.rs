//! The notification centre's write side: notifications are stored inside the transaction of
//! the event that causes them, then published to the live streams of this process after the
//! commit. A stream that falls behind is told to reload (it never loses stored notifications).

use shared::domain::notices::{Message, Texts};
use shared::dto::{Notification, NotificationKind};
use tokio::sync::broadcast;

use crate::db::models::notifications::NotificationRow;
use crate::db::models::orgs::MembershipRow;
use crate::db::{DbConn, new_id, now};

/// What to tell whom.
pub struct Notice<'a> {
    /// Kind.
    pub kind: NotificationKind,
    /// The text in Chinese and English.
    pub texts: Texts,
    /// SPA path.
    pub link: String,
    /// The organisation concerned.
    pub org_id: Option<&'a str>,
}

impl<'a> Notice<'a> {
    /// A notice saying `message` (its kind and text from `shared::domain::notices`).
    pub fn new(message: &impl Message, link: impl Into<String>, org_id: Option<&'a str>) -> Self {
        Self { kind: message.kind(), texts: message.texts(), link: link.into(), org_id }
    }
}

/// Live fan-out of new notifications to open streams.
#[derive(Clone)]
pub struct Notifier {
    sender: broadcast::Sender<(String, Notification)>,
}

impl Default for Notifier {
    fn default() -> Self {
        Self { sender: broadcast::channel(1024).0 }
    }
}

impl Notifier {
    /// A receiver of every new notification with its recipient.
    pub fn subscribe(&self) -> broadcast::Receiver<(String, Notification)> {
        self.sender.subscribe()
    }

    /// Sends stored notifications to open streams (call after the commit).
    pub fn publish(&self, sent: Vec<(String, Notification)>) {
        for item in sent {
            // No open stream is not an error: the notification is stored.
            let _ = self.sender.send(item);
        }
    }
}

/// A stored row as the API shows it.
pub fn dto(row: NotificationRow) -> Notification {
    Notification {
        id: row.id,
        kind: row.kind,
        title: row.title,
        body: row.body,
        title_en: row.title_en,
        body_en: row.body_en,
        link: row.link,
        org_id: row.org_id,
        created_at: row.created_at.and_utc(),
        read_at: row.read_at.map(|t| t.and_utc()),
    }
}

/// Stores `notice` for each of `users` (each once); returns what to publish after commit.
pub fn store(
    conn: &mut DbConn,
    users: &[String],
    notice: &Notice<'_>,
) -> diesel::QueryResult<Vec<(String, Notification)>> {
    let at = now();
    let mut unique: Vec<&String> = users.iter().collect();
    unique.sort();
    unique.dedup();
    let rows: Vec<NotificationRow> = unique
        .into_iter()
        .map(|user| NotificationRow {
            id: new_id(),
            user_id: user.clone(),
            kind: notice.kind,
            title: notice.texts.zh.title.clone(),
            body: notice.texts.zh.body.clone(),
            title_en: notice.texts.en.title.clone(),
            body_en: notice.texts.en.body.clone(),
            link: notice.link.clone(),
            org_id: notice.org_id.map(str::to_owned),
            created_at: at,
            read_at: None,
        })
        .collect();
    NotificationRow::insert_all(conn, &rows)?;
    Ok(rows.into_iter().map(|row| (row.user_id.clone(), dto(row))).collect())
}

/// Stores `notice` for every member of `org_id`.
pub fn store_for_org(
    conn: &mut DbConn,
    org_id: &str,
    notice: &Notice<'_>,
) -> diesel::QueryResult<Vec<(String, Notification)>> {
    let members: Vec<String> =
        MembershipRow::list(conn, org_id)?.into_iter().map(|(m, _)| m.user_id).collect();
    store(conn, &members, notice)
}

/// Open live streams per person in this process, capped so one account cannot hold an
/// unbounded number of connections. A slot is handed back when its stream is dropped.
#[derive(Clone, Default)]
pub struct StreamSlots {
    open: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

/// One open stream's place; dropping it frees the place.
pub struct StreamSlot {
    slots: StreamSlots,
    user_id: String,
}

impl StreamSlots {
    /// Takes a place for `user_id`, or `None` when `cap` streams are open already.
    pub fn take(&self, user_id: &str, cap: usize) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(user_id.to_owned()).or_default();
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(StreamSlot { slots: self.clone(), user_id: user_id.to_owned() })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_slots_are_capped_per_person_and_freed_on_drop() {
        let slots = StreamSlots::default();
        let a = slots.take("u1", 2).expect("first");
        let _b = slots.take("u1", 2).expect("second");
        assert!(slots.take("u1", 2).is_none());
        assert!(slots.take("u2", 2).is_some());
        drop(a);
        assert!(slots.take("u1", 2).is_some());
    }
}
