//! Disputes (纠纷处理) at the API edge: a party files on a signed contract; staff assign a
//! mediator, open mediation, record an agreement or the failure, register the arbitration and
//! its decision, and close; the respondent answers; the complainant withdraws; parties and the
//! mediator write in the mediation thread. Every step goes through
//! `shared::domain::dispute::transition` (`service::act`); deadlines run as `dispute_deadline`
//! jobs (`jobs`). The contract's escrow, bond and retention are frozen while a case is open
//! (`escrow::closing::escrow_held`).

pub mod award;
pub mod jobs;
pub mod service;
mod settlement;

use chrono::NaiveDateTime;
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::contract::lifecycle::ContractState;
use shared::domain::dispute::{
    self as rules, DisputeActor, DisputeEvent, DisputeFiling, StaffRole as Acting,
};
use shared::domain::notices::disputes::DisputeNotice;
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::disputes::ValidFiling;

use crate::auth::session::BearerAuth;
use crate::db::models::disputes::{DisputeMessageRow, DisputeRow};
use crate::db::models::files::FileRow;
use crate::db::models::orgs::MembershipRow;
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::contracts::service::Loaded;
use crate::routes::escrow::service::plan_of;
use crate::state::{AppState, Outgoing};
use service::{act, load, may_read, party_actor, staff_actor, view};
use shared::domain::calendar::BusinessCalendar;

/// Disputes.
pub struct DisputesApi;

#[derive(ApiResponse)]
enum Filed {
    /// Filed; the respondent is notified and the contract's escrow frozen.
    #[oai(status = 201)]
    Created(Json<DisputeView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Posted {
    /// Posted.
    #[oai(status = 201)]
    Created(Json<DisputeMessageView>),
}

/// Evidence and thread files: uploaded by the caller, of the types a case takes.
const EVIDENCE_TYPES: [&str; 4] = ["application/pdf", "image/jpeg", "image/png", "image/webp"];

fn check_files(conn: &mut DbConn, field: &str, files: &[String], user: &str) -> Result<(), ApiError> {
    let mut checks = shared::validate::Checks::default();
    for (i, sha) in files.iter().enumerate() {
        let row = FileRow::find(conn, sha)?;
        if row.is_none() || !FileRow::uploaded_by(conn, sha, user)? {
            checks.issue(&format!("{field}[{i}]"), "unknown_file");
        } else if row.is_some_and(|f| !EVIDENCE_TYPES.contains(&f.content_type.as_str())) {
            checks.issue(&format!("{field}[{i}]"), "forbidden_type");
        }
    }
    Ok(checks.finish()?)
}

/// Files a dispute for `org` (owners and admins) against the other party of the contract.
fn file(
    conn: &mut DbConn,
    out: &mut Outgoing,
    user: &str,
    org: &str,
    valid: ValidFiling,
    at: NaiveDateTime,
    cal: &BusinessCalendar,
) -> Result<DisputeView, ApiError> {
    if !MembershipRow::role_of(conn, org, user)?.is_some_and(MemberRole::can_manage) {
        return Err(ApiError::new(ErrorCode::Forbidden, "owners and admins of a party file disputes"));
    }
    let loaded = Loaded::load(conn, &valid.contract_id)?;
    let c = &loaded.row;
    let respondent = match org {
        o if o == c.payer_org_id => c.performer_org_id.clone(),
        o if o == c.performer_org_id => c.payer_org_id.clone(),
        _ => {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "only a party to the contract files a dispute on it",
            )
            .with_detail("contract_id", "not_a_party"));
        }
    };
    if !matches!(c.status, ContractState::Effective | ContractState::Completed | ContractState::Terminated) {
        return Err(ApiError::new(ErrorCode::Conflict, "the contract is not signed")
            .with_detail("contract_id", "not_signed"));
    }
    let (plan, title) = plan_of(&loaded)?;
    if valid.amount_fen > plan.amount_fen {
        return Err(ApiError::field(
            "amount_fen",
            "exceeds_contract",
            "the claim exceeds the contract's amount",
        ));
    }
    check_files(conn, "evidence", &valid.evidence, user)?;
    // Under the write lock, so two filings at once cannot both find none open.
    crate::db::models::audit::serialise(conn)?;
    if DisputeRow::open_on_contract(conn, &c.id)? {
        return Err(ApiError::new(ErrorCode::Conflict, "a dispute on this contract is open")
            .with_detail("contract_id", "dispute_open"));
    }
    let filing = DisputeFiling {
        id: new_id(),
        contract_id: c.id.clone(),
        complainant_org_id: org.to_owned(),
        respondent_org_id: respondent,
        claim: valid.claim,
        amount_fen: valid.amount_fen,
        evidence: valid.evidence,
    };
    let actor = DisputeActor::Organisation { org_id: org.to_owned() };
    let case = rules::file(filing, actor, at.and_utc()).map_err(|e| service::refused(&e))?;
    let row = service::new_row(&case, at, cal)?;
    row.insert(conn)?;
    if let Some(due) = row.deadline_at {
        let payload = serde_json::to_string(&jobs::deadline_payload(&row.id)).map_err(ApiError::internal)?;
        crate::jobs::enqueue(conn, crate::jobs::JobKind::DisputeDeadline, &payload, due)?;
    }
    service::notify(conn, out, &row, &DisputeNotice::Filed { title })?;
    view(&row, &case, cal)
}

