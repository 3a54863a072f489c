//! One qualification certificate in the verification form: type and grade (from the shipped
//! taxonomy), number, expiry date and the scan.

use leptos::prelude::*;
use shared::taxonomy::qualification_types;

use super::file_field::{FileField, UploadedFile};
use crate::forms::{FieldError, FormErrors, TextField, field_error};
use crate::i18n::{Lang, Msg, use_i18n};

/// A certificate being filled in. Its signals outlive re-renders, so nothing typed is lost.
#[derive(Clone, Copy)]
pub struct CertificateDraft {
    /// Stable key within the form.
    pub key: u64,
    /// Qualification type code.
    pub type_code: RwSignal<String>,
    /// Grade code.
    pub grade: RwSignal<String>,
    /// Certificate number.
    pub number: RwSignal<String>,
    /// Last valid day (`YYYY-MM-DD`, from the date input).
    pub expires_on: RwSignal<String>,
    /// The uploaded scan.
    pub file: RwSignal<Option<UploadedFile>>,
}

impl CertificateDraft {
    /// An empty certificate.
    pub fn new(key: u64) -> Self {
        Self {
            key,
            type_code: RwSignal::new(String::new()),
            grade: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
            expires_on: RwSignal::new(String::new()),
            file: RwSignal::new(None),
        }
    }
}

fn name(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The fields of certificate number `index` (0-based, as the API numbers them).
#[component]
pub fn CertificateFields(
    index: usize,
    draft: CertificateDraft,
    errors: RwSignal<FormErrors>,
    on_remove: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |name: &str| format!("qualifications[{index}].{name}");
    let id = move |name: &str| format!("cert-{index}-{name}");
    let grades = move || {
        draft.type_code.with(|code| {
            qualification_types()
                .iter()
                .find(|t| &t.code == code)
                .map(|t| t.grades.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <fieldset class="certificate" id=id("fieldset")>
            <legend>{move || format!("{} {}", i18n.t(Msg::Certificate), index + 1)}</legend>
            <label for=id("type")>{move || i18n.t(Msg::QualificationType)}</label>
            <select id=id("type") on:change=move |ev| {
                draft.type_code.set(event_target_value(&ev));
                draft.grade.set(String::new());
            }>
                <option value="" selected=move || draft.type_code.with(String::is_empty)>{move || i18n.t(Msg::ChooseOne)}</option>
                {move || {
                    let lang = i18n.0.get();
                    qualification_types().iter().map(|t| {
                        let code = t.code.clone();
                        let selected = draft.type_code.with_untracked(|c| *c == code);
                        view! { <option value=code selected=selected>{name(lang, &t.zh, &t.en)}</option> }
                    }).collect_view()
                }}
            </select>
            <FieldError text=field_error(errors, field("type_code")) id=id("type-error")/>
            <label for=id("grade")>{move || i18n.t(Msg::QualificationGrade)}</label>
            <select id=id("grade") on:change=move |ev| draft.grade.set(event_target_value(&ev))>
                <option value="" selected=move || draft.grade.with(String::is_empty)>{move || i18n.t(Msg::ChooseOne)}</option>
                {move || {
                    let lang = i18n.0.get();
                    grades().into_iter().map(|g| {
                        let selected = draft.grade.with_untracked(|c| *c == g.code);
                        view! { <option value=g.code.clone() selected=selected>{name(lang, &g.zh, &g.en)}</option> }
                    }).collect_view()
                }}
            </select>
            <FieldError text=field_error(errors, field("grade")) id=id("grade-error")/>
            <TextField id=id("number") label=Msg::CertificateNumber value=draft.number errors=errors field=field("number")/>
            <TextField id=id("expires") label=Msg::CertificateExpiry value=draft.expires_on errors=errors field=field("expires_on") kind="date"/>
            <FileField id=id("file") label=Msg::CertificateScan value=draft.file errors=errors field=field("file")/>
            <button class="button small danger" type="button" id=id("remove") on:click=move |_| on_remove()>
                {move || i18n.t(Msg::RemoveCertificate)}
            </button>
        </fieldset>
    }
}
