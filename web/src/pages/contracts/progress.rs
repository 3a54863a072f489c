//! The contract page's progress log (进度跟踪): the schedule figures the API computes, the
//! performer's form (date, work done, percent, issues, photos uploaded through `POST /files`) —
//! also to revise a log whose changes were requested —, and the logs, newest first, with their
//! photos and what the photos' EXIF says (capture time, GPS; the parties see it), the payer's
//! review (approve, or request changes with a comment).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{
    FieldIssue, PartyRole, ProgressDecision, ProgressLogInput, ProgressLogPage, ProgressLogView,
    ProgressPhotoView, ProgressReviewInput, ProgressScheduleView, ProgressState,
};
use shared::validate::Check;

use super::escrow::wt;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Msg, WorkspaceMsg, tr, use_i18n};
use crate::pages::library::attachments::{Attachment, AttachmentsField};
use crate::session::use_session;
use crate::stored_file::{LoadedFile, load, release_on_cleanup};
use crate::toast::use_toasts;

/// A log state's name and badge class.
fn state_badge(state: ProgressState) -> (WorkspaceMsg, &'static str) {
    match state {
        ProgressState::Submitted => (WorkspaceMsg::StateSubmitted, "badge-warn"),
        ProgressState::Approved => (WorkspaceMsg::StateApproved, "badge-ok"),
        ProgressState::ChangesRequested => (WorkspaceMsg::StateChangesRequested, "badge-bad"),
    }
}

/// A position as `30.27415° N, 120.15515° E`.
fn position(latitude: f64, longitude: f64) -> String {
    let ns = if latitude < 0.0 { "S" } else { "N" };
    let ew = if longitude < 0.0 { "W" } else { "E" };
    format!("{:.5}° {ns}, {:.5}° {ew}", latitude.abs(), longitude.abs())
}

