//! `/finance/…`: the finance officer's console (staff with the `finance_officer` role, TOTP on).
//! Import the receiving account's bank statement (CSV, GBK or UTF-8): lines are matched to
//! pending funding requests by reference code and exact amount and credited to escrow; the rest
//! wait in the reconciliation queue, where the officer matches a line by hand or records that
//! the money was sent back. The same file imported again, or a line seen before (same 流水号),
//! changes nothing. Every import and resolution is in the audit chain.

use std::collections::BTreeMap;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use shared::domain::ledger::statement::{self, Decision, PendingRequest, Statement};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::funding::FundingRequestRow;
use crate::db::models::statements::{LineRow, StatementRow};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::idempotency::MoneyKey;
use crate::routes::ApiTags;
use crate::routes::staff::service::{Staff, audit, require_staff};
use crate::state::{AppState, Outgoing};

/// Largest statement file (5 MB).
pub const MAX_STATEMENT_BYTES: usize = 5 * 1024 * 1024;

/// The finance console.
pub struct FinanceApi;

/// A bank statement export.
#[derive(Multipart)]
struct StatementForm {
    /// The CSV (or tab-separated) export, GBK or UTF-8, at most 5 MB.
    file: Upload,
}

#[derive(ApiResponse)]
enum Imported {
    /// Imported (or, for a file imported before, that import, unchanged).
    #[oai(status = 201)]
    Created(Json<StatementImportView>, #[oai(header = "Location")] String),
}

pub(crate) fn finance_officer(conn: &mut DbConn, user_id: &str) -> Result<Staff, ApiError> {
    let staff = require_staff(conn, user_id)?;
    if !staff.holds_any(&[StaffRole::FinanceOfficer]) {
        return Err(ApiError::new(ErrorCode::Forbidden, "finance officers only"));
    }
    Ok(staff)
}

/// Decodes a statement: UTF-8 (with or without BOM), else GB18030 (which reads GBK).
fn decode(bytes: &[u8]) -> Result<(String, &'static str), ApiError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "utf-8"));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text.into_owned(), "gbk"))
        .ok_or_else(|| {
            ApiError::field("file", "unreadable_encoding", "the statement is neither UTF-8 nor GBK text")
        })
}

fn import_view(row: &StatementRow) -> StatementImportView {
    StatementImportView {
        id: row.id.clone(),
        file_name: row.file_name.clone(),
        encoding: row.encoding.clone(),
        lines: row.lines,
        already_imported: row.already_imported,
        matched: row.matched,
        queued: row.queued,
        skipped_outflows: row.skipped_outflows,
        imported_by: row.imported_by.clone(),
        imported_at: row.imported_at.and_utc(),
    }
}

fn line_view(row: LineRow) -> StatementLineView {
    StatementLineView {
        id: row.id,
        statement_id: row.statement_id,
        serial: row.serial,
        trade_date: row.trade_date,
        counterparty_name: row.counterparty_name,
        counterparty_account: row.counterparty_account,
        amount_fen: row.amount_fen,
        memo: row.memo,
        reference: row.reference,
        status: row.status,
        reason: row.reason,
        funding_request_id: row.funding_request_id,
        resolved_by: row.resolved_by,
        resolved_at: row.resolved_at.map(|t| t.and_utc()),
        note: row.note,
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What an upload is: its name, hash, encoding and parsed lines.
struct ParsedUpload {
    file_name: String,
    sha256: String,
    encoding: &'static str,
    statement: Statement,
}

/// Imports a parsed statement (see the module doc).
fn import(
    conn: &mut DbConn,
    out: &mut Outgoing,
    key: &MoneyKey,
    staff: &str,
    upload: ParsedUpload,
) -> Result<StatementRow, ApiError> {
    if let Some(id) = key.claim(conn)? {
        return StatementRow::by_id(conn, &id)?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "import not found"));
    }
    finance_officer(conn, staff)?;
    if let Some(existing) = StatementRow::by_sha256(conn, &upload.sha256)? {
        key.record(conn, &existing.id)?;
        return Ok(existing);
    }
    let at = now();
    let lines = upload.statement.lines;
    let serials: Vec<String> = lines.iter().map(|l| l.serial.clone()).collect();
    let known = LineRow::known_serials(conn, &serials)?;
    let fresh: Vec<_> = lines.iter().filter(|l| !known.contains(&l.serial)).cloned().collect();
    let references: Vec<String> = fresh.iter().filter_map(|l| l.reference.clone()).collect();
    let requests: BTreeMap<String, PendingRequest> = FundingRequestRow::by_references(conn, &references)?
        .into_iter()
        .map(|r| {
            let pending = r.status == FundingStatus::Pending;
            (r.reference.clone(), PendingRequest { id: r.id, amount_fen: r.amount_fen, pending })
        })
        .collect();
    let decisions = statement::reconcile(&fresh, &requests);
    let matched = decisions.iter().filter(|d| matches!(d, Decision::Match { .. })).count();
    let row = StatementRow {
        id: new_id(),
        sha256: upload.sha256,
        file_name: upload.file_name,
        encoding: upload.encoding.to_owned(),
        lines: count(lines.len()),
        already_imported: count(lines.len() - fresh.len()),
        matched: count(matched),
        queued: count(fresh.len() - matched),
        skipped_outflows: count(upload.statement.skipped_outflows),
        imported_by: staff.to_owned(),
        imported_at: at,
    };
    row.insert(conn)?;
    for (line, decision) in fresh.into_iter().zip(decisions) {
        store_line(conn, out, &row.id, line, decision, at)?;
    }
    let details = serde_json::json!({ "file": row.file_name, "sha256": row.sha256, "lines": row.lines, "matched": row.matched, "queued": row.queued });
    audit(conn, staff, "finance.statement_imported", ("bank_statement", &row.id), details, at)?;
    key.record(conn, &row.id)?;
    Ok(row)
}

fn store_line(
    conn: &mut DbConn,
    out: &mut Outgoing,
    statement_id: &str,
    line: statement::StatementLine,
    decision: Decision,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let id = new_id();
    let (status, reason, request, transaction) = match decision {
        Decision::Match { request_id } => {
            let request = FundingRequestRow::find(conn, &request_id)?
                .ok_or_else(|| ApiError::internal("matched request vanished"))?;
            let tx = super::service::credit(conn, out, &request, ("statement_line", &id), None, at)?;
            (LineState::Matched, None, Some(request_id), Some(tx))
        }
        Decision::Queue(reason) => {
            let state =
                if reason == QueueReason::NoReference { LineState::Unmatched } else { LineState::Mismatched };
            (state, Some(reason), None, None)
        }
    };
    LineRow {
        id,
        statement_id: statement_id.to_owned(),
        serial: line.serial,
        trade_date: line.trade_date,
        counterparty_name: line.counterparty_name,
        counterparty_account: line.counterparty_account,
        amount_fen: line.amount_fen,
        memo: line.memo,
        reference: line.reference,
        status,
        reason,
        funding_request_id: request,
        transaction_id: transaction,
        resolved_by: None,
        resolved_at: None,
        note: None,
        created_at: at,
    }
    .insert(conn)?;
    Ok(())
}

/// Resolves a queued line (see the module doc).
fn resolve(
    conn: &mut DbConn,
    out: &mut Outgoing,
    key: &MoneyKey,
    staff: &str,
    line_id: &str,
    body: &LineResolutionRequest,
) -> Result<LineRow, ApiError> {
    let not_found = || ApiError::new(ErrorCode::NotFound, "statement line not found");
    if key.claim(conn)?.is_some() {
        return LineRow::find(conn, line_id)?.ok_or_else(not_found);
    }
    finance_officer(conn, staff)?;
    let (action, request_id, note) = body.check()?;
    let line = LineRow::find(conn, line_id)?.ok_or_else(not_found)?;
    let at = now();
    let not_queued = || {
        ApiError::new(ErrorCode::Conflict, "the line is not waiting in the queue")
            .with_detail("status", "not_queued")
    };
    let resolved = match (action, request_id) {
        (LineAction::Match, Some(request_id)) => {
            let request = FundingRequestRow::find(conn, &request_id)?
                .ok_or_else(|| ApiError::field("funding_request_id", "unknown", "no such funding request"))?;
            if request.status != FundingStatus::Pending {
                return Err(ApiError::new(ErrorCode::Conflict, "the funding request is not pending")
                    .with_detail("funding_request_id", "not_pending"));
            }
            if request.amount_fen != line.amount_fen {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "the line's amount differs from the request's",
                )
                .with_detail("funding_request_id", "amount_differs"));
            }
            if !matches!(line.status, LineState::Unmatched | LineState::Mismatched) {
                return Err(not_queued());
            }
            let tx =
                super::service::credit(conn, out, &request, ("statement_line", &line.id), Some(staff), at)?;
            LineRow::resolve(
                conn,
                &line.id,
                LineState::Resolved,
                (Some(&request.id), Some(&tx)),
                staff,
                &note,
                at,
            )?
        }
        _ => LineRow::resolve(conn, &line.id, LineState::Returned, (None, None), staff, &note, at)?,
    };
    if !resolved {
        return Err(not_queued());
    }
    let details = serde_json::json!({ "action": action, "note": note, "amount_fen": line.amount_fen });
    audit(conn, staff, "finance.line_resolved", ("bank_statement_line", &line.id), details, at)?;
    key.record(conn, &line.id)?;
    LineRow::find(conn, &line.id)?.ok_or_else(not_found)
}

