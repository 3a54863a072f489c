//! `/contracts/{id}/acceptances`: acceptance of a milestone (验收结算). The performer asks with
//! the quantities; the payer (and the supervisor, when named) answers — confirm or reject with a
//! reason — signing with re-authentication, the evidence in the audit chain. When every
//! confirmer has confirmed, the settlement statement (结算单, PDF, Chinese) is rendered once and
//! stored under its SHA-256, and what the milestone's escrow holds releases to the performer
//! with retention withheld; an unfunded rest stays accepted-but-unpaid. Answering is a
//! money-moving POST (`Idempotency-Key` required).

use chrono::NaiveDateTime;
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::comparison::yuan;
use shared::domain::contract::acceptance::{
    self as rules, AcceptanceRefusal, Answer, Request, consent_text, may_request, settlement,
};
use shared::domain::notices::escrow::EscrowNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, ClientInfo};
use crate::db::models::acceptances::{AcceptanceRow, AcceptanceSignatureRow};
use crate::db::models::audit::{AuditEvent, append};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::idempotency::MoneyKey;
use crate::pdf::{Block, Document, render};
use crate::routes::ApiTags;
use crate::routes::auth::accounts::{load_user, reauthenticate};
use crate::routes::contracts::Pdf;
use crate::routes::contracts::service::{Loaded, Renderer, not_found};
use crate::routes::notifications::notify::Notice;
use crate::state::{AppState, Outgoing};

/// Acceptance of milestones.
pub struct AcceptanceApi;

#[derive(ApiResponse)]
enum Requested {
    /// The request; the payer (and the supervisor) are told.
    #[oai(status = 201)]
    Created(Json<AcceptanceView>, #[oai(header = "Location")] String),
}

impl From<AcceptanceRefusal> for ApiError {
    fn from(refusal: AcceptanceRefusal) -> Self {
        let code = if refusal.is_forbidden() { ErrorCode::Forbidden } else { ErrorCode::Conflict };
        let field =
            if matches!(refusal, AcceptanceRefusal::UnknownMilestone) { "milestone" } else { "acceptance" };
        Self::new(code, refusal.to_string()).with_detail(field, refusal.issue())
    }
}

fn acceptance_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "acceptance request not found")
}

fn view(
    conn: &mut DbConn,
    loaded: &Loaded,
    row: &AcceptanceRow,
    viewer: &str,
) -> Result<AcceptanceView, ApiError> {
    let signatures = AcceptanceSignatureRow::of(conn, &row.id)?
        .into_iter()
        .map(|s| AcceptanceSignatureView {
            role: s.role,
            org_id: s.org_id,
            signer_name: s.signer_name,
            decision: s.decision,
            reason: s.reason,
            signed_at: s.signed_at.and_utc(),
        })
        .collect();
    let requested_by_name =
        User::find_active(conn, &row.requested_by)?.map(|u| u.display_name).unwrap_or_default();
    let viewer_name = OrganisationRow::find(conn, viewer)?.map(|o| o.name).unwrap_or_default();
    let milestone = u32::try_from(row.milestone).unwrap_or(0);
    Ok(AcceptanceView {
        id: row.id.clone(),
        contract_id: row.contract_id.clone(),
        milestone,
        status: row.status,
        quantities: serde_json::from_str(&row.quantities).map_err(ApiError::internal)?,
        note: row.note.clone(),
        requested_by_name,
        requested_at: row.requested_at.and_utc(),
        needs_supervisor: loaded.row.supervisor_org_id.is_some(),
        signatures,
        decided_at: row.decided_at.map(|t| t.and_utc()),
        settlement: row
            .settlement
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(ApiError::internal)?,
        statement_sha256: row.statement_sha256.clone(),
        consent_text: consent_text(&viewer_name, &row.contract_id, milestone),
    })
}

fn tell(
    conn: &mut DbConn,
    out: &mut Outgoing,
    orgs: &[Option<&String>],
    link: &str,
    notice: &EscrowNotice,
) -> Result<(), ApiError> {
    for org in orgs.iter().flatten() {
        out.to_org(conn, org, &Notice::new(notice, link.to_owned(), Some(org)))?;
    }
    Ok(())
}