/// Runs a party's event (`X-Org-Id`) and answers the case.
async fn as_party(
    state: &AppState,
    auth: BearerAuth,
    org: Option<String>,
    id: String,
    event: DisputeEvent,
) -> Result<Json<DisputeView>, ApiError> {
    let org = org.ok_or_else(|| ApiError::field("X-Org-Id", "required", "act for a party with X-Org-Id"))?;
    let cache = state.calendar.clone();
    let answer = state
        .write(move |c, out| {
            let cal = cache.current(c)?;
            let (row, _) = load(c, &id)?;
            let actor = party_actor(c, &row, &org, &auth.0.user_id)?;
            let (row, case) = act(c, out, &id, event, &actor, now(), &cal)?;
            view(&row, &case, &cal)
        })
        .await?;
    Ok(Json(answer))
}

/// Runs a staff event in the first of `roles` the caller holds and answers the case.
async fn as_staff(
    state: &AppState,
    auth: BearerAuth,
    id: String,
    roles: &'static [Acting],
    event: DisputeEvent,
) -> Result<Json<DisputeView>, ApiError> {
    let cache = state.calendar.clone();
    let answer = state
        .write(move |c, out| {
            let cal = cache.current(c)?;
            let actor = staff_actor(c, &auth.0.user_id, roles)?;
            let (row, case) = act(c, out, &id, event, &actor, now(), &cal)?;
            view(&row, &case, &cal)
        })
        .await?;
    Ok(Json(answer))
}

/// The mediator or an admin (an admin first: admins may act in place of the mediator).
const MEDIATION: &[Acting] = &[Acting::Admin, Acting::Mediator];

