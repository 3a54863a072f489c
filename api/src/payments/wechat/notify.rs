//! `POST /api/v1/payments/wechat/notify`: WeChat Pay's asynchronous payment notifications. A
//! plain poem endpoint (outside the OpenAPI service: no bearer token, and the signature covers
//! the raw body, which is read as bytes). Verified before anything is read: the `Wechatpay-*`
//! headers, the serial naming our platform key, the timestamp within 5 minutes of the app clock,
//! the RSA-SHA256 signature; then the resource is decrypted with the API v3 key. A refused
//! notification changes nothing and is answered 401 (sender not proven) or 400 (unreadable).
//!
//! A verified notification is processed once, by its id, in one write transaction with what it
//! does (`domain::ledger::online::decide`): a `SUCCESS` matching a pending request is credited
//! (`routes::escrow::service::credit`) and audited; a retry or duplicate finds its record and
//! changes nothing; an older non-`SUCCESS` event is recorded and changes nothing. Answers follow
//! the protocol: 204 (received), or 4xx/5xx with `{"code": "FAIL", "message": …}` (WeChat Pay
//! retries). A mismatch (merchant, app or amount) is recorded, audited for finance, leaves the
//! request pending and is answered 400, so it stays visible.

use std::sync::Arc;

use poem::web::Data;
use poem::{Body, Request, Response, handler};
use serde::Deserialize;
use shared::domain::ledger::online::{PaymentOutcome, ProviderPayment, Requested, decide};
use shared::dto::FundingChannel;

use super::{Refusal, WechatPay, crypto};
use crate::db::DbConn;
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::funding::FundingRequestRow;
use crate::db::models::wechat_pay::NotificationRow;
use crate::error::ApiError;
use crate::state::{AppState, Outgoing};

/// Largest notification body read (WeChat Pay's are about 1 KB).
const MAX_BODY: usize = 64 * 1024;

/// A notification's envelope.
#[derive(Debug, Deserialize)]
struct Envelope {
    id: String,
    event_type: String,
    resource: Resource,
}

/// The encrypted resource.
#[derive(Debug, Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    nonce: String,
    #[serde(default)]
    associated_data: String,
}

/// The decrypted transaction (fields we do not use are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct PaidTransaction {
    /// Merchant id.
    pub mchid: String,
    /// App id.
    pub appid: String,
    /// Our reference.
    pub out_trade_no: String,
    /// WeChat Pay's transaction id.
    pub transaction_id: String,
    /// `SUCCESS`, `NOTPAY`, `CLOSED`, `REFUND`, `USERPAYING`, `PAYERROR`.
    pub trade_state: String,
    /// When it was paid.
    #[serde(default)]
    pub success_time: Option<String>,
    /// The amounts.
    pub amount: Amount,
}

/// A transaction's amounts, fen.
#[derive(Debug, Clone, Deserialize)]
pub struct Amount {
    /// The order's amount.
    pub total: i64,
    /// What the payer paid (less than `total` with a coupon).
    #[serde(default)]
    pub payer_total: Option<i64>,
}

/// A verified, decrypted notification.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The notification id.
    pub id: String,
    /// `TRANSACTION.SUCCESS` …
    pub event_type: String,
    /// The transaction.
    pub transaction: PaidTransaction,
}

