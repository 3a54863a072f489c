//! Inviting a person to the group by their login (phone number or e-mail): the only way into an
//! invite-only group, and the way back for a removed member.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{GroupInvitation, InviteToGroupRequest};

use super::{form_checked, form_errors, tc};
use crate::forms::{FormError, FormErrors, SubmitButton, TextField};
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The invitation form (admin page).
#[component]
pub fn InviteForm(group_id: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/groups/{group_id}/invitations"));
    let login = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    // The masked contact of the last invitation sent (the server never says whether it has an
    // account, so the page cannot either).
    let last = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = InviteToGroupRequest { login: login.get_untracked().trim().to_owned() };
        if form_checked(errors, &body).is_none() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = session.call::<_, GroupInvitation>("POST", &path.get_value(), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(invitation) => {
                    errors.set(FormErrors::default());
                    login.set(String::new());
                    toasts.success(Msg::CommunityMsg(CommunityMsg::Invited));
                    last.set(Some(invitation.contact_masked));
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">{tc(CommunityMsg::InviteMember)}</h2>
            <form id="group-invite-form" on:submit=submit novalidate>
                <TextField id="group-invite-login" label=Msg::EmailOrPhone value=login errors=errors field="login" kind="text"/>
                <FormError errors=errors id="group-invite-error"/>
                <SubmitButton id="group-invite-submit" label=Msg::CommunityMsg(CommunityMsg::SendInvitation) busy=busy/>
            </form>
            {move || last.get().map(|masked| view! { <p class="muted" id="group-invite-sent">{tc(CommunityMsg::Invited)}" · "{masked}</p> })}
        </section>
    }
}
