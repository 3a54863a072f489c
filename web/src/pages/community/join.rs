//! Joining a group: open groups (and invited people) join at once, approval-only groups take an
//! application with the nickname and the group's questionnaire. The nickname's format and the
//! required answers are checked before sending, by the API's own check against the group; the
//! problems show next to their field.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{
    ApplicationStatus, ApplyToGroupRequest, Group, GroupApplication, GroupRole, JoinPolicy, MemberStatus,
};

use super::{form_errors, tc};
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error};
use crate::i18n::{CommunityMsg, Msg};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The caller's standing and what they can do about it.
#[component]
pub fn JoinPanel(group: Group, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let signed_in = move || session.user.with(Option::is_some);
    let gid = group.id.clone();
    let stored = StoredValue::new(group);
    let standing = move || {
        let g = stored.get_value();
        match g.my_status {
            MemberStatus::Active => view! {
                <div class="notice notice-ok standing" id="group-standing">
                    <span>{tc(CommunityMsg::YouAreMember)}</span>
                    {(g.my_role != Some(GroupRole::Owner)).then(|| view! { <LeaveButton group_id=g.id.clone() reload=reload/> })}
                </div>
            }
            .into_any(),
            MemberStatus::Pending => {
                view! { <p class="notice" id="group-standing">{tc(CommunityMsg::ApplicationWaiting)}</p> }.into_any()
            }
            MemberStatus::Removed => {
                view! { <p class="notice notice-bad" id="group-standing">{tc(CommunityMsg::YouWereRemoved)}</p> }
                    .into_any()
            }
            MemberStatus::Invited => view! { <ApplyForm group=g.clone() reload=reload/> }.into_any(),
            MemberStatus::None | MemberStatus::Left if g.join_policy == JoinPolicy::InviteOnly => {
                view! { <p class="notice" id="group-standing">{tc(CommunityMsg::InvitedOnly)}</p> }.into_any()
            }
            MemberStatus::None | MemberStatus::Left => {
                view! { <ApplyForm group=g.clone() reload=reload/> }.into_any()
            }
        }
    };
    view! {
        <Show when=signed_in fallback=move || view! {
            <p class="hint"><A href=format!("/login?next=/groups/{gid}")>{crate::i18n::tr(Msg::SignIn)}</A>" "{tc(CommunityMsg::SignInToJoin)}</p>
        }>
            {standing}
        </Show>
    }
}

/// "Leave the group", confirmed first (the owner cannot leave).
#[component]
fn LeaveButton(group_id: String, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let path = StoredValue::new(format!("/groups/{group_id}/membership"));
    let confirming = RwSignal::new(false);
    let leave = move |_| {
        leptos::task::spawn_local(async move {
            match session.call::<(), ()>("DELETE", &path.get_value(), None).await {
                Ok(()) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::LeftGroup));
                    reload.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <Show when=move || confirming.get() fallback=move || view! {
            <button class="button small" type="button" id="group-leave" on:click=move |_| confirming.set(true)>{tc(CommunityMsg::LeaveGroup)}</button>
        }>
            <span class="row-actions">
                <span class="confirm-text">{tc(CommunityMsg::LeaveConfirm)}</span>
                <button class="button small danger" type="button" data-action="confirm" on:click=leave>{crate::i18n::tr(Msg::Confirm)}</button>
                <button class="button small" type="button" on:click=move |_| confirming.set(false)>{crate::i18n::tr(Msg::Cancel)}</button>
            </span>
        </Show>
    }
}

/// The nickname and the questionnaire; "join" for open groups, "apply" for approval-only ones.
#[component]
fn ApplyForm(group: Group, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group.id.clone());
    let terms = StoredValue::new((group.nickname_format.clone(), group.questionnaire.clone()));
    let at_once = group.join_policy == JoinPolicy::Open || group.my_status == MemberStatus::Invited;
    let nickname = RwSignal::new(
        session.user.with_untracked(|u| u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default()),
    );
    let answers: Vec<RwSignal<String>> =
        group.questionnaire.iter().map(|_| RwSignal::new(String::new())).collect();
    let answers = StoredValue::new(answers);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let request = ApplyToGroupRequest {
            nickname: nickname.get_untracked(),
            answers: answers.with_value(|a| a.iter().map(|s| s.get_untracked()).collect()),
        };
        let checked = terms.with_value(|(format, questions)| request.check_for(format.as_deref(), questions));
        let body = match checked {
            Ok(valid) => ApplyToGroupRequest { nickname: valid.nickname, answers: valid.answers },
            Err(invalid) => {
                errors.set(FormErrors::local(invalid.0));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/applications", gid.get_value());
            let result = session.call::<_, GroupApplication>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(application) => {
                    errors.set(FormErrors::default());
                    toasts.success(Msg::CommunityMsg(if application.status == ApplicationStatus::Approved {
                        CommunityMsg::Joined
                    } else {
                        CommunityMsg::Applied
                    }));
                    reload.run(());
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    let questions = group.questionnaire.iter().enumerate().map(|(i, q)| {
        let value = answers.with_value(|a| a[i]);
        let id = format!("apply-answer-{i}");
        let field = format!("answers[{i}]");
        view! {
            <label for=id.clone()>{q.question.clone()}{q.required.then_some(" *")}</label>
            <input id=id.clone() name=field.clone() prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, field) id=format!("{id}-error")/>
        }
    });
    let hint = group.nickname_format.clone();
    view! {
        <form id="apply-form" class="inline-form" on:submit=submit novalidate>
            <h2>{tc(if at_once { CommunityMsg::JoinGroup } else { CommunityMsg::ApplyToJoin })}</h2>
            <TextField id="apply-nickname" label=Msg::CommunityMsg(CommunityMsg::Nickname) value=nickname errors=errors field="nickname"/>
            {hint.map(|format| view! { <p class="hint" id="apply-nickname-format">{tc(CommunityMsg::NicknameMustFollow)}" "{format}</p> })}
            {questions.collect_view()}
            <FormError errors=errors id="apply-form-error"/>
            <SubmitButton id="apply-submit" label=Msg::CommunityMsg(if at_once { CommunityMsg::JoinGroup } else { CommunityMsg::SubmitApplication }) busy=busy/>
        </form>
    }
}