/// The progress log section; `schedule` is shared with the timeline.
#[component]
pub fn ProgressSection(
    contract_id: String,
    my_role: Option<PartyRole>,
    in_force: bool,
    schedule: RwSignal<Option<ProgressScheduleView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let logs = RwSignal::new(None::<Result<Vec<ProgressLogView>, Failure>>);
    let reload = RwSignal::new(0_u32);
    // The log being revised (its changes were requested).
    let revises = RwSignal::new(None::<String>);
    let id = StoredValue::new(contract_id);
    Effect::new(move |_| {
        let _ = reload.get();
        let path = format!("/contracts/{}/progress-logs?limit=50", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call_acting::<(), ProgressLogPage>("GET", &path, None).await;
            if let Ok(page) = &result {
                let _ = schedule.try_set(Some(page.schedule.clone()));
            }
            let _ = logs.try_set(Some(result.map(|p| p.items)));
        });
    });
    let performer = in_force && my_role == Some(PartyRole::Performer);
    let payer = my_role == Some(PartyRole::Payer);
    let changed = Callback::new(move |()| {
        revises.set(None);
        reload.update(|r| *r += 1);
    });
    view! {
        <section class="card" id="contract-progress">
            <h2>{wt(WorkspaceMsg::ProgressLog)}</h2>
            <p class="hint">{wt(WorkspaceMsg::ProgressIntro)}</p>
            {performer.then(|| view! { <LogForm contract_id=id.get_value() schedule=schedule revises=revises posted=changed/> })}
            {move || match logs.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert" id="progress-error">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="progress-empty">{wt(WorkspaceMsg::NoLogs)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="progress-logs">
                        {list.into_iter().map(|log| view! {
                            <LogRow contract_id=id.get_value() log=log payer=payer performer=performer revises=revises reviewed=changed/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// The performer's form: a new log, or the revision of `revises`.
#[component]
fn LogForm(
    contract_id: String,
    schedule: RwSignal<Option<ProgressScheduleView>>,
    revises: RwSignal<Option<String>>,
    posted: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let date = RwSignal::new(String::new());
    let work_done = RwSignal::new(String::new());
    let percent = RwSignal::new(String::new());
    let issues = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<Attachment>::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/contracts/{contract_id}/progress-logs"));
    // The date defaults to the server's business date.
    Effect::new(move |_| {
        if let Some(s) = schedule.get()
            && date.get_untracked().is_empty()
        {
            date.set(s.today.to_string());
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let day = date.get_untracked().parse::<chrono::NaiveDate>().ok();
        if day.is_none() {
            parsed.push(FieldIssue { field: "date".into(), issue: "invalid".into() });
        }
        let typed = percent.get_untracked();
        let pct = typed.trim().parse::<i64>().ok();
        if pct.is_none() {
            parsed.push(FieldIssue { field: "percent".into(), issue: "out_of_range".into() });
        }
        let issues_text = issues.get_untracked();
        let body = ProgressLogInput {
            date: day.unwrap_or_default(),
            work_done: work_done.get_untracked(),
            percent: pct.unwrap_or(0),
            issues: (!issues_text.trim().is_empty()).then_some(issues_text),
            photos: photos.get_untracked().into_iter().map(|p| p.sha256).collect(),
            revises: revises.get_untracked(),
        };
        let problems = before_sending(parsed, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, ProgressLogView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::LogPosted));
                    work_done.set(String::new());
                    percent.set(String::new());
                    issues.set(String::new());
                    photos.set(Vec::new());
                    posted.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="progress-form" class="stack-form" on:submit=submit novalidate>
            <h3>
                {wt(WorkspaceMsg::PostLog)}
                <Show when=move || revises.with(Option::is_some)>
                    " · "<span class="badge badge-warn" id="progress-revising">{wt(WorkspaceMsg::Revise)}</span>
                </Show>
            </h3>
            <label for="progress-date">{wt(WorkspaceMsg::Date)}</label>
            <input id="progress-date" type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, "date") id="progress-date-error"/>
            <label for="progress-work">{wt(WorkspaceMsg::WorkDone)}</label>
            <textarea id="progress-work" maxlength="2000" prop:value=work_done on:input=move |ev| work_done.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "work_done") id="progress-work-error"/>
            <label for="progress-percent">{wt(WorkspaceMsg::PercentDone)}</label>
            <input id="progress-percent" type="number" min="0" max="100" inputmode="numeric" prop:value=percent
                on:input=move |ev| percent.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, "percent") id="progress-percent-error"/>
            <label for="progress-issues">{wt(WorkspaceMsg::Issues)}</label>
            <textarea id="progress-issues" maxlength="2000" prop:value=issues on:input=move |ev| issues.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "issues") id="progress-issues-error"/>
            <AttachmentsField id="progress-photos" label=Msg::WorkspaceMsg(WorkspaceMsg::Photos) value=photos errors=errors field="photos"
                accept=".jpg,.jpeg,.png,.webp" hint=Msg::WorkspaceMsg(WorkspaceMsg::PhotosHint)/>
            <FormError errors=errors id="progress-form-error"/>
            <div class="row-actions">
                <SubmitButton id="progress-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::Post) busy=busy/>
                <Show when=move || revises.with(Option::is_some)>
                    <button class="button" type="button" id="progress-revise-cancel" on:click=move |_| revises.set(None)>{tr(Msg::Cancel)}</button>
                </Show>
            </div>
        </form>
    }
}

/// One log with its photos, review, and the review or revise actions.
#[component]
fn LogRow(
    contract_id: String,
    log: ProgressLogView,
    payer: bool,
    performer: bool,
    revises: RwSignal<Option<String>>,
    reviewed: Callback<()>,
) -> impl IntoView {
    let l = log;
    let (msg, class) = state_badge(l.status);
    let may_review = payer && l.status == ProgressState::Submitted;
    let may_revise = performer && l.status == ProgressState::ChangesRequested && l.revised_by.is_none();
    let log_id = StoredValue::new(l.id.clone());
    view! {
        <li class="row item progress-log" data-log=l.id.clone()>
            <div class="item-main">
                <strong>{l.date.to_string()}</strong>" · "<span class="progress-percent">{l.percent}" %"</span>
                " "<span class=format!("badge progress-state {class}")>{wt(msg)}</span>
                {l.revises.is_some().then(|| view! { " "<span class="badge badge-muted">{wt(WorkspaceMsg::RevisesLog)}</span> })}
                <p class="prose progress-work">{l.work_done.clone()}</p>
                {l.issues.clone().map(|i| view! { <p class="notice progress-issues">{i}</p> })}
                <p class="hint">{l.posted_by_name.clone()}" · "{datetime::minute(l.posted_at)}</p>
                {(!l.photos.is_empty()).then(|| view! {
                    <ul class="plain photo-grid progress-photos">
                        {l.photos.iter().cloned().map(|p| view! { <Photo photo=p/> }).collect_view()}
                    </ul>
                })}
                {l.review.clone().map(|r| view! {
                    <p class="progress-review">
                        {wt(WorkspaceMsg::ReviewBy)}" "{r.reviewer_name}" · "{datetime::minute(r.reviewed_at)}
                        {r.comment.map(|c| view! { <br/><span class="progress-review-comment">{c}</span> })}
                    </p>
                })}
                {may_review.then(|| view! { <ReviewForm contract_id=contract_id.clone() log_id=log_id.get_value() reviewed=reviewed/> })}
                {may_revise.then(|| view! {
                    <button class="button small progress-revise" type="button"
                        on:click=move |_| revises.set(Some(log_id.get_value()))>{wt(WorkspaceMsg::Revise)}</button>
                })}
            </div>
        </li>
    }
}

/// A log's photo, loaded with the bearer token, with its capture time and place.
#[component]
fn Photo(photo: ProgressPhotoView) -> impl IntoView {
    let session = use_session();
    let file = RwSignal::new(None::<LoadedFile>);
    release_on_cleanup(file);
    let sha = photo.sha256.clone();
    leptos::task::spawn_local(async move {
        if let Ok(loaded) = load(session, &sha).await {
            let _ = file.try_set(Some(loaded));
        }
    });
    let taken = photo.captured_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
    let place = photo.latitude.zip(photo.longitude).map(|(lat, lon)| position(lat, lon));
    let none = taken.is_none() && place.is_none();
    view! {
        <li class="photo" data-photo=photo.sha256.clone()>
            {move || file.get().map(|f| view! { <img class="photo-thumb" src=f.url alt=""/> })}
            <dl class="facts photo-exif">
                {taken.map(|t| view! { <dt>{wt(WorkspaceMsg::CapturedAt)}</dt><dd class="photo-taken">{t}</dd> })}
                {place.map(|p| view! { <dt>{wt(WorkspaceMsg::Location)}</dt><dd class="photo-place">{p}</dd> })}
            </dl>
            {none.then(|| view! { <p class="hint">{wt(WorkspaceMsg::NoExif)}</p> })}
        </li>
    }
}

/// The payer's review: approve, or request changes with a comment.
#[component]
fn ReviewForm(contract_id: String, log_id: String, reviewed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let comment = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/contracts/{contract_id}/progress-logs/{log_id}/review"));
    let send = move |decision: ProgressDecision| {
        let typed = comment.get_untracked();
        let body = ProgressReviewInput { decision, comment: (!typed.trim().is_empty()).then_some(typed) };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<_, ProgressLogView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::Reviewed));
                    reviewed.run(());
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <div class="progress-review-form">
            <label for=format!("review-{log_id}")>{wt(WorkspaceMsg::Comment)}</label>
            <textarea id=format!("review-{log_id}") class="review-comment" maxlength="1000" prop:value=comment
                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "comment") id=format!("review-{log_id}-error")/>
            <FormError errors=errors id=format!("review-{log_id}-form-error")/>
            <div class="row-actions">
                <button class="button primary small review-approve" type="button" disabled=move || busy.get()
                    on:click=move |_| send(ProgressDecision::Approve)>{wt(WorkspaceMsg::Approve)}</button>
                <button class="button small review-changes" type="button" disabled=move || busy.get()
                    on:click=move |_| send(ProgressDecision::RequestChanges)>{wt(WorkspaceMsg::RequestChanges)}</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_names_its_hemispheres() {
        assert_eq!(position(30.274_15, 120.155_15), "30.27415° N, 120.15515° E");
        assert_eq!(position(-33.5, -70.25), "33.50000° S, 70.25000° W");
    }
}
