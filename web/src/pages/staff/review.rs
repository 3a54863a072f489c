//! Reviewing one submission: the organisation, the documents (viewable in the page), the legal
//! representative's ID number masked until an audited reveal with a reason, and the decision
//! (approve, or reject with a reason the organisation will see).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{RevealRequest, RevealedIdNumber, ReviewDecisionRequest, ReviewOutcome, VerificationView};
use shared::validate::Check;

use super::document::Document;
use crate::forms::{FieldError, FormError, FormErrors, before_sending, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, qualification_label, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

/// A labelled multi-line reason box bound to `value`, with `field`'s error under it.
#[component]
pub fn ReasonField(
    #[prop(into)] id: String,
    label: Msg,
    value: RwSignal<String>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    view! {
        <label for=id.clone()>{move || i18n.t(label)}</label>
        <textarea id=id rows="2" aria-describedby=error_id.clone() prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        <FieldError text=field_error(errors, "reason") id=error_id/>
    }
}

/// One submission in the queue; `on_decided` runs with its id once it is decided.
#[component]
pub fn Review(
    submission: VerificationView,
    on_decided: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let v = submission;
    let key = v.id.clone();
    view! {
        <li class="review" data-submission=v.id.clone()>
            <h2 class="review-org">{v.org_name.clone()}</h2>
            <dl class="facts">
                <dt>{move || i18n.t(Msg::Uscc)}</dt><dd>{v.uscc.clone()}</dd>
                <dt>{move || i18n.t(Msg::SubmittedAt)}</dt><dd>{v.submitted_at.format("%Y-%m-%d %H:%M").to_string()}</dd>
                <dt>{move || i18n.t(Msg::LegalRepresentative)}</dt><dd>{v.legal_representative_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::IdNumber)}</dt>
                <dd><IdNumber submission_id=v.id.clone() masked=v.legal_representative_id_masked.clone()/></dd>
            </dl>
            <h3>{move || i18n.t(Msg::Documents)}</h3>
            <div class="documents">
                <Document id=format!("doc-{key}-licence") title=i18n.t(Msg::LicenceFile) sha256=v.licence_file.clone()/>
                {v.qualifications.iter().enumerate().map(|(i, q)| view! {
                    <Document id=format!("doc-{key}-cert-{i}")
                        title=qualification_label(i18n.0.get_untracked(), q)
                        sha256=q.file.clone()/>
                }).collect_view()}
            </div>
            <Decision submission_id=v.id.clone() on_decided=on_decided/>
        </li>
    }
}

#[component]
fn IdNumber(submission_id: String, masked: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = StoredValue::new(submission_id);
    let revealed = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let reveal = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = RevealRequest { reason: reason.get_untracked() };
        let issues = before_sending(Vec::new(), body.check());
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/staff/verifications/{}/id-number-reveal", id.get_value());
            let result: Result<RevealedIdNumber, Failure> = session.call("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(r) => {
                    errors.set(FormErrors::default());
                    revealed.set(Some(r.id_number));
                    asking.set(false);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let field_id = StoredValue::new(format!("reveal-{}", id.get_value()));
    view! {
        <span class="id-number">{move || revealed.get().unwrap_or_else(|| masked.clone())}</span>
        <Show when=move || revealed.with(Option::is_none) && !asking.get()>
            <button class="button small" type="button" data-action="reveal" on:click=move |_| asking.set(true)>
                {move || i18n.t(Msg::RevealIdNumber)}
            </button>
        </Show>
        <Show when=move || asking.get()>
            <form class="inline-form" data-form="reveal" on:submit=reveal novalidate>
                <p class="hint">{move || i18n.t(Msg::RevealAudited)}</p>
                <ReasonField id=field_id.get_value() label=Msg::RevealReason value=reason errors=errors/>
                <FormError errors=errors id=format!("reveal-form-error-{}", id.get_value())/>
                <div class="row-actions">
                    <button class="button small primary" type="submit" data-action="reveal-confirm" disabled=move || busy.get()>{move || i18n.t(Msg::RevealIdNumber)}</button>
                    <button class="button small" type="button" on:click=move |_| asking.set(false)>{move || i18n.t(Msg::Cancel)}</button>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn Decision(
    submission_id: String,
    on_decided: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let id = StoredValue::new(submission_id);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let decide = move |decision: ReviewOutcome| {
        let body = ReviewDecisionRequest { decision, reason: Some(reason.get_untracked()) };
        let issues = before_sending(Vec::new(), body.check());
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/staff/verifications/{}/decision", id.get_value());
            let result: Result<VerificationView, Failure> = session.call("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(match decision {
                        ReviewOutcome::Approve => Msg::VerificationApproved,
                        ReviewOutcome::Reject => Msg::VerificationRejected,
                    });
                    on_decided(id.get_value());
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let field_id = format!("decision-{}", id.get_value());
    view! {
        <form class="decision" data-form="decision" on:submit=move |ev: SubmitEvent| ev.prevent_default() novalidate>
            <ReasonField id=field_id label=Msg::DecisionReason value=reason errors=errors/>
            <FormError errors=errors id=format!("decision-form-error-{}", id.get_value())/>
            <div class="row-actions">
                <button class="button primary" type="button" data-action="approve" disabled=move || busy.get()
                    on:click=move |_| decide(ReviewOutcome::Approve)>{move || i18n.t(Msg::Approve)}</button>
                <button class="button danger" type="button" data-action="reject" disabled=move || busy.get()
                    on:click=move |_| decide(ReviewOutcome::Reject)>{move || i18n.t(Msg::Reject)}</button>
            </div>
        </form>
    }
}
