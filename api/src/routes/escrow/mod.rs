//! `/contracts/{id}/escrow`, `/contracts/{id}/funding-requests`, `/orgs/{id}/wallet`: a
//! contract's escrow per milestone and bond, funding requests with their bank-transfer
//! instructions and reference code, and an organisation's wallet with its postings. The finance
//! console (statement import, reconciliation queue) is [`finance`].
//!
//! Creating a funding request is a money-moving POST: `Idempotency-Key` is required and claimed
//! in the same transaction (`crate::idempotency::MoneyKey`).

pub mod acceptance;
pub mod closing;
pub mod completion;
pub mod finance;
pub mod payouts;
pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::contract::escrow::{FundingRefusal, funding_amount};
use shared::domain::ledger::{Account, reference};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::contracts::ContractRow;
use crate::db::models::funding::FundingRequestRow;
use crate::db::models::ledger::{AccountRow, postings_page};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::idempotency::MoneyKey;
use crate::routes::ApiTags;
use crate::routes::contracts::service::{Loaded, not_found};
use crate::state::AppState;
use service::{escrow_view, funds_of, plan_of, request_view, seen};

/// Escrow and wallets.
pub struct EscrowApi;

#[derive(ApiResponse)]
enum FundingCreated {
    /// The request with its reference (and the transfer instructions).
    #[oai(status = 201)]
    Created(Json<FundingRequestView>, #[oai(header = "Location")] String),
}

/// The API error for a refused funding request.
pub fn funding_refused(refusal: &FundingRefusal) -> ApiError {
    let code = if refusal.is_forbidden() {
        ErrorCode::Forbidden
    } else if matches!(refusal, FundingRefusal::UnknownMilestone) {
        ErrorCode::ValidationFailed
    } else {
        ErrorCode::Conflict
    };
    ApiError::new(code, refusal.to_string()).with_detail(refusal.field(), refusal.issue())
}

/// A contract the caller's organisation takes part in (party or supervisor), with its part.
fn readable(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<(Loaded, PartyRole), ApiError> {
    crate::routes::contracts::readable(conn, id, org, user).map(|(loaded, role, _)| (loaded, role))
}

fn fresh_reference(conn: &mut DbConn) -> Result<String, ApiError> {
    for _ in 0..8 {
        let code = reference::make(rand::random::<u64>());
        if FundingRequestRow::by_references(conn, std::slice::from_ref(&code))?.is_empty() {
            return Ok(code);
        }
    }
    Err(ApiError::internal("no free reference code after 8 draws"))
}

/// Creates a funding request for what is open (see `domain::contract::escrow`).
fn create_request(
    conn: &mut DbConn,
    key: &MoneyKey,
    (id, org, user): (&str, &str, &str),
    input: &FundingRequestInput,
) -> Result<FundingRequestRow, ApiError> {
    if let Some(created) = key.claim(conn)? {
        return FundingRequestRow::find(conn, &created)?.ok_or_else(not_found);
    }
    let (target, milestone, channel) = input.check()?;
    let (loaded, role) = readable(conn, id, org, user)?;
    let (plan, _) = plan_of(&loaded)?;
    let requests = FundingRequestRow::of_contract(conn, id)?;
    let funds = funds_of(&seen(conn, id)?, &requests, target, milestone);
    let amount_fen = funding_amount(loaded.row.status, role, &plan, target, milestone, funds)
        .map_err(|r| funding_refused(&r))?;
    let row = FundingRequestRow {
        id: new_id(),
        reference: fresh_reference(conn)?,
        contract_id: id.to_owned(),
        target,
        milestone: milestone.and_then(|m| i32::try_from(m).ok()),
        org_id: org.to_owned(),
        amount_fen,
        channel,
        status: FundingStatus::Pending,
        created_by: user.to_owned(),
        created_at: now(),
        paid_at: None,
        transaction_id: None,
        cancelled_at: None,
        code_url: None,
        provider_state: None,
    };
    row.insert(conn)?;
    key.record(conn, &row.id)?;
    Ok(row)
}

/// The accounts an organisation's wallet shows: its own, and those of the contracts it is a
/// party to (escrow it pays into, bonds and retention of contracts it performs).
fn wallet_accounts(conn: &mut DbConn, org_id: &str) -> Result<(Vec<AccountRow>, Vec<ContractRow>), ApiError> {
    let contracts: Vec<ContractRow> = ContractRow::of_org(conn, org_id, 10_000)?
        .into_iter()
        .filter(|c| c.payer_org_id == org_id || c.performer_org_id == org_id)
        .collect();
    let ids: Vec<String> = contracts.iter().map(|c| c.id.clone()).collect();
    let mut accounts = AccountRow::of_contracts(conn, &ids)?;
    if let Some(pending) = AccountRow::find(conn, &Account::payout_pending(org_id).to_string())? {
        accounts.insert(0, pending);
    }
    if let Some(own) = AccountRow::find(conn, &Account::available(org_id).to_string())? {
        accounts.insert(0, own);
    }
    Ok((accounts, contracts))
}

fn wallet(conn: &mut DbConn, org_id: &str) -> Result<WalletView, ApiError> {
    let (accounts, contracts) = wallet_accounts(conn, org_id)?;
    let role = |account: &AccountRow| {
        contracts
            .iter()
            .find(|c| Some(&c.id) == account.contract_id.as_ref())
            .map(|c| c.payer_org_id == org_id)
    };
    let mut view = WalletView {
        org_id: org_id.to_owned(),
        available_fen: 0,
        payout_pending_fen: 0,
        in_escrow_fen: 0,
        bonds_fen: 0,
        retention_fen: 0,
        accounts: Vec::new(),
    };
    for account in &accounts {
        let payer = role(account);
        match (account.kind, payer) {
            (AccountKind::Available, _) => view.available_fen += account.balance_fen,
            (AccountKind::PayoutPending, _) => view.payout_pending_fen += account.balance_fen,
            (AccountKind::Escrow, Some(true)) => view.in_escrow_fen += account.balance_fen,
            (AccountKind::Bond, Some(false)) => view.bonds_fen += account.balance_fen,
            (AccountKind::Retention, Some(false)) => view.retention_fen += account.balance_fen,
            _ => continue,
        }
        view.accounts.push(balance_view(account));
    }
    Ok(view)
}

fn balance_view(account: &AccountRow) -> AccountBalance {
    AccountBalance {
        account_id: account.id.clone(),
        kind: account.kind,
        contract_id: account.contract_id.clone(),
        milestone: account.milestone.and_then(|m| u32::try_from(m).ok()),
        balance_fen: account.balance_fen,
        frozen: account.frozen_at.is_some(),
    }
}

fn postings(
    conn: &mut DbConn,
    org_id: &str,
    account: Option<&str>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<PostingPage, ApiError> {
    let account_id = account.map_or_else(|| Account::available(org_id).to_string(), str::to_owned);
    let (accounts, _) = wallet_accounts(conn, org_id)?;
    let own = account_id == Account::available(org_id).to_string();
    if !own && !accounts.iter().any(|a| a.id == account_id) {
        return Err(ApiError::new(ErrorCode::NotFound, "no such account in this wallet"));
    }
    let before = match cursor {
        Some(c) => Some(
            c.parse::<i64>()
                .map_err(|_| ApiError::field("cursor", "invalid", "not a cursor of this list"))?,
        ),
        None => None,
    };
    let rows = postings_page(conn, &account_id, before, limit + 1)?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(0);
    let items: Vec<PostingView> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|(p, t)| PostingView {
            seq: p.seq,
            transaction_id: p.transaction_id,
            kind: t.kind,
            amount_fen: p.amount_fen,
            balance_after_fen: p.balance_after_fen,
            contract_id: t.contract_id,
            milestone: t.milestone.and_then(|m| u32::try_from(m).ok()),
            memo: t.memo,
            created_at: p.created_at.and_utc(),
        })
        .collect();
    let next_cursor = if more { items.last().map(|p| p.seq.to_string()) } else { None };
    Ok(PostingPage { items, next_cursor })
}

#[OpenApi(tag = "ApiTags::Escrow")]
impl EscrowApi {
    /// A contract's escrow (parties and supervisor): per milestone what arrived, was released
    /// and is held, what pending requests ask and what is still open; the bond; the retention;
    /// the caller's funding requests (all of them for the supervisor).
    #[oai(path = "/contracts/:id/escrow", method = "get", operation_id = "get_contract_escrow")]
    async fn escrow(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<EscrowView>, ApiError> {
        let config = state.config.clone();
        let view = state
            .db
            .run(move |c| {
                let (loaded, _) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                escrow_view(c, &loaded, &org.0, &config)
            })
            .await?;
        Ok(Json(view))
    }

    /// Ask to fund a milestone (the payer) or the performance bond (the performer) while the
    /// contract is out for signature or in force. The amount is computed: what is still open.
    /// The answer carries the reference code to quote in the transfer's memo and the platform's
    /// receiving account (`bank_transfer`), or the WeChat Pay Native order's `code_url` to scan
    /// (`wechat_pay`; 409 `channel: not_configured` when the platform has no WeChat Pay merchant,
    /// `channel: provider_unavailable` when WeChat Pay did not open the order: retry with the
    /// same key). Requires `Idempotency-Key`. Refusals: 403 `target: not_your_part`;
    /// 409 `target: already_funded | funding_pending | no_bond`, `contract: not_fundable`;
    /// 422 `milestone: required | not_allowed | unknown_milestone`.
    #[oai(path = "/contracts/:id/funding-requests", method = "post", operation_id = "create_funding_request")]
    async fn create(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<FundingRequestInput>,
    ) -> Result<FundingCreated, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        state.payments.gateway(body.0.channel)?;
        let org = org.0;
        let viewer = org.clone();
        let row =
            state.write(move |c, _| create_request(c, &key, (&id.0, &org, &auth.0.user_id), &body.0)).await?;
        let row = crate::payments::open(&state, row).await?;
        let view = request_view(&row, &state.config, &viewer);
        let location = format!("/api/v1/contracts/{}/funding-requests/{}", view.contract_id, view.id);
        Ok(FundingCreated::Created(Json(view), location))
    }

    /// One funding request (the paying organisation, the other party, the supervisor).
    #[oai(
        path = "/contracts/:id/funding-requests/:request_id",
        method = "get",
        operation_id = "get_funding_request"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        request_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<FundingRequestView>, ApiError> {
        let config = state.config.clone();
        let view = state
            .db
            .run(move |c| {
                readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let row = FundingRequestRow::find(c, &request_id.0)?
                    .filter(|r| r.contract_id == id.0)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "funding request not found"))?;
                Ok::<_, ApiError>(request_view(&row, &config, &org.0))
            })
            .await?;
        Ok(Json(view))
    }

