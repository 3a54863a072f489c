//! The contract page's defect claims (质保期缺陷索赔): the warranty's last day, the claims oldest
//! first (status, description, when raised and closed, the close note); for the payer during the
//! warranty a form to raise one, and on an open claim a form to close it as remedied. An open
//! claim holds the retention; both forms run the shared checks ([`DefectClaimInput`],
//! [`DefectClaimCloseInput`]) before sending, and whether the warranty runs is the API's own rule
//! ([`may_claim`]) read with today's Shanghai date.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::domain::contract::closing::{ClaimRefusal, may_claim};
use shared::dto::{DefectClaimCloseInput, DefectClaimInput, DefectClaimState, DefectClaimView, PartyRole};
use shared::validate::Check;

use super::escrow::wt;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Lang, Msg, WorkspaceMsg, issue_text, tr, use_i18n};
use crate::toast::use_toasts;

/// Where the warranty stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Warranty {
    /// Before the last acceptance.
    NotStarted,
    /// Claims may be raised until the day before this last day.
    Running(NaiveDate),
    /// Over on this day: no new claims.
    Ended(NaiveDate),
}

/// The warranty on `today`, by the rule the API applies to a new claim.
fn warranty_on(ends_on: Option<NaiveDate>, today: NaiveDate) -> Warranty {
    match (may_claim(true, ends_on, today), ends_on) {
        (Ok(()), Some(end)) => Warranty::Running(end),
        (Err(ClaimRefusal::WarrantyEnded), Some(end)) => Warranty::Ended(end),
        _ => Warranty::NotStarted,
    }
}

/// The text of a problem with a claim's description or close note (2–2000 characters both).
fn claim_text_issue(lang: Lang, issue: &str) -> String {
    match (issue, lang) {
        ("too_short" | "too_long", Lang::Zh) => "长度须为 2–2000 个字符".to_owned(),
        ("too_short" | "too_long", Lang::En) => "must be 2–2000 characters".to_owned(),
        _ => issue_text(lang, issue),
    }
}

/// The errors of a claim's text field (reactive).
fn text_error(
    errors: RwSignal<FormErrors>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || {
        let lang = i18n.0.get();
        errors.with(|e| {
            let texts: Vec<String> = e
                .fields
                .iter()
                .filter(|i| i.field == field)
                .map(|i| claim_text_issue(lang, &i.issue))
                .collect();
            (!texts.is_empty()).then(|| texts.join("；"))
        })
    }
}

/// A claim state's name and badge class.
fn claim_badge(state: DefectClaimState) -> (WorkspaceMsg, &'static str) {
    match state {
        DefectClaimState::Open => (WorkspaceMsg::ClaimOpen, "badge-warn"),
        DefectClaimState::Remedied => (WorkspaceMsg::ClaimRemedied, "badge-ok"),
    }
}

