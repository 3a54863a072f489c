//! After the work: `/contracts/{id}/defect-claims` (the payer's claims during the warranty,
//! which hold the retention), `/contracts/{id}/ratings` and `/orgs/{id}/ratings` (both sides
//! rate each other after completion; shown when both rated or 14 days later), and the finance
//! console's `/finance/risk-cases` and `/finance/reserve`. Rules:
//! `shared::domain::contract::closing`.

use std::collections::BTreeMap;

use chrono::Duration;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::closing::{self as rules, RATING_REVEAL_DAYS};
use shared::domain::contract::lifecycle::ContractState;
use shared::domain::ledger::{Account, TransactionKind, ops::RESERVE_BP};
use shared::domain::notices::escrow::EscrowNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use super::service::{notify_parties, plan_of};
use crate::auth::session::BearerAuth;
use crate::db::models::closing::{ClosingRow, DefectClaimRow, RatingRow, RiskCaseRow};
use crate::db::models::ledger::{AccountRow, TransactionRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::contracts::service::Loaded;
use crate::routes::notifications::notify::Notice;
use crate::state::AppState;

/// Defect claims, ratings, risk cases and the reserve.
pub struct CompletionApi;

#[derive(ApiResponse)]
enum ClaimCreated {
    /// The claim; the retention is held until it is closed.
    #[oai(status = 201)]
    Created(Json<DefectClaimView>),
}

#[derive(ApiResponse)]
enum RatingCreated {
    /// The rating.
    #[oai(status = 201)]
    Created(Json<ContractRatingsView>),
}

fn claim_view(row: DefectClaimRow) -> DefectClaimView {
    DefectClaimView {
        id: row.id,
        contract_id: row.contract_id,
        description: row.description,
        status: row.status,
        raised_by: row.raised_by,
        raised_at: row.raised_at.and_utc(),
        closed_at: row.closed_at.map(|t| t.and_utc()),
        close_note: row.close_note,
    }
}

fn score(value: i32) -> u8 {
    u8::try_from(value).unwrap_or(0)
}

fn rating_view(row: &RatingRow, orgs: &[OrganisationRow]) -> RatingView {
    RatingView {
        contract_id: row.contract_id.clone(),
        rater_org_id: row.rater_org_id.clone(),
        rater_name: orgs
            .iter()
            .find(|o| o.id == row.rater_org_id)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        ratee_org_id: row.ratee_org_id.clone(),
        quality: score(row.quality),
        timeliness: score(row.timeliness),
        communication: score(row.communication),
        payment: score(row.payment),
        comment: row.comment.clone(),
        created_at: row.created_at.and_utc(),
    }
}

/// A contract the caller's organisation is a party to (not the supervisor), with the loaded row.
fn as_party(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<Loaded, ApiError> {
    let (loaded, role, _) = crate::routes::contracts::readable(conn, id, org, user)?;
    if role == PartyRole::Supervisor {
        return Err(ApiError::new(ErrorCode::Forbidden, "the supervisor reads only")
            .with_detail("org", "not_a_party"));
    }
    Ok(loaded)
}

/// A contract's ratings as `org` sees them.
fn ratings_view(conn: &mut DbConn, loaded: &Loaded, org: &str) -> Result<ContractRatingsView, ApiError> {
    let rows = RatingRow::of_contract(conn, &loaded.row.id)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.rater_org_id.as_str()).collect();
    let orgs = OrganisationRow::find_many(conn, &ids)?;
    let completed_on = ClosingRow::find(conn, &loaded.row.id)?
        .and_then(|c| c.completed_at)
        .map(|at| business_date(at.and_utc()));
    let today = business_date(now().and_utc());
    let mine = rows.iter().find(|r| r.rater_org_id == org);
    let theirs = rows.iter().find(|r| r.rater_org_id != org);
    let revealed = rules::rating_revealed(mine.is_some() && theirs.is_some(), completed_on, today);
    Ok(ContractRatingsView {
        open: loaded.row.status == ContractState::Completed,
        mine: mine.map(|r| rating_view(r, &orgs)),
        theirs_given: theirs.is_some(),
        theirs: theirs.filter(|_| revealed).map(|r| rating_view(r, &orgs)),
        reveal_on: completed_on.map(|on| on + Duration::days(RATING_REVEAL_DAYS)),
    })
}

/// The ratings of `rows` shown to the public now (three queries, whatever the number of rows).
fn shown(conn: &mut DbConn, rows: Vec<RatingRow>) -> Result<Vec<RatingRow>, ApiError> {
    let contracts: Vec<&str> = rows.iter().map(|r| r.contract_id.as_str()).collect();
    let counts = RatingRow::counts(conn, &contracts)?;
    let completed = ClosingRow::completed(conn, &contracts)?;
    let today = business_date(now().and_utc());
    Ok(rows
        .into_iter()
        .filter(|row| {
            let both = counts.get(&row.contract_id).is_some_and(|n| *n >= 2);
            let completed_on = completed.get(&row.contract_id).map(|at| business_date(at.and_utc()));
            rules::rating_revealed(both, completed_on, today)
        })
        .collect())
}

fn rating_refused(refusal: &rules::RatingRefusal) -> ApiError {
    let code = match refusal {
        rules::RatingRefusal::Supervisor => ErrorCode::Forbidden,
        rules::RatingRefusal::NotCompleted | rules::RatingRefusal::AlreadyRated => ErrorCode::Conflict,
    };
    let (field, issue) = refusal.issue();
    ApiError::new(code, refusal.to_string()).with_detail(field, issue)
}

fn mean(rows: &[RatingRow], pick: fn(&RatingRow) -> i32) -> f64 {
    if rows.is_empty() {
        return 0.0;
    }
    let sum: i32 = rows.iter().map(pick).sum();
    f64::from(sum) / f64::from(u32::try_from(rows.len()).unwrap_or(u32::MAX))
}

fn reserve_report(conn: &mut DbConn) -> Result<ReserveReport, ApiError> {
    let rows =
        TransactionRow::amounts_of_kinds(conn, &[TransactionKind::Release, TransactionKind::ReserveAccrual])?;
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (kind, amount_fen, at) in rows {
        let month = business_date(at.and_utc()).format("%Y-%m").to_string();
        let entry = months.entry(month).or_default();
        if kind == TransactionKind::Release {
            entry.0 += amount_fen;
        } else {
            entry.1 += amount_fen;
        }
    }
    let balance_fen = AccountRow::find(conn, &Account::RiskReserve.to_string())?.map_or(0, |a| a.balance_fen);
    Ok(ReserveReport {
        balance_fen,
        settled_fen: months.values().map(|m| m.0).sum(),
        accrued_fen: months.values().map(|m| m.1).sum(),
        rate_bp: RESERVE_BP,
        months: months
            .into_iter()
            .rev()
            .map(|(month, (settled_fen, accrued_fen))| ReserveMonth { month, settled_fen, accrued_fen })
            .collect(),
    })
}

#[OpenApi(tag = "ApiTags::Escrow")]
impl CompletionApi {
    /// Raise a defect claim (the payer's owners, admins and signers) during the warranty — after
    /// the last acceptance, before it ends; the retention is held until the claim is closed.
    /// 403 `claim: not_the_payer`; 409 `claim: warranty_not_started | warranty_ended`.
    #[oai(path = "/contracts/:id/defect-claims", method = "post", operation_id = "create_defect_claim")]
    async fn claim(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<DefectClaimInput>,
    ) -> Result<ClaimCreated, ApiError> {
        let description = body.check()?;
        let row = state
            .write(move |c, out| {
                let (loaded, _, member) =
                    crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let ends_on = ClosingRow::find(c, &id.0)?.map(|cl| cl.warranty_ends_on);
                let today = business_date(now().and_utc());
                rules::may_claim(loaded.row.payer_org_id == org.0, ends_on, today).map_err(|r| {
                    let code = if r == rules::ClaimRefusal::NotThePayer {
                        ErrorCode::Forbidden
                    } else {
                        ErrorCode::Conflict
                    };
                    ApiError::new(code, r.to_string()).with_detail("claim", r.issue())
                })?;
                crate::routes::contracts::ensure_signer(c, &org.0, &auth.0.user_id, member)?;
                let row = DefectClaimRow {
                    id: new_id(),
                    contract_id: id.0.clone(),
                    description,
                    status: DefectClaimState::Open,
                    raised_by: auth.0.user_id.clone(),
                    raised_at: now(),
                    closed_by: None,
                    closed_at: None,
                    close_note: None,
                };
                row.insert(c)?;
                let (_, title) = plan_of(&loaded)?;
                notify_parties(c, out, &loaded.row, &EscrowNotice::DefectClaimed { title })?;
                Ok(row)
            })
            .await?;
        Ok(ClaimCreated::Created(Json(claim_view(row))))
    }

    /// A contract's defect claims, oldest first (parties and supervisor).
    #[oai(path = "/contracts/:id/defect-claims", method = "get", operation_id = "list_defect_claims")]
    async fn claims(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<DefectClaimView>>, ApiError> {
        let rows = state
            .db
            .run(move |c| {
                crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                Ok::<_, ApiError>(DefectClaimRow::of_contract(c, &id.0)?)
            })
            .await?;
        Ok(Json(rows.into_iter().map(claim_view).collect()))
    }

    /// Close a claim as remedied (the payer); when the warranty has ended meanwhile the
    /// retention releases at once (if no other claim is open). 409 `status: not_open`.
    #[oai(
        path = "/contracts/:id/defect-claims/:claim_id/closure",
        method = "post",
        operation_id = "close_defect_claim"
    )]
    async fn close_claim(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        claim_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<DefectClaimCloseInput>,
    ) -> Result<Json<DefectClaimView>, ApiError> {
        let note = body.check()?;
        let row = state
            .write(move |c, out| {
                let (loaded, _, member) =
                    crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                if loaded.row.payer_org_id != org.0 {
                    return Err(ApiError::new(ErrorCode::Forbidden, "the payer closes its claims")
                        .with_detail("claim", "not_the_payer"));
                }
                crate::routes::contracts::ensure_signer(c, &org.0, &auth.0.user_id, member)?;
                let mut row = DefectClaimRow::of_contract(c, &id.0)?
                    .into_iter()
                    .find(|r| r.id == claim_id.0)
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "defect claim not found"))?;
                let at = now();
                row.status = DefectClaimState::Remedied;
                row.closed_by = Some(auth.0.user_id.clone());
                row.closed_at = Some(at);
                row.close_note = Some(note);
                if !row.close(c)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "this claim is closed already")
                        .with_detail("status", "not_open"));
                }
                super::closing::release_retention(c, out, &id.0, business_date(at.and_utc()), at)?;
                Ok(row)
            })
            .await?;
        Ok(Json(claim_view(row)))
    }

    /// Rate the other party of a completed contract (owners, admins and signers; once): 1–5 on
    /// quality, timeliness, communication and payment, with a comment. 409 `contract:
    /// not_completed`, `rating: already_rated`; the supervisor: 403.
    #[oai(path = "/contracts/:id/ratings", method = "post", operation_id = "create_rating")]
    async fn rate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<RatingInput>,
    ) -> Result<RatingCreated, ApiError> {
        let comment = body.check()?;
        let view = state
            .write(move |c, out| {
                let (loaded, role, member) =
                    crate::routes::contracts::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                crate::routes::contracts::ensure_signer(c, &org.0, &auth.0.user_id, member)?;
                let completed = loaded.row.status == ContractState::Completed;
                let rated = RatingRow::of_contract(c, &id.0)?.iter().any(|r| r.rater_org_id == org.0);
                rules::may_rate(role, completed, rated).map_err(|r| rating_refused(&r))?;
                let other = if loaded.row.payer_org_id == org.0 {
                    loaded.row.performer_org_id.clone()
                } else {
                    loaded.row.payer_org_id.clone()
                };
                let row = RatingRow {
                    contract_id: id.0.clone(),
                    rater_org_id: org.0.clone(),
                    ratee_org_id: other.clone(),
                    quality: i32::from(body.quality),
                    timeliness: i32::from(body.timeliness),
                    communication: i32::from(body.communication),
                    payment: i32::from(body.payment),
                    comment,
                    rated_by: auth.0.user_id.clone(),
                    created_at: now(),
                };
                if !row.insert_new(c)? {
                    return Err(rating_refused(&rules::RatingRefusal::AlreadyRated));
                }
                let (_, title) = plan_of(&loaded)?;
                let notice = EscrowNotice::Rated { title };
                out.to_org(c, &other, &Notice::new(&notice, format!("/contracts/{}", id.0), Some(&other)))?;
                ratings_view(c, &loaded, &org.0)
            })
            .await?;
        Ok(RatingCreated::Created(Json(view)))
    }

    /// A contract's ratings as the caller's party sees them: its own, and the other's once shown.
    #[oai(path = "/contracts/:id/ratings", method = "get", operation_id = "get_contract_ratings")]
    async fn ratings(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ContractRatingsView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                let loaded = as_party(c, &id.0, &org.0, &auth.0.user_id)?;
                ratings_view(c, &loaded, &org.0)
            })
            .await?;
        Ok(Json(view))
    }

    /// The ratings an organisation received that are shown (public), newest first, with means.
    #[oai(path = "/orgs/:id/ratings", method = "get", operation_id = "list_org_ratings")]
    async fn org_ratings(
        &self,
        state: Data<&AppState>,
        id: Path<String>,
    ) -> Result<Json<OrgRatingsView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                OrganisationRow::find(c, &id.0)?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
                let received = RatingRow::received(c, &id.0, 500)?;
                let rows = shown(c, received)?;
                let ids: Vec<&str> = rows.iter().map(|r| r.rater_org_id.as_str()).collect();
                let orgs = OrganisationRow::find_many(c, &ids)?;
                Ok::<_, ApiError>(OrgRatingsView {
                    org_id: id.0.clone(),
                    count: u32::try_from(rows.len()).unwrap_or(u32::MAX),
                    quality: mean(&rows, |r| r.quality),
                    timeliness: mean(&rows, |r| r.timeliness),
                    communication: mean(&rows, |r| r.communication),
                    payment: mean(&rows, |r| r.payment),
                    items: rows.iter().take(50).map(|r| rating_view(r, &orgs)).collect(),
                })
            })
            .await?;
        Ok(Json(view))
    }

    /// Risk cases (finance officers): accepted milestones unpaid for more than 15 days that
    /// froze a payer's escrow; `status` `open` (default) or `cleared`.
    #[oai(path = "/finance/risk-cases", method = "get", operation_id = "list_risk_cases")]
    async fn risk_cases(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<RiskCaseState>>,
    ) -> Result<Json<Vec<RiskCaseView>>, ApiError> {
        let views = state
            .db
            .run(move |c| {
                super::finance::finance_officer(c, &auth.0.user_id)?;
                let rows = RiskCaseRow::list(c, Some(status.0.unwrap_or(RiskCaseState::Open)), 500)?;
                let ids: Vec<&str> = rows.iter().map(|r| r.org_id.as_str()).collect();
                let orgs = OrganisationRow::find_many(c, &ids)?;
                Ok::<_, ApiError>(
                    rows.into_iter()
                        .map(|r| RiskCaseView {
                            org_name: orgs
                                .iter()
                                .find(|o| o.id == r.org_id)
                                .map(|o| o.name.clone())
                                .unwrap_or_default(),
                            milestones: serde_json::from_str(&r.milestones).unwrap_or_default(),
                            id: r.id,
                            contract_id: r.contract_id,
                            org_id: r.org_id,
                            owed_fen: r.owed_fen,
                            status: r.status,
                            opened_at: r.opened_at.and_utc(),
                            cleared_at: r.cleared_at.map(|t| t.and_utc()),
                        })
                        .collect(),
                )
            })
            .await?;
        Ok(Json(views))
    }

    /// The risk reserve report (finance officers): balance, settled volume and accruals in all
    /// and month by month (Asia/Shanghai).
    #[oai(path = "/finance/reserve", method = "get", operation_id = "get_reserve_report")]
    async fn reserve(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<ReserveReport>, ApiError> {
        let report = state
            .db
            .run(move |c| {
                super::finance::finance_officer(c, &auth.0.user_id)?;
                reserve_report(c)
            })
            .await?;
        Ok(Json(report))
    }
}