fn request(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (id, org, user): (&str, &str, &str),
    input: &AcceptanceRequestInput,
) -> Result<(Loaded, AcceptanceRow), ApiError> {
    let (milestone, quantities, note) = input.check()?;
    let (loaded, role) = super::readable(conn, id, org, user)?;
    let (plan, title) = super::service::plan_of(&loaded)?;
    let earlier: Vec<(u32, AcceptanceState)> = AcceptanceRow::of_contract(conn, id)?
        .iter()
        .map(|a| (u32::try_from(a.milestone).unwrap_or(0), a.status))
        .collect();
    may_request(loaded.row.status, role, &plan, milestone, &earlier)?;
    let row = AcceptanceRow {
        id: new_id(),
        contract_id: id.to_owned(),
        milestone: i32::try_from(milestone).map_err(ApiError::internal)?,
        status: AcceptanceState::Requested,
        quantities: serde_json::to_string(&quantities).map_err(ApiError::internal)?,
        note,
        requested_by: user.to_owned(),
        requested_at: now(),
        decided_at: None,
        settlement: None,
        statement_sha256: None,
        transaction_id: None,
    };
    row.insert(conn)?;
    let notice = EscrowNotice::AcceptanceRequested { title, milestone };
    let orgs = [Some(&loaded.row.payer_org_id), loaded.row.supervisor_org_id.as_ref()];
    tell(conn, out, &orgs, &format!("/contracts/{id}"), &notice)?;
    Ok((loaded, row))
}

/// One answer with its evidence.
struct Answering<'a> {
    key: &'a MoneyKey,
    id: &'a str,
    acceptance_id: &'a str,
    org: &'a str,
    user: &'a User,
    decision: AcceptanceDecision,
    reason: Option<String>,
    client: &'a ClientInfo,
}

fn answer(
    conn: &mut DbConn,
    out: &mut Outgoing,
    renderer: &Renderer,
    a: &Answering<'_>,
) -> Result<(Loaded, AcceptanceRow), ApiError> {
    if a.key.claim(conn)?.is_some() {
        let loaded = Loaded::load(conn, a.id)?;
        let row = AcceptanceRow::find(conn, a.acceptance_id)?.ok_or_else(acceptance_not_found)?;
        return Ok((loaded, row));
    }
    let (loaded, role, member) = crate::routes::contracts::readable(conn, a.id, a.org, &a.user.id)?;
    let mut row = AcceptanceRow::find(conn, a.acceptance_id)?
        .filter(|r| r.contract_id == a.id)
        .ok_or_else(acceptance_not_found)?;
    let signed = AcceptanceSignatureRow::of(conn, &row.id)?;
    let current = Request {
        state: row.status,
        has_supervisor: loaded.row.supervisor_org_id.is_some(),
        confirmed_by: signed
            .iter()
            .filter(|s| s.decision == AcceptanceDecision::Confirm)
            .map(|s| s.role)
            .collect(),
    };
    let decision = if a.decision == AcceptanceDecision::Confirm { Answer::Confirm } else { Answer::Reject };
    let at = now();
    let step = rules::answer(&current, role, decision, at.and_utc())?;
    crate::routes::contracts::ensure_signer(conn, a.org, &a.user.id, member)?;
    record(conn, a, &row, role, at)?;
    row.status = step.request.state;
    if row.status != AcceptanceState::Requested {
        row.decided_at = Some(at);
    }
    if step.accepted {
        settle(conn, out, renderer, &loaded, &mut row, at)?;
    }
    if !row.decide(conn)? && row.status != AcceptanceState::Requested {
        return Err(ApiError::new(ErrorCode::Conflict, "the request was decided meanwhile; reload it"));
    }
    if step.accepted {
        // The last acceptance returns the bond and starts the warranty; paid in full, the
        // contract completes.
        super::closing::after_settlement(conn, out, a.id, at)?;
    }
    if row.status != AcceptanceState::Requested {
        let (_, title) = super::service::plan_of(&loaded)?;
        let milestone = u32::try_from(row.milestone).unwrap_or(0);
        let notice = EscrowNotice::AcceptanceDecided {
            title,
            milestone,
            accepted: step.accepted,
            reason: a.reason.clone(),
        };
        let orgs = [Some(&loaded.row.payer_org_id), Some(&loaded.row.performer_org_id)];
        tell(conn, out, &orgs, &format!("/contracts/{}", a.id), &notice)?;
    }
    a.key.record(conn, &row.id)?;
    Ok((loaded, row))
}

