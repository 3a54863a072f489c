//! The signing ceremony: the document to read (its PDF and the key terms), the exact SHA-256
//! and consent text the signer agrees to, the "I agree" box, and re-authentication (password,
//! and a TOTP or recovery code when two-step sign-in is on). Sends
//! `POST /contracts/{id}/signatures`; each refusal shows next to its field — a wrong password or
//! code, a document that changed meanwhile (reload), or the organisation's standing.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{ContractView, PartyRole, SignContractRequest};
use shared::validate::Check;

use super::versions::download;
use super::{ct, role_name};
use crate::active_org::use_active_org;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{ContractMsg, Msg, tr, use_i18n};
use crate::money::format_fen;
use crate::session::use_session;
use crate::toast::use_toasts;

#[component]
pub fn SigningCeremony(
    contract: ContractView,
    signed: Callback<ContractView>,
    close: Callback<()>,
    reload: Callback<()>,
    /// Sign the termination of the version in force instead of the current version.
    #[prop(optional)]
    termination: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let c = contract;
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let agreed = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let pdf_failed = RwSignal::new(None::<Failure>);
    let id = StoredValue::new(c.id.clone());
    let sha = StoredValue::new(c.current_sha256.clone());
    let version = c.current_version;
    let stale =
        move || errors.with(|e| e.fields.iter().any(|f| f.field == "sha256" && f.issue == "stale_document"));
    let preview = move |_| {
        let path = format!("/contracts/{}/versions/{version}/pdf", id.get_value());
        let name = format!("contract-{}-v{version}.pdf", id.get_value());
        leptos::task::spawn_local(async move {
            let _ = pdf_failed.try_set(download(session, orgs.acting_untracked(), &path, &name).await.err());
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked().trim().to_owned();
        let body = SignContractRequest {
            sha256: sha.get_value(),
            password: password.get_untracked(),
            code: (!typed.is_empty()).then_some(typed),
            consent: agreed.get_untracked(),
        };
        let issues = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        let endpoint = if termination { "termination-signatures" } else { "signatures" };
        let path = format!("/contracts/{}/{endpoint}", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, ContractView>(&org, "POST", &path, Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    toasts.success(Msg::ContractMsg(if termination {
                        ContractMsg::TerminationSigned
                    } else {
                        ContractMsg::Signed
                    }));
                    signed.run(view);
                }
                Err(failure) => {
                    let _ = password.try_set(String::new());
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    // A termination names the version in force; its consent is the termination's.
    let acting = orgs.acting_untracked().unwrap_or_default();
    let consent = if termination {
        let org_name =
            c.parties.iter().find(|p| p.org_id == acting).map(|p| p.name.clone()).unwrap_or_default();
        shared::domain::contract::document::termination_consent_text(
            &org_name,
            &c.id,
            version,
            &c.current_sha256,
        )
    } else {
        c.consent_text.clone().unwrap_or_default()
    };
    let t = c.terms.clone();
    let names = |role: PartyRole| {
        c.parties.iter().find(|p| p.role == role).map(|p| p.name.clone()).unwrap_or_default()
    };
    view! {
        <section class="card ceremony" id="signing-ceremony" role="dialog" aria-modal="true" aria-labelledby="signing-title">
            <h2 id="signing-title">{ct(if termination { ContractMsg::TerminationTitle } else { ContractMsg::SigningTitle })}</h2>
            <p class="hint">{ct(ContractMsg::SigningIntro)}</p>
            <h3>{ct(ContractMsg::KeyTerms)}</h3>
            <dl class="facts" id="signing-summary">
                <dt>{ct(ContractMsg::Title)}</dt><dd>{t.title.clone()}</dd>
                <dt>{ct(role_name(PartyRole::Payer))}</dt><dd>{names(PartyRole::Payer)}</dd>
                <dt>{ct(role_name(PartyRole::Performer))}</dt><dd>{names(PartyRole::Performer)}</dd>
                <dt>{ct(ContractMsg::Amount)}</dt><dd>{format_fen(t.plan.amount_fen)}</dd>
                <dt>{ct(ContractMsg::DurationDays)}</dt><dd>{t.duration_days}</dd>
                <dt>{ct(ContractMsg::StartDate)}</dt><dd>{t.start_date.to_string()}</dd>
                <dt>{ct(ContractMsg::Version)}</dt><dd>{version}</dd>
            </dl>
            <p>
                <button class="button" type="button" id="signing-preview" on:click=preview>{ct(ContractMsg::ReadDocument)}</button>
                {move || pdf_failed.get().map(|f| view! { <span class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</span> })}
            </p>
            <form id="signing-form" on:submit=submit novalidate>
                <p class="label">{ct(ContractMsg::DocumentHash)}</p>
                <p class="mono wrap hash" id="signing-sha256">{c.current_sha256.clone()}</p>
                <Show when=stale>
                    <p class="notice notice-bad" role="alert" id="signing-stale">
                        {ct(ContractMsg::DocumentChanged)}" "
                        <button class="button small" type="button" id="signing-reload" on:click=move |_| reload.run(())>{ct(ContractMsg::Reload)}</button>
                    </p>
                </Show>
                <Reauth prefix="signing" consent=Some(consent) agreed=agreed password=password code=code errors=errors/>
                <FormError errors=errors id="signing-error"/>
                <div class="row-actions">
                    <SubmitButton id="signing-submit" label=Msg::ContractMsg(ContractMsg::SignNow) busy=busy/>
                    <button class="button" type="button" id="signing-cancel" on:click=move |_| close.run(())>{tr(Msg::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}

/// The re-authentication of a signature or another sensitive step: the consent text with its
/// "I agree" box (when there is one), the password, and the TOTP or recovery code (marked
/// required once the API asked for it). Field ids are `{prefix}-consent`, `{prefix}-agree`,
/// `{prefix}-password`, `{prefix}-code`, each error `…-error`.
#[component]
pub fn Reauth(
    prefix: &'static str,
    consent: Option<String>,
    agreed: RwSignal<bool>,
    password: RwSignal<String>,
    code: RwSignal<String>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let code_required =
        move || errors.with(|e| e.fields.iter().any(|f| f.field == "code" && f.issue == "required"));
    let id = |part: &str| format!("{prefix}-{part}");
    view! {
        {consent.map(|consent| view! {
            <blockquote class="consent" id=id("consent")>{consent}</blockquote>
            <label class="check">
                <input type="checkbox" id=id("agree") prop:checked=agreed on:change=move |ev| agreed.set(event_target_checked(&ev))/>
                <span>{ct(ContractMsg::IAgree)}</span>
            </label>
            <FieldError text=field_error(errors, "consent") id=id("agree-error")/>
        })}
        <label for=id("password")>{tr(Msg::Password)}</label>
        <input id=id("password") name="password" type="password" autocomplete="current-password"
            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
        <FieldError text=field_error(errors, "password") id=id("password-error")/>
        <label for=id("code")>
            {ct(ContractMsg::TotpCode)}
            <span class="hint">" "{move || if code_required() { ct(ContractMsg::CodeRequired)() } else { ct(ContractMsg::CodeOptional)() }}</span>
        </label>
        <input id=id("code") name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
            prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
        <FieldError text=field_error(errors, "code") id=id("code-error")/>
    }
}
