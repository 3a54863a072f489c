//! `/contracts/…`, `/tenders/{id}/contract`, `/orgs/{id}/contracts`: the contract drafted from an
//! award, its versions (each rendered once to PDF; the PDF's SHA-256 is what is signed), the
//! diff between versions, sending for signature, e-signing with re-authentication and consent
//! to the exact hash (evidence in the hash-chained audit log), the certificate of completion and
//! the verification of the history. Parties (payer and performer) and the supervisor read; the
//! parties edit; the parties' owners and admins sign.

pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::document::{ContractDocument, consent_text, diff};
use shared::domain::contract::lifecycle::{
    self as lifecycle, ContractActor, ContractEffect, ContractEvent, ContractRefusal, SignerStanding,
};
use shared::domain::market::RefusalKind;
use shared::domain::notices::contracts::ContractNotice;
use shared::domain::tender::lifecycle::{TenderActor, TenderEvent};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, ClientInfo};
use crate::db::models::audit::{AuditEvent, append};
use crate::db::models::contracts::{ContractRow, ContractVersionRow, SignatureRow, SigningAuthorityRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::tenders::TenderRow;
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::acting_member;
use crate::routes::ApiTags;
use crate::routes::auth::accounts::{load_user, reauthenticate};
use crate::routes::notifications::notify::Notice;
use crate::state::{AppState, Outgoing};
use service::{Loaded, Renderer, contract_view, document_of, not_found, role_of};

impl From<ContractRefusal> for ApiError {
    fn from(refusal: ContractRefusal) -> Self {
        let message = refusal.to_string();
        let field = match refusal {
            ContractRefusal::StaleDocument => "sha256",
            ContractRefusal::Risk(_) => "bond",
            _ => "X-Org-Id",
        };
        let code = refusal.code();
        let error = match refusal.kind() {
            RefusalKind::Forbidden => Self::new(ErrorCode::Forbidden, message),
            _ => Self::new(ErrorCode::Conflict, message),
        };
        if matches!(code, "conflict" | "forbidden") { error } else { error.with_detail(field, code) }
    }
}

/// Contracts.
pub struct ContractsApi;

#[derive(ApiResponse)]
pub(crate) enum Pdf {
    /// The PDF.
    #[oai(status = 200)]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Type")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

impl Pdf {
    /// The PDF bytes as an attachment named `name.pdf`, never cached.
    pub(crate) fn attachment(bytes: Vec<u8>, name: String) -> Self {
        Self::Ok(
            Binary(bytes),
            "application/pdf".into(),
            "private, no-store".into(),
            format!("attachment; filename=\"{name}.pdf\""),
        )
    }
}

/// A contract the organisation in `X-Org-Id` takes part in (party or supervisor), with its part.
pub(crate) fn readable(
    conn: &mut DbConn,
    id: &str,
    org: &str,
    user: &str,
) -> Result<(Loaded, PartyRole, MemberRole), ApiError> {
    let member = acting_member(conn, org, user)?;
    let loaded = Loaded::load(conn, id)?;
    let role = role_of(&loaded.row, org).ok_or_else(not_found)?;
    Ok((loaded, role, member))
}

/// Like [`readable`], for a party (the supervisor reads only).
fn as_party(
    conn: &mut DbConn,
    id: &str,
    org: &str,
    user: &str,
) -> Result<(Loaded, PartyRole, MemberRole), ApiError> {
    let found = readable(conn, id, org, user)?;
    if found.1 == PartyRole::Supervisor {
        return Err(ContractRefusal::NotAParty.into());
    }
    Ok(found)
}

pub(crate) fn renderer(state: &AppState) -> Result<Renderer, ApiError> {
    let font = state.pdf_font.get(&state.config.pdf_font).map_err(service::no_font)?;
    Ok(Renderer { font, files: state.files.clone() })
}

fn notify_other(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &ContractRow,
    from: &str,
    notice: &ContractNotice,
) -> Result<(), ApiError> {
    for org in [&row.payer_org_id, &row.performer_org_id].into_iter().filter(|o| *o != from) {
        out.to_org(conn, org, &Notice::new(notice, format!("/contracts/{}", row.id), Some(org)))?;
    }
    Ok(())
}

#[OpenApi(tag = "ApiTags::Contracts")]
impl ContractsApi {
    /// One contract (its parties' and its supervisor's members).
    #[oai(path = "/contracts/:id", method = "get", operation_id = "get_contract")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ContractView>, ApiError> {
        let calendar = state.calendar.clone();
        let view = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                contract_view(c, &loaded, &org.0, &calendar)
            })
            .await?;
        Ok(Json(view))
    }

    /// The contract of a tender's award in force (or last in force).
    #[oai(path = "/tenders/:id/contract", method = "get", operation_id = "get_tender_contract")]
    async fn of_tender(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ContractView>, ApiError> {
        let calendar = state.calendar.clone();
        let view = state
            .db
            .run(move |c| {
                let (tender, ..) = TenderRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let bid = tender.awarded_bid_id.ok_or_else(not_found)?;
                let row = ContractRow::of_bid(c, &bid)?.ok_or_else(not_found)?;
                let (loaded, ..) = readable(c, &row.id, &org.0, &auth.0.user_id)?;
                contract_view(c, &loaded, &org.0, &calendar)
            })
            .await?;
        Ok(Json(view))
    }

    /// The contracts an organisation takes part in, newest first (its members).
    #[oai(path = "/orgs/:id/contracts", method = "get", operation_id = "list_organisation_contracts")]
    async fn of_org(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<Vec<ContractView>>, ApiError> {
        let calendar = state.calendar.clone();
        let views = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let mut views = Vec::new();
                for row in ContractRow::of_org(c, &id.0, crate::market::limit(limit.0))? {
                    let loaded = Loaded::load(c, &row.id)?;
                    views.push(contract_view(c, &loaded, &id.0, &calendar)?);
                }
                Ok::<_, ApiError>(views)
            })
            .await?;
        Ok(Json(views))
    }

    /// Save new terms as the next version (either party's members): the whole terms, based on
    /// the version the editor saw (409 when another was saved meanwhile, or nothing changed).
    /// Out for signature or in force, the new version voids the signatures on the old one and
    /// needs every party's signature again; an amendment to an effective contract stays
    /// pending while the effective version remains in force. Only the payer names the supervisor.
    #[oai(path = "/contracts/:id/terms", method = "put", operation_id = "revise_contract")]
    async fn revise(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<ContractTermsRequest>,
    ) -> Result<Json<ContractView>, ApiError> {
        let (renderer, calendar) = (renderer(&state)?, state.calendar.clone());
        let user = auth.0.user_id;
        let view = state
            .write(move |c, out| {
                let (loaded, role, _) = as_party(c, &id.0, &org.0, &user)?;
                let row = revise(c, out, &renderer, loaded, role, (&org.0, &user), &body)?;
                let loaded = Loaded::load(c, &row.id)?;
                contract_view(c, &loaded, &org.0, &calendar)
            })
            .await?;
        Ok(Json(view))
    }

    /// Send the current draft for signature (either party).
    #[oai(path = "/contracts/:id/signing", method = "post", operation_id = "send_contract_for_signing")]
    async fn send(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ContractView>, ApiError> {
        let calendar = state.calendar.clone();
        let view = state
            .write(move |c, _| {
                let (loaded, ..) = as_party(c, &id.0, &org.0, &auth.0.user_id)?;
                let actor = ContractActor::Organisation { org_id: org.0.clone() };
                let step = lifecycle::transition(
                    &loaded.lifecycle()?,
                    ContractEvent::SendForSigning,
                    &actor,
                    now().and_utc(),
                )?;
                let mut row = loaded.row.clone();
                row.status = step.contract.state;
                row.updated_at = now();
                if !row.save_if(c, loaded.row.status, loaded.row.current_version)? {
                    return Err(changed_meanwhile());
                }
                let loaded = Loaded::load(c, &row.id)?;
                contract_view(c, &loaded, &org.0, &calendar)
            })
            .await?;
        Ok(Json(view))
    }

    /// Sign the current version for the organisation in `X-Org-Id` (its owners and admins):
    /// re-authenticate with the password (and a TOTP or recovery code when TOTP is on) and agree
    /// to the consent text for the exact SHA-256 shown. A hash that is not the current
    /// version's: 409 `sha256: stale_document`. The evidence (hash, signer, organisation, time,
    /// address, user agent, consent) goes into the hash-chained audit log. When every party has
    /// signed, the contract takes effect — unless it is high-risk and its bond is not in place.
    #[oai(path = "/contracts/:id/signatures", method = "post", operation_id = "sign_contract")]
    async fn sign(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<SignContractRequest>,
    ) -> Result<Json<ContractView>, ApiError> {
        let signing = Signing { id: id.0, org: org.0, user_id: auth.0.user_id, body: body.0 };
        signature(&state, req, signing, SignatureKind::Contract).await.map(Json)
    }

    /// Sign the termination of the version in force for the organisation in `X-Org-Id` (its
    /// signers, re-authenticated like a signature; `sha256` is the version in force). When every
    /// party has signed, the contract is terminated; unreleased escrow then returns to the payer.
    #[oai(
        path = "/contracts/:id/termination-signatures",
        method = "post",
        operation_id = "sign_contract_termination"
    )]
    async fn terminate(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<SignContractRequest>,
    ) -> Result<Json<ContractView>, ApiError> {
        let signing = Signing { id: id.0, org: org.0, user_id: auth.0.user_id, body: body.0 };
        signature(&state, req, signing, SignatureKind::Termination).await.map(Json)
    }

    /// Grant or revoke a member's authority to sign contracts for the organisation (its owners
    /// and admins; owners and admins always hold it). Audited.
    #[oai(
        path = "/orgs/:id/members/:user_id/signing-authority",
        method = "put",
        operation_id = "put_signing_authority"
    )]
    async fn signing_authority(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        user_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<SigningAuthorityRequest>,
    ) -> Result<Json<Member>, ApiError> {
        let caller = auth.0.user_id;
        let member = state
            .write(move |c, _| {
                crate::routes::orgs::service::managing_role(c, &org.0, &id.0, &caller)?;
                grant(c, &id.0, &user_id.0, &caller, body.granted)
            })
            .await?;
        Ok(Json(member))
    }

    /// Every version with its hash, author and when it came into force.
    #[oai(path = "/contracts/:id/versions", method = "get", operation_id = "list_contract_versions")]
    async fn versions(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<ContractVersionView>>, ApiError> {
        let views = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                loaded.versions.iter().map(|v| version_view(c, v)).collect::<Result<Vec<_>, ApiError>>()
            })
            .await?;
        Ok(Json(views))
    }

    /// The stored PDF of one version: exactly the bytes whose SHA-256 is signed.
    #[oai(
        path = "/contracts/:id/versions/:version/pdf",
        method = "get",
        operation_id = "get_contract_version_pdf"
    )]
    async fn pdf(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        version: Path<i32>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Pdf, ApiError> {
        let files = state.files.clone();
        let (bytes, name) = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let stored = loaded.version(version.0)?;
                let bytes = files.get(&stored.sha256).map_err(ApiError::internal)?;
                Ok::<_, ApiError>((bytes, format!("contract-{}-v{}", loaded.row.id, stored.version)))
            })
            .await?;
        Ok(Pdf::attachment(bytes, name))
    }

    /// What changed between two versions (`from` defaults to the one before `to`, `to` to the
    /// current version).
    #[oai(path = "/contracts/:id/diff", method = "get", operation_id = "get_contract_diff")]
    async fn diff(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        from: Query<Option<i32>>,
        to: Query<Option<i32>>,
    ) -> Result<Json<ContractDiffView>, ApiError> {
        let view = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let to = to.0.unwrap_or(loaded.row.current_version);
                let from = from.0.unwrap_or(to - 1);
                let (old, new) = (document_of(loaded.version(from)?)?, document_of(loaded.version(to)?)?);
                Ok::<_, ApiError>(ContractDiffView {
                    from_version: old.version,
                    to_version: new.version,
                    changes: diff(&old, &new),
                })
            })
            .await?;
        Ok(Json(view))
    }

    /// The certificate of completion (PDF): the signed document's hash, every signature event
    /// with its evidence and audit entry, every version's hash.
    #[oai(path = "/contracts/:id/certificate.pdf", method = "get", operation_id = "get_contract_certificate")]
    async fn certificate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Pdf, ApiError> {
        let renderer = renderer(&state)?;
        let (bytes, name) = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let bytes = service::certificate(&loaded, &renderer.font)?;
                Ok::<_, ApiError>((bytes, format!("certificate-{}", loaded.row.id)))
            })
            .await?;
        Ok(Pdf::attachment(bytes, name))
    }

    /// Verify the contract's history: re-hash every stored version and match every signature
    /// to its intact, linked audit entry.
    #[oai(path = "/contracts/:id/verification", method = "get", operation_id = "verify_contract")]
    async fn verification(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<ContractVerification>, ApiError> {
        let files = state.files.clone();
        let report = state
            .db
            .run(move |c| {
                let (loaded, ..) = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                service::verify(c, &loaded, files.as_ref())
            })
            .await?;
        Ok(Json(report))
    }
}

