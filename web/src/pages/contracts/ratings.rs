//! The contract page's ratings (互评): once the contract is completed, each party rates the
//! other 1–5 on quality, timeliness, communication and payment with a comment (checked with the
//! shared [`RatingInput`] check before sending), then sees its own rating and — once shown (both
//! rated, or on `reveal_on`) — the other's.

use chrono::NaiveDate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{ContractRatingsView, PartyRole, RatingInput, RatingView};
use shared::validate::Check;

use super::escrow::wt;
use crate::active_org::use_active_org;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, failure_text, field_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Lang, Msg, WorkspaceMsg, tr, use_i18n};
use crate::toast::use_toasts;

/// The four dimensions: API field and label.
pub const DIMENSIONS: [(&str, WorkspaceMsg); 4] = [
    ("quality", WorkspaceMsg::Quality),
    ("timeliness", WorkspaceMsg::Timeliness),
    ("communication", WorkspaceMsg::Communication),
    ("payment", WorkspaceMsg::PaymentScore),
];

/// A chosen score (`"4"` → 4); 0 (out of range, refused by the check) when none is chosen.
fn parse_score(text: &str) -> u8 {
    text.trim().parse::<u8>().unwrap_or(0)
}

/// Stars for a score: `★★★★☆`.
fn stars(score: u8) -> String {
    let full = usize::from(score.min(5));
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

/// "The other party rated; shown once both rated or on `reveal_on`".
fn hidden_text(lang: Lang, reveal_on: Option<NaiveDate>) -> String {
    let template = WorkspaceMsg::TheirsHidden.text(lang);
    match reveal_on {
        Some(day) => template.replace("{reveal_on}", &day.to_string()),
        None => template.replace("或 {reveal_on} ", "").replace(" or on {reveal_on}", ""),
    }
}

/// A rating's scores of one dimension.
fn score_of(r: &RatingView, field: &str) -> u8 {
    match field {
        "quality" => r.quality,
        "timeliness" => r.timeliness,
        "communication" => r.communication,
        _ => r.payment,
    }
}

/// The ratings section: a hint before completion; for the parties of a completed contract the
/// form (until they rated), their rating and the other's.
#[component]
pub fn RatingsSection(contract_id: String, my_role: Option<PartyRole>, completed: bool) -> impl IntoView {
    let party = matches!(my_role, Some(PartyRole::Payer | PartyRole::Performer));
    let hint = match (completed, party) {
        (true, false) => Some(WorkspaceMsg::RatingsSupervisor),
        (false, _) => Some(WorkspaceMsg::RatingsLater),
        (true, true) => None,
    };
    view! {
        <section class="card" id="contract-ratings">
            <h2>{wt(WorkspaceMsg::Ratings)}</h2>
            {match hint {
                Some(msg) => view! { <p class="hint" id="ratings-later">{wt(msg)}</p> }.into_any(),
                None => view! { <Ratings contract_id=contract_id/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Ratings(contract_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let ratings = RwSignal::new(None::<ContractRatingsView>);
    let failed = RwSignal::new(None::<Failure>);
    let path = StoredValue::new(format!("/contracts/{contract_id}/ratings"));
    Effect::new(move |_| {
        let _ = orgs.acting();
        leptos::task::spawn_local(async move {
            match orgs.call_acting::<(), ContractRatingsView>("GET", &path.get_value(), None).await {
                Ok(view) => {
                    let _ = ratings.try_set(Some(view));
                    let _ = failed.try_set(None);
                }
                Err(failure) => {
                    let _ = failed.try_set(Some(failure));
                }
            }
        });
    });
    view! {
        {move || failed.get().map(|f| view! { <p class="form-error" role="alert" id="ratings-error">{move || failure_text(i18n.0.get(), &f)}</p> })}
        {move || match ratings.get() {
            None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
            Some(view) => {
                let reveal_on = view.reveal_on;
                view! {
                    {match view.mine {
                        Some(mine) => view! {
                            <div id="rating-mine"><h3>{wt(WorkspaceMsg::MyRating)}</h3>{rating_facts(mine)}</div>
                        }.into_any(),
                        None if view.open => view! { <RatingForm path=path.get_value() ratings=ratings/> }.into_any(),
                        None => view! { <p class="hint" id="ratings-later">{wt(WorkspaceMsg::RatingsLater)}</p> }.into_any(),
                    }}
                    {match (view.theirs, view.theirs_given) {
                        (Some(theirs), _) => view! {
                            <div id="rating-theirs"><h3>{wt(WorkspaceMsg::TheirRating)}</h3>{rating_facts(theirs)}</div>
                        }.into_any(),
                        (None, true) => view! {
                            <p class="notice" id="rating-theirs-hidden">{move || hidden_text(i18n.0.get(), reveal_on)}</p>
                        }.into_any(),
                        (None, false) => view! {
                            <p class="hint" id="rating-theirs-none">{wt(WorkspaceMsg::TheirsNotYet)}</p>
                        }.into_any(),
                    }}
                }.into_any()
            }
        }}
    }
}

/// A rating's four scores and comment, with who gave it and when (also on the public profile).
pub fn rating_facts(r: RatingView) -> impl IntoView {
    view! {
        <p class="hint rating-by">{r.rater_name.clone()}" · "{crate::datetime::minute(r.created_at)}</p>
        <dl class="facts rating">
            {DIMENSIONS.iter().map(|(field, label)| {
                let score = score_of(&r, field);
                view! {
                    <dt>{wt(*label)}</dt>
                    <dd class=format!("rating-{field}") data-score=score>
                        <span class="stars" aria-hidden="true">{stars(score)}</span>" "{score}
                    </dd>
                }
            }).collect_view()}
        </dl>
        {r.comment.clone().map(|c| view! { <p class="prose rating-comment">{c}</p> })}
    }
}

/// The form: four scores and a comment.
#[component]
fn RatingForm(path: String, ratings: RwSignal<Option<ContractRatingsView>>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let scores: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let comment = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let [quality, timeliness, communication, payment] = scores.map(|s| parse_score(&s.get_untracked()));
        let typed = comment.get_untracked();
        let body = RatingInput {
            quality,
            timeliness,
            communication,
            payment,
            comment: (!typed.trim().is_empty()).then_some(typed),
        };
        let problems = before_sending(Vec::new(), body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), problems) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result =
                orgs.call::<_, ContractRatingsView>(&org, "POST", &path.get_value(), Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    toasts.success(Msg::WorkspaceMsg(WorkspaceMsg::Rated));
                    let _ = ratings.try_set(Some(view));
                }
                Err(failure) => {
                    let _ = errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    };
    view! {
        <form id="rating-form" class="stack-form" on:submit=submit novalidate>
            <h3>{wt(WorkspaceMsg::RateOther)}</h3>
            {DIMENSIONS.iter().zip(scores).map(|((field, label), score)| view! {
                <label for=format!("rating-{field}")>{wt(*label)}</label>
                <select id=format!("rating-{field}") on:change=move |ev| score.set(event_target_value(&ev))>
                    <option value="" selected=move || score.get().is_empty()>{wt(WorkspaceMsg::ChooseScore)}</option>
                    {(1..=5_u8).rev().map(|n| view! {
                        <option value=n.to_string() selected=move || score.get() == n.to_string()>{stars(n)}" "{n}</option>
                    }).collect_view()}
                </select>
                <FieldError text=field_error(errors, *field) id=format!("rating-{field}-error")/>
            }).collect_view()}
            <label for="rating-comment">{wt(WorkspaceMsg::RatingComment)}</label>
            <textarea id="rating-comment" maxlength="500" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "comment") id="rating-comment-error"/>
            <FormError errors=errors id="rating-form-error"/>
            <SubmitButton id="rating-submit" label=Msg::WorkspaceMsg(WorkspaceMsg::SendRating) busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchosen_score_is_zero_and_refused_by_the_shared_check() {
        assert_eq!(parse_score("4"), 4);
        assert_eq!(parse_score(""), 0);
        let body = RatingInput {
            quality: parse_score(""),
            timeliness: 5,
            communication: 5,
            payment: 5,
            comment: None,
        };
        let issues = body.check().expect_err("refused").0;
        assert_eq!((issues[0].field.as_str(), issues[0].issue.as_str()), ("quality", "out_of_range"));
    }

    #[test]
    fn stars_show_the_score_out_of_five() {
        assert_eq!(stars(4), "★★★★☆");
        assert_eq!(stars(1), "★☆☆☆☆");
    }

    #[test]
    fn the_hidden_rating_names_the_day_it_is_shown() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 21);
        assert_eq!(hidden_text(Lang::Zh, day), "对方已评价，双方评价后或 2026-12-21 公开");
        assert_eq!(hidden_text(Lang::Zh, None), "对方已评价，双方评价后公开");
        assert!(hidden_text(Lang::En, day).ends_with("on 2026-12-21"));
    }
}
