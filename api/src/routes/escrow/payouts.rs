//! Withdrawals (提现): `/orgs/{id}/bank-account` (the account money goes to: sealed at rest,
//! shown masked, set by an owner or admin with re-authentication), `/orgs/{id}/payouts` (ask
//! for a withdrawal — the amount moves to `payout_pending` at once — list, cancel) and the
//! finance console's `/finance/payouts` (queue, approve / confirm sent / reject under dual
//! control above `payout_second_approval_above_fen`, audited reveal of the full number).
//! Rules: `shared::domain::ledger::payout`. Creating, cancelling and deciding are money-moving
//! POSTs (`Idempotency-Key` required, claimed in the same transaction as the postings).

use chrono::NaiveDateTime;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::ledger::ops;
use shared::domain::ledger::payout::{self as rules, ControlRefusal, Payout, masked};
use shared::domain::notices::escrow::EscrowNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use super::service::refused;
use crate::auth::crypto::{seal, unseal};
use crate::auth::session::{BearerAuth, ClientInfo};
use crate::db::models::audit::{self, AuditEvent};
use crate::db::models::ledger::{Meta, post};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::payouts::{BankAccountRow, PayoutRow};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::idempotency::MoneyKey;
use crate::routes::ApiTags;
use crate::routes::auth::accounts::{load_user, reauthenticate};
use crate::routes::notifications::notify::Notice;
use crate::routes::orgs::service::{acting_role, managing_role};
use crate::routes::staff::service::audit as staff_audit;
use crate::state::{AppState, Outgoing};

/// Withdrawals and the bank account.
pub struct PayoutsApi;

#[derive(ApiResponse)]
enum PayoutCreated {
    /// The withdrawal, waiting for finance.
    #[oai(status = 201)]
    Created(Json<PayoutView>, #[oai(header = "Location")] String),
}

fn payout_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "withdrawal not found")
}

fn control_refused(refusal: &ControlRefusal) -> ApiError {
    let (field, issue) = refusal.issue();
    let code = if matches!(refusal, ControlRefusal::SameOfficer) {
        ErrorCode::Forbidden
    } else {
        ErrorCode::Conflict
    };
    ApiError::new(code, refusal.to_string()).with_detail(field, issue)
}

fn bank_view(row: &BankAccountRow) -> BankAccountView {
    BankAccountView {
        id: row.id.clone(),
        org_id: row.org_id.clone(),
        account_name: row.account_name.clone(),
        bank_name: row.bank_name.clone(),
        branch: row.branch.clone(),
        masked_number: row.masked_number.clone(),
        created_by: row.created_by.clone(),
        created_at: row.created_at.and_utc(),
    }
}

/// Withdrawals as shown, with their accounts and organisations.
fn payout_views(
    conn: &mut DbConn,
    rows: Vec<PayoutRow>,
    threshold_fen: i64,
) -> Result<Vec<PayoutView>, ApiError> {
    let account_ids: Vec<String> = rows.iter().map(|r| r.bank_account_id.clone()).collect();
    let accounts = BankAccountRow::by_ids(conn, &account_ids)?;
    let org_ids: Vec<&str> = rows.iter().map(|r| r.org_id.as_str()).collect();
    let orgs = OrganisationRow::find_many(conn, &org_ids)?;
    rows.into_iter()
        .map(|row| {
            let account = accounts
                .iter()
                .find(|a| a.id == row.bank_account_id)
                .ok_or_else(|| ApiError::internal("a withdrawal without its bank account"))?;
            Ok(PayoutView {
                org_name: orgs
                    .iter()
                    .find(|o| o.id == row.org_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                needs_second_officer: rules::needs_second_officer(row.amount_fen, threshold_fen),
                bank_account: bank_view(account),
                id: row.id,
                org_id: row.org_id,
                amount_fen: row.amount_fen,
                status: row.status,
                requested_by: row.requested_by,
                requested_at: row.requested_at.and_utc(),
                approved_by: row.approved_by,
                approved_at: row.approved_at.map(|t| t.and_utc()),
                decided_by: row.decided_by,
                decided_at: row.decided_at.map(|t| t.and_utc()),
                bank_reference: row.bank_reference,
                reason: row.reason,
            })
        })
        .collect()
}

fn payout_view(conn: &mut DbConn, row: PayoutRow, threshold_fen: i64) -> Result<PayoutView, ApiError> {
    payout_views(conn, vec![row], threshold_fen)?.pop().ok_or_else(payout_not_found)
}

/// An organisation member's audited action (who, from where).
fn member_audit(
    conn: &mut DbConn,
    (user, client): (&str, &ClientInfo),
    action: &str,
    subject: (&str, &str),
    details: serde_json::Value,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        actor_user_id: Some(user),
        actor_label: "user",
        action,
        subject_type: subject.0,
        subject_id: subject.1,
        details,
        ip: client.ip.as_deref(),
    };
    audit::append(conn, &event, at)?;
    Ok(())
}