/// Grants or revokes `user`'s signing authority in `org`, audited; answers the member.
fn grant(conn: &mut DbConn, org: &str, user: &str, by: &str, granted: bool) -> Result<Member, ApiError> {
    let (membership, name) = crate::db::models::orgs::MembershipRow::list(conn, org)?
        .into_iter()
        .find(|(m, _)| m.user_id == user)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such member"))?;
    if membership.role.can_manage() {
        return Err(ApiError::new(ErrorCode::Conflict, "owners and admins always sign for the organisation"));
    }
    let at = now();
    if granted {
        SigningAuthorityRow {
            org_id: org.to_owned(),
            user_id: user.to_owned(),
            granted_by: by.to_owned(),
            granted_at: at,
        }
        .grant(conn)?;
    } else {
        SigningAuthorityRow::revoke(conn, org, user)?;
    }
    let event = AuditEvent {
        actor_user_id: Some(by),
        actor_label: "user",
        action: if granted { "org.signing_authority_granted" } else { "org.signing_authority_revoked" },
        subject_type: "organisation",
        subject_id: org,
        details: serde_json::json!({ "user_id": user }),
        ip: None,
    };
    append(conn, &event, at)?;
    Ok(Member {
        user_id: membership.user_id,
        display_name: name,
        role: membership.role,
        signing_authority: granted,
        joined_at: membership.created_at.and_utc(),
    })
}

