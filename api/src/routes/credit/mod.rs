//! Credit (五维一体信用评价) at the API edge: an organisation's assessment and its 12-month
//! history (the public part to anyone; the indicator detail and explanation to its members,
//! organisations in a contract in force with it, and staff), and the social-responsibility
//! findings reviewers enter. Grade overrides are dual-control actions (`routes::staff`).

pub mod jobs;
pub mod service;

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::credit::{CreditConfig, previous_month};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;

use crate::auth::session::{BearerAuth, optional_user};
use crate::db::models::credit::{self as rows, AssessmentRow, FindingRow, OverrideRow};
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::db::{DbConn, now};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::staff::service::require_staff;
use crate::state::AppState;

/// Credit reports and staff findings.
pub struct CreditApi;

#[derive(ApiResponse)]
enum FindingCreated {
    /// Recorded; the organisation's credit was recomputed.
    #[oai(status = 201)]
    Created(Json<CreditFindingView>, #[oai(header = "Location")] String),
}

/// Whether the caller sees the indicator detail: staff, a member of the organisation, or a
/// member acting (`X-Org-Id`) for an organisation in a contract in force with it.
fn sees_detail(
    conn: &mut DbConn,
    org_id: &str,
    user: Option<&str>,
    acting: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(user) = user else { return Ok(false) };
    if require_staff(conn, user).is_ok() || MembershipRow::role_of(conn, org_id, user)?.is_some() {
        return Ok(true);
    }
    let Some(acting) = acting else { return Ok(false) };
    Ok(MembershipRow::role_of(conn, acting, user)?.is_some()
        && rows::counterparties_in_force(conn, org_id)?.iter().any(|o| o == acting))
}

/// The views of an organisation's newest `months` assessments, newest first.
fn history(conn: &mut DbConn, org_id: &str, months: i64, detail: bool) -> Result<Vec<CreditView>, ApiError> {
    OrganisationRow::find(conn, org_id)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "organisation not found"))?;
    let list = AssessmentRow::history(conn, org_id, months + 1)?;
    let ids: Vec<String> = list.iter().filter_map(|r| r.override_id.clone()).collect();
    let applied = OverrideRow::by_ids(conn, &ids)?;
    let months = usize::try_from(months).unwrap_or(0);
    list.iter()
        .take(months)
        .enumerate()
        .map(|(i, row)| {
            let previous =
                list.get(i + 1).filter(|p| previous_month(&row.month).as_deref() == Some(p.month.as_str()));
            let applied = applied.iter().find(|o| row.override_id.as_deref() == Some(o.id.as_str()));
            service::view(row, previous, applied, detail)
        })
        .collect()
}

/// The credit model's configuration from the server's.
pub fn config(state: &AppState) -> CreditConfig {
    CreditConfig { weights: state.config.credit_weights(), ..CreditConfig::default() }
}

#[OpenApi(tag = "ApiTags::Orgs")]
impl CreditApi {
    /// An organisation's credit of the latest month: grade (or insufficient data), total, the
    /// five dimension scores and whether staff overrode the grade — to anyone. The indicator
    /// detail and explanation go to its members, to members of an organisation in a contract in
    /// force with it acting with `X-Org-Id`, and to staff. Before its first stored assessment the
    /// credit is computed for the answer (`trigger: live`) and not stored. 404: no such
    /// organisation.
    #[oai(path = "/orgs/:id/credit", method = "get", operation_id = "get_org_credit")]
    async fn credit(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<CreditView>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let config = config(&state);
        let view = state
            .db
            .run(move |c| {
                let detail = sees_detail(c, &id.0, user.as_deref(), org.0.as_deref())?;
                match history(c, &id.0, 1, detail)?.into_iter().next() {
                    Some(stored) => Ok(stored),
                    None => service::live_view(c, &id.0, &config, detail, now()),
                }
            })
            .await?;
        Ok(Json(view))
    }

    /// The last 12 monthly assessments, newest first, with the same visibility as
    /// `get_org_credit`.
    #[oai(path = "/orgs/:id/credit/history", method = "get", operation_id = "get_org_credit_history")]
    async fn credit_history(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<CreditHistoryView>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let items = state
            .db
            .run(move |c| {
                let detail = sees_detail(c, &id.0, user.as_deref(), org.0.as_deref())?;
                history(c, &id.0, 12, detail)
            })
            .await?;
        Ok(Json(CreditHistoryView { items }))
    }

    /// Enter a social-responsibility finding (reviewers) with its source and optionally the
    /// source document's SHA-256 (uploaded to the file store first). The newest finding of a
    /// kind counts; the organisation's credit is recomputed in the same transaction. Audited.
    #[oai(
        path = "/staff/credit/findings",
        method = "post",
        operation_id = "create_credit_finding",
        tag = "ApiTags::Staff"
    )]
    async fn create_finding(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateCreditFinding>,
    ) -> Result<FindingCreated, ApiError> {
        let valid = body.check()?;
        let config = config(&state);
        let (kind, value) = (body.kind, body.value);
        let (row, changed) = state
            .write(move |c, out| service::enter_finding(c, out, &auth.0.user_id, valid, kind, value, &config))
            .await?;
        if changed {
            state.org_changed(&row.org_id).await;
        }
        let location = format!("/api/v1/orgs/{}/credit", row.org_id);
        Ok(FindingCreated::Created(Json(finding_view(row)), location))
    }
}

fn finding_view(row: FindingRow) -> CreditFindingView {
    CreditFindingView {
        id: row.id,
        org_id: row.org_id,
        kind: row.kind,
        value: u32::try_from(row.value).unwrap_or(0),
        source: row.source,
        document_sha256: row.document_sha256,
        entered_by: row.entered_by,
        entered_at: row.entered_at.and_utc(),
    }
}
