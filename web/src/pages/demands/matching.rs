//! For a published demand's poster: the matching engine's ranked recommendations, each factor
//! of the score as a bar with its points and the reason in words, the hard constraints that
//! excluded candidates, an "invite" button for those not yet invited; and the invited
//! organisations' answers (the demand page reloads them when an answer is notified).

use leptos::prelude::*;
use shared::domain::membership::MembershipTier;

use crate::pages::orgs::credit::GradeBadge;
use crate::pages::orgs::membership::tier_text;
use shared::dto::{
    DemandInvitation, DemandInvitationPage, DemandRecommendation, DemandRecommendations, InvitationAnswer,
    InviteToDemandRequest, MatchFactor,
};

use super::answer_class;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Lang, Msg, answer_name, constraint_name, factor_name, pick, tr, use_i18n};
use crate::pages::library::badge;
use crate::toast::use_toasts;

/// The recommendations panel.
#[component]
pub fn Recommendations(demand_id: String, invited: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let id = StoredValue::new(demand_id);
    let result = RwSignal::new(None::<Result<DemandRecommendations, Failure>>);
    leptos::task::spawn_local(async move {
        let path = format!("/demands/{}/recommendations", id.get_value());
        result.set(Some(orgs.call_acting::<(), DemandRecommendations>("GET", &path, None).await));
    });
    let on_invited = move |inv: DemandInvitation| {
        result.update(|r| {
            if let Some(Ok(r)) = r
                && let Some(item) = r.items.iter_mut().find(|i| i.org_id == inv.org_id)
            {
                item.invitation_id = Some(inv.id.clone());
                item.answer = Some(inv.answer);
            }
        });
        invited.update(|n| *n += 1);
    };
    view! {
        <section class="card" aria-labelledby="recommendations-title">
            <h2 id="recommendations-title">{tr(Msg::Recommendations)}</h2>
            {move || match result.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(r)) => {
                    let summary = move || match i18n.0.get() {
                        Lang::Zh => format!("共评估 {} 家企业，{} 家满足全部硬性条件。", r.candidates_considered, r.qualified),
                        Lang::En => format!("{} organisations considered, {} meet every hard constraint.", r.candidates_considered, r.qualified),
                    };
                    let exclusions = r.exclusions.clone();
                    view! {
                        <p class="hint" id="recommendations-summary">{summary}</p>
                        {r.fewer_than_minimum.then(|| view! {
                            <p class="notice" id="fewer-than-minimum">{tr(Msg::FewerThanMinimum)}</p>
                        })}
                        <details class="exclusions" open=r.fewer_than_minimum>
                            <summary>{tr(Msg::ExcludedBy)}</summary>
                            <ul class="plain" id="exclusions">
                                {exclusions.into_iter().map(|e| view! {
                                    <li>{move || constraint_name(i18n.0.get(), &e.constraint)}": "{e.excluded}</li>
                                }).collect_view()}
                            </ul>
                        </details>
                        <ol class="recommendations" id="recommendations">
                            {r.items.into_iter().map(|item| view! { <RecommendationCard item=item demand_id=id on_invited=on_invited/> }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn RecommendationCard(
    item: DemandRecommendation,
    demand_id: StoredValue<String>,
    on_invited: impl Fn(DemandInvitation) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let org_id = StoredValue::new(item.org_id.clone());
    let invite = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/demands/{}/invitations", demand_id.get_value());
            let body = InviteToDemandRequest { org_id: org_id.get_value() };
            let result = orgs.call_acting::<_, DemandInvitation>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(inv) => {
                    toasts.success(Msg::OrgInvited);
                    on_invited(inv);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let (reason, reason_en) = (item.reason.clone(), item.reason_en.clone());
    let answer = item.invitation_id.as_ref().map(|_| item.answer.unwrap_or(InvitationAnswer::Pending));
    view! {
        <li class="recommendation" data-org=item.org_id.clone() data-rank=item.rank>
            <div class="row-main">
                <span class="rank">"#"{item.rank}</span>
                <strong class="rec-org">{item.org_name.clone()}</strong>
                <GradeBadge grade=item.credit_grade/>
                {(item.membership_tier != MembershipTier::New).then(|| {
                    let tier = item.membership_tier;
                    view! { <span class=format!("badge tier-badge tier-{}", tier.as_str())>{move || tier_text(i18n.0.get(), tier)}</span> }
                })}
                <span class="score">{move || format!("{:.1} {}", item.score, i18n.t(Msg::Points))}</span>
                {match answer {
                    Some(a) => view! { <span class=format!("badge rec-answer {}", answer_class(a))>{tr(answer_name(a))}</span> }.into_any(),
                    None => view! {
                        <button class="button small primary" type="button" data-action="invite" disabled=move || busy.get() on:click=invite>
                            {tr(Msg::Invite)}
                        </button>
                    }.into_any(),
                }}
            </div>
            <p class="reason">{move || pick(i18n.0.get(), &reason, &reason_en)}</p>
            <ul class="factors">
                {item.factors.into_iter().map(|f| view! { <FactorBar factor=f/> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn FactorBar(factor: MatchFactor) -> impl IntoView {
    let i18n = use_i18n();
    let share = (factor.value.clamp(0.0, 1.0) * 100.0).round() as u32;
    let width = format!("width: {share}%");
    let name = factor.factor.clone();
    view! {
        <li class="factor" data-factor=factor.factor.clone()>
            <span class="factor-name">{move || factor_name(i18n.0.get(), &name)}</span>
            <span class="bar" role="img" aria-label=format!("{share}%")><span style=width></span></span>
            <span class="factor-points">{format!("+{:.1}", factor.points)}</span>
        </li>
    }
}

/// The invited organisations and their answers.
#[component]
pub fn Responses(demand_id: String, invited: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let id = StoredValue::new(demand_id);
    let result = RwSignal::new(None::<Result<Vec<DemandInvitation>, Failure>>);
    Effect::new(move |_| {
        invited.track();
        leptos::task::spawn_local(async move {
            let path = format!("/demands/{}/invitations", id.get_value());
            let page = orgs.call_acting::<(), DemandInvitationPage>("GET", &path, None).await;
            result.set(Some(page.map(|p| p.items)));
        });
    });
    view! {
        <section class="card" aria-labelledby="responses-title">
            <h2 id="responses-title">{tr(Msg::Responses)}</h2>
            {move || match result.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="empty" id="responses-empty">{tr(Msg::NoResponses)}</p>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="rows" id="responses">
                        {items.into_iter().map(|inv| view! {
                            <li class="row" data-org=inv.org_id.clone()>
                                <div class="row-main">
                                    <strong>{inv.org_name.clone()}</strong>
                                    {badge(answer_name(inv.answer), answer_class(inv.answer))}
                                    {inv.answered_at.map(|at| view! { <span class="hint">{datetime::minute(at)}</span> })}
                                </div>
                                {inv.note.clone().map(|note| view! { <p class="response-note">{note}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