/// A signature request as the handlers received it.
struct Signing {
    id: String,
    org: String,
    user_id: String,
    body: SignContractRequest,
}

/// Checks the request, that the caller acts for a party, re-authenticates the signer (outside
/// the transaction: password hashing is slow), then records the signature of `kind`.
async fn signature(
    state: &AppState,
    req: &poem::Request,
    Signing { id, org, user_id, body }: Signing,
    kind: SignatureKind,
) -> Result<ContractView, ApiError> {
    body.check()?;
    let (cid, o, u) = (id.clone(), org.clone(), user_id.clone());
    state.db.run(move |c| as_party(c, &cid, &o, &u).map(drop)).await?;
    let user = load_user(state, &user_id).await?;
    reauthenticate(state, &user, body.password.clone(), body.code.clone()).await?;
    let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
    let calendar = state.calendar.clone();
    state
        .write(move |c, out| {
            let loaded = match kind {
                SignatureKind::Contract => sign(c, out, &id, &org, &user, &body.sha256, &client)?,
                SignatureKind::Termination => terminate(c, out, &id, &org, &user, &body.sha256, &client)?,
            };
            contract_view(c, &loaded, &org, &calendar)
        })
        .await
}

fn changed_meanwhile() -> ApiError {
    ApiError::new(ErrorCode::Conflict, "the contract changed meanwhile; reload it")
}