/// The defect claims section. `warranty` comes from the escrow (`None` until it is read);
/// closing a claim moves `money_moved`, as the retention may release.
#[component]
pub fn DefectClaimsSection(
    contract_id: String,
    my_role: Option<PartyRole>,
    warranty: RwSignal<Option<Option<NaiveDate>>>,
    money_moved: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let claims = RwSignal::new(None::<Vec<DefectClaimView>>);
    let failed = RwSignal::new(None::<Failure>);
    let reload = RwSignal::new(0_u32);
    // The claim whose close form is open (one at a time).
    let closing = RwSignal::new(None::<String>);
    let path = StoredValue::new(format!("/contracts/{contract_id}/defect-claims"));
    let payer = my_role == Some(PartyRole::Payer);
    Effect::new(move |_| {
        let _ = (reload.get(), orgs.acting());
        leptos::task::spawn_local(async move {
            match orgs.call_acting::<(), Vec<DefectClaimView>>("GET", &path.get_value(), None).await {
                Ok(list) => {
                    let _ = claims.try_set(Some(list));
                    let _ = failed.try_set(None);
                }
                Err(failure) => {
                    let _ = failed.try_set(Some(failure));
                }
            }
        });
    });
    let phase = move || warranty.get().map(|ends_on| warranty_on(ends_on, datetime::today()));
    let changed = Callback::new(move |closed: bool| {
        closing.set(None);
        reload.update(|r| *r += 1);
        if closed {
            money_moved.update(|m| *m += 1);
        }
    });
    view! {
        <section class="card" id="defect-claims">
            <h2>{wt(WorkspaceMsg::DefectClaims)}</h2>
            <p class="hint">{wt(WorkspaceMsg::DefectClaimsIntro)}</p>
            {move || phase().map(|p| match p {
                Warranty::NotStarted => view! {
                    <p class="notice" id="claims-warranty-not-started">{wt(WorkspaceMsg::WarrantyNotStarted)}</p>
                }.into_any(),
                Warranty::Running(end) | Warranty::Ended(end) => view! {
                    <dl class="facts">
                        <dt>{wt(WorkspaceMsg::WarrantyEndsOn)}</dt><dd id="claims-warranty-ends">{end.to_string()}</dd>
                    </dl>
                }.into_any(),
            })}
            {move || matches!(phase(), Some(Warranty::Ended(_))).then(|| view! {
                <p class="notice" id="claims-warranty-over">{wt(WorkspaceMsg::WarrantyOver)}</p>
            })}
            {move || failed.get().map(|f| view! {
                <p class="form-error" role="alert" id="defect-claims-error">{move || failure_text(i18n.0.get(), &f)}</p>
            })}
            {move || match claims.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="empty" id="defect-claims-empty">{wt(WorkspaceMsg::NoDefectClaims)}</p>
                }.into_any(),
                Some(list) => view! {
                    <ol class="rows" id="defect-claim-list">
                        {list.into_iter().map(|claim| view! {
                            <ClaimRow claim=claim payer=payer closing=closing changed=changed path=path.get_value()/>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || (payer && matches!(phase(), Some(Warranty::Running(_)))).then(|| view! {
                <RaiseForm path=path.get_value() changed=changed/>
            })}
        </section>
    }
}

/// One claim; for the payer on an open claim the button (and form) to close it as remedied.
#[component]
fn ClaimRow(
    claim: DefectClaimView,
    payer: bool,
    closing: RwSignal<Option<String>>,
    changed: Callback<bool>,
    path: String,
) -> impl IntoView {
    let c = claim;
    let open = c.status == DefectClaimState::Open;
    let (msg, class) = claim_badge(c.status);
    let id = StoredValue::new(c.id.clone());
    let close_path = format!("{path}/{}/closure", c.id);
    let this_one = move || closing.with(|o| id.with_value(|id| o.as_ref() == Some(id)));
    view! {
        <li class="row item defect-claim" data-claim=c.id.clone() data-status=c.status.as_str()>
            <div class="item-main">
                <span class=format!("badge defect-claim-status {class}")>{wt(msg)}</span>
                {open.then(|| view! { " "<span class="badge badge-muted">{wt(WorkspaceMsg::ClaimHoldsRetention)}</span> })}
                <p class="prose defect-claim-description">{c.description.clone()}</p>
                <dl class="facts">
                    <dt>{wt(WorkspaceMsg::RaisedAt)}</dt><dd class="defect-claim-raised">{datetime::minute(c.raised_at)}</dd>
                    {c.closed_at.map(|at| view! {
                        <dt>{wt(WorkspaceMsg::ClosedAt)}</dt><dd class="defect-claim-closed">{datetime::minute(at)}</dd>
                    })}
                    {c.close_note.clone().map(|note| view! {
                        <dt>{wt(WorkspaceMsg::RemedyNote)}</dt><dd class="prose defect-claim-note">{note}</dd>
                    })}
                </dl>
                {(payer && open).then(|| view! {
                    <Show when=move || !this_one()>
                        <button class="button defect-claim-close" type="button"
                            on:click=move |_| closing.set(Some(id.get_value()))>
                            {wt(WorkspaceMsg::CloseAsRemedied)}
                        </button>
                    </Show>
                    <Show when=this_one>
                        <CloseForm path=close_path.clone() changed=changed cancel=Callback::new(move |()| closing.set(None))/>
                    </Show>
                })}
            </div>
        </li>
    }
}

/// The payer raises a claim: what is wrong.
#[component]
fn RaiseForm(path: String, changed: Callback<bool>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let description = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = DefectClaimInput { description: description.get_untracked() };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, DefectClaimView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::ClaimRaised));
                    description.set(String::new());
                    changed.run(false);
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="claim-form" class="stack-form" on:submit=submit novalidate>
            <h3>{wt(WorkspaceMsg::RaiseClaim)}</h3>
            <label for="claim-description">{wt(WorkspaceMsg::ClaimDescription)}</label>
            <textarea id="claim-description" maxlength="2000" prop:value=description
                on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            <FieldError text=text_error(errors, "description") id="claim-description-error"/>
            <FieldError text=field_error(errors, "claim") id="claim-refused"/>
            <FormError errors=errors id="claim-form-error"/>
            <SubmitButton id="claim-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::RaiseClaim) busy=busy/>
        </form>
    }
}

