//! Two-factor authentication: enrol (QR code drawn as SVG, the secret for typing, recovery codes
//! to keep), confirm with a first code, and disable with password and code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{ReauthRequest, TotpCodeRequest, TotpEnrolRequest, TotpEnrolment, UserProfile};

use crate::download::save_text;
use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::qr::qr_path;
use crate::session::{Session, use_session};
use crate::toast::use_toasts;

async fn reload_profile(session: Session) {
    if let Ok(user) = session.call::<(), UserProfile>("GET", "/me", None).await {
        session.user.set(Some(user));
    }
}

/// The two-factor card: enrolment while off, disabling while on.
#[component]
pub fn TotpCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let enabled = move || session.user.with(|u| u.as_ref().is_some_and(|u| u.totp_enabled));
    view! {
        <section class="card" id="totp">
            <h2>{move || i18n.t(Msg::TwoFactor)}</h2>
            <Show when=enabled fallback=|| view! { <Enrol/> }>
                <Disable/>
            </Show>
        </section>
    }
}

#[component]
fn Enrol() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let start = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = TotpEnrolRequest { password: password.get_untracked() };
            let result: Result<TotpEnrolment, Failure> = session.call("POST", "/me/totp", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(e) => {
                    errors.set(FormErrors::default());
                    enrolment.set(Some(e));
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = TotpCodeRequest { code: code.get_untracked().trim().to_owned() };
            let result: Result<(), Failure> =
                session.call("POST", "/me/totp/confirmation", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    toasts.success(Msg::TotpEnabled);
                    reload_profile(session).await;
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let save_codes = move |_| {
        let text = enrolment.with_untracked(|e| e.as_ref().map(|e| e.recovery_codes.join("\n")));
        if let Some(text) = text {
            let header = i18n.t(Msg::RecoveryCodesFileHeader);
            if !save_text("gongzhu-recovery-codes.txt", "text/plain", &format!("{header}\n\n{text}\n")) {
                toasts.failure(Failure::Network("download".into()));
            }
        }
    };
    view! {
        <Show
            when=move || enrolment.with(Option::is_some)
            fallback=move || view! {
                <p class="hint">{move || i18n.t(Msg::TotpIntro)}</p>
                <TextField id="totp-password" label=Msg::Password value=password errors=errors field="password"
                    kind="password" autocomplete="current-password"/>
                <FormError errors=errors id="totp-start-error"/>
                <button id="totp-start" class="button primary" type="button" disabled=move || busy.get() on:click=start>
                    {move || i18n.t(Msg::TotpStart)}
                </button>
            }
        >
            {move || enrolment.get().map(|e| {
                let qr = qr_path(&e.otpauth_uri);
                view! {
                    <ol class="steps">
                        <li>
                            <p>{move || i18n.t(Msg::TotpScan)}</p>
                            {qr.map(|qr| view! {
                                <svg id="totp-qr" class="qr" role="img" aria-label=move || i18n.t(Msg::TotpQrLabel)
                                    viewBox=format!("0 0 {0} {0}", qr.size) shape-rendering="crispEdges">
                                    <rect width="100%" height="100%" fill="#fff"/>
                                    <path d=qr.d fill="#000"/>
                                </svg>
                            })}
                            <p class="hint">{move || i18n.t(Msg::TotpSecretHint)}</p>
                            <code id="totp-secret" class="secret">{e.secret.clone()}</code>
                        </li>
                        <li>
                            <p>{move || i18n.t(Msg::RecoveryCodesIntro)}</p>
                            <ul id="recovery-codes" class="codes">
                                {e.recovery_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}
                            </ul>
                            <button id="recovery-save" class="button" type="button" on:click=save_codes>{move || i18n.t(Msg::RecoveryCodesSave)}</button>
                        </li>
                        <li>
                            <form id="totp-confirm-form" on:submit=confirm novalidate>
                                <TextField id="totp-confirm-code" label=Msg::TotpCode value=code errors=errors field="code" autocomplete="one-time-code" inputmode="numeric"/>
                                <FormError errors=errors id="totp-confirm-error"/>
                                <SubmitButton id="totp-confirm" label=Msg::TotpConfirm busy=busy/>
                            </form>
                        </li>
                    </ol>
                }
            })}
        </Show>
    }
}

#[component]
fn Disable() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let (password, code) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = ReauthRequest {
                password: password.get_untracked(),
                code: Some(code.get_untracked().trim().to_owned()),
            };
            let result: Result<(), Failure> = session.call("DELETE", "/me/totp", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    toasts.success(Msg::TotpDisabled);
                    reload_profile(session).await;
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <p class="hint">{move || i18n.t(Msg::TotpOnHint)}</p>
        <form id="totp-disable-form" on:submit=submit novalidate>
            <TextField id="totp-disable-password" label=Msg::Password value=password errors=errors field="password" kind="password" autocomplete="current-password"/>
            <TextField id="totp-disable-code" label=Msg::TotpCode value=code errors=errors field="code" autocomplete="one-time-code"/>
            <FormError errors=errors id="totp-disable-error"/>
            <SubmitButton id="totp-disable" label=Msg::TotpDisable busy=busy/>
        </form>
    }
}