fn version_view(conn: &mut DbConn, v: &ContractVersionRow) -> Result<ContractVersionView, ApiError> {
    let by = match &v.created_by {
        Some(user) => User::find_active(conn, user)?.map(|u| u.display_name).unwrap_or_default(),
        None => "共筑平台 Gongzhu".to_owned(),
    };
    let org = match &v.created_by_org {
        Some(org) => OrganisationRow::find(conn, org)?.map(|o| o.name),
        None => None,
    };
    Ok(ContractVersionView {
        version: u32::try_from(v.version).unwrap_or(0),
        sha256: v.sha256.clone(),
        created_by_name: by,
        created_by_org_name: org,
        created_at: v.created_at.and_utc(),
        in_force_at: v.in_force_at.map(|at| at.and_utc()),
        pdf_path: format!("/contracts/{}/versions/{}/pdf", v.contract_id, v.version),
    })
}

/// Checks a new or changed supervisor: only the payer names one; it must be a verified
/// organisation that is not a party (`supervisor_org_id` `unknown_organisation`,
/// `not_verified`, `is_a_party`).
fn check_supervisor(
    conn: &mut DbConn,
    row: &ContractRow,
    role: PartyRole,
    supervisor: Option<&str>,
) -> Result<(), ApiError> {
    if supervisor == row.supervisor_org_id.as_deref() {
        return Ok(());
    }
    if role != PartyRole::Payer {
        return Err(ApiError::new(ErrorCode::Forbidden, "only the payer names the supervisor"));
    }
    let Some(id) = supervisor else { return Ok(()) };
    if id == row.payer_org_id || id == row.performer_org_id {
        return Err(ApiError::field(
            "supervisor_org_id",
            "is_a_party",
            "a party cannot supervise its own contract",
        ));
    }
    let org = OrganisationRow::find(conn, id)?.ok_or_else(|| {
        ApiError::field("supervisor_org_id", "unknown_organisation", "no such organisation")
    })?;
    if org.verification_status != VerificationStatus::Verified {
        return Err(ApiError::field(
            "supervisor_org_id",
            "not_verified",
            "the supervisor must be a verified organisation",
        ));
    }
    Ok(())
}

