//! An organisation's membership (`/orgs/{id}/membership`, `GET /orgs/{id}/membership`): the tier
//! with since when and whether an inactivity demotion holds, every condition of the next tier
//! with a progress bar, the facts the tier rests on, the VIP platform advisor, and the history
//! of changes with their reasons in the interface language.

use leptos::prelude::*;
use shared::domain::membership::MembershipTier;
use shared::domain::notices::membership::tier_names;
use shared::dto::{
    MembershipView, Organisation, RequirementKind, RequirementView, TierChangeKind, TierTriggerKind,
};

use super::scope::MyOrganisation;
use crate::active_org::use_active_org;
use crate::datetime::{day, minute};
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Lang, MembershipMsg, Msg, use_i18n};
use crate::money::format_fen;
use crate::session::require_sign_in;

/// A tier's name in `lang`.
pub fn tier_text(lang: Lang, tier: MembershipTier) -> &'static str {
    let (zh, en) = tier_names(tier);
    if lang == Lang::Zh { zh } else { en }
}

/// The label of a condition in `lang`.
fn requirement_label(lang: Lang, kind: RequirementKind) -> &'static str {
    let msg = match kind {
        RequirementKind::CompletedTransactions => MembershipMsg::CompletedTransactions,
        RequirementKind::VolumeAbove => MembershipMsg::VolumeAbove,
        RequirementKind::CreditScore => MembershipMsg::CreditScore,
        RequirementKind::NextTransaction => MembershipMsg::NextTransaction,
    };
    msg.text(lang)
}

/// Where the organisation stands on a condition: `2 / 3`, `¥4,500,000.00 / ¥5,000,000.00`,
/// `85.5 / 90` (insufficient data without a score); empty for the next transaction.
pub fn requirement_value(lang: Lang, r: &RequirementView) -> String {
    match r.kind {
        RequirementKind::CompletedTransactions => {
            format!("{} / {}", r.current.unwrap_or(0), r.required.unwrap_or(0))
        }
        RequirementKind::VolumeAbove => {
            format!("{} / {}", format_fen(r.current.unwrap_or(0)), format_fen(r.required.unwrap_or(0)))
        }
        RequirementKind::CreditScore => {
            let current = r
                .current_score
                .map_or_else(|| MembershipMsg::NoScore.text(lang).to_owned(), |s| format!("{s:.1}"));
            format!("{current} / {:.0}", r.required_score.unwrap_or(0.0))
        }
        RequirementKind::NextTransaction => String::new(),
    }
}

/// The membership page.
#[component]
pub fn MembershipPage() -> impl IntoView {
    require_sign_in();
    view! { <MyOrganisation view=|org| view! { <Membership org=org/> }.into_any()/> }
}

