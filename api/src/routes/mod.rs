//! The `/api/v1` operations, grouped by subject, assembled into one OpenAPI service.

pub mod auth;
pub mod community;
pub mod contracts;
pub mod credit;
pub mod demands;
pub mod disputes;
pub mod escrow;
pub mod files;
pub mod membership;
pub mod notifications;
pub mod orgs;
pub mod progress;
pub mod projects;
pub mod resources;
pub mod search;
pub mod staff;
pub mod system;
pub mod taxonomy;
pub mod tenders;
pub mod verification;

use poem_openapi::{OpenApiService, Tags};

/// Tags grouping operations in the spec and the docs UI.
#[derive(Tags)]
pub enum ApiTags {
    /// Registration, login, tokens, password reset.
    Auth,
    /// The signed-in person's own account.
    Me,
    /// Organisations, members and invitations.
    Orgs,
    /// The platform staff console: dual control, audit log.
    Staff,
    /// Uploaded files.
    Files,
    /// Real-name verification and its review.
    Verification,
    /// Reference data: taxonomies and regions.
    Reference,
    /// The project library and its clarification Q&A.
    Projects,
    /// The resource library (listings) and comparisons.
    Resources,
    /// The demand library: review, matching, invitations.
    Demands,
    /// One search across projects, listings and organisations.
    Search,
    /// The notification centre and its live stream.
    Notifications,
    /// Tendering on demands: prequalification, sealed bids, scoring sheet, award.
    Tenders,
    /// Contracts from awards: versions, diff, e-signature, certificate, verification.
    Contracts,
    /// Escrow (资金监管): a contract's escrow, funding requests, organisation wallets.
    Escrow,
    /// Disputes (纠纷处理): filing, mediation, arbitration, deadlines.
    Disputes,
    /// Progress logs (进度跟踪) of contracts in force, their review, the schedule.
    Progress,
    /// The finance officer's console: bank statement import and the reconciliation queue.
    Finance,
    /// Professional community: groups, posts and Q&A, events and polls, shared resources,
    /// moderation, points and rewards.
    Groups,
}

/// Declares the APIs of the service once: `Apis`, their tuple type, and `apis()`, its value
/// (each API is a unit struct, so the same tokens are the type and the value; poem-openapi takes
/// tuples of at most 16, hence the nested community tuple).
macro_rules! apis {
    ($list:tt) => {
        /// Every API mounted at `/api/v1`.
        pub type Apis = $list;

        fn apis() -> Apis {
            $list
        }
    };
}

apis!((
    auth::AuthApi,
    auth::me::MeApi,
    auth::totp::TotpApi,
    orgs::OrgsApi,
    staff::StaffApi,
    staff::calendar::CalendarApi,
    files::FilesApi,
    verification::VerificationApi,
    taxonomy::TaxonomyApi,
    projects::ProjectsApi,
    resources::ResourcesApi,
    demands::DemandsApi,
    search::SearchApi,
    notifications::NotificationsApi,
    (
        tenders::TendersApi,
        tenders::bids::BidsApi,
        contracts::ContractsApi,
        escrow::EscrowApi,
        escrow::acceptance::AcceptanceApi,
        escrow::finance::FinanceApi,
        escrow::payouts::PayoutsApi,
        escrow::completion::CompletionApi
    ),
    (
        community::groups::GroupsApi,
        community::posts::PostsApi,
        community::moderation::ModerationApi,
        community::points::PointsApi,
        community::events::EventsApi,
        community::polls::PollsApi,
        community::shared_resources::SharedResourcesApi,
        community::rewards::RewardsApi,
        community::insights::InsightsApi,
        community::surveys::SurveysApi,
        progress::ProgressApi,
        credit::CreditApi,
        membership::MembershipApi,
        disputes::DisputesApi,
        disputes::award::DisputeAwardsApi,
    ),
));

/// The API as one service (also the source of openapi/openapi.json).
pub type Service = OpenApiService<Apis, ()>;

/// Builds the OpenAPI service mounted at `/api/v1`.
pub fn service() -> Service {
    OpenApiService::new(apis(), "Gongzhu 共筑 API", env!("CARGO_PKG_VERSION"))
        .description(
            "Cooperation platform for the Chinese construction industry. Conventions (errors, \
             pagination, auth, idempotency) are in docs/API-DESIGN.md.",
        )
        .server("/api/v1")
}

/// The spec as served and committed in openapi/openapi.json (pretty JSON, trailing newline).
pub fn spec_json() -> String {
    let mut spec = finished_spec(&service().spec());
    spec.push('\n');
    spec
}

/// The generated spec with what the operations cannot declare themselves: the optional
/// `Idempotency-Key` header on every POST a signed-in caller makes (everything outside
/// `/auth/`), which the idempotency layer honours (see `crate::idempotency`).
pub fn finished_spec(generated: &str) -> String {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(generated) else {
        return generated.to_owned();
    };
    let parameter = serde_json::json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "deprecated": false,
        "explode": true,
        "description": "A unique key (1–255 visible ASCII characters) that makes a retry safe: the same key with \
    the same request within 24 hours replays the first response (`Idempotent-Replayed: true`) \
    instead of acting twice; with a different request it answers 422 `idempotency_mismatch`; \
    while the first is still running, 409 `conflict`.",
        "schema": { "type": "string", "maxLength": crate::idempotency::MAX_KEY_LEN }
    });
    let money_parameter = serde_json::json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": true,
        "deprecated": false,
        "explode": true,
        "description": "Required: this request moves money (400 `idempotency_key_required` without it). A unique key \
    (1–255 visible ASCII characters) per intended operation, reused on retries. It is claimed in the \
    same transaction as the money moves, so a retry either finds the movement done and answers with \
    the current view of what it created (`Idempotent-Replayed: true`) or runs it afresh — never twice; \
    with a different request it answers 422 `idempotency_mismatch`.",
        "schema": { "type": "string", "minLength": 1, "maxLength": crate::idempotency::MAX_KEY_LEN }
    });
    if let Some(paths) = doc.get_mut("paths").and_then(serde_json::Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if path.starts_with("/auth/") {
                continue;
            }
            let money =
                crate::idempotency::is_money_route(&format!("/api/v1{}", path.replace(['{', '}'], "")));
            if let Some(post) = item.get_mut("post").and_then(serde_json::Value::as_object_mut) {
                let params = post.entry("parameters").or_insert_with(|| serde_json::json!([]));
                if let Some(list) = params.as_array_mut() {
                    list.push(if money { money_parameter.clone() } else { parameter.clone() });
                }
            }
        }
    }
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| generated.to_owned())
}