#[OpenApi(tag = "ApiTags::Disputes")]
impl DisputesApi {
    /// File a dispute on a signed contract (owners and admins of a party, `X-Org-Id`): the
    /// respondent is the other party. 403 `contract_id: not_a_party`; 409 `contract_id:
    /// not_signed / dispute_open`; 422 `claim`, `amount_fen: exceeds_contract`, `evidence[i]:
    /// unknown_file / forbidden_type` (PDF, JPEG, PNG, WebP only). Both parties are notified; the
    /// contract's escrow, bond and retention are frozen until the case ends.
    #[oai(path = "/disputes", method = "post", operation_id = "create_dispute")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        body: Json<FileDisputeRequest>,
    ) -> Result<Filed, ApiError> {
        let valid = body.check()?;
        let org =
            org.0.ok_or_else(|| ApiError::field("X-Org-Id", "required", "file for a party with X-Org-Id"))?;
        let cache = state.calendar.clone();
        let created = state
            .write(move |c, out| {
                let cal = cache.current(c)?;
                file(c, out, &auth.0.user_id, &org, valid, now(), &cal)
            })
            .await?;
        let location = format!("/api/v1/disputes/{}", created.id);
        Ok(Filed::Created(Json(created), location))
    }

    /// A dispute: its state, the running deadline, SLA breaches, answer, agreement, arbitration,
    /// decision and the whole timeline — to members of either party and dispute staff
    /// (operators, mediators, admins); 404 for anyone else.
    #[oai(path = "/disputes/:id", method = "get", operation_id = "get_dispute")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let cache = state.calendar.clone();
        let answer = state
            .db
            .run(move |c| {
                let cal = cache.current(c)?;
                let (row, case) = load(c, &id.0)?;
                if !may_read(c, &row, &auth.0.user_id)? {
                    return Err(ApiError::new(ErrorCode::NotFound, "dispute not found"));
                }
                view(&row, &case, &cal)
            })
            .await?;
        Ok(Json(answer))
    }

    /// An organisation's disputes, either side, newest first (its members; at most 100).
    #[oai(path = "/orgs/:id/disputes", method = "get", operation_id = "list_organisation_disputes")]
    async fn of_org(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeList>, ApiError> {
        let cache = state.calendar.clone();
        let items = state
            .db
            .run(move |c| {
                let cal = cache.current(c)?;
                if MembershipRow::role_of(c, &id.0, &auth.0.user_id)?.is_none() {
                    return Err(ApiError::new(ErrorCode::Forbidden, "members of the organisation only"));
                }
                DisputeRow::of_org(c, &id.0, 100)?
                    .iter()
                    .map(|r| view(r, &serde_json::from_str(&r.case_json).map_err(ApiError::internal)?, &cal))
                    .collect()
            })
            .await?;
        Ok(Json(DisputeList { items }))
    }

    /// Open disputes, oldest first (operators, mediators, admins; at most 200).
    #[oai(
        path = "/staff/disputes",
        method = "get",
        operation_id = "list_open_disputes",
        tag = "ApiTags::Staff"
    )]
    async fn queue(&self, state: Data<&AppState>, auth: BearerAuth) -> Result<Json<DisputeList>, ApiError> {
        let cache = state.calendar.clone();
        let items = state
            .db
            .run(move |c| {
                let cal = cache.current(c)?;
                staff_actor(c, &auth.0.user_id, &[Acting::Admin, Acting::Mediator, Acting::Operator])?;
                DisputeRow::open(c, 200)?
                    .iter()
                    .map(|r| view(r, &serde_json::from_str(&r.case_json).map_err(ApiError::internal)?, &cal))
                    .collect()
            })
            .await?;
        Ok(Json(DisputeList { items }))
    }

    /// The staff members holding the mediator role, with their open cases, fewest first
    /// (operators and admins, who assign them).
    #[oai(path = "/staff/mediators", method = "get", operation_id = "list_mediators", tag = "ApiTags::Staff")]
    async fn mediators(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<MediatorList>, ApiError> {
        let items = state
            .db
            .run(move |c| {
                staff_actor(c, &auth.0.user_id, &[Acting::Admin, Acting::Operator])?;
                let open = DisputeRow::open(c, 10_000)?;
                let mut items = Vec::new();
                for user_id in crate::db::models::staff::StaffRoleRow::holders(c, StaffRole::Mediator)? {
                    let Some(user) = User::find_active(c, &user_id)? else { continue };
                    let cases =
                        open.iter().filter(|d| d.mediator_id.as_deref() == Some(user_id.as_str())).count();
                    items.push(MediatorView {
                        user_id,
                        display_name: user.display_name,
                        open_cases: u32::try_from(cases).unwrap_or(u32::MAX),
                    });
                }
                items.sort_by(|a, b| {
                    a.open_cases.cmp(&b.open_cases).then(a.display_name.cmp(&b.display_name))
                });
                Ok::<_, ApiError>(items)
            })
            .await?;
        Ok(Json(MediatorList { items }))
    }

    /// Assign a mediator (operators and admins): a staff member holding the mediator role
    /// (422 `mediator_id: not_a_mediator`). Late (after 2 hours) counts an SLA breach.
    #[oai(path = "/disputes/:id/assignment", method = "post", operation_id = "assign_dispute_mediator")]
    async fn assign(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<AssignMediatorRequest>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let mediator_id = body.check()?;
        let is_mediator = {
            let m = mediator_id.clone();
            state
                .db
                .run(move |c| {
                    Ok::<_, ApiError>(
                        crate::db::models::staff::StaffRoleRow::roles_of(c, &m)?
                            .contains(&StaffRole::Mediator),
                    )
                })
                .await?
        };
        if !is_mediator {
            return Err(ApiError::field(
                "mediator_id",
                "not_a_mediator",
                "name a staff member with the mediator role",
            ));
        }
        as_staff(
            &state,
            auth,
            id.0,
            &[Acting::Operator, Acting::Admin],
            DisputeEvent::AssignMediator { mediator_id },
        )
        .await
    }

    /// The respondent's answer (owners and admins of the respondent, `X-Org-Id`), within 3
    /// business days of filing; once (409 `state: already_answered`).
    #[oai(path = "/disputes/:id/response", method = "post", operation_id = "answer_dispute")]
    async fn respond(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<DisputeText>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let statement = body.check()?;
        as_party(&state, auth, org.0, id.0, DisputeEvent::Respond { statement }).await
    }

    /// Open online mediation (the assigned mediator or an admin).
    #[oai(path = "/disputes/:id/mediation", method = "post", operation_id = "open_dispute_mediation")]
    async fn open_mediation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeView>, ApiError> {
        as_staff(&state, auth, id.0, MEDIATION, DisputeEvent::OpenMediation).await
    }

    /// Record the agreement reached in mediation (the assigned mediator or an admin): terms,
    /// escrow movements, and the party at fault (its credit is recomputed at once).
    #[oai(path = "/disputes/:id/agreement", method = "post", operation_id = "record_dispute_agreement")]
    async fn agreement(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<RecordAgreementRequest>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let (terms, movements) = body.check()?;
        let amounts: Vec<i64> = movements.iter().map(|m| m.amount_fen).collect();
        let escrow_movements = movements
            .into_iter()
            .map(|m| rules::EscrowMovement { to: m.to, amount_fen: m.amount_fen })
            .collect();
        let event = DisputeEvent::RecordAgreement { terms, escrow_movements, at_fault: body.at_fault };
        let cache = state.calendar.clone();
        let answer = state
            .write(move |c, out| {
                let cal = cache.current(c)?;
                let actor = staff_actor(c, &auth.0.user_id, MEDIATION)?;
                let (row, case) = act(c, out, &id.0, event, &actor, now(), &cal)?;
                settlement::check_fits(c, &row.contract_id, &amounts)?;
                view(&row, &case, &cal)
            })
            .await?;
        Ok(Json(answer))
    }

    /// Mediation failed: the case goes to arbitration (the assigned mediator or an admin).
    #[oai(path = "/disputes/:id/failure", method = "post", operation_id = "fail_dispute_mediation")]
    async fn fail(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<DisputeText>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let reason = body.check()?;
        as_staff(&state, auth, id.0, MEDIATION, DisputeEvent::DeclareMediationFailed { reason }).await
    }

    /// Register the arbitration institution and case number (the assigned mediator or an
    /// admin); once.
    #[oai(path = "/disputes/:id/arbitration", method = "post", operation_id = "register_dispute_arbitration")]
    async fn arbitration(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<RegisterArbitrationRequest>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let (institution, case_number) = body.check()?;
        as_staff(
            &state,
            auth,
            id.0,
            MEDIATION,
            DisputeEvent::RegisterArbitration { institution, case_number },
        )
        .await
    }

    /// Record the arbitration decision with its document (a PDF or image uploaded first by the
    /// caller, else 422 `document_sha256: unknown_file`); the party at fault's credit is
    /// recomputed at once. An award (`award_fen` > 0, with `at_fault`) executes from the
    /// contract's escrow to the other party at once; a shortfall is due from the party at fault
    /// within 10 business days (`GET /disputes/{id}/award`). 409 `arbitration: not_registered`
    /// before the case is registered.
    #[oai(path = "/disputes/:id/decision", method = "post", operation_id = "record_dispute_decision")]
    async fn decision(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<RecordDecisionRequest>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let (summary, document) = body.check()?;
        let (at_fault, award_fen) = (body.at_fault, body.award_fen);
        let cache = state.calendar.clone();
        let answer = state
            .write(move |c, out| {
                let cal = cache.current(c)?;
                let actor = staff_actor(c, &auth.0.user_id, MEDIATION)?;
                let event = DisputeEvent::RecordDecision { summary, at_fault, award_fen };
                let (mut row, case) = act(c, out, &id.0, event, &actor, now(), &cal)?;
                // After the permission and state checks; a refusal here rolls the step back.
                check_files(c, "document_sha256", std::slice::from_ref(&document), &auth.0.user_id).map_err(
                    |_| {
                        ApiError::field(
                            "document_sha256",
                            "unknown_file",
                            "upload the decision (PDF or image) first",
                        )
                    },
                )?;
                row.decision_sha256 = Some(document);
                let version = row.version;
                if !row.save_if(c, version)? {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "the dispute changed meanwhile; reload it",
                    ));
                }
                award::on_decision(c, out, &row, &case, now(), &cal)?;
                view(&row, &case, &cal)
            })
            .await?;
        Ok(Json(answer))
    }

    /// Close a resolved or decided case (the assigned mediator or an admin): the contract's
    /// escrow is unfrozen and what accepted milestones hold is released.
    #[oai(path = "/disputes/:id/closure", method = "post", operation_id = "close_dispute")]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let cache = state.calendar.clone();
        let answer = state
            .write(move |c, out| {
                let cal = cache.current(c)?;
                let actor = staff_actor(c, &auth.0.user_id, MEDIATION)?;
                let (row, case) = load(c, &id.0)?;
                let moves = case.agreement.as_ref().is_some_and(|a| !a.escrow_movements.is_empty());
                if case.state == rules::DisputeState::Resolved && moves && row.executed_at.is_none() {
                    return Err(ApiError::new(ErrorCode::Conflict, "both parties sign the agreement first")
                        .with_detail("agreement", "not_executed"));
                }
                let (row, case) = act(c, out, &id.0, DisputeEvent::Close, &actor, now(), &cal)?;
                view(&row, &case, &cal)
            })
            .await?;
        Ok(Json(answer))
    }

    /// Sign the agreement for a party (owners and admins, `X-Org-Id`), re-authenticated like a
    /// contract signature: `{password, code?, consent: true}`. When both parties have signed, its
    /// escrow movements execute on the ledger in the same transaction. 409 `state:
    /// invalid_transition` unless resolved, `X-Org-Id: already_signed`. Requires
    /// `Idempotency-Key`.
    #[oai(
        path = "/disputes/:id/agreement/signatures",
        method = "post",
        operation_id = "sign_dispute_agreement"
    )]
    async fn sign(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<SignAgreementRequest>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let key = crate::idempotency::money_key(req)?;
        body.check()?;
        let org =
            org.0.ok_or_else(|| ApiError::field("X-Org-Id", "required", "sign for a party with X-Org-Id"))?;
        let user = crate::routes::auth::accounts::load_user(&state, &auth.0.user_id).await?;
        let (password, code) = (body.0.password.clone(), body.0.code.clone());
        crate::routes::auth::accounts::reauthenticate(&state, &user, password, code).await?;
        let cache = state.calendar.clone();
        let answer = state
            .write(move |c, out| {
                let cal = cache.current(c)?;
                if key.claim(c)?.is_none() {
                    sign_agreement(c, out, &id.0, &org, &user.id, now())?;
                    key.record(c, &id.0)?;
                }
                let (row, case) = load(c, &id.0)?;
                view(&row, &case, &cal)
            })
            .await?;
        Ok(Json(answer))
    }

    /// Withdraw (owners and admins of the complainant, `X-Org-Id`) before an agreement or a
    /// decision; the escrow is unfrozen.
    #[oai(path = "/disputes/:id/withdrawal", method = "post", operation_id = "withdraw_dispute")]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<DisputeText>,
    ) -> Result<Json<DisputeView>, ApiError> {
        let reason = body.check()?;
        as_party(&state, auth, org.0, id.0, DisputeEvent::Withdraw { reason }).await
    }

    /// The mediation thread, oldest first (who may read the case).
    #[oai(path = "/disputes/:id/messages", method = "get", operation_id = "list_dispute_messages")]
    async fn messages(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<DisputeMessageList>, ApiError> {
        let items = state
            .db
            .run(move |c| {
                let (row, _) = load(c, &id.0)?;
                if !may_read(c, &row, &auth.0.user_id)? {
                    return Err(ApiError::new(ErrorCode::NotFound, "dispute not found"));
                }
                DisputeMessageRow::of_dispute(c, &id.0)?.into_iter().map(|m| message_view(c, m)).collect()
            })
            .await?;
        Ok(Json(DisputeMessageList { items }))
    }

    /// Write in the mediation thread while the case is open: members of a party (`X-Org-Id`),
    /// the assigned mediator, or an admin. Files as for evidence.
    #[oai(path = "/disputes/:id/messages", method = "post", operation_id = "create_dispute_message")]
    async fn post_message(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
        id: Path<String>,
        body: Json<CreateDisputeMessage>,
    ) -> Result<Posted, ApiError> {
        let (text, files) = body.check()?;
        let posted = state
            .write(move |c, _| {
                let (row, case) = load(c, &id.0)?;
                let user = auth.0.user_id.clone();
                let side = message_side(c, &row, &case, org.0.as_deref(), &user)?;
                if case.state.is_terminal() {
                    return Err(ApiError::new(ErrorCode::Conflict, "the dispute has ended")
                        .with_detail("state", "ended"));
                }
                check_files(c, "files", &files, &user)?;
                let files = serde_json::to_string(&files).map_err(ApiError::internal)?;
                let m = DisputeMessageRow {
                    id: new_id(),
                    dispute_id: row.id,
                    side,
                    author_id: user,
                    body: text,
                    files,
                    created_at: now(),
                };
                m.insert(c)?;
                message_view(c, m)
            })
            .await?;
        Ok(Posted::Created(Json(posted)))
    }
}