/// Saves the request's terms as the next version and voids signatures on the old one.
fn revise(
    conn: &mut DbConn,
    out: &mut Outgoing,
    renderer: &Renderer,
    loaded: Loaded,
    role: PartyRole,
    (org, user): (&str, &str),
    body: &ContractTermsRequest,
) -> Result<ContractRow, ApiError> {
    if i64::from(body.based_on_version) != i64::from(loaded.row.current_version) {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "version {} was saved meanwhile; review it before changing it",
                loaded.row.current_version
            ),
        )
        .with_detail("based_on_version", "stale"));
    }
    let at = now();
    let (terms, supervisor) = body.check_on(business_date(at.and_utc()))?;
    check_supervisor(conn, &loaded.row, role, supervisor.as_deref())?;
    let mut row = loaded.row.clone();
    row.supervisor_org_id = supervisor;
    let current = document_of(loaded.current()?)?;
    let next = loaded.row.current_version + 1;
    let document = ContractDocument {
        contract_id: row.id.clone(),
        version: u32::try_from(next).map_err(ApiError::internal)?,
        parties: service::parties(conn, &row)?,
        terms,
    };
    if document.terms == current.terms && document.parties == current.parties {
        return Err(ApiError::from(ContractRefusal::Unchanged).with_detail("terms", "unchanged"));
    }
    let sha = service::save_version(conn, renderer, &document, Some((user, org)), at)?;
    let actor = ContractActor::Organisation { org_id: org.to_owned() };
    let step = lifecycle::transition(
        &loaded.lifecycle()?,
        ContractEvent::Revise { sha256: &sha },
        &actor,
        at.and_utc(),
    )?;
    let voided = step.effects.contains(&ContractEffect::SignaturesVoided);
    SignatureRow::void_before(conn, &row.id, next, at)?;
    row.status = step.contract.state;
    row.current_version = next;
    row.updated_at = at;
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(changed_meanwhile());
    }
    let notice = ContractNotice::Changed { title: document.terms.title, version: document.version, voided };
    notify_other(conn, out, &row, org, &notice)?;
    Ok(row)
}

/// Sends the current draft for signature, for a party.
pub fn send_for_signing(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<Loaded, ApiError> {
    let (loaded, ..) = as_party(conn, id, org, user)?;
    let actor = ContractActor::Organisation { org_id: org.to_owned() };
    let step =
        lifecycle::transition(&loaded.lifecycle()?, ContractEvent::SendForSigning, &actor, now().and_utc())?;
    let mut row = loaded.row.clone();
    row.status = step.contract.state;
    row.updated_at = now();
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(changed_meanwhile());
    }
    Loaded::load(conn, id)
}

/// Whether `user` signs for `org`: its owners and admins, and members granted the authority.
pub(crate) fn ensure_signer(
    conn: &mut DbConn,
    org: &str,
    user: &str,
    member: MemberRole,
) -> Result<(), ApiError> {
    if member.can_manage() || SigningAuthorityRow::holds(conn, org, user)? {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::Forbidden,
        "only the organisation's owners and admins, and members given signing authority, sign for it",
    ))
}