/// Posts a withdrawal's movement (`memo` names the withdrawal).
fn move_money(
    conn: &mut DbConn,
    tx: Result<shared::domain::ledger::Transaction, shared::domain::ledger::LedgerRefusal>,
    payout_id: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let tx = tx.map_err(|r| refused(&r))?;
    let meta = Meta {
        contract_id: None,
        milestone: None,
        memo: format!("payout:{payout_id}"),
        source: ("payout", payout_id),
        created_by: Some(by),
    };
    Ok(post(conn, &tx, &meta, at)?)
}

/// An owner or admin acting for organisation `id` (the `X-Org-Id` header `org`), checked
/// before the password so a plain member is told 403, then re-authenticated. Returns where
/// they call from, for the audit entry.
async fn reauthenticated_admin(
    state: &AppState,
    req: &poem::Request,
    (org, id, user): (&str, &str, &str),
    password: String,
    code: Option<String>,
) -> Result<ClientInfo, ApiError> {
    let (o, i, u) = (org.to_owned(), id.to_owned(), user.to_owned());
    state.db.run(move |c| managing_role(c, &o, &i, &u).map(drop)).await?;
    let account = load_user(state, user).await?;
    reauthenticate(state, &account, password, code).await?;
    Ok(ClientInfo::from_request(req, state.config.trust_forwarded_for))
}

/// What asking for a withdrawal needs.
struct Asking<'a> {
    key: &'a MoneyKey,
    org: &'a str,
    user: &'a str,
    amount_fen: i64,
    client: &'a ClientInfo,
}

fn ask(conn: &mut DbConn, a: &Asking<'_>) -> Result<PayoutRow, ApiError> {
    if let Some(id) = a.key.claim(conn)? {
        return PayoutRow::find(conn, &id)?.ok_or_else(payout_not_found);
    }
    managing_role(conn, a.org, a.org, a.user)?;
    let account = BankAccountRow::current(conn, a.org)?.ok_or_else(|| {
        ApiError::new(ErrorCode::Conflict, "set the bank account to withdraw to first")
            .with_detail("bank_account", "none")
    })?;
    let at = now();
    let id = new_id();
    let hold = move_money(conn, ops::payout_request(a.org, a.amount_fen), &id, a.user, at)?;
    let row = PayoutRow {
        id,
        org_id: a.org.to_owned(),
        bank_account_id: account.id,
        amount_fen: a.amount_fen,
        status: PayoutState::Requested,
        requested_by: a.user.to_owned(),
        requested_at: at,
        hold_transaction_id: hold,
        approved_by: None,
        approved_at: None,
        decided_by: None,
        decided_at: None,
        bank_reference: None,
        reason: None,
        transaction_id: None,
    };
    row.insert(conn)?;
    a.key.record(conn, &row.id)?;
    let details = serde_json::json!({ "amount_fen": a.amount_fen, "account": account.masked_number });
    member_audit(conn, (a.user, a.client), "payout.requested", ("payout", &row.id), details, at)?;
    Ok(row)
}

/// A finance officer's decision.
struct Deciding<'a> {
    key: &'a MoneyKey,
    id: &'a str,
    officer: &'a str,
    action: PayoutAction,
    bank_reference: Option<String>,
    reason: Option<String>,
    threshold_fen: i64,
}