/// Records `org`'s signature on a resolved case's agreement; with both, executes it.
fn sign_agreement(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    org: &str,
    user: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let (mut row, case) = load(conn, id)?;
    party_actor(conn, &row, org, user)?;
    if case.state != rules::DisputeState::Resolved {
        return Err(ApiError::new(ErrorCode::Conflict, "only the agreement of a resolved case is signed")
            .with_detail("state", "invalid_transition"));
    }
    let complainant = org == row.complainant_org_id;
    let signed = if complainant { row.complainant_signed_at } else { row.respondent_signed_at };
    if signed.is_some() {
        return Err(ApiError::new(ErrorCode::Conflict, "your organisation signed already")
            .with_detail("X-Org-Id", "already_signed"));
    }
    if complainant {
        (row.complainant_signed_by, row.complainant_signed_at) = (Some(user.to_owned()), Some(at));
    } else {
        (row.respondent_signed_by, row.respondent_signed_at) = (Some(user.to_owned()), Some(at));
    }
    if row.complainant_signed_at.is_some() && row.respondent_signed_at.is_some() {
        settlement::execute(conn, out, &row, &case, at)?;
        row.executed_at = Some(at);
    }
    let version = row.version;
    row.version += 1;
    row.updated_at = at;
    if !row.save_if(conn, version)? {
        return Err(ApiError::new(ErrorCode::Conflict, "the dispute changed meanwhile; reload it"));
    }
    Ok(())
}