/// What one signature records.
struct Evidence<'a> {
    kind: SignatureKind,
    contract_id: &'a str,
    version: i32,
    org: &'a str,
    user: &'a User,
    sha256: &'a str,
    consent: String,
    client: &'a ClientInfo,
}

/// Appends the signature's evidence to the audit chain and stores the signature with the
/// entry's sequence number, in the caller's transaction.
fn record(conn: &mut DbConn, evidence: Evidence<'_>, at: chrono::NaiveDateTime) -> Result<(), ApiError> {
    let signature_id = new_id();
    let client = evidence.client;
    let (ip, agent) = (client.ip.clone().unwrap_or_default(), client.user_agent.clone().unwrap_or_default());
    let details = serde_json::json!({
        "signature_id": signature_id, "org_id": evidence.org, "version": evidence.version,
        "document_sha256": evidence.sha256, "signer_id": evidence.user.id, "signer_name": evidence.user.display_name,
        "consent_text": evidence.consent, "user_agent": agent,
    });
    let event = AuditEvent {
        actor_user_id: Some(&evidence.user.id),
        actor_label: "user",
        action: service::signed_action(evidence.kind),
        subject_type: "contract",
        subject_id: evidence.contract_id,
        details,
        ip: client.ip.as_deref(),
    };
    let entry = append(conn, &event, at)?;
    SignatureRow {
        id: signature_id,
        contract_id: evidence.contract_id.to_owned(),
        kind: evidence.kind,
        version: evidence.version,
        org_id: evidence.org.to_owned(),
        signer_id: evidence.user.id.clone(),
        signer_name: evidence.user.display_name.clone(),
        document_sha256: evidence.sha256.to_owned(),
        consent_text: evidence.consent,
        ip,
        user_agent: agent,
        signed_at: at,
        audit_seq: entry.seq,
        voided_at: None,
    }
    .insert(conn)?;
    Ok(())
}

/// Records one party's signature on the current version and applies what follows from it
/// (the caller has re-authenticated the signer).
pub fn sign(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    org: &str,
    user: &User,
    sha256: &str,
    client: &ClientInfo,
) -> Result<Loaded, ApiError> {
    let (loaded, _, member) = as_party(conn, id, org, &user.id)?;
    ensure_signer(conn, org, &user.id, member)?;
    if loaded.row.payer_org_id == org && loaded.row.effective_version.is_none() {
        crate::routes::escrow::closing::ensure_no_open_case(conn, org)?;
    }
    let signer_org = OrganisationRow::find(conn, org)?.ok_or_else(not_found)?;
    let document = document_of(loaded.current()?)?;
    let at = now();
    let standing = SignerStanding {
        suspended: signer_org.suspended_at.is_some(),
        credit: service::standing(&signer_org),
    };
    let event = ContractEvent::Sign {
        sha256,
        standing,
        plan: &document.terms.plan,
        bond_recorded_fen: loaded.row.bond_recorded_fen,
    };
    let actor = ContractActor::Organisation { org_id: org.to_owned() };
    let step = lifecycle::transition(&loaded.lifecycle()?, event, &actor, at.and_utc())?;
    let consent = consent_text(&signer_org.name, id, document.version, sha256);
    let kind = SignatureKind::Contract;
    let version = loaded.row.current_version;
    record(conn, Evidence { kind, contract_id: id, version, org, user, sha256, consent, client }, at)?;
    let mut row = loaded.row.clone();
    row.status = step.contract.state;
    row.updated_at = at;
    let title = document.terms.title.clone();
    notify_other(
        conn,
        out,
        &row,
        org,
        &ContractNotice::Signed { title: title.clone(), org_name: signer_org.name },
    )?;
    for effect in &step.effects {
        in_force(conn, out, &mut row, effect, &title, at)?;
    }
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(changed_meanwhile());
    }
    Loaded::load(conn, id)
}

