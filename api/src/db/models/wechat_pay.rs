//! `wechat_pay_notifications`: every WeChat Pay notification that passed the signature check,
//! once by its notification id, with what it did (see `crate::payments::wechat::notify`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::wechat_pay_notifications;

/// A processed notification.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = wechat_pay_notifications)]
pub struct NotificationRow {
    /// WeChat Pay's notification id.
    pub id: String,
    /// `TRANSACTION.SUCCESS` …
    pub event_type: String,
    /// WeChat Pay's transaction id (微信支付订单号).
    pub transaction_id: String,
    /// Our reference.
    pub out_trade_no: String,
    /// `SUCCESS`, `NOTPAY`, `CLOSED` …
    pub trade_state: String,
    /// The order's amount, fen.
    pub amount_total: i64,
    /// The request it concerned, when known.
    pub funding_request_id: Option<String>,
    /// The ledger transaction it posted (`credited` only).
    pub ledger_transaction_id: Option<String>,
    /// What it did: `credited`, `already_paid`, `not_paid`, `request_not_pending`,
    /// `unknown_order`, `mismatch`.
    pub outcome: String,
    /// When it was processed.
    pub received_at: NaiveDateTime,
}

impl NotificationRow {
    /// One notification by its id.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<NotificationRow>> {
        wechat_pay_notifications::table.find(id).select(NotificationRow::as_select()).first(conn).optional()
    }

    /// Inserts a processed notification.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(wechat_pay_notifications::table).values(self).execute(conn).map(drop)
    }
}