fn decide(conn: &mut DbConn, out: &mut Outgoing, d: Deciding<'_>) -> Result<PayoutRow, ApiError> {
    if let Some(id) = d.key.claim(conn)? {
        return PayoutRow::find(conn, &id)?.ok_or_else(payout_not_found);
    }
    super::finance::finance_officer(conn, d.officer)?;
    let before = PayoutRow::find(conn, d.id)?.ok_or_else(payout_not_found)?;
    let facts = Payout {
        state: before.status,
        amount_fen: before.amount_fen,
        approved_by: before.approved_by.as_deref(),
    };
    let next = rules::decide(facts, d.action, d.officer, d.threshold_fen).map_err(|r| control_refused(&r))?;
    let at = now();
    let mut row = before.clone();
    row.status = next;
    match next {
        PayoutState::Approved => {
            row.approved_by = Some(d.officer.to_owned());
            row.approved_at = Some(at);
        }
        PayoutState::Paid | PayoutState::Rejected => {
            let tx = if next == PayoutState::Paid {
                ops::payout(&row.org_id, row.amount_fen)
            } else {
                ops::payout_return(&row.org_id, row.amount_fen)
            };
            row.transaction_id = Some(move_money(conn, tx, &row.id, d.officer, at)?);
            row.decided_by = Some(d.officer.to_owned());
            row.decided_at = Some(at);
            row.bank_reference.clone_from(&d.bank_reference);
            row.reason.clone_from(&d.reason);
        }
        PayoutState::Requested | PayoutState::Cancelled => {
            return Err(ApiError::internal("no such decision"));
        }
    }
    if !row.save_if(conn, before.status)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the withdrawal changed meanwhile; reload it"));
    }
    d.key.record(conn, &row.id)?;
    let details = serde_json::json!({
        "org_id": row.org_id, "amount_fen": row.amount_fen, "action": d.action,
        "bank_reference": d.bank_reference, "reason": d.reason,
    });
    staff_audit(conn, d.officer, &format!("payout.{}", next.as_str()), ("payout", &row.id), details, at)?;
    if next != PayoutState::Approved {
        let account = BankAccountRow::by_ids(conn, std::slice::from_ref(&row.bank_account_id))?;
        let notice = EscrowNotice::PayoutDecided {
            amount_fen: row.amount_fen,
            account: account.first().map(|a| a.masked_number.clone()).unwrap_or_default(),
            refused: row.reason.clone().filter(|_| next == PayoutState::Rejected),
        };
        out.to_org(conn, &row.org_id, &Notice::new(&notice, "/wallet".to_owned(), Some(&row.org_id)))?;
    }
    Ok(row)
}

