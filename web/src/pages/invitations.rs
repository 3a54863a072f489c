//! Invitations addressed to the signed-in person: join (the organisation becomes the active
//! one) or decline.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{Invitation, InvitationList, Organisation};

use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, member_role_name, use_i18n};
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The invitations page.
#[component]
pub fn InvitationsPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let list = RwSignal::new(None::<Result<Vec<Invitation>, Failure>>);
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            let result: Result<InvitationList, Failure> =
                session.call("GET", "/me/invitations", None::<&()>).await;
            list.set(Some(result.map(|l| l.items)));
        });
    };
    Effect::new(move |done: Option<bool>| {
        let ready = session.token.with(Option::is_some);
        if ready && done != Some(true) {
            load();
        }
        ready || done == Some(true)
    });
    let answer = move |id: String, accept: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<Option<Organisation>, Failure> = if accept {
                session.call("POST", &format!("/invitations/{id}/acceptance"), None::<&()>).await.map(Some)
            } else {
                session
                    .call::<_, ()>("POST", &format!("/invitations/{id}/declination"), None::<&()>)
                    .await
                    .map(|()| None)
            };
            busy.set(false);
            match result {
                Ok(joined) => {
                    list.update(|l| {
                        if let Some(Ok(items)) = l {
                            items.retain(|i| i.id != id);
                        }
                    });
                    match joined {
                        Some(org) => {
                            let org_id = org.profile.id.clone();
                            orgs.mine.update(|mine| mine.get_or_insert_with(Vec::new).push(org));
                            orgs.select(Some(org_id.clone()));
                            toasts.success(Msg::InvitationAccepted);
                            navigate.with_value(|go| go(&format!("/orgs/{org_id}"), Default::default()));
                        }
                        None => toasts.success(Msg::InvitationDeclined),
                    }
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(Msg::MyInvitations)}</h1>
            {move || match list.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                    <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="empty" id="invitations-empty">{move || i18n.t(Msg::NoInvitations)}</p>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="rows" id="invitations">
                        {items.into_iter().map(|inv| {
                            let id = StoredValue::new(inv.id.clone());
                            let role = inv.role;
                            view! {
                                <li class="row invitation">
                                    <div class="row-main">
                                        <strong>{inv.org_name.clone()}</strong>
                                        <span class="badge">{move || i18n.t(member_role_name(role))}</span>
                                        <span class="hint">{inv.created_at.format("%Y-%m-%d").to_string()}</span>
                                    </div>
                                    <div class="row-actions">
                                        <button class="button small primary" type="button" data-action="accept" disabled=move || busy.get()
                                            on:click=move |_| answer(id.get_value(), true)>{move || i18n.t(Msg::Accept)}</button>
                                        <button class="button small" type="button" data-action="decline" disabled=move || busy.get()
                                            on:click=move |_| answer(id.get_value(), false)>{move || i18n.t(Msg::Decline)}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