/// The payer closes an open claim as remedied, with a note.
#[component]
fn CloseForm(path: String, changed: Callback<bool>, cancel: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = DefectClaimCloseInput { note: note.get_untracked() };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, DefectClaimView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::ClaimClosed));
                    changed.run(true);
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="claim-close-form" class="stack-form" on:submit=submit novalidate>
            <label for="claim-close-note">{wt(WorkspaceMsg::CloseNote)}</label>
            <textarea id="claim-close-note" maxlength="2000" prop:value=note
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            <FieldError text=text_error(errors, "note") id="claim-close-note-error"/>
            <FieldError text=field_error(errors, "status") id="claim-close-status-error"/>
            <FieldError text=field_error(errors, "claim") id="claim-close-refused"/>
            <FormError errors=errors id="claim-close-error"/>
            <div class="row-actions">
                <SubmitButton id="claim-close-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::CloseAsRemedied) busy=busy/>
                <button class="button" type="button" id="claim-close-cancel" on:click=move |_| cancel.run(())>{tr(Msg::Cancel)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn claims_may_be_raised_from_the_last_acceptance_until_the_warranty_ends() {
        assert_eq!(warranty_on(None, d("2026-12-07")), Warranty::NotStarted);
        let end = Some(d("2028-12-07"));
        assert_eq!(warranty_on(end, d("2026-12-07")), Warranty::Running(d("2028-12-07")));
        assert_eq!(warranty_on(end, d("2028-12-06")), Warranty::Running(d("2028-12-07")));
        // On its last day the API refuses a new claim: it has ended.
        assert_eq!(warranty_on(end, d("2028-12-07")), Warranty::Ended(d("2028-12-07")));
    }

    #[test]
    fn an_empty_or_one_character_description_is_refused_before_sending() {
        let issues = before_sending(Vec::new(), DefectClaimInput { description: " 漏 ".into() }.check());
        assert_eq!((issues[0].field.as_str(), issues[0].issue.as_str()), ("description", "too_short"));
        let issues = before_sending(Vec::new(), DefectClaimCloseInput { note: String::new() }.check());
        assert_eq!((issues[0].field.as_str(), issues[0].issue.as_str()), ("note", "required"));
        assert!(DefectClaimCloseInput { note: "已更换密封条".into() }.check().is_ok());
    }

    #[test]
    fn a_claim_text_that_is_too_short_or_too_long_names_the_limits() {
        assert_eq!(claim_text_issue(Lang::Zh, "too_long"), "长度须为 2–2000 个字符");
        assert_eq!(claim_text_issue(Lang::En, "too_short"), "must be 2–2000 characters");
        assert_eq!(claim_text_issue(Lang::Zh, "required"), "必填");
    }

    #[test]
    fn an_open_claim_is_a_warning_and_a_remedied_one_is_done() {
        assert_eq!(claim_badge(DefectClaimState::Open), (WorkspaceMsg::ClaimOpen, "badge-warn"));
        assert_eq!(claim_badge(DefectClaimState::Remedied), (WorkspaceMsg::ClaimRemedied, "badge-ok"));
    }
}