#[OpenApi(tag = "ApiTags::Escrow")]
impl PayoutsApi {
    /// The bank account withdrawals go to, number masked (the organisation's members). 404
    /// `bank_account: none` before one is set.
    #[oai(path = "/orgs/:id/bank-account", method = "get", operation_id = "get_bank_account")]
    async fn bank_account(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<BankAccountView>, ApiError> {
        let row = state
            .db
            .run(move |c| {
                acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                BankAccountRow::current(c, &id.0)?.ok_or_else(|| {
                    ApiError::new(ErrorCode::NotFound, "no bank account set")
                        .with_detail("bank_account", "none")
                })
            })
            .await?;
        Ok(Json(bank_view(&row)))
    }

    /// Set the bank account withdrawals go to (owners and admins, re-authenticated; audited).
    /// The holder must be the organisation itself (同名账户): 422 `account_name:
    /// not_the_organisation`. The number is sealed at rest and shown masked; the previous
    /// account is retired (past withdrawals keep theirs).
    #[oai(path = "/orgs/:id/bank-account", method = "put", operation_id = "set_bank_account")]
    async fn set_bank_account(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<BankAccountInput>,
    ) -> Result<Json<BankAccountView>, ApiError> {
        let valid = body.check()?;
        let who = (org.0.as_str(), id.0.as_str(), auth.0.user_id.as_str());
        let client =
            reauthenticated_admin(&state, req, who, body.0.password.clone(), body.0.code.clone()).await?;
        let key = state.keys.encryption_key;
        let row = state
            .write(move |c, _| {
                managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let organisation = OrganisationRow::find(c, &id.0)?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
                if organisation.name != valid.account_name {
                    return Err(ApiError::field(
                        "account_name",
                        "not_the_organisation",
                        "withdrawals go only to an account held in the organisation's own name",
                    ));
                }
                let at = now();
                let row = BankAccountRow {
                    id: new_id(),
                    org_id: id.0.clone(),
                    account_name: valid.account_name,
                    bank_name: valid.bank_name,
                    branch: valid.branch,
                    number_sealed: seal(&key, valid.account_number.as_bytes()),
                    masked_number: masked(&valid.account_number),
                    created_by: auth.0.user_id.clone(),
                    created_at: at,
                    retired_at: None,
                };
                row.replace(c)?;
                let details = serde_json::json!({ "bank_name": row.bank_name, "account": row.masked_number });
                member_audit(
                    c,
                    (&auth.0.user_id, &client),
                    "bank_account.set",
                    ("organisation", &id.0),
                    details,
                    at,
                )?;
                Ok(row)
            })
            .await?;
        Ok(Json(bank_view(&row)))
    }

    /// Ask for a withdrawal to the bank account (owners and admins, re-authenticated): the
    /// amount leaves the available funds at once and waits for finance. Requires
    /// `Idempotency-Key`. 409 `bank_account: none`; 409 `amount_fen: insufficient_funds`.
    #[oai(path = "/orgs/:id/payouts", method = "post", operation_id = "create_payout")]
    async fn create(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<PayoutInput>,
    ) -> Result<PayoutCreated, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let amount_fen = body.check()?;
        let who = (org.0.as_str(), id.0.as_str(), auth.0.user_id.as_str());
        let client =
            reauthenticated_admin(&state, req, who, body.0.password.clone(), body.0.code.clone()).await?;
        let threshold = state.config.payout_second_approval_above_fen;
        let view = state
            .write(move |c, _| {
                let asking =
                    Asking { key: &key, org: &id.0, user: &auth.0.user_id, amount_fen, client: &client };
                let row = ask(c, &asking)?;
                payout_view(c, row, threshold)
            })
            .await?;
        let location = format!("/api/v1/orgs/{}/payouts/{}", view.org_id, view.id);
        Ok(PayoutCreated::Created(Json(view), location))
    }