    /// Withdraw a pending funding request (its organisation). Money that quotes it afterwards
    /// waits in the finance officer's queue. 409 `status: not_pending` when it was paid or
    /// withdrawn already.
    #[oai(
        path = "/contracts/:id/funding-requests/:request_id/cancellation",
        method = "post",
        operation_id = "cancel_funding_request"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        request_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<FundingRequestView>, ApiError> {
        let config = state.config.clone();
        let view = state
            .write(move |c, _| {
                readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let row = FundingRequestRow::find(c, &request_id.0)?
                    .filter(|r| r.contract_id == id.0 && r.org_id == org.0)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "funding request not found"))?;
                if !FundingRequestRow::cancel(c, &row.id, now())? {
                    return Err(ApiError::new(ErrorCode::Conflict, "the request is not pending")
                        .with_detail("status", "not_pending"));
                }
                let row = FundingRequestRow::find(c, &row.id)?.ok_or_else(not_found)?;
                Ok(request_view(&row, &config, &org.0))
            })
            .await?;
        Ok(Json(view))
    }

    /// The organisation's wallet (its members): available funds, escrow it holds on contracts it
    /// pays, bonds and retention on contracts it performs, with every account behind them.
    #[oai(path = "/orgs/:id/wallet", method = "get", operation_id = "get_wallet")]
    async fn wallet(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<WalletView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                wallet(c, &id.0)
            })
            .await?;
        Ok(Json(view))
    }

    /// An account's postings, newest first, each with the balance after it (its members):
    /// `account` is one of the wallet's account ids, the available funds by default; keyset
    /// pages of `limit` (≤ 100, default 20) by `cursor`.
    #[oai(path = "/orgs/:id/wallet/postings", method = "get", operation_id = "list_wallet_postings")]
    #[expect(clippy::too_many_arguments, reason = "the query parameters of one endpoint")]
    async fn postings(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(max_length = 200))] account: Query<Option<String>>,
        #[oai(validator(max_length = 40))] cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<PostingPage>, ApiError> {
        let page = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                postings(c, &id.0, account.0.as_deref(), cursor.0.as_deref(), crate::market::limit(limit.0))
            })
            .await?;
        Ok(Json(page))
    }
}
