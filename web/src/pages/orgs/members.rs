//! The members of an organisation: who they are and their role; owners and admins remove
//! members, owners transfer ownership, anyone may leave. Each action asks once more in place.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{
    Member, MemberList, MemberRole, Organisation, OwnershipTransferRequest, SigningAuthorityRequest,
};

use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, member_role_name, use_i18n};
use crate::session::use_session;
use crate::toast::use_toasts;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Remove,
    Leave,
    Transfer,
}

impl Action {
    fn label(self) -> Msg {
        match self {
            Action::Remove => Msg::RemoveMember,
            Action::Leave => Msg::LeaveOrg,
            Action::Transfer => Msg::TransferOwnership,
        }
    }

    fn question(self) -> Msg {
        match self {
            Action::Remove => Msg::RemoveMemberConfirm,
            Action::Leave => Msg::LeaveOrgConfirm,
            Action::Transfer => Msg::TransferOwnershipConfirm,
        }
    }
}

/// The members list with its actions.
#[component]
pub fn MembersCard(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let org_id = StoredValue::new(org.profile.id.clone());
    let my_role = org.my_role;
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id.clone())).unwrap_or_default();
    let me = StoredValue::new(me);
    let members = RwSignal::new(None::<Result<Vec<Member>, Failure>>);
    let asking = RwSignal::new(None::<(String, Action)>);
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<MemberList, Failure> =
                orgs.call(&id, "GET", &format!("/orgs/{id}/members"), None::<&()>).await;
            members.set(Some(result.map(|l| l.items)));
        });
    };
    load();
    let act = move |user_id: String, action: Action| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let result: Result<(), Failure> = match action {
                Action::Remove | Action::Leave => {
                    orgs.call(&id, "DELETE", &format!("/orgs/{id}/members/{user_id}"), None::<&()>).await
                }
                Action::Transfer => orgs
                    .call::<_, serde_json::Value>(
                        &id,
                        "POST",
                        &format!("/orgs/{id}/ownership-transfer"),
                        Some(&OwnershipTransferRequest { user_id }),
                    )
                    .await
                    .map(drop),
            };
            busy.set(false);
            asking.set(None);
            match result {
                Ok(()) => {
                    toasts.success(match action {
                        Action::Remove => Msg::MemberRemoved,
                        Action::Leave => Msg::LeftOrg,
                        Action::Transfer => Msg::OwnershipTransferred,
                    });
                    orgs.reload();
                    if action == Action::Leave {
                        navigate.with_value(|go| go("/account", Default::default()));
                    } else {
                        load();
                    }
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    // Owners and admins give a plain member the authority to sign contracts, or take it back.
    let authorise = move |user_id: String, granted: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = org_id.get_value();
            let path = format!("/orgs/{id}/members/{user_id}/signing-authority");
            let result: Result<Member, Failure> =
                orgs.call(&id, "PUT", &path, Some(&SigningAuthorityRequest { granted })).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(if granted {
                        Msg::SigningAuthorityGranted
                    } else {
                        Msg::SigningAuthorityRevoked
                    });
                    load();
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let actions_for = move |m: &Member| -> Vec<Action> {
        let mine = m.user_id == me.get_value();
        let mut list = Vec::new();
        if mine {
            list.push(Action::Leave);
        } else {
            if my_role == MemberRole::Owner {
                list.push(Action::Transfer);
            }
            if my_role.can_manage() && (m.role != MemberRole::Owner || my_role == MemberRole::Owner) {
                list.push(Action::Remove);
            }
        }
        list
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::Members)}</h2>
            {move || match members.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                    <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="members">
                        {list.into_iter().map(|m| {
                            let actions = actions_for(&m);
                            let uid = StoredValue::new(m.user_id.clone());
                            let role = m.role;
                            let signer = m.signing_authority;
                            let grantable = my_role.can_manage() && role == MemberRole::Member;
                            let asking_here = move || asking.with(|a| a.as_ref().filter(|(u, _)| *u == uid.get_value()).map(|(_, a)| *a));
                            view! {
                                <li class="row member" data-user=m.user_id.clone()>
                                    <div class="row-main">
                                        <strong class="member-name">{m.display_name.clone()}</strong>
                                        <span class="badge">{move || i18n.t(member_role_name(role))}</span>
                                        {signer.then(|| view! { <span class="badge badge-good signing-authority">{move || i18n.t(Msg::MaySign)}</span> })}
                                        <span class="hint">{m.joined_at.format("%Y-%m-%d").to_string()}</span>
                                    </div>
                                    {grantable.then(|| view! {
                                        <button class="button small" type="button" data-action="signing-authority" disabled=move || busy.get()
                                            on:click=move |_| authorise(uid.get_value(), !signer)>
                                            {move || i18n.t(if signer { Msg::RevokeSigningAuthority } else { Msg::GrantSigningAuthority })}
                                        </button>
                                    })}
                                    <div class="row-actions">
                                        {move || match asking_here() {
                                            None => actions.iter().map(|a| {
                                                let a = *a;
                                                view! {
                                                    <button class="button small" class:danger=a != Action::Transfer type="button"
                                                        data-action=match a { Action::Remove => "remove", Action::Leave => "leave", Action::Transfer => "transfer" }
                                                        on:click=move |_| asking.set(Some((uid.get_value(), a)))>
                                                        {move || i18n.t(a.label())}
                                                    </button>
                                                }
                                            }).collect_view().into_any(),
                                            Some(a) => view! {
                                                <span class="confirm-text">{move || i18n.t(a.question())}</span>
                                                <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get()
                                                    on:click=move |_| act(uid.get_value(), a)>{move || i18n.t(Msg::Confirm)}</button>
                                                <button class="button small" type="button" on:click=move |_| asking.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                                            }.into_any(),
                                        }}
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