    /// The organisation's withdrawals, newest first (its members).
    #[oai(path = "/orgs/:id/payouts", method = "get", operation_id = "list_payouts")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<PayoutView>>, ApiError> {
        let threshold = state.config.payout_second_approval_above_fen;
        let views = state
            .db
            .run(move |c| {
                acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let rows = PayoutRow::of_org(c, &id.0, 200)?;
                payout_views(c, rows, threshold)
            })
            .await?;
        Ok(Json(views))
    }

    /// Withdraw a withdrawal no officer has acted on (owners and admins): the money goes back
    /// to the available funds. Requires `Idempotency-Key`. 409 `status: not_cancellable`.
    #[oai(
        path = "/orgs/:id/payouts/:payout_id/cancellation",
        method = "post",
        operation_id = "cancel_payout"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        payout_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<PayoutView>, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let threshold = state.config.payout_second_approval_above_fen;
        let view = state
            .write(move |c, _| {
                let row = if let Some(done) = key.claim(c)? {
                    PayoutRow::find(c, &done)?.ok_or_else(payout_not_found)?
                } else {
                    managing_role(c, &org.0, &id.0, &auth.0.user_id)?;
                    let before = PayoutRow::find(c, &payout_id.0)?
                        .filter(|p| p.org_id == id.0)
                        .ok_or_else(payout_not_found)?;
                    let mut row = before.clone();
                    row.status = rules::cancel(before.status).map_err(|r| control_refused(&r))?;
                    let at = now();
                    let tx = ops::payout_return(&row.org_id, row.amount_fen);
                    row.transaction_id = Some(move_money(c, tx, &row.id, &auth.0.user_id, at)?);
                    row.decided_at = Some(at);
                    if !row.save_if(c, before.status)? {
                        return Err(ApiError::new(
                            ErrorCode::Conflict,
                            "the withdrawal changed meanwhile; reload it",
                        ));
                    }
                    key.record(c, &row.id)?;
                    let details = serde_json::json!({ "amount_fen": row.amount_fen });
                    member_audit(
                        c,
                        (&auth.0.user_id, &client),
                        "payout.cancelled",
                        ("payout", &row.id),
                        details,
                        at,
                    )?;
                    row
                };
                payout_view(c, row, threshold)
            })
            .await?;
        Ok(Json(view))
    }

    /// The withdrawal queue (finance officers): `status` (default: those waiting — requested
    /// and approved), oldest first.
    #[oai(path = "/finance/payouts", method = "get", operation_id = "list_finance_payouts")]
    async fn queue(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<PayoutState>>,
    ) -> Result<Json<Vec<PayoutView>>, ApiError> {
        let threshold = state.config.payout_second_approval_above_fen;
        let views = state
            .db
            .run(move |c| {
                super::finance::finance_officer(c, &auth.0.user_id)?;
                let states =
                    status.0.map_or_else(|| vec![PayoutState::Requested, PayoutState::Approved], |s| vec![s]);
                let rows = PayoutRow::in_states(c, &states, 500)?;
                payout_views(c, rows, threshold)
            })
            .await?;
        Ok(Json(views))
    }

    /// A finance officer's action on a withdrawal: `confirm` that the money was sent (with the
    /// bank's transaction number) — above the dual-control amount only after another officer
    /// did `approve` — or `reject` with a reason (the money goes back). Requires
    /// `Idempotency-Key`; audited. 409 `action: second_approval_required | approval_not_needed`,
    /// `status: decided`; 403 `action: same_officer`.
    #[oai(path = "/finance/payouts/:payout_id/decision", method = "post", operation_id = "decide_payout")]
    async fn decision(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        payout_id: Path<String>,
        body: Json<PayoutDecisionInput>,
    ) -> Result<Json<PayoutView>, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let (action, bank_reference, reason) = body.check()?;
        let threshold_fen = state.config.payout_second_approval_above_fen;
        let view = state
            .write(move |c, out| {
                let deciding = Deciding {
                    key: &key,
                    id: &payout_id.0,
                    officer: &auth.0.user_id,
                    action,
                    bank_reference,
                    reason,
                    threshold_fen,
                };
                let row = decide(c, out, deciding)?;
                payout_view(c, row, threshold_fen)
            })
            .await?;
        Ok(Json(view))
    }

    /// The full account number of a withdrawal's bank account, to make the transfer (finance
    /// officers; the reason is audited).
    #[oai(
        path = "/finance/payouts/:payout_id/account-reveal",
        method = "post",
        operation_id = "reveal_payout_account"
    )]
    async fn reveal(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        payout_id: Path<String>,
        body: Json<RevealRequest>,
    ) -> Result<Json<RevealedAccountNumber>, ApiError> {
        let reason = body.check()?;
        let key = state.keys.encryption_key;
        let account_number = state
            .write(move |c, _| {
                super::finance::finance_officer(c, &auth.0.user_id)?;
                let payout = PayoutRow::find(c, &payout_id.0)?.ok_or_else(payout_not_found)?;
                let account = BankAccountRow::by_ids(c, std::slice::from_ref(&payout.bank_account_id))?
                    .pop()
                    .ok_or_else(|| ApiError::internal("a withdrawal without its bank account"))?;
                let plain = unseal(&key, &account.number_sealed).map_err(ApiError::internal)?;
                let details = serde_json::json!({ "org_id": payout.org_id, "bank_account_id": account.id, "reason": reason });
                staff_audit(c, &auth.0.user_id, "payout.account_revealed", ("payout", &payout.id), details, now())?;
                String::from_utf8(plain).map_err(ApiError::internal)
            })
            .await?;
        Ok(Json(RevealedAccountNumber { account_number }))
    }
}
