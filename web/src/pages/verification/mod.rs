//! Real-name verification of an organisation (`/orgs/{id}/verification`): its status, the
//! reviewer's reason after a rejection, the latest submission (ID number masked), and for
//! owners and admins the form to submit or resubmit.

mod certificate;
pub(crate) mod file_field;
mod form;

use leptos::prelude::*;
use shared::dto::{Organisation, VerificationState, VerificationStatus, VerificationView};

use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, qualification_label, use_i18n, verification_name};
use crate::pages::orgs::scope::MyOrganisation;
use crate::session::require_sign_in;
use form::SubmissionForm;

/// The verification page.
#[component]
pub fn VerificationPage() -> impl IntoView {
    require_sign_in();
    view! { <MyOrganisation view=|org| view! { <Verification org=org/> }.into_any()/> }
}

#[component]
fn Verification(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let org_id = StoredValue::new(org.profile.id.clone());
    let status = org.profile.verification_status;
    let may_submit = org.my_role.can_manage()
        && matches!(status, VerificationStatus::Unverified | VerificationStatus::Rejected);
    // `None` while loading; `Ok(None)` when nothing was ever submitted.
    let latest = RwSignal::new(None::<Result<Option<VerificationView>, Failure>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<VerificationState, Failure> =
                orgs.call(&id, "GET", &format!("/orgs/{id}/verification"), None::<&()>).await;
            latest.set(Some(result.map(|state| state.latest)));
        });
    };
    load();
    let submitted = move |view: VerificationView| {
        latest.set(Some(Ok(Some(view))));
        orgs.reload();
    };
    let status_hint = match (status, org.my_role.can_manage()) {
        (VerificationStatus::Pending, _) => Some(Msg::VerificationPendingHint),
        (VerificationStatus::Verified, _) => Some(Msg::VerificationDoneHint),
        (_, false) => Some(Msg::OwnersAndAdminsOnly),
        _ => None,
    };
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{org.profile.name.clone()}</p>
                <h1 id="verification-title">{move || i18n.t(Msg::VerificationTitle)}</h1>
                <p class="badges">
                    <span class="badge" class:badge-ok=status == VerificationStatus::Verified
                        class:badge-bad=status == VerificationStatus::Rejected id="verification-status">
                        {move || i18n.t(verification_name(status))}
                    </span>
                </p>
                {status_hint.map(|hint| view! { <p class="hint">{move || i18n.t(hint)}</p> })}
                {move || match latest.get() {
                    None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                    Some(Err(failure)) => view! {
                        <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                        <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                    }.into_any(),
                    Some(Ok(None)) => view! { <p class="empty" id="verification-none">{move || i18n.t(Msg::VerificationNone)}</p> }.into_any(),
                    Some(Ok(Some(view))) => view! { <Submission view=view/> }.into_any(),
                }}
            </section>
            {may_submit.then(|| view! { <SubmissionForm org_id=org_id.get_value() on_submitted=submitted/> })}
        </div>
    }
}

/// The latest submission, as the organisation sees it.
#[component]
fn Submission(view: VerificationView) -> impl IntoView {
    let i18n = use_i18n();
    let rejected = view.status == VerificationStatus::Rejected;
    view! {
        {view.reason.clone().filter(|_| rejected).map(|reason| view! {
            <div class="notice notice-bad" role="note">
                <strong>{move || i18n.t(Msg::ReviewerReason)}</strong>
                <p id="verification-reason">{reason}</p>
            </div>
        })}
        <dl class="facts">
            <dt>{move || i18n.t(Msg::SubmittedAt)}</dt>
            <dd>{view.submitted_at.format("%Y-%m-%d %H:%M").to_string()}</dd>
            <dt>{move || i18n.t(Msg::LegalRepresentative)}</dt>
            <dd>{view.legal_representative_name.clone()}</dd>
            <dt>{move || i18n.t(Msg::IdNumber)}</dt>
            <dd id="verification-id-masked">{view.legal_representative_id_masked.clone()}</dd>
            <dt>{move || i18n.t(Msg::Certificates)}</dt>
            <dd>
                {if view.qualifications.is_empty() {
                    view! { <span>{move || i18n.t(Msg::CertificatesNone)}</span> }.into_any()
                } else {
                    view! {
                        <ul class="plain">
                            {view.qualifications.iter().cloned().map(|q| view! {
                                <li>{move || qualification_label(i18n.0.get(), &q)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </dd>
        </dl>
    }
}
