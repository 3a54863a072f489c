//! Inviting an existing account (by e-mail or mobile number) as admin or member; the request
//! is checked with `shared`'s check (the API's own) before it is sent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CreateInvitationRequest, Invitation, MemberRole};
use shared::validate::Check;

use crate::active_org::use_active_org;
use crate::forms::{FormError, FormErrors, SubmitButton, TextField, before_sending};
use crate::http::Failure;
use crate::i18n::{Msg, member_role_name, use_i18n};
use crate::toast::use_toasts;

/// The invitation form (owners and admins).
#[component]
pub fn InviteCard(org_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let org_id = StoredValue::new(org_id);
    let login = RwSignal::new(String::new());
    let role = RwSignal::new(MemberRole::Member);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = CreateInvitationRequest {
            login: login.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
        };
        let issues = before_sending(Vec::new(), body.check());
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<Invitation, Failure> =
                orgs.call(&id, "POST", &format!("/orgs/{id}/invitations"), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    login.set(String::new());
                    toasts.success(Msg::InvitationSent);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::InviteMember)}</h2>
            <p class="hint">{move || i18n.t(Msg::InviteHint)}</p>
            <form id="invite-form" on:submit=submit novalidate>
                <TextField id="invite-login" label=Msg::EmailOrPhone value=login errors=errors field="login"/>
                <label for="invite-role">{move || i18n.t(Msg::MemberRoleLabel)}</label>
                <select id="invite-role" on:change=move |ev| role.set(MemberRole::parse(&event_target_value(&ev)).unwrap_or(MemberRole::Member))>
                    {[MemberRole::Member, MemberRole::Admin].into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(member_role_name(r))}</option>
                    }).collect_view()}
                </select>
                <FormError errors=errors id="invite-form-error"/>
                <SubmitButton id="invite-submit" label=Msg::SendInvitation busy=busy/>
            </form>
        </section>
    }
}
