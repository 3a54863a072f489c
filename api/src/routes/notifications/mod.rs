//! `/notifications`: the signed-in person's notification centre, the unread count, marking
//! read, and the live stream (server-sent events) opened with a single-use ticket.

pub mod notify;

use std::time::Duration;

use futures_util::stream::{self, BoxStream, StreamExt};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{EventStream, Json};
use poem_openapi::types::ToJSON;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::*;
use shared::error::ErrorCode;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::crypto::{random_token, sha256_hex};
use crate::auth::session::BearerAuth;
use crate::db::models::notifications::{NotificationRow, StreamTicketRow};
use crate::db::models::sessions::Session;
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::market;
use crate::routes::ApiTags;
use crate::state::AppState;

/// How long a stream ticket is accepted.
const TICKET_TTL_SECS: i64 = 60;

/// Notifications.
pub struct NotificationsApi;

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum TicketCreated {
    /// The ticket; open the stream within 60 seconds.
    #[oai(status = 201)]
    Created(Json<StreamTicket>, #[oai(header = "Cache-Control")] String),
}

/// One event of the live stream; the SSE event name (`ready`, `notification`) equals `type`.
#[derive(Debug, Clone, poem_openapi::Union)]
#[oai(discriminator_name = "type", one_of = true)]
enum StreamEvent {
    /// Sent first: the unread count when the stream opened.
    #[oai(mapping = "ready")]
    Ready(UnreadCount),
    /// A new notification.
    #[oai(mapping = "notification")]
    Notification(Notification),
}

#[OpenApi(tag = "ApiTags::Notifications")]
impl NotificationsApi {
    /// Your notifications with the unread count: newest first (pages by `cursor`), or with
    /// `after` (a notification id) the ones newer than it, oldest first — for clients that
    /// poll instead of streaming.
    #[oai(path = "/notifications", method = "get", operation_id = "list_notifications")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
        #[oai(validator(max_length = 64))] after: Query<Option<String>>,
    ) -> Result<Json<NotificationPage>, ApiError> {
        let limit = market::limit(limit.0);
        let user = auth.0.user_id;
        let page = state
            .db
            .run(move |c| {
                let rows =
                    NotificationRow::page(c, &user, cursor.0.as_deref(), after.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let unread = NotificationRow::unread(c, &user)?;
                Ok::<_, ApiError>(NotificationPage {
                    items: rows.into_iter().map(notify::dto).collect(),
                    unread,
                    next_cursor,
                })
            })
            .await?;
        Ok(Json(page))
    }

    /// Your unread count (for the header badge).
    #[oai(
        path = "/notifications/unread-count",
        method = "get",
        operation_id = "get_notification_unread_count"
    )]
    async fn unread(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Json<UnreadCount>, ApiError> {
        let unread = state
            .db
            .run(move |c| NotificationRow::unread(c, &auth.0.user_id).map_err(ApiError::from))
            .await?;
        Ok(Json(UnreadCount { unread }))
    }

    /// Mark one of your notifications read.
    #[oai(path = "/notifications/:id/read", method = "post", operation_id = "create_notification_read")]
    async fn mark_read(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Done, ApiError> {
        let mine = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    NotificationRow::mark_read(c, &auth.0.user_id, &id.0, now()).map_err(ApiError::from)
                })
            })
            .await?;
        if mine {
            Ok(Done::NoContent)
        } else {
            Err(ApiError::new(ErrorCode::NotFound, "notification not found"))
        }
    }

    /// Mark all your notifications read.
    #[oai(path = "/notifications/read-all", method = "post", operation_id = "create_notifications_read_all")]
    async fn mark_all_read(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Done, ApiError> {
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    NotificationRow::mark_all_read(c, &auth.0.user_id, now()).map_err(ApiError::from)
                })
            })
            .await?;
        Ok(Done::NoContent)
    }

    /// A single-use ticket (valid 60 s) for `GET /notifications/stream`, whose EventSource
    /// cannot send the bearer token.
    #[oai(
        path = "/notifications/stream-tickets",
        method = "post",
        operation_id = "create_notification_stream_ticket"
    )]
    async fn ticket(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<TicketCreated, ApiError> {
        let ticket = random_token(32);
        let at = now();
        let expires_at = at + chrono::Duration::seconds(TICKET_TTL_SECS);
        let row = StreamTicketRow {
            ticket_hash: sha256_hex(&ticket),
            user_id: auth.0.user_id,
            expires_at,
            used_at: None,
            session_id: Some(auth.0.session_id),
        };
        state.db.run(move |c| write_tx(c, |c| row.insert(c, at).map_err(ApiError::from))).await?;
        Ok(TicketCreated::Created(
            Json(StreamTicket { ticket, expires_at: expires_at.and_utc() }),
            "no-store".into(),
        ))
    }

    /// The live stream (server-sent events): first a `ready` event with the unread count,
    /// then each new notification as it happens. Opened with a ticket from
    /// `POST /notifications/stream-tickets`; a used or expired ticket gets 401. Keep-alive
    /// comments every 15 s. The stream belongs to the session that asked for the ticket and
    /// ends when that session ends (logout, revocation, password change); a person may hold
    /// `max_streams_per_user` streams at once (429 beyond).
    #[oai(path = "/notifications/stream", method = "get", operation_id = "get_notification_stream")]
    async fn stream(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 128))] ticket: Query<String>,
    ) -> Result<EventStream<BoxStream<'static, StreamEvent>>, ApiError> {
        let hash = sha256_hex(&ticket.0);
        let receiver = state.notifier.subscribe();
        let (user, session, unread) = state
            .db
            .run(move |c| {
                let (user, session) =
                    write_tx(c, |c| StreamTicketRow::redeem(c, &hash, now()).map_err(ApiError::from))?
                        .ok_or_else(|| {
                            ApiError::new(
                                ErrorCode::Unauthenticated,
                                "the stream ticket is invalid, used or expired",
                            )
                        })?;
                let unread = NotificationRow::unread(c, &user)?;
                Ok::<_, ApiError>((user, session, unread))
            })
            .await?;
        let slot = state
            .streams
            .take(&user, state.config.max_streams_per_user)
            .ok_or_else(|| ApiError::rate_limited(state.config.stream_session_check_secs.max(1)))?;
        let watch = SessionWatch {
            state: state.clone(),
            user,
            session,
            check: tokio::time::interval(Duration::from_secs(state.config.stream_session_check_secs.max(1))),
            _slot: slot,
        };
        let live = live_notifications(receiver, watch);
        let events =
            stream::once(async move { StreamEvent::Ready(UnreadCount { unread }) }).chain(live).boxed();
        // Keep-alives also reveal a closed connection, which frees the stream's place.
        let keep_alive = Duration::from_secs(state.config.stream_session_check_secs.clamp(1, 15));
        Ok(EventStream::new(events).keep_alive(keep_alive).to_event(|event| {
            let name = match &event {
                StreamEvent::Ready(_) => "ready",
                StreamEvent::Notification(_) => "notification",
            };
            poem::web::sse::Event::message(event.to_json_string()).event_type(name)
        }))
    }
}

