//! A group's surveys (always anonymous): each with its questions answered once by members before
//! the deadline, and its results — bars for choice questions, the answers for text ones — once
//! it has closed (for everyone: earlier results would tell what a known person answered).
//! Admins get the form to create one.

use leptos::prelude::*;
use shared::dto::{
    GroupRole, Survey, SurveyAnswer, SurveyPage, SurveyQuestionKind, SurveyResponseRequest, SurveyResults,
};

use super::shares::percent;
use super::survey_form::SurveyForm;
use super::{Loaded, badge, failure_line, is_admin, load_into, tc, tx};
use crate::datetime;
use crate::i18n::{CommunityMsg, EngagementMsg, Msg};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::use_toasts;

/// An answer as the API takes it: the choices of a choice question, the text of a text one.
fn answer_of(kind: SurveyQuestionKind, choices: Vec<i32>, text: &str) -> SurveyAnswer {
    match kind {
        SurveyQuestionKind::Text => SurveyAnswer { choices: Vec::new(), text: Some(text.trim().to_owned()) },
        _ => SurveyAnswer { choices, text: None },
    }
}

/// The surveys section of a group page.
#[component]
pub fn SurveysSection(group_id: String, role: Option<GroupRole>) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let list = Paged::<Survey>::new();
    let load = move |first: bool| {
        let path = with_query(
            &format!("/groups/{}/surveys", gid.get_value()),
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: SurveyPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    load(true);
    let admin = is_admin(role);
    let changed = Callback::new(move |s: Survey| {
        list.edit(|items| match items.iter_mut().find(|x| x.id == s.id) {
            Some(slot) => *slot = s,
            None => items.insert(0, s),
        });
    });
    view! {
        <ul class="rows" id="surveys">
            {move || list.items.get().into_iter().map(|s| view! { <SurveyCard survey=s member=role.is_some() on_changed=changed/> }).collect_view()}
        </ul>
        <ListFooter state=list.state id="surveys" empty=Msg::EngagementMsg(EngagementMsg::SurveysEmpty) on_more=Callback::new(move |()| load(false))/>
        {admin.then(|| view! { <SurveyForm group_id=gid.get_value() on_created=changed/> })}
    }
}

#[component]
fn SurveyCard(survey: Survey, member: bool, on_changed: Callback<Survey>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let s = survey;
    let sid = StoredValue::new(s.id.clone());
    let results: Loaded<SurveyResults> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let may_answer = member && !s.responded && !s.closed;
    let answers: Vec<(SurveyQuestionKind, RwSignal<Vec<i32>>, RwSignal<String>)> = s
        .questions
        .iter()
        .map(|q| (q.kind, RwSignal::new(Vec::new()), RwSignal::new(String::new())))
        .collect();
    let held = StoredValue::new(answers.clone());
    let send = move |_| {
        let request = SurveyResponseRequest {
            answers: held.with_value(|a| {
                a.iter().map(|(k, c, t)| answer_of(*k, c.get_untracked(), &t.get_untracked())).collect()
            }),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/surveys/{}/responses", sid.get_value());
            let result = session.call::<_, Survey>("POST", &path, Some(&request)).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::EngagementMsg(EngagementMsg::SurveyAnswered));
                    on_changed.run(updated);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let questions = s.questions.iter().zip(answers).enumerate().map(|(i, (q, (kind, chosen, text)))| {
        let name = format!("survey-{}-q{i}", s.id);
        let inputs = if !may_answer {
            ().into_any()
        } else if kind == SurveyQuestionKind::Text {
            view! { <textarea class="survey-text" rows=2 prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea> }.into_any()
        } else {
            let multiple = kind == SurveyQuestionKind::MultipleChoice;
            q.options.iter().enumerate().map(|(o, option)| {
                let index = i32::try_from(o).unwrap_or(0);
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
                    <label class="check"><input type=if multiple { "checkbox" } else { "radio" } name=name.clone() data-option=o on:change=toggle/>{option.clone()}</label>
                }
            }).collect_view().into_any()
        };
        view! { <li class="survey-q" data-question=i><p>{q.question.clone()}</p>{inputs}</li> }
    }).collect_view();
    view! {
        <li class="review survey" data-survey=s.id.clone()>
            <h3>{s.title.clone()}</h3>
            <p class="badges">
                {badge(CommunityMsg::Anonymous, "")}
                {if s.closed { badge(CommunityMsg::PollClosed, "badge-muted").into_any() } else { badge(CommunityMsg::PollOpen, "badge-ok").into_any() }}
                {s.responded.then(|| view! { <span class="badge badge-ok">{tx(EngagementMsg::Answered)}</span> })}
            </p>
            {(!s.description.is_empty()).then(|| view! { <p class="prose">{s.description.clone()}</p> })}
            <ol class="plain">{questions}</ol>
            <p class="hint"><span class="survey-responses">{s.responses}</span>" "{tx(EngagementMsg::Responses)}" · "{tc(CommunityMsg::Deadline)}" "{datetime::minute(s.deadline)}</p>
            {may_answer.then(|| view! {
                <button class="button small primary" type="button" data-action="answer" disabled=move || busy.get() on:click=send>{tx(EngagementMsg::SubmitAnswers)}</button>
            })}
            {s.closed.then(|| view! {
                <button class="button small" type="button" data-action="results"
                    on:click=move |_| load_into(session, results, format!("/surveys/{}/results", sid.get_value()))>{tx(EngagementMsg::Results)}</button>
            })}
            {move || results.get().map(|r| match r {
                Err(failure) => failure_line(failure).into_any(),
                Ok(r) => result_view(r).into_any(),
            })}
        </li>
    }
}

fn result_view(r: SurveyResults) -> impl IntoView {
    let total = r.survey.responses;
    let rows = r.questions.into_iter().map(|q| {
        let body = if q.kind == SurveyQuestionKind::Text {
            view! { <ul class="plain survey-texts">{q.texts.into_iter().map(|t| view! { <li class="prose">{t}</li> }).collect_view()}</ul> }.into_any()
        } else {
            view! {
                <ol class="factors poll-results">
                    {q.options.into_iter().zip(q.counts.into_iter().chain(std::iter::repeat(0))).map(|(o, c)| {
                        let width = percent(c, total);
                        view! {
                            <li class="factor"><span>{o}</span><span class="bar"><span style=format!("width: {width}%")></span></span>
                                <span class="factor-points survey-count">{c}" · "{width}"%"</span></li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        };
        view! { <li><p><strong>{q.question}</strong></p>{body}</li> }
    }).collect_view();
    view! { <ol class="plain survey-results">{rows}</ol> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_answer_carries_its_trimmed_text_and_a_choice_answer_its_choices() {
        let t = answer_of(SurveyQuestionKind::Text, vec![1], " 多办线下活动 ");
        assert_eq!((t.choices, t.text.as_deref()), (vec![], Some("多办线下活动")));
        let c = answer_of(SurveyQuestionKind::MultipleChoice, vec![0, 2], "x");
        assert_eq!((c.choices, c.text), (vec![0, 2], None));
    }
}