/// Records one party's signature on the termination of the version in force, naming that
/// version's hash; when every party has signed, the contract is terminated.
fn terminate(
    conn: &mut DbConn,
    out: &mut Outgoing,
    id: &str,
    org: &str,
    user: &User,
    sha256: &str,
    client: &ClientInfo,
) -> Result<Loaded, ApiError> {
    let (loaded, _, member) = as_party(conn, id, org, &user.id)?;
    ensure_signer(conn, org, &user.id, member)?;
    if loaded.row.payer_org_id == org && loaded.row.effective_version.is_none() {
        crate::routes::escrow::closing::ensure_no_open_case(conn, org)?;
    }
    let Some(effective) = loaded.row.effective_version else {
        return Err(ContractRefusal::NotEffective.into());
    };
    let in_force = loaded.version(effective)?;
    if in_force.sha256 != sha256 {
        return Err(ContractRefusal::StaleDocument.into());
    }
    let at = now();
    let actor = ContractActor::Organisation { org_id: org.to_owned() };
    let step =
        lifecycle::transition(&loaded.lifecycle()?, ContractEvent::SignTermination, &actor, at.and_utc())?;
    let signer_org = OrganisationRow::find(conn, org)?.ok_or_else(not_found)?;
    let version = u32::try_from(effective).map_err(ApiError::internal)?;
    let consent =
        shared::domain::contract::document::termination_consent_text(&signer_org.name, id, version, sha256);
    let kind = SignatureKind::Termination;
    record(
        conn,
        Evidence { kind, contract_id: id, version: effective, org, user, sha256, consent, client },
        at,
    )?;
    let mut row = loaded.row.clone();
    row.status = step.contract.state;
    row.updated_at = at;
    let title = document_of(in_force)?.terms.title;
    let notice = if row.status == ContractState::Terminated {
        crate::routes::escrow::service::on_ended(conn, out, &row, at)?;
        ContractNotice::Terminated { title }
    } else {
        ContractNotice::TerminationSigned { title, org_name: signer_org.name }
    };
    for party in [row.payer_org_id.clone(), row.performer_org_id.clone()] {
        out.to_org(conn, &party, &Notice::new(&notice, format!("/contracts/{}", row.id), Some(&party)))?;
    }
    if !row.save_if(conn, loaded.row.status, loaded.row.current_version)? {
        return Err(changed_meanwhile());
    }
    Loaded::load(conn, id)
}

/// Applies an effect of a completed signature: the contract (or an amendment) in force, the
/// tender signed, or the wait for the bond; notifies both parties.
pub(crate) fn in_force(
    conn: &mut DbConn,
    out: &mut Outgoing,
    row: &mut ContractRow,
    effect: &ContractEffect,
    title: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let notice = match effect {
        ContractEffect::TookEffect(version) | ContractEffect::AmendmentInForce(version) => {
            let version_number = i32::try_from(*version).map_err(ApiError::internal)?;
            row.effective_version = Some(version_number);
            ContractVersionRow::put_in_force(conn, &row.id, version_number, at)?;
            if matches!(effect, ContractEffect::TookEffect(_)) {
                row.effective_at = Some(at);
                row.status = ContractState::Effective;
                tender_signed(conn, &row.tender_id)?;
                crate::routes::escrow::service::on_effective(conn, out, row, at)?;
            }
            ContractNotice::InForce { title: title.to_owned(), version: *version }
        }
        ContractEffect::AwaitingBond(_) => ContractNotice::AwaitingBond { title: title.to_owned() },
        ContractEffect::AmendmentWarning => ContractNotice::AmendmentWarning { title: title.to_owned() },
        _ => return Ok(()),
    };
    for org in [row.payer_org_id.clone(), row.performer_org_id.clone()] {
        out.to_org(conn, &org, &Notice::new(&notice, format!("/contracts/{}", row.id), Some(&org)))?;
    }
    Ok(())
}

/// The awarded bid's contract took effect: the tender is signed.
fn tender_signed(conn: &mut DbConn, tender_id: &str) -> Result<(), ApiError> {
    let (mut tender, ..) = TenderRow::find(conn, tender_id)?.ok_or_else(not_found)?;
    let step = shared::domain::tender::lifecycle::transition(
        &crate::routes::tenders::service::tender_of(&tender),
        TenderEvent::ContractSigned,
        TenderActor::System,
        now().and_utc(),
    )?;
    let from = tender.status;
    tender.status = step.tender.state;
    tender.updated_at = now();
    tender.save_if_status(conn, from)?;
    Ok(())
}
