//! An organisation's API keys (`/orgs/{id}/api-keys`, owners and admins): create one with a
//! name and scopes (its secret is shown once, with a copy button), see every key's prefix,
//! scopes, last use and revocation, and revoke a key after confirming.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    ApiKeyInfo, ApiKeyList, ApiKeyScope, CreateApiKeyRequest, CreatedApiKey, FieldIssue, Organisation,
};

use shared::validate::Check;

use super::scope::MyOrganisation;
use crate::active_org::use_active_org;
use crate::clipboard::copy;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, failure_text, field_error,
};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::require_sign_in;
use crate::toast::use_toasts;

/// Every scope, in display order.
const SCOPES: [ApiKeyScope; 2] = [ApiKeyScope::MembersRead, ApiKeyScope::OrgWrite];
/// The form's name for the key's `name` (the organisation's `name` has other limits).
const KEY_NAME: &str = "key_name";

fn scope_name(scope: ApiKeyScope) -> Msg {
    match scope {
        ApiKeyScope::MembersRead => Msg::ScopeMembersRead,
        ApiKeyScope::OrgWrite => Msg::ScopeOrgWrite,
    }
}

/// The API keys page.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    require_sign_in();
    view! { <MyOrganisation view=|org| view! { <ApiKeys org=org/> }.into_any()/> }
}

#[component]
fn ApiKeys(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let org_id = StoredValue::new(org.profile.id.clone());
    let keys = RwSignal::new(None::<Result<Vec<ApiKeyInfo>, Failure>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<ApiKeyList, Failure> =
                orgs.call(&id, "GET", &format!("/orgs/{id}/api-keys"), None::<&()>).await;
            keys.set(Some(result.map(|l| l.items)));
        });
    };
    if !org.my_role.can_manage() {
        return view! {
            <section class="card narrow"><p class="form-error" role="alert">{move || i18n.t(Msg::OwnersAndAdminsOnly)}</p></section>
        }
        .into_any();
    }
    load();
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{org.profile.name.clone()}</p>
                <h1 id="api-keys-title">{move || i18n.t(Msg::ApiKeysTitle)}</h1>
                <p class="hint">{move || i18n.t(Msg::ApiKeysIntro)}</p>
            </section>
            <CreateKey org_id=org_id.get_value() on_created=load/>
            <section class="card">
                <h2>{move || i18n.t(Msg::ApiKeysList)}</h2>
                {move || match keys.get() {
                    None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                    Some(Err(failure)) => view! {
                        <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                        <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                    }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <p class="empty" id="api-keys-empty">{move || i18n.t(Msg::ApiKeysEmpty)}</p>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="rows" id="api-keys">
                            {list.into_iter().map(|key| view! { <KeyRow org_id=org_id.get_value() key_info=key on_revoked=load/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
        </div>
    }
    .into_any()
}

/// The request's `name` is this form's [`KEY_NAME`] field.
fn rename_name_field(issues: &mut [FieldIssue]) {
    issues.iter_mut().filter(|f| f.field == "name").for_each(|f| f.field = KEY_NAME.into());
}

#[component]
fn CreateKey(org_id: String, on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let org_id = StoredValue::new(org_id);
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![ApiKeyScope::MembersRead]);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedApiKey>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = CreateApiKeyRequest { name: name.get_untracked(), scopes: scopes.get_untracked() };
        let mut local = before_sending(Vec::new(), body.check());
        if !local.is_empty() {
            rename_name_field(&mut local);
            errors.set(FormErrors::local(local));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<CreatedApiKey, Failure> =
                orgs.call(&id, "POST", &format!("/orgs/{id}/api-keys"), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(key) => {
                    errors.set(FormErrors::default());
                    name.set(String::new());
                    created.set(Some(key));
                    toasts.success(Msg::ApiKeyCreated);
                    on_created();
                }
                Err(failure) => {
                    let mut e = FormErrors::from_failure(failure);
                    rename_name_field(&mut e.fields);
                    errors.set(e);
                }
            }
        });
    };
    let copy_secret = move |_| {
        if let Some(secret) = created.with_untracked(|c| c.as_ref().map(|c| c.secret.clone())) {
            leptos::task::spawn_local(async move {
                if copy(&secret).await {
                    toasts.success(Msg::Copied);
                } else {
                    toasts.problem(Msg::CopyFailed);
                }
            });
        }
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::ApiKeyCreate)}</h2>
            {move || created.get().map(|key| view! {
                <div class="notice" id="api-key-created" role="status">
                    <p><strong>{move || i18n.t(Msg::ApiKeySecretOnce)}</strong></p>
                    <code id="api-key-secret" class="secret">{key.secret.clone()}</code>
                    <div class="row-actions">
                        <button id="api-key-copy" class="button small" type="button" on:click=copy_secret>{move || i18n.t(Msg::Copy)}</button>
                        <button id="api-key-dismiss" class="button small" type="button" on:click=move |_| created.set(None)>{move || i18n.t(Msg::ApiKeySecretStored)}</button>
                    </div>
                </div>
            })}
            <form id="api-key-form" on:submit=submit novalidate>
                <TextField id="api-key-name" label=Msg::ApiKeyName value=name errors=errors field=KEY_NAME hint=Msg::ApiKeyNameHint/>
                <fieldset class="role-picker">
                    <legend>{move || i18n.t(Msg::ApiKeyScopes)}</legend>
                    {SCOPES.into_iter().map(|scope| view! {
                        <label class="chip">
                            <input type="checkbox" id=format!("scope-{}", scope.as_str())
                                prop:checked=move || scopes.with(|s| s.contains(&scope))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    scopes.update(|s| {
                                        s.retain(|x| *x != scope);
                                        if on {
                                            s.push(scope);
                                        }
                                    });
                                }/>
                            {move || i18n.t(scope_name(scope))}
                        </label>
                    }).collect_view()}
                </fieldset>
                <FieldError text=field_error(errors, "scopes") id="api-key-scopes-error"/>
                <FormError errors=errors id="api-key-form-error"/>
                <SubmitButton id="api-key-submit" label=Msg::ApiKeyCreate busy=busy/>
            </form>
        </section>
    }
}