impl WechatPay {
    /// Verifies a notification's headers and signature and decrypts its resource.
    pub fn read_notification(
        &self,
        headers: &poem::http::HeaderMap,
        body: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Verified, Refusal> {
        self.verify_signed(headers, body, now)?;
        let envelope: Envelope =
            serde_json::from_slice(body).map_err(|_| Refusal::Unreadable("not a notification"))?;
        if envelope.resource.algorithm != "AEAD_AES_256_GCM" {
            return Err(Refusal::Unreadable("unknown algorithm"));
        }
        let r = &envelope.resource;
        let plain = crypto::decrypt(&self.api_v3_key, &r.nonce, &r.associated_data, &r.ciphertext)
            .map_err(|_| Refusal::Unreadable("the resource does not decrypt"))?;
        let transaction =
            serde_json::from_slice(&plain).map_err(|_| Refusal::Unreadable("not a transaction"))?;
        Ok(Verified { id: envelope.id, event_type: envelope.event_type, transaction })
    }
}

/// The protocol's failure answer.
fn fail(status: u16, message: &str) -> Response {
    let body = serde_json::json!({ "code": "FAIL", "message": message }).to_string();
    Response::builder()
        .status(poem::http::StatusCode::from_u16(status).unwrap_or(poem::http::StatusCode::BAD_REQUEST))
        .content_type("application/json")
        .body(body)
}

fn audit_event(
    conn: &mut DbConn,
    action: &str,
    request_id: &str,
    v: &Verified,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let t = &v.transaction;
    let details = serde_json::json!({
        "notification_id": v.id, "transaction_id": t.transaction_id, "out_trade_no": t.out_trade_no,
        "trade_state": t.trade_state, "total_fen": t.amount.total, "payer_total_fen": t.amount.payer_total,
        "success_time": t.success_time, "mchid": t.mchid, "appid": t.appid,
    });
    let event = AuditEvent {
        actor_user_id: None,
        actor_label: "wechat_pay",
        action,
        subject_type: "funding_request",
        subject_id: request_id,
        details,
        ip: None,
    };
    audit::append(conn, &event, at)?;
    Ok(())
}

/// Processes a verified notification once (see the module doc); answers what it did.
pub fn process(
    conn: &mut DbConn,
    out: &mut Outgoing,
    wechat: &WechatPay,
    v: &Verified,
) -> Result<PaymentOutcome, ApiError> {
    audit::serialise(conn)?;
    if let Some(seen) = NotificationRow::find(conn, &v.id)? {
        let again = if seen.outcome == PaymentOutcome::Mismatch.as_str() {
            PaymentOutcome::Mismatch
        } else {
            PaymentOutcome::AlreadyPaid
        };
        return Ok(again);
    }
    let t = &v.transaction;
    let at = crate::db::now();
    let request = FundingRequestRow::by_references(conn, std::slice::from_ref(&t.out_trade_no))?
        .into_iter()
        .find(|r| r.channel == FundingChannel::WechatPay);
    let payment = ProviderPayment {
        ours: t.mchid == wechat.mchid && t.appid == wechat.appid,
        paid: t.trade_state == "SUCCESS",
        total_fen: t.amount.total,
    };
    let outcome =
        decide(payment, request.as_ref().map(|r| Requested { amount_fen: r.amount_fen, status: r.status }));
    let mut ledger_transaction_id = None;
    if let Some(request) = &request {
        match outcome {
            PaymentOutcome::Credit => {
                FundingRequestRow::provider_state(conn, &request.id, &t.trade_state)?;
                let source = ("wechat_pay_notification", v.id.as_str());
                ledger_transaction_id =
                    Some(crate::routes::escrow::service::credit(conn, out, request, source, None, at)?);
                audit_event(conn, "payments.wechat_credited", &request.id, v, at)?;
            }
            PaymentOutcome::NotPaid => FundingRequestRow::provider_state(conn, &request.id, &t.trade_state)?,
            PaymentOutcome::Mismatch => audit_event(conn, "payments.wechat_mismatch", &request.id, v, at)?,
            PaymentOutcome::RequestNotPending => {
                audit_event(conn, "payments.wechat_request_not_pending", &request.id, v, at)?
            }
            PaymentOutcome::AlreadyPaid | PaymentOutcome::UnknownOrder => {}
        }
    }
    NotificationRow {
        id: v.id.clone(),
        event_type: v.event_type.clone(),
        transaction_id: t.transaction_id.clone(),
        out_trade_no: t.out_trade_no.clone(),
        trade_state: t.trade_state.clone(),
        amount_total: t.amount.total,
        funding_request_id: request.map(|r| r.id),
        ledger_transaction_id,
        outcome: outcome.as_str().to_owned(),
        received_at: at,
    }
    .insert(conn)?;
    Ok(outcome)
}

/// `POST /api/v1/payments/wechat/notify` (see the module doc).
#[handler]
pub async fn notify(state: Data<&AppState>, req: &Request, body: Body) -> Response {
    let Some(wechat) = state.payments.wechat.clone() else {
        return fail(404, "WeChat Pay is not configured");
    };
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY).await else {
        return fail(413, "the notification is too large");
    };
    let verified = match wechat.read_notification(req.headers(), &bytes, crate::db::now().and_utc()) {
        Ok(v) => v,
        Err(refusal) => {
            tracing::warn!(%refusal, "WeChat Pay notification refused");
            return fail(refusal.status(), &refusal.to_string());
        }
    };
    let w: Arc<WechatPay> = wechat;
    match state.write(move |c, out| process(c, out, &w, &verified)).await {
        Ok(outcome) if outcome.acknowledged() => {
            Response::builder().status(poem::http::StatusCode::NO_CONTENT).finish()
        }
        Ok(_) => fail(
            400,
            "the payment does not match its funding request (merchant, app or amount); left for finance",
        ),
        Err(error) => {
            tracing::error!(?error, "processing a WeChat Pay notification failed");
            fail(500, "not processed; retry")
        }
    }
}
