//! Registration and sign-in (with the TOTP step). Field errors from the API's envelope, or from
//! the same password rules run locally, appear next to their field; nothing typed is lost.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::dto::{
    FieldIssue, LoginRequest, LoginResponse, RegisterRequest, SessionTokens, TotpLoginRequest,
};
use shared::validate::Check;

use crate::forms::{FieldError, FormError, FormErrors, field_error};
use crate::http::{Failure, request};
use crate::i18n::{EngagementMsg, Msg, use_i18n};
use crate::session::use_session;

/// Registration names `email` or `phone`; the form has one login box for both.
fn on_login_box(mut issues: Vec<FieldIssue>) -> Vec<FieldIssue> {
    for issue in &mut issues {
        if issue.field == "email" || issue.field == "phone" {
            issue.field = "login".into();
        }
    }
    issues
}

/// Where to go after signing in: the remembered `next` page, else the account page.
pub fn next_page() -> impl Fn() -> String {
    let query = use_query_map();
    move || {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| "/account".into())
    }
}

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let referral = RwSignal::new(query.with_untracked(|q| q.get("ref").unwrap_or_default()));
    let (login, password, name, consent) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(false),
    );
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One login box: anything with `@` is an e-mail, else a mobile number; the request's
        // check (the API's own, from `shared`) then names `email` / `phone`, shown on the box.
        let typed = login.get_untracked();
        let (email, phone) = if typed.contains('@') { (Some(typed), None) } else { (None, Some(typed)) };
        let body = RegisterRequest {
            email,
            phone,
            password: password.get_untracked(),
            display_name: name.get_untracked(),
            accept_privacy: consent.get_untracked(),
            session_cookie: Some(true),
            referral_code: Some(referral.get_untracked().trim().to_owned()).filter(|c| !c.is_empty()),
        };
        let Ok(valid) =
            body.check().map_err(|invalid| errors.set(FormErrors::local(on_login_box(invalid.0))))
        else {
            return;
        };
        let body = RegisterRequest { email: valid.email, phone: valid.phone, ..body };
        let (navigate, next) = (navigate.clone(), next_page());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<SessionTokens, Failure> =
                request("POST", "/auth/register", Some(&body), None).await;
            busy.set(false);
            match result {
                Ok(tokens) => {
                    session.sign_in(tokens);
                    navigate(&next(), Default::default());
                }
                Err(failure) => {
                    let e = FormErrors::from_failure(failure);
                    errors.set(FormErrors { fields: on_login_box(e.fields), ..e });
                }
            }
        });
    };
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Msg::Register)}</h1>
            <form id="register-form" on:submit=on_submit novalidate>
                <label for="reg-login">{move || i18n.t(Msg::EmailOrPhone)}</label>
                <input id="reg-login" name="login" autocomplete="username" prop:value=login on:input=move |ev| login.set(event_target_value(&ev))/>
                <FieldError text=field_error(errors, "login") id="reg-login-error"/>
                <label for="reg-password">{move || i18n.t(Msg::Password)}</label>
                <input id="reg-password" type="password" autocomplete="new-password" prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                <p class="hint">{move || i18n.t(Msg::PasswordRules)}</p>
                <FieldError text=field_error(errors, "password") id="reg-password-error"/>
                <label for="reg-name">{move || i18n.t(Msg::DisplayName)}</label>
                <input id="reg-name" autocomplete="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <FieldError text=field_error(errors, "display_name") id="reg-name-error"/>
                <label for="reg-referral">{move || i18n.t(Msg::EngagementMsg(EngagementMsg::ReferralCodeOptional))}</label>
                <input id="reg-referral" autocomplete="off" prop:value=referral on:input=move |ev| referral.set(event_target_value(&ev))/>
                <FieldError text=field_error(errors, "referral_code") id="reg-referral-error"/>
                <label class="check">
                    <input id="reg-consent" type="checkbox" prop:checked=consent on:change=move |ev| consent.set(event_target_checked(&ev))/>
                    {move || i18n.t(Msg::AcceptPrivacy)}
                </label>
                <FieldError text=field_error(errors, "accept_privacy") id="reg-consent-error"/>
                <FormError errors=errors/>
                <button id="reg-submit" class="button primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Msg::Submitting) } else { i18n.t(Msg::CreateAccount) }}
                </button>
            </form>
            <A href="/login">{move || i18n.t(Msg::HaveAccount)}</A>
        </section>
    }
}

/// The sign-in page; asks for a TOTP code when the account has 2FA.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (login, password, code) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let mfa_token = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (navigate, next) = (navigate.clone(), next_page());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<LoginResponse, Failure> = match mfa_token.get_untracked() {
                None => {
                    let body = LoginRequest {
                        login: login.get_untracked(),
                        password: password.get_untracked(),
                        session_cookie: Some(true),
                    };
                    request("POST", "/auth/login", Some(&body), None).await
                }
                Some(token) => {
                    let body = TotpLoginRequest {
                        mfa_token: token,
                        code: code.get_untracked(),
                        session_cookie: Some(true),
                    };
                    request::<_, SessionTokens>("POST", "/auth/login/totp", Some(&body), None)
                        .await
                        .map(LoginResponse::from)
                }
            };
            busy.set(false);
            match result {
                Ok(answer) if answer.mfa_required => {
                    errors.set(FormErrors::default());
                    mfa_token.set(answer.mfa_token);
                }
                Ok(LoginResponse {
                    access_token: Some(access_token),
                    user: Some(user),
                    refresh_expires_at: Some(refresh_expires_at),
                    expires_in,
                    ..
                }) => {
                    session.sign_in(SessionTokens {
                        access_token,
                        token_type: "Bearer".into(),
                        expires_in: expires_in.unwrap_or_default(),
                        refresh_token: None,
                        refresh_expires_at,
                        user,
                    });
                    navigate(&next(), Default::default());
                }
                Ok(_) => errors.set(FormErrors { fields: Vec::new(), form: Some("network".into()) }),
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(Msg::SignIn)}</h1>
            <form id="login-form" on:submit=on_submit novalidate>
                <Show
                    when=move || mfa_token.with(Option::is_some)
                    fallback=move || view! {
                        <label for="login-login">{move || i18n.t(Msg::LoginLabel)}</label>
                        <input id="login-login" autocomplete="username" prop:value=login on:input=move |ev| login.set(event_target_value(&ev))/>
                        <FieldError text=field_error(errors, "login") id="login-login-error"/>
                        <label for="login-password">{move || i18n.t(Msg::Password)}</label>
                        <input id="login-password" type="password" autocomplete="current-password" prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    }
                >
                    <p>{move || i18n.t(Msg::TotpPrompt)}</p>
                    <label for="login-code">{move || i18n.t(Msg::TotpCode)}</label>
                    <input id="login-code" inputmode="numeric" autocomplete="one-time-code" prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/>
                </Show>
                <FormError errors=errors/>
                <button id="login-submit" class="button primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Msg::Submitting) } else if mfa_token.with(Option::is_some) { i18n.t(Msg::Verify) } else { i18n.t(Msg::SignIn) }}
                </button>
            </form>
            <p class="links">
                <A href="/password-reset" attr:id="forgot-password">{move || i18n.t(Msg::ForgotPassword)}</A>
                <A href="/register">{move || i18n.t(Msg::NoAccount)}</A>
            </p>
        </section>
    }
}