async fn read_upload(form: StatementForm) -> Result<ParsedUpload, ApiError> {
    if form.file.size() > MAX_STATEMENT_BYTES {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("statements may be at most {MAX_STATEMENT_BYTES} bytes"),
        ));
    }
    let file_name =
        form.file.file_name().map_or_else(|| "statement.csv".to_owned(), |n| n.chars().take(200).collect());
    let bytes = form.file.into_vec().await.map_err(ApiError::internal)?;
    let (text, encoding) = decode(&bytes)?;
    let statement = statement::parse(&text).map_err(ApiError::from)?;
    Ok(ParsedUpload { file_name, sha256: crate::routes::files::service::sha256(&bytes), encoding, statement })
}

#[OpenApi(tag = "ApiTags::Finance")]
impl FinanceApi {
    /// Import a statement of the platform's receiving account (`multipart/form-data`, field
    /// `file`; finance officers). Accepted formats: `domain::ledger::statement` and
    /// docs/API-DESIGN.md. A file that cannot be read is refused whole with every row's problem
    /// (422, `row[N].amount: invalid_amount` …) and changes nothing. Requires `Idempotency-Key`.
    #[oai(path = "/finance/bank-statements", method = "post", operation_id = "import_bank_statement")]
    async fn import(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        form: StatementForm,
    ) -> Result<Imported, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let user = auth.0.user_id;
        let u = user.clone();
        state.db.run(move |c| finance_officer(c, &u).map(drop)).await?;
        let upload = read_upload(form).await?;
        let row = state.write(move |c, out| import(c, out, &key, &user, upload)).await?;
        let location = format!("/api/v1/finance/bank-statements/{}", row.id);
        Ok(Imported::Created(Json(import_view(&row)), location))
    }

    /// Recent imports, newest first (finance officers).
    #[oai(path = "/finance/bank-statements", method = "get", operation_id = "list_bank_statements")]
    async fn imports(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<Vec<StatementImportView>>, ApiError> {
        let rows = state
            .db
            .run(move |c| {
                finance_officer(c, &auth.0.user_id)?;
                Ok::<_, ApiError>(StatementRow::recent(c, crate::market::limit(limit.0))?)
            })
            .await?;
        Ok(Json(rows.iter().map(import_view).collect()))
    }

    /// Statement lines, oldest first (finance officers): the reconciliation queue (`unmatched`
    /// and `mismatched`, the default) or the lines in one `status`.
    #[oai(path = "/finance/statement-lines", method = "get", operation_id = "list_statement_lines")]
    async fn lines(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<LineState>>,
        #[oai(validator(max_length = 40))] cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<StatementLinePage>, ApiError> {
        let limit = crate::market::limit(limit.0);
        let rows = state
            .db
            .run(move |c| {
                finance_officer(c, &auth.0.user_id)?;
                let states =
                    status.0.map_or_else(|| vec![LineState::Unmatched, LineState::Mismatched], |s| vec![s]);
                Ok::<_, ApiError>(LineRow::in_states(c, &states, cursor.0.as_deref(), limit + 1)?)
            })
            .await?;
        let more = rows.len() > usize::try_from(limit).unwrap_or(0);
        let items: Vec<StatementLineView> =
            rows.into_iter().take(usize::try_from(limit).unwrap_or(0)).map(line_view).collect();
        let next_cursor = if more { items.last().map(|l| l.id.clone()) } else { None };
        Ok(Json(StatementLinePage { items, next_cursor }))
    }

    /// Resolve a queued line (finance officers): `match` credits it to a pending funding request
    /// of exactly its amount (409 `funding_request_id: not_pending | amount_differs`); `return`
    /// records that the money went back to the sender. A note is required. 409 `status:
    /// not_queued` for a line already matched or resolved. Requires `Idempotency-Key`.
    #[oai(
        path = "/finance/statement-lines/:id/resolution",
        method = "post",
        operation_id = "resolve_statement_line"
    )]
    async fn resolve(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<LineResolutionRequest>,
    ) -> Result<Json<StatementLineView>, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let row = state.write(move |c, out| resolve(c, out, &key, &auth.0.user_id, &id.0, &body.0)).await?;
        Ok(Json(line_view(row)))
    }

    /// Pending funding requests, newest first (finance officers), to match a queued line by
    /// hand; `reference` narrows to one code.
    #[oai(path = "/finance/funding-requests", method = "get", operation_id = "list_pending_funding_requests")]
    async fn pending(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(max_length = 20))] reference: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<Vec<FundingRequestView>>, ApiError> {
        let config = state.config.clone();
        let rows = state
            .db
            .run(move |c| {
                finance_officer(c, &auth.0.user_id)?;
                Ok::<_, ApiError>(FundingRequestRow::pending(
                    c,
                    reference.0.as_deref(),
                    crate::market::limit(limit.0),
                )?)
            })
            .await?;
        Ok(Json(rows.iter().map(|r| super::service::request_view(r, &config, "")).collect()))
    }
}