/// The notifications of the watched person as they are published, until the session ends or
/// the fan-out closes; a lagging receiver skips what it missed (the client reloads).
fn live_notifications(
    receiver: tokio::sync::broadcast::Receiver<(String, Notification)>,
    watch: SessionWatch,
) -> impl futures_util::Stream<Item = StreamEvent> + Send + 'static {
    stream::unfold((receiver, watch), |(mut receiver, mut watch)| async move {
        loop {
            tokio::select! {
                received = receiver.recv() => match received {
                    Ok((to, notification)) if to == watch.user => {
                        return Some((StreamEvent::Notification(notification), (receiver, watch)));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
                _ = watch.check.tick() => {
                    if !watch.still_live().await {
                        return None;
                    }
                }
            }
        }
    })
}

/// What a live stream re-checks: the session it was opened for (and its place under the cap,
/// freed when the stream is dropped).
struct SessionWatch {
    state: AppState,
    user: String,
    session: Option<String>,
    check: tokio::time::Interval,
    _slot: notify::StreamSlot,
}

impl SessionWatch {
    /// Whether the stream's session (and account) is still live; a ticket from before sessions
    /// were recorded ends at the first check.
    async fn still_live(&self) -> bool {
        let Some(session) = self.session.clone() else { return false };
        let user = self.user.clone();
        self.state
            .db
            .run(move |c| Session::is_live(c, &session, &user).map_err(ApiError::from))
            .await
            .unwrap_or(false)
    }
}