#[component]
fn KeyRow(
    org_id: String,
    key_info: ApiKeyInfo,
    on_revoked: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let ids = StoredValue::new((org_id, key_info.id.clone()));
    let revoked = key_info.revoked_at.is_some();
    let revoke = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let (org, key) = ids.get_value();
            let result: Result<(), Failure> =
                orgs.call(&org, "DELETE", &format!("/orgs/{org}/api-keys/{key}"), None::<&()>).await;
            busy.set(false);
            asking.set(false);
            match result {
                Ok(()) => {
                    toasts.success(Msg::ApiKeyRevoked);
                    on_revoked();
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
    let last_used = when(key_info.last_used_at);
    let revoked_at = when(key_info.revoked_at);
    view! {
        <li class="row api-key" data-key=key_info.id.clone() class:muted=revoked>
            <div class="row-main">
                <strong>{key_info.name.clone()}</strong>
                <code class="secret">{format!("{}…", key_info.prefix)}</code>
                {key_info.scopes.iter().map(|s| { let s = *s; view! { <span class="badge">{move || i18n.t(scope_name(s))}</span> } }).collect_view()}
                <span class="hint">
                    {move || i18n.t(Msg::ApiKeyLastUsed)}" "
                    {let last_used = last_used.clone(); move || last_used.clone().unwrap_or_else(|| i18n.t(Msg::Never).to_owned())}
                </span>
                {revoked_at.map(|at| view! { <span class="badge badge-bad api-key-revoked">{move || i18n.t(Msg::ApiKeyRevokedAt)}" "{at.clone()}</span> })}
            </div>
            <div class="row-actions">
                {(!revoked).then(|| view! {
                    <Show when=move || asking.get() fallback=move || view! {
                        <button class="button small danger" type="button" data-action="revoke" on:click=move |_| asking.set(true)>{move || i18n.t(Msg::ApiKeyRevoke)}</button>
                    }>
                        <span class="confirm-text">{move || i18n.t(Msg::ApiKeyRevokeConfirm)}</span>
                        <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get() on:click=revoke>{move || i18n.t(Msg::Confirm)}</button>
                        <button class="button small" type="button" on:click=move |_| asking.set(false)>{move || i18n.t(Msg::Cancel)}</button>
                    </Show>
                })}
            </div>
        </li>
    }
}