/// Appends the answer's evidence to the audit chain and stores it.
fn record(
    conn: &mut DbConn,
    a: &Answering<'_>,
    row: &AcceptanceRow,
    role: PartyRole,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let org_name = OrganisationRow::find(conn, a.org)?.map(|o| o.name).unwrap_or_default();
    let consent = consent_text(&org_name, a.id, u32::try_from(row.milestone).unwrap_or(0));
    let (ip, agent) =
        (a.client.ip.clone().unwrap_or_default(), a.client.user_agent.clone().unwrap_or_default());
    let id = new_id();
    let details = serde_json::json!({
        "answer_id": id, "acceptance_id": row.id, "milestone": row.milestone, "org_id": a.org,
        "role": role, "decision": a.decision, "reason": a.reason, "signer_id": a.user.id,
        "signer_name": a.user.display_name, "consent_text": consent, "user_agent": agent,
    });
    let event = AuditEvent {
        actor_user_id: Some(&a.user.id),
        actor_label: "user",
        action: "contract.acceptance_answered",
        subject_type: "contract",
        subject_id: a.id,
        details,
        ip: a.client.ip.as_deref(),
    };
    let entry = append(conn, &event, at)?;
    AcceptanceSignatureRow {
        id,
        acceptance_id: row.id.clone(),
        role,
        org_id: a.org.to_owned(),
        signer_id: a.user.id.clone(),
        signer_name: a.user.display_name.clone(),
        decision: a.decision,
        reason: a.reason.clone(),
        consent_text: consent,
        ip,
        user_agent: agent,
        signed_at: at,
        audit_seq: entry.seq,
    }
    .insert(conn)?;
    Ok(())
}

/// The milestone is accepted: the settlement figures and statement, then the release.
fn settle(
    conn: &mut DbConn,
    out: &mut Outgoing,
    renderer: &Renderer,
    loaded: &Loaded,
    row: &mut AcceptanceRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let milestone = u32::try_from(row.milestone).map_err(ApiError::internal)?;
    let (plan, title) = super::service::plan_of(loaded)?;
    // Frozen escrow pays nothing now: the statement says so (unpaid) rather than promising it.
    let held = super::service::releasable_now(conn, &loaded.row.id, milestone)?;
    let previous: i64 = super::service::seen(conn, &loaded.row.id)?.values().map(|s| s.released_fen).sum();
    let figures = settlement(&plan, milestone, held, previous);
    let quantities: Vec<Quantity> = serde_json::from_str(&row.quantities).map_err(ApiError::internal)?;
    let pdf = statement_pdf(renderer, loaded, &title, milestone, &quantities, &figures, at)?;
    let sha = crate::routes::files::service::sha256(&pdf);
    renderer.files.put(&sha, &pdf).map_err(ApiError::internal)?;
    row.statement_sha256 = Some(sha);
    row.settlement = Some(serde_json::to_string(&figures).map_err(ApiError::internal)?);
    row.transaction_id = super::service::release_held(conn, out, loaded, milestone, at)?;
    Ok(())
}

fn statement_pdf(
    renderer: &Renderer,
    loaded: &Loaded,
    title: &str,
    milestone: u32,
    quantities: &[Quantity],
    s: &Settlement,
    at: NaiveDateTime,
) -> Result<Vec<u8>, ApiError> {
    let document = crate::routes::contracts::service::document_of(loaded.current()?)?;
    let party = |role: PartyRole| {
        document.parties.iter().find(|p| p.role == role).map(|p| p.name.clone()).unwrap_or_default()
    };
    let name = document
        .terms
        .plan
        .milestones
        .iter()
        .find(|m| m.index == milestone)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let blocks = vec![
        Block::Fields(vec![
            ("合同 Contract".into(), format!("{title}（{}）", loaded.row.id)),
            ("付款方 Payer".into(), party(PartyRole::Payer)),
            ("收款方 Payee".into(), party(PartyRole::Performer)),
            ("本期 Milestone".into(), format!("第 {milestone} 期 {name}")),
            ("验收日期 Accepted".into(), crate::routes::contracts::service::shanghai(at.and_utc())),
        ]),
        Block::Heading("工程量 Quantities".into()),
        Block::Table {
            headers: vec!["项目 Item".into(), "单位 Unit".into(), "数量 Quantity".into()],
            rows: quantities
                .iter()
                .map(|q| vec![q.item.clone(), q.unit.clone(), format!("{}", q.quantity)])
                .collect(),
        },
        Block::Heading("结算 Settlement".into()),
        Block::Fields(vec![
            ("合同金额 Contract amount".into(), yuan(s.contract_amount_fen)),
            ("本期金额 This milestone".into(), yuan(s.milestone_amount_fen)),
            ("质保金扣留 Retention withheld".into(), yuan(s.retention_fen)),
            ("扣款 Deductions".into(), yuan(s.deductions_fen)),
            ("累计已付 Previous payments".into(), yuan(s.previous_payments_fen)),
            ("本期应付 Amount payable".into(), yuan(s.payable_fen)),
            ("监管资金本次支付 Paid now from escrow".into(), yuan(s.paid_now_fen)),
            ("尚未支付 Unpaid".into(), yuan(s.unpaid_fen)),
        ]),
    ];
    let doc = Document {
        title: "结算单 Settlement Statement".into(),
        subtitle: Some(format!("合同编号 Contract No. {} · 第 {milestone} 期", loaded.row.id)),
        blocks,
        footer: Some(format!("共筑 Gongzhu · {} · {milestone}", loaded.row.id)),
    };
    render(&doc, &renderer.font).map_err(ApiError::internal)
}