/// Which side the caller writes for: a member of a party acting for it, or the mediator / an
/// admin; 404 for anyone else.
fn message_side(
    conn: &mut DbConn,
    row: &DisputeRow,
    case: &rules::DisputeCase,
    org: Option<&str>,
    user: &str,
) -> Result<DisputeSide, ApiError> {
    if let Some(org) = org {
        let member = MembershipRow::role_of(conn, org, user)?.is_some();
        if member && org == row.complainant_org_id {
            return Ok(DisputeSide::Complainant);
        }
        if member && org == row.respondent_org_id {
            return Ok(DisputeSide::Respondent);
        }
    }
    match staff_actor(conn, user, MEDIATION) {
        Ok(DisputeActor::Staff { role: Acting::Admin, .. }) => Ok(DisputeSide::Mediator),
        Ok(_) if case.mediator_id.as_deref() == Some(user) => Ok(DisputeSide::Mediator),
        _ => Err(ApiError::new(ErrorCode::NotFound, "dispute not found")),
    }
}

fn message_view(conn: &mut DbConn, m: DisputeMessageRow) -> Result<DisputeMessageView, ApiError> {
    let author_name = User::find_active(conn, &m.author_id)?.map(|u| u.display_name).unwrap_or_default();
    Ok(DisputeMessageView {
        id: m.id,
        side: m.side,
        author_name,
        body: m.body,
        files: serde_json::from_str(&m.files).map_err(ApiError::internal)?,
        created_at: m.created_at.and_utc(),
    })
}