#[component]
fn Membership(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let id = org.profile.id.clone();
    let state = RwSignal::new(None::<Result<MembershipView, Failure>>);
    leptos::task::spawn_local(async move {
        let result = orgs.call(&id, "GET", &format!("/orgs/{id}/membership"), None::<&()>).await;
        state.set(Some(result));
    });
    let name = org.profile.name.clone();
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{name}</p>
                <h1>{move || i18n.t(Msg::MembershipMsg(MembershipMsg::Membership))}</h1>
                <p class="hint">{move || i18n.t(Msg::MembershipMsg(MembershipMsg::Intro))}</p>
            </section>
            {move || match state.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(view)) => view! { <Standing view=view/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Standing(view: MembershipView) -> impl IntoView {
    let i18n = use_i18n();
    let m = move |msg: MembershipMsg| move || i18n.t(Msg::MembershipMsg(msg));
    let tier = view.tier;
    let since = view.since.map(day);
    let next = view.next_tier;
    let requirements = view.requirements.clone();
    let score = view.credit_score;
    let advisor = view.advisor.clone();
    view! {
        <section class="card">
            <p class="badges">
                <span class=format!("badge tier-badge tier-{}", tier.as_str()) id="membership-tier">
                    {move || tier_text(i18n.0.get(), tier)}
                </span>
            </p>
            {since.map(|since| view! { <p class="hint">{m(MembershipMsg::Since)} " " {since}</p> })}
            {view.held.then(|| view! { <p class="warning" id="membership-held">{m(MembershipMsg::Held)}</p> })}
        </section>
        <section class="card" id="membership-next">
            <h2>{m(MembershipMsg::NextTier)} {move || next.map(|t| format!(" · {}", tier_text(i18n.0.get(), t)))}</h2>
            {next.is_none().then(|| view! { <p>{m(MembershipMsg::TopTier)}</p> })}
            <ul class="requirements">
                {requirements.into_iter().map(|r| {
                    let (kind, met, percent) = (r.kind, r.met, (r.progress * 100.0).round());
                    let value = r.clone();
                    view! {
                        <li class="requirement" class:met=met data-kind=kind.as_str()>
                            <span class="requirement-label">{move || requirement_label(i18n.0.get(), kind)}</span>
                            <span class="requirement-value">{move || requirement_value(i18n.0.get(), &value)}</span>
                            <progress max="100" value=percent.to_string()></progress>
                            <span class="badge" class:badge-ok=met>
                                {move || if met { m(MembershipMsg::Met)() } else { m(MembershipMsg::NotMet)() }}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card">
            <h2>{m(MembershipMsg::Facts)}</h2>
            <dl class="facts">
                <dt>{m(MembershipMsg::CompletedTransactions)}</dt>
                <dd id="membership-completed">{view.completed_transactions}</dd>
                <dt>{m(MembershipMsg::VolumeAbove)}</dt>
                <dd>{format_fen(view.volume_last_12_months_fen)}</dd>
                <dt>{m(MembershipMsg::CreditScore)}</dt>
                <dd>{move || score.map_or_else(|| m(MembershipMsg::NoScore)().to_owned(), |s| format!("{s:.1}"))}</dd>
                <dt>{m(MembershipMsg::LastQuarter)}</dt><dd>{view.last_quarter_transactions}</dd>
                <dt>{m(MembershipMsg::QuarterBefore)}</dt><dd>{view.quarter_before_transactions}</dd>
            </dl>
        </section>
        {advisor.map(|a| view! {
            <section class="card" id="membership-advisor">
                <h2>{m(MembershipMsg::Advisor)}</h2>
                <p><strong>{a.name}</strong></p>
                {a.email.map(|e| view! { <p><a href=format!("mailto:{e}")>{e.clone()}</a></p> })}
                {a.phone.map(|p| view! { <p>{p}</p> })}
            </section>
        })}
        <History view=view.clone()/>
    }
}

#[component]
fn History(view: MembershipView) -> impl IntoView {
    let i18n = use_i18n();
    let m = move |msg: MembershipMsg| move || i18n.t(Msg::MembershipMsg(msg));
    let empty = view.history.is_empty();
    view! {
        <section class="card" id="membership-history">
            <h2>{m(MembershipMsg::History)}</h2>
            {empty.then(|| view! { <p class="hint">{m(MembershipMsg::NoHistory)}</p> })}
            <ol class="timeline">
                {view.history.into_iter().map(|h| {
                    let change = match h.change {
                        TierChangeKind::Promoted => MembershipMsg::Promoted,
                        TierChangeKind::Demoted => MembershipMsg::Demoted,
                    };
                    let trigger = match h.trigger {
                        TierTriggerKind::Transaction => MembershipMsg::ByTransaction,
                        TierTriggerKind::CreditChange => MembershipMsg::ByCredit,
                        TierTriggerKind::QuarterlyReview => MembershipMsg::ByReview,
                    };
                    let (previous, tier, reasons) = (h.previous, h.tier, h.reasons);
                    view! {
                        <li class="tier-change">
                            <span class="hint">{minute(h.at)}</span> " "
                            <strong>{m(change)}</strong> " "
                            {move || format!("{} → {}", tier_text(i18n.0.get(), previous), tier_text(i18n.0.get(), tier))}
                            " · " {m(trigger)}
                            <ul>
                                {reasons.into_iter().map(|r| view! {
                                    <li>{move || if i18n.0.get() == Lang::Zh { r.text.clone() } else { r.text_en.clone() }}</li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(
        kind: RequirementKind,
        current: Option<i64>,
        required: Option<i64>,
        score: Option<f64>,
    ) -> RequirementView {
        RequirementView {
            kind,
            current,
            required,
            current_score: score,
            required_score: score.map(|_| 90.0),
            met: false,
            progress: 0.0,
        }
    }

    #[test]
    fn each_condition_shows_where_the_organisation_stands() {
        let count = r(RequirementKind::CompletedTransactions, Some(2), Some(3), None);
        assert_eq!(requirement_value(Lang::Zh, &count), "2 / 3");
        let volume = r(RequirementKind::VolumeAbove, Some(450_000_000), Some(500_000_000), None);
        assert_eq!(requirement_value(Lang::En, &volume), "¥4,500,000.00 / ¥5,000,000.00");
        let score = r(RequirementKind::CreditScore, None, None, Some(85.46));
        assert_eq!(requirement_value(Lang::En, &score), "85.5 / 90");
        let mut unrated = score.clone();
        unrated.current_score = None;
        assert_eq!(requirement_value(Lang::Zh, &unrated), "数据不足 / 90");
        assert_eq!(tier_text(Lang::Zh, MembershipTier::Regular), "普通用户");
    }
}
