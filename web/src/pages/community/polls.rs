//! A group's polls: each with its results as bars (votes per option, share of the voters), the
//! ballot (one option, or several for a multiple-choice poll) until the deadline, and the form
//! for topic hosts and admins to open one (options one a line, anonymous option, deadline).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CastBallotRequest, CreatePollRequest, FieldIssue, GroupRole, Poll, PollPage};

use super::shares::percent;
use super::{badge, form_errors, local_time, may_host, tc, tx};
use crate::datetime;
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error};
use crate::i18n::{CommunityMsg, EngagementMsg, Msg};
use crate::pages::library::TextArea;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The options typed one a line (blank lines dropped, trimmed).
pub(super) fn options_from(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// The polls section of a group page.
#[component]
pub fn PollsSection(group_id: String, role: Option<GroupRole>) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let list = Paged::<Poll>::new();
    let load = move |first: bool| {
        let path = with_query(
            &format!("/groups/{}/polls", gid.get_value()),
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: PollPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    load(true);
    let changed = Callback::new(move |poll: Poll| {
        list.edit(|items| match items.iter_mut().find(|p| p.id == poll.id) {
            Some(slot) => *slot = poll,
            None => items.insert(0, poll),
        });
    });
    view! {
        <ul class="rows" id="polls">
            {move || list.items.get().into_iter().map(|p| view! { <PollCard poll=p member=role.is_some() on_changed=changed/> }).collect_view()}
        </ul>
        <ListFooter state=list.state id="polls" empty=Msg::CommunityMsg(CommunityMsg::PollsEmpty) on_more=Callback::new(move |()| load(false))/>
        {may_host(role).then(|| view! { <PollForm group_id=gid.get_value() on_created=changed/> })}
    }
}

#[component]
fn PollCard(poll: Poll, member: bool, on_changed: Callback<Poll>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let p = poll;
    let pid = StoredValue::new(p.id.clone());
    let chosen = RwSignal::new(Vec::<i32>::new());
    let multiple = p.multiple;
    let busy = RwSignal::new(false);
    let vote = move |_| {
        let choices = chosen.get_untracked();
        if choices.is_empty() {
            toasts.problem(Msg::CommunityMsg(CommunityMsg::ChooseAnOption));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/polls/{}/ballots", pid.get_value());
            let result = session.call::<_, Poll>("POST", &path, Some(&CastBallotRequest { choices })).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::CommunityMsg(CommunityMsg::VoteCast));
                    on_changed.run(updated);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let may_vote = member && !p.voted && !p.closed;
    let mine = p.my_choices.clone().unwrap_or_default();
    let total = p.voters;
    // An open anonymous poll's counts are withheld by the server.
    let hidden = p.results_hidden;
    let rows = p.options.iter().zip(p.counts.iter().copied().chain(std::iter::repeat(0))).enumerate().map(|(i, (option, count))| {
        let index = i32::try_from(i).unwrap_or(0);
        let width = percent(count, total);
        let input_id = format!("poll-{}-option-{i}", p.id);
        let name = format!("poll-{}", p.id);
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            chosen.update(|c| {
                if !multiple {
                    c.clear();
                }
                c.retain(|x| *x != index);
                if on {
                    c.push(index);
                }
            });
        };
        view! {
            <li class="factor poll-option" class:best-mark=mine.contains(&index) data-option=i>
                {if may_vote {
                    view! {
                        <label class="check" for=input_id.clone()>
                            <input type=if multiple { "checkbox" } else { "radio" } id=input_id.clone() name=name.clone() on:change=toggle/>
                            {option.clone()}
                        </label>
                    }.into_any()
                } else {
                    view! { <span>{option.clone()}</span> }.into_any()
                }}
                {(!hidden).then(|| view! {
                    <span class="bar"><span style=format!("width: {width}%")></span></span>
                    <span class="factor-points poll-count">{count}" · "{width}"%"</span>
                })}
            </li>
        }
    }).collect_view();
    view! {
        <li class="review poll" data-poll=p.id.clone()>
            <h3>{p.question.clone()}</h3>
            <p class="badges">
                {badge(if p.multiple { CommunityMsg::MultipleChoice } else { CommunityMsg::SingleChoice }, "")}
                {p.anonymous.then(|| badge(CommunityMsg::Anonymous, ""))}
                {if p.closed { badge(CommunityMsg::PollClosed, "badge-muted").into_any() } else { badge(CommunityMsg::PollOpen, "badge-ok").into_any() }}
                {p.voted.then(|| badge(CommunityMsg::Voted, "badge-ok"))}
                {p.results_hidden.then(|| view! { <span class="muted poll-hidden">{tx(EngagementMsg::ResultsAfterClose)}</span> })}
            </p>
            <ol class="factors poll-results">{rows}</ol>
            <p class="hint">
                <span class="poll-voters">{p.voters}</span>" "{tc(CommunityMsg::VotersUnit)}" · "{tc(CommunityMsg::Deadline)}" "{datetime::minute(p.deadline)}" · "{p.created_by_nickname.clone()}
            </p>
            {may_vote.then(|| view! {
                <button class="button small primary" type="button" data-action="vote" disabled=move || busy.get() on:click=vote>{tc(CommunityMsg::Vote)}</button>
            })}
        </li>
    }
}

#[component]
fn PollForm(group_id: String, on_created: Callback<Poll>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let question = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let multiple = RwSignal::new(false);
    let anonymous = RwSignal::new(false);
    let deadline = RwSignal::new(local_time::input_value(local_time::now() + chrono::Duration::days(7)));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // A deadline box that does not parse is the form's own problem; the rest is the API's
        // check of a new poll.
        let Some(deadline_at) = local_time::parse(&deadline.get_untracked()) else {
            errors.set(FormErrors::local(vec![FieldIssue::new("deadline", "required")]));
            return;
        };
        let request = CreatePollRequest {
            question: question.get_untracked(),
            options: options_from(&options.get_untracked()),
            multiple: multiple.get_untracked(),
            anonymous: anonymous.get_untracked(),
            deadline: deadline_at,
        };
        let valid = match request.check_at(local_time::now()) {
            Ok(valid) => valid,
            Err(invalid) => {
                errors.set(FormErrors::local(invalid.0));
                return;
            }
        };
        let body = CreatePollRequest { question: valid.question, options: valid.options, ..request };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/polls", gid.get_value());
            let result = session.call::<_, Poll>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(poll) => {
                    errors.set(FormErrors::default());
                    question.set(String::new());
                    options.set(String::new());
                    toasts.success(Msg::CommunityMsg(CommunityMsg::PollCreated));
                    on_created.run(poll);
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <form id="poll-form" class="subsection" on:submit=submit novalidate>
            <h2>{tc(CommunityMsg::NewPoll)}</h2>
            <TextField id="poll-question" label=Msg::CommunityMsg(CommunityMsg::PollQuestion) value=question errors=errors field="question"/>
            <TextArea id="poll-options" label=Msg::CommunityMsg(CommunityMsg::PollOptions) value=options errors=errors field="options" rows=4/>
            <p class="hint">{tc(CommunityMsg::PollOptionsHint)}</p>
            <label class="check"><input type="checkbox" id="poll-multiple" on:change=move |ev| multiple.set(event_target_checked(&ev))/>{tc(CommunityMsg::MultipleChoice)}</label>
            <label class="check"><input type="checkbox" id="poll-anonymous" on:change=move |ev| anonymous.set(event_target_checked(&ev))/>{tc(CommunityMsg::AnonymousHint)}</label>
            <label for="poll-deadline">{tc(CommunityMsg::Deadline)}</label>
            <input id="poll-deadline" type="datetime-local" prop:value=deadline on:input=move |ev| deadline.set(event_target_value(&ev))/>
            <FieldError text=field_error(errors, "deadline") id="poll-deadline-error"/>
            <FormError errors=errors id="poll-form-error"/>
            <SubmitButton id="poll-submit" label=Msg::CommunityMsg(CommunityMsg::CreatePoll) busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_one_a_line_with_blank_lines_dropped() {
        assert_eq!(options_from("广联达\n\n  鲁班 \n品茗\n"), vec!["广联达", "鲁班", "品茗"]);
        assert!(options_from(" \n ").is_empty());
    }
}