#[OpenApi(tag = "ApiTags::Escrow")]
impl AcceptanceApi {
    /// Ask for acceptance of a milestone (the performer's members), with the quantities
    /// delivered (1–50 lines) and a note. 409 `acceptance: not_effective | already_accepted |
    /// already_requested | advance_not_accepted`, `milestone: unknown_milestone`; 403
    /// `acceptance: not_your_part` for the payer or supervisor. The payer and the supervisor are
    /// told.
    #[oai(path = "/contracts/:id/acceptances", method = "post", operation_id = "create_acceptance")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<AcceptanceRequestInput>,
    ) -> Result<Requested, ApiError> {
        let view = state
            .write(move |c, out| {
                let (loaded, row) = request(c, out, (&id.0, &org.0, &auth.0.user_id), &body.0)?;
                view(c, &loaded, &row, &org.0)
            })
            .await?;
        let location = format!("/api/v1/contracts/{}/acceptances/{}", view.contract_id, view.id);
        Ok(Requested::Created(Json(view), location))
    }

    /// Every acceptance request of the contract, oldest first (parties and supervisor).
    #[oai(path = "/contracts/:id/acceptances", method = "get", operation_id = "list_acceptances")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<AcceptanceView>>, ApiError> {
        let views = state
            .db
            .run(move |c| {
                let (loaded, _) = super::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                AcceptanceRow::of_contract(c, &id.0)?
                    .iter()
                    .map(|row| view(c, &loaded, row, &org.0))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        Ok(Json(views))
    }

    /// Answer an acceptance request for the payer or the supervisor (their owners, admins and
    /// members with signing authority), re-authenticated like a contract signature: `{decision:
    /// confirm | reject, reason (required to reject), password, code?, consent: true}`. When
    /// every confirmer confirmed: accepted, the settlement statement is generated and the
    /// milestone's escrow releases (retention withheld). 403 `acceptance: not_your_part`; 409
    /// `acceptance: decided | already_answered`. Requires `Idempotency-Key`.
    #[oai(
        path = "/contracts/:id/acceptances/:acceptance_id/answers",
        method = "post",
        operation_id = "answer_acceptance"
    )]
    #[expect(clippy::too_many_arguments, reason = "the path, header and body of one endpoint")]
    async fn answer(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        acceptance_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<AcceptanceAnswerInput>,
    ) -> Result<Json<AcceptanceView>, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        let (decision, reason) = body.check()?;
        let (cid, o, u) = (id.0.clone(), org.0.clone(), auth.0.user_id.clone());
        state.db.run(move |c| super::readable(c, &cid, &o, &u).map(drop)).await?;
        let user = load_user(&state, &auth.0.user_id).await?;
        reauthenticate(&state, &user, body.0.password.clone(), body.0.code.clone()).await?;
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let renderer = crate::routes::contracts::renderer(&state)?;
        let view = state
            .write(move |c, out| {
                let a = Answering {
                    key: &key,
                    id: &id.0,
                    acceptance_id: &acceptance_id.0,
                    org: &org.0,
                    user: &user,
                    decision,
                    reason,
                    client: &client,
                };
                let (loaded, row) = answer(c, out, &renderer, &a)?;
                view(c, &loaded, &row, &org.0)
            })
            .await?;
        Ok(Json(view))
    }

    /// The settlement statement of an accepted milestone (parties and supervisor): the stored
    /// PDF bytes, whose SHA-256 the acceptance shows.
    #[oai(
        path = "/contracts/:id/acceptances/:acceptance_id/statement.pdf",
        method = "get",
        operation_id = "get_settlement_statement"
    )]
    async fn statement(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        acceptance_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Pdf, ApiError> {
        let files = state.files.clone();
        let sha = state
            .db
            .run(move |c| {
                super::readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let row = AcceptanceRow::find(c, &acceptance_id.0)?
                    .filter(|r| r.contract_id == id.0)
                    .ok_or_else(acceptance_not_found)?;
                row.statement_sha256
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no statement before acceptance"))
            })
            .await?;
        let bytes = tokio::task::spawn_blocking(move || files.get(&sha))
            .await
            .map_err(ApiError::internal)?
            .map_err(|_| not_found())?;
        let sha = crate::routes::files::service::sha256(&bytes);
        Ok(Pdf::attachment(bytes, format!("settlement-{sha}")))
    }
}
