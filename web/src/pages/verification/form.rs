//! The verification submission form (owners and admins): the business licence, the legal
//! representative's name and ID number (checked as it is typed), and qualification
//! certificates. Files upload as soon as they are chosen; a failed submit keeps everything.
//! Before sending, the request runs `shared`'s check (the API's own, with today's date).

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::domain::identity::ResidentId;
use shared::dto::{FieldIssue, QualificationInput, SubmitVerificationRequest, VerificationView};

use super::certificate::{CertificateDraft, CertificateFields};
use super::file_field::FileField;
use crate::active_org::use_active_org;
use crate::datetime::today;
use crate::forms::{FormError, FormErrors, SubmitButton, TextField, before_sending};
use crate::http::Failure;
use crate::i18n::{Msg, id_number_problem, use_i18n};
use crate::toast::use_toasts;

/// A certificate as the request holds it, naming what its inputs lack (nothing chosen, no date,
/// no file) with the API's field names; the rest is the request's check.
fn certificate_input(index: usize, d: &CertificateDraft, parsed: &mut Vec<FieldIssue>) -> QualificationInput {
    let field = |name: &str| format!("qualifications[{index}].{name}");
    let type_code = d.type_code.get_untracked();
    let grade = d.grade.get_untracked();
    let expires_on = NaiveDate::parse_from_str(&d.expires_on.get_untracked(), "%Y-%m-%d").ok();
    let file = d.file.get_untracked().map(|f| f.sha256);
    for (empty, name) in [
        (type_code.is_empty(), "type_code"),
        (grade.is_empty(), "grade"),
        (expires_on.is_none(), "expires_on"),
        (file.is_none(), "file"),
    ] {
        if empty {
            parsed.push(FieldIssue::new(field(name), "required"));
        }
    }
    QualificationInput {
        type_code,
        grade,
        number: d.number.get_untracked(),
        expires_on: expires_on.unwrap_or_else(today),
        file: file.unwrap_or_default(),
    }
}

/// The submission form; `on_submitted` runs with the stored submission.
#[component]
pub fn SubmissionForm(
    org_id: String,
    on_submitted: impl Fn(VerificationView) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let org_id = StoredValue::new(org_id);
    let licence = RwSignal::new(None);
    let rep_name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let next_key = StoredValue::new(0_u64);
    let certificates = RwSignal::new(Vec::<CertificateDraft>::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let add_certificate = move |_| {
        next_key.update_value(|k| *k += 1);
        certificates.update(|c| c.push(CertificateDraft::new(next_key.get_value())));
    };
    let id_check = move || {
        let text = id_number.get();
        (!text.trim().is_empty()).then(|| ResidentId::parse(&text))
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let licence_file = licence.get_untracked().map(|f: super::file_field::UploadedFile| f.sha256);
        if licence_file.is_none() {
            parsed.push(FieldIssue::new("licence_file", "required"));
        }
        let qualifications: Vec<QualificationInput> = certificates
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, d)| certificate_input(i, d, &mut parsed))
            .collect();
        let body = SubmitVerificationRequest {
            licence_file: licence_file.unwrap_or_default(),
            legal_representative_name: rep_name.get_untracked(),
            legal_representative_id_number: id_number.get_untracked().trim().to_ascii_uppercase(),
            qualifications,
        };
        let issues = before_sending(parsed, body.check_on(today()));
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<VerificationView, Failure> =
                orgs.call(&id, "POST", &format!("/orgs/{id}/verification"), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    errors.set(FormErrors::default());
                    toasts.success(Msg::VerificationSubmitted);
                    on_submitted(view);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::VerificationSubmit)}</h2>
            <p class="hint">{move || i18n.t(Msg::VerificationIntro)}</p>
            <form id="verification-form" on:submit=submit novalidate>
                <FileField id="verification-licence" label=Msg::LicenceFile value=licence errors=errors field="licence_file"/>
                <TextField id="verification-rep-name" label=Msg::LegalRepresentative value=rep_name errors=errors field="legal_representative_name"/>
                <TextField id="verification-id-number" label=Msg::IdNumber value=id_number errors=errors field="legal_representative_id_number" hint=Msg::IdNumberHint/>
                {move || id_check().map(|check| {
                    let ok = check.is_ok();
                    let text = match &check {
                        Ok(_) => i18n.t(Msg::IdNumberLooksRight).to_owned(),
                        Err(e) => id_number_problem(i18n.0.get(), e),
                    };
                    view! { <p id="verification-id-check" class="check-line" class:ok=ok class:bad=!ok aria-live="polite">{text}</p> }
                })}
                <h3>{move || i18n.t(Msg::Certificates)}</h3>
                <Show when=move || certificates.with(Vec::is_empty)>
                    <p class="hint" id="certificates-empty">{move || i18n.t(Msg::CertificatesNone)}</p>
                </Show>
                <For
                    each=move || certificates.get().into_iter().enumerate()
                    key=|(i, d)| (*i, d.key)
                    children=move |(index, draft)| {
                        let remove = move || {
                            certificates.update(|c| c.retain(|x| x.key != draft.key));
                            errors.set(FormErrors::default());
                        };
                        view! { <CertificateFields index=index draft=draft errors=errors on_remove=remove/> }
                    }
                />
                <button id="certificate-add" class="button" type="button" on:click=add_certificate>
                    {move || i18n.t(Msg::AddCertificate)}
                </button>
                <FormError errors=errors id="verification-form-error"/>
                <SubmitButton id="verification-submit" label=Msg::VerificationSubmit busy=busy/>
            </form>
        </section>
    }
}
