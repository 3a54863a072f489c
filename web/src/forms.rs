//! Form plumbing shared by every page: the problems to show (per field, from the API's error
//! envelope or from the same rules run locally), a labelled text field with its error next to
//! it, and the whole-form error line.

use leptos::prelude::*;
use shared::dto::FieldIssue;
use shared::validate::Invalid;

use crate::http::Failure;
use crate::i18n::{Lang, Msg, field_issue_text, issue_text, use_i18n};

/// Problems to show: per field, and one for the whole form (an error code).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormErrors {
    /// Field problems.
    pub fields: Vec<FieldIssue>,
    /// A problem with the whole form: an envelope code, or `network`.
    pub form: Option<String>,
}

impl FormErrors {
    /// The problems a failed request reports. A problem with the acting organisation (the
    /// `X-Org-Id` header: not verified, suspended) is about the whole form.
    pub fn from_failure(failure: Failure) -> Self {
        match failure {
            Failure::Api { body, .. } if !body.details.is_empty() => {
                let (org, fields): (Vec<FieldIssue>, Vec<FieldIssue>) =
                    body.details.into_iter().partition(|d| d.field.eq_ignore_ascii_case("x-org-id"));
                Self { fields, form: org.into_iter().next().map(|d| d.issue) }
            }
            Failure::Api { body, .. } => Self { fields: Vec::new(), form: Some(body.code) },
            Failure::Network(_) => Self { fields: Vec::new(), form: Some("network".into()) },
        }
    }

    /// Problems found locally, before anything is sent.
    pub fn local(fields: Vec<FieldIssue>) -> Self {
        Self { fields, form: None }
    }
}

/// What a form found wrong before sending: the problems of its own inputs (`parsed`: a number
/// that does not parse, nothing chosen), then those of the request's check in `shared` — the
/// API's own, with the same field codes — for fields the inputs did not already name.
pub fn before_sending<T>(mut parsed: Vec<FieldIssue>, check: Result<T, Invalid>) -> Vec<FieldIssue> {
    if let Err(Invalid(issues)) = check {
        let fresh: Vec<FieldIssue> =
            issues.into_iter().filter(|i| !parsed.iter().any(|p| p.field == i.field)).collect();
        parsed.extend(fresh);
    }
    parsed
}

/// The acting organisation to send a form for, when there is one and nothing is wrong; else
/// shows the problems (and asks for an organisation when none is chosen).
pub fn sendable_for(
    errors: RwSignal<FormErrors>,
    org: Option<String>,
    issues: Vec<FieldIssue>,
) -> Option<String> {
    match org {
        None => {
            errors.set(FormErrors { fields: issues, form: Some("no_active_org".into()) });
            None
        }
        Some(_) if !issues.is_empty() => {
            errors.set(FormErrors::local(issues));
            None
        }
        org => org,
    }
}

/// The text for a failed request (for toasts and form errors).
pub fn failure_text(lang: Lang, failure: &Failure) -> String {
    match failure {
        Failure::Network(_) => Msg::NetworkError.text(lang).to_owned(),
        Failure::Api { body, .. } => match body.details.first() {
            Some(issue) => field_issue_text(lang, &issue.field, &issue.issue),
            None => issue_text(lang, &body.code),
        },
    }
}

/// The field's error text, if any (reactive).
pub fn field_error(
    errors: RwSignal<FormErrors>,
    field: impl Into<String>,
) -> impl Fn() -> Option<String> + Copy {
    let i18n = use_i18n();
    let field = StoredValue::new(field.into());
    move || {
        let lang = i18n.0.get();
        errors.with(|e| {
            let texts: Vec<String> = e
                .fields
                .iter()
                .filter(|i| field.with_value(|f| i.field == *f))
                .map(|i| field_issue_text(lang, &i.field, &i.issue))
                .collect();
            (!texts.is_empty()).then(|| texts.join("；"))
        })
    }
}

/// The errors of a row of fields (`prefix` itself and `prefix.part` for each part; reactive).
pub fn row_error(
    errors: RwSignal<FormErrors>,
    prefix: &str,
    parts: &[&str],
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static + use<> {
    let i18n = use_i18n();
    let fields = StoredValue::new(
        std::iter::once(prefix.to_owned())
            .chain(parts.iter().map(|p| format!("{prefix}.{p}")))
            .collect::<Vec<_>>(),
    );
    move || {
        let lang = i18n.0.get();
        errors.with(|e| {
            let texts: Vec<String> = e
                .fields
                .iter()
                .filter(|i| fields.with_value(|f| f.contains(&i.field)))
                .map(|i| field_issue_text(lang, i.field.rsplit('.').next().unwrap_or_default(), &i.issue))
                .collect();
            (!texts.is_empty()).then(|| texts.join("；"))
        })
    }
}

/// An error line under a field.
#[component]
pub fn FieldError(
    text: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! { <Show when=move || text().is_some()><p class="field-error" id=id.clone() role="alert">{move || text()}</p></Show> }
}

/// A labelled single-line input bound to `value`, with the API field `field`'s error under it.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: Msg,
    value: RwSignal<String>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] field: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let text = field_error(errors, field.clone());
    view! {
        <label for=id.clone()>{move || i18n.t(label)}</label>
        <input
            id=id
            name=field
            type=kind
            autocomplete=autocomplete
            inputmode=inputmode
            aria-describedby=described
            aria-invalid=move || if text().is_some() { "true" } else { "false" }
            prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))
        />
        {hint.map(|hint| view! { <p class="hint">{move || i18n.t(hint)}</p> })}
        <FieldError text=text id=error_id/>
    }
}

/// The whole-form error line.
#[component]
pub fn FormError(
    errors: RwSignal<FormErrors>,
    #[prop(into, default = "form-error".to_owned())] id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        errors.with(|e| e.form.clone()).map(|code| {
            if code == "network" {
                i18n.t(Msg::NetworkError).to_owned()
            } else {
                issue_text(i18n.0.get(), &code)
            }
        })
    };
    view! { <Show when=move || text().is_some()><p class="form-error" id=id.clone() role="alert">{text}</p></Show> }
}

/// A submit button that says it is busy.
#[component]
pub fn SubmitButton(id: &'static str, label: Msg, busy: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button id=id class="button primary" type="submit" disabled=move || busy.get()>
            {move || if busy.get() { i18n.t(Msg::Submitting) } else { i18n.t(label) }}
        </button>
    }
}
