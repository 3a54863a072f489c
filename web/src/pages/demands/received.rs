//! Invitations the active organisation received (`/demand-invitations`): why it was
//! recommended, and its answer — interested or declined, with an optional note to the poster
//! (an answer is final). New invitations appear live.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{
    AnswerDemandInvitationRequest, DemandInvitation, DemandInvitationPage, InvitationAnswer, NotificationKind,
};
use shared::validate::Check;

use super::answer_class;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{FormError, FormErrors};
use crate::i18n::{Msg, answer_name, pick, tr, use_i18n};
use crate::notices::news;
use crate::pages::library::{badge, optional};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The received-invitations page.
#[component]
pub fn ReceivedInvitationsPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let orgs = use_active_org();
    let invited = news(|n| n.kind == NotificationKind::DemandInvitation);
    let list = Paged::<DemandInvitation>::new();
    let load = move |first: bool| {
        let Some(org) = orgs.acting_untracked() else { return };
        let path = with_query(
            "/demand-invitations",
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: DemandInvitationPage = orgs.call(&org, "GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        // `get`, not `track`: a memo never read would never subscribe to the notifications.
        let _ = invited.get();
        if session.token.with(Option::is_some) {
            let _ = orgs.acting();
            load(true);
        }
    });
    let answered = move |inv: DemandInvitation| {
        list.edit(|items| {
            if let Some(slot) = items.iter_mut().find(|i| i.id == inv.id) {
                *slot = inv;
            }
        });
    };
    view! {
        <section class="card">
            <h1 id="received-title">{tr(Msg::ReceivedInvitations)}</h1>
            <p class="hint">{tr(Msg::ReceivedInvitationsIntro)}</p>
            <Show when=move || orgs.acting().is_some() fallback=|| view! { <p class="notice">{tr(Msg::NeedActiveOrg)}</p> }>
                <ul class="rows" id="received-invitations">
                    <For each=move || list.items.get() key=|i| (i.id.clone(), i.answer) let:inv>
                        <ReceivedRow invitation=inv on_answered=answered/>
                    </For>
                </ul>
                <ListFooter state=list.state id="received-invitations" empty=Msg::NoDemandInvitations on_more=Callback::new(move |()| load(false))/>
            </Show>
        </section>
    }
}

#[component]
fn ReceivedRow(
    invitation: DemandInvitation,
    on_answered: impl Fn(DemandInvitation) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let inv = invitation;
    let id = StoredValue::new(inv.id.clone());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let answer = move |choice: InvitationAnswer| {
        let body = AnswerDemandInvitationRequest { answer: choice, note: optional(&note.get_untracked()) };
        if let Err(invalid) = body.check() {
            errors.set(FormErrors::local(invalid.0));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/demand-invitations/{}/answer", id.get_value());
            let result = orgs.call_acting::<_, DemandInvitation>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::AnswerSent);
                    on_answered(updated);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let note_id = format!("note-{}", inv.id);
    let i18n = use_i18n();
    let (reason, reason_en) = (inv.reason.clone(), inv.reason_en.clone());
    view! {
        <li class="received" data-invitation=inv.id.clone()>
            <div class="row-main">
                <A href=format!("/demands/{}", inv.demand_id) attr:class="item-title">{inv.demand_title.clone()}</A>
                {badge(answer_name(inv.answer), answer_class(inv.answer))}
            </div>
            <p class="hint">{inv.poster_org_name.clone()}" · #"{inv.rank}" · "{datetime::minute(inv.created_at)}</p>
            <p class="reason">{move || pick(i18n.0.get(), &reason, &reason_en)}</p>
            {match inv.answer {
                InvitationAnswer::Pending => view! {
                    <div class="inline-form">
                        <label for=note_id.clone()>{tr(Msg::NoteToPoster)}</label>
                        <textarea id=note_id rows="2" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        <FormError errors=errors id=format!("answer-error-{}", id.get_value())/>
                        <div class="row-actions">
                            <button class="button small primary" type="button" data-action="interested" disabled=move || busy.get()
                                on:click=move |_| answer(InvitationAnswer::Interested)>{tr(Msg::Interested)}</button>
                            <button class="button small" type="button" data-action="declined" disabled=move || busy.get()
                                on:click=move |_| answer(InvitationAnswer::Declined)>{tr(Msg::DeclineInvitation)}</button>
                        </div>
                    </div>
                }.into_any(),
                _ => view! { {inv.note.clone().map(|n| view! { <p class="response-note">{n}</p> })} }.into_any(),
            }}
        </li>
    }
}
