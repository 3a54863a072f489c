//! An organisation's credit report (五维一体信用评价, `GET /orgs/{id}/credit`) on its public
//! profile: the grade badge (or 暂无评级 / 数据不足), the total, whether staff review set the
//! grade, and the radar of the five dimensions — to anyone. When the API sends the detail (the
//! organisation's own members, a counterparty in a contract in force acting for it, staff):
//! every indicator with its value, score and change since last month, the explanation in the
//! interface language, and the 12-month trend of the total (`GET /orgs/{id}/credit/history`).
//! Also the grade badge the directory cards show.

use leptos::prelude::*;
use shared::domain::credit::{CreditGrade, Indicator, dimension_label, indicator_label};
use shared::dto::{CreditHistoryView, CreditIndicatorView, CreditTrigger, CreditView};

use super::credit_chart::{Radar, Trend};
use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{CreditMsg, Lang, Msg, pick, tr, use_i18n};
use crate::session::use_session;

/// The reactive text of a credit string.
fn ct(msg: CreditMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::CreditMsg(msg))
}

/// The badge text of a grade: its letters, else "insufficient data" when the assessment says
/// so, else "not rated".
pub fn grade_text(lang: Lang, grade: Option<CreditGrade>, insufficient_data: bool) -> String {
    match grade {
        Some(grade) => grade.letters().to_owned(),
        None if insufficient_data => CreditMsg::InsufficientData.text(lang).to_owned(),
        None => CreditMsg::NotRated.text(lang).to_owned(),
    }
}

/// The badge's style class: one per grade, `grade-none` without one.
fn grade_class(grade: Option<CreditGrade>) -> String {
    format!("badge grade-badge grade-{}", grade.map_or("none", CreditGrade::as_str))
}

/// A number with at most two decimals and no trailing zeros: `12.50` → `12.5`, `3.00` → `3`.
fn short(value: f64) -> String {
    let text = format!("{:.2}", (value * 100.0).round() / 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An indicator's value as shown: `3/4 (75%)` for rates, the rating out of 5, the grade's tier
/// (rank 0 is tier 1), compliance, or the count; "no data" without one.
pub fn value_text(lang: Lang, indicator: &CreditIndicatorView) -> String {
    let Some(value) = indicator.value else { return CreditMsg::NoData.text(lang).to_owned() };
    if let (Some(numerator), Some(denominator)) = (indicator.numerator, indicator.denominator) {
        return format!("{numerator}/{denominator} ({value:.0}%)");
    }
    match indicator.indicator {
        Indicator::PeerRating => format!("{value:.2} / 5"),
        Indicator::BestQualificationGrade => CreditMsg::Tier.text(lang).replace("{n}", &short(value + 1.0)),
        Indicator::TaxCompliance if value >= 1.0 => CreditMsg::Compliant.text(lang).to_owned(),
        Indicator::TaxCompliance => CreditMsg::NotCompliant.text(lang).to_owned(),
        _ => short(value),
    }
}

/// Whether a larger value is better (not so for disputes, wage arrears, safety incidents, and
/// the grade's rank, where 0 is the top).
fn larger_is_better(indicator: Indicator) -> bool {
    !matches!(
        indicator,
        Indicator::DisputeRate
            | Indicator::WagePayment
            | Indicator::SafetyRecord
            | Indicator::BestQualificationGrade
    )
}

/// How an indicator moved since last month: `↑ 5` / `↓ 2.5` (rates in percentage points) or
/// "unchanged", with `Some(true)` when the move is favourable; none without last month's value.
pub fn change_text(lang: Lang, indicator: &CreditIndicatorView) -> Option<(String, Option<bool>)> {
    let change = indicator.change?;
    if change.abs() < 0.005 {
        return Some((CreditMsg::NoChange.text(lang).to_owned(), None));
    }
    let arrow = if change > 0.0 { "↑" } else { "↓" };
    let good = (change > 0.0) == larger_is_better(indicator.indicator);
    Some((format!("{arrow} {}", short(change.abs())), Some(good)))
}

/// The indicator's name in `lang`.
fn indicator_name(lang: Lang, indicator: Indicator) -> String {
    let (zh, en) = indicator_label(indicator);
    pick(lang, zh, en)
}

/// The stable name of an indicator (its API value), for the page's markup.
fn indicator_key(indicator: Indicator) -> String {
    serde_json::to_value(indicator).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A grade badge for lists (the directory cards): the grade or "not rated".
#[component]
pub fn GradeBadge(grade: Option<CreditGrade>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=grade_class(grade) title=ct(CreditMsg::Credit)>
            {move || format!("{} {}", i18n.t(Msg::CreditMsg(CreditMsg::Credit)), grade_text(i18n.0.get(), grade, false))}
        </span>
    }
}

/// The credit card of an organisation's public profile. Asks as the signed-in person acting for
/// the active organisation (so members and counterparties get the detail), or anonymously.
#[component]
pub fn CreditCard(org_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let credit = RwSignal::new(None::<Result<CreditView, Failure>>);
    let history = RwSignal::new(None::<CreditHistoryView>);
    let caller =
        Memo::new(move |_| session.ready.get().then(|| (session.user.with(Option::is_some), orgs.acting())));
    Effect::new(move |_| {
        let Some((_, acting)) = caller.get() else { return };
        let (path, org_id) = (format!("/orgs/{org_id}/credit"), org_id.clone());
        leptos::task::spawn_local(async move {
            let result: Result<CreditView, Failure> =
                session.call_as(acting.as_deref(), "GET", &path, None::<&()>).await;
            let detailed = result.as_ref().is_ok_and(|v| v.detail.is_some());
            let _ = credit.try_set(Some(result));
            let mut months = None;
            if detailed {
                let path = format!("/orgs/{org_id}/credit/history");
                months = session.call_as(acting.as_deref(), "GET", &path, None::<&()>).await.ok();
            }
            let _ = history.try_set(months);
        });
    });
    view! {
        <section class="card" id="org-credit">
            <h2>{ct(CreditMsg::Credit)}</h2>
            <p class="hint">{ct(CreditMsg::CreditIntro)}</p>
            {move || {
                let lang = i18n.0.get();
                match credit.get() {
                    None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    Some(Err(failure)) => view! {
                        <p class="form-error" role="alert" id="org-credit-error">{failure_text(lang, &failure)}</p>
                    }.into_any(),
                    Some(Ok(view)) => view! { <CreditReport view=view lang=lang history=history/> }.into_any(),
                }
            }}
        </section>
    }
}

/// One assessment: badge, total, radar, and the detail when present.
#[component]
fn CreditReport(view: CreditView, lang: Lang, history: RwSignal<Option<CreditHistoryView>>) -> impl IntoView {
    let labels: Vec<String> = view
        .dimensions
        .iter()
        .map(|d| {
            let (zh, en) = dimension_label(d.dimension);
            pick(lang, zh, en)
        })
        .collect();
    let scores: Vec<f64> = view.dimensions.iter().map(|d| d.score).collect();
    let radar_label = CreditMsg::Radar.text(lang).to_owned();
    let detail = view.detail.clone().map(
        |detail| view! { <CreditDetailView view=view.clone() detail=detail lang=lang history=history/> },
    );
    view! {
        <p class="badges">
            <span id="credit-grade" class=grade_class(view.grade)>{grade_text(lang, view.grade, view.insufficient_data)}</span>
            {view.overridden.then(|| view! {
                <span class="badge badge-bad" id="credit-overridden" title=CreditMsg::OverriddenHint.text(lang)>{CreditMsg::Overridden.text(lang)}</span>
            })}
        </p>
        {(view.trigger == CreditTrigger::Live).then(|| view! { <p class="hint" id="credit-live">{CreditMsg::Live.text(lang)}</p> })}
        <dl class="facts">
            <dt>{CreditMsg::Total.text(lang)}</dt><dd id="credit-total">{format!("{:.2}", view.total)}</dd>
            <dt>{CreditMsg::Month.text(lang)}</dt><dd id="credit-month">{view.month.clone()}</dd>
        </dl>
        <Radar scores=scores labels=labels label=radar_label/>
        {match detail {
            Some(detail) => detail.into_any(),
            None => view! { <p class="hint" id="credit-detail-hint">{CreditMsg::DetailHint.text(lang)}</p> }.into_any(),
        }}
    }
}

/// The indicators by dimension, the override's facts, the explanation and the trend.
#[component]
fn CreditDetailView(
    view: CreditView,
    detail: shared::dto::CreditDetail,
    lang: Lang,
    history: RwSignal<Option<CreditHistoryView>>,
) -> impl IntoView {
    let groups = view
        .dimensions
        .iter()
        .map(|d| {
            let (zh, en) = dimension_label(d.dimension);
            let rows = detail
                .indicators
                .iter()
                .filter(|i| i.dimension == d.dimension)
                .map(|i| {
                    let change = change_text(lang, i);
                    let change_class = match change.as_ref().and_then(|c| c.1) {
                        Some(true) => "indicator-change change-good",
                        Some(false) => "indicator-change change-bad",
                        None => "indicator-change",
                    };
                    view! {
                        <li class="row credit-indicator" data-indicator=indicator_key(i.indicator)>
                            <span class="item-main">{indicator_name(lang, i.indicator)}</span>
                            <span class="indicator-value">{value_text(lang, i)}</span>
                            <span class="indicator-score">{i.score.map(|s| format!("{} {}", CreditMsg::Score.text(lang), short(s)))}</span>
                            <span class=change_class title=CreditMsg::Change.text(lang)>{change.map(|c| c.0)}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3 class="credit-dimension">{pick(lang, zh, en)}" · "{short(d.score)}</h3>
                <ul class="rows">{rows}</ul>
            }
        })
        .collect_view();
    let explanation = pick(lang, &detail.explanation_zh, &detail.explanation_en);
    view! {
        <div class="subsection" id="credit-indicators">
            <h3>{CreditMsg::Indicators.text(lang)}</h3>
            {groups}
            <dl class="facts">
                {detail.payment_mean_days.map(|days| view! {
                    <dt>{CreditMsg::PaymentMeanDays.text(lang)}</dt><dd id="credit-payment-days">{short(days)}</dd>
                })}
                {view.overridden.then(|| view! {
                    <dt>{CreditMsg::ComputedGrade.text(lang)}</dt>
                    <dd id="credit-computed-grade">{grade_text(lang, detail.computed_grade, detail.computed_grade.is_none())}</dd>
                })}
                {detail.override_reason.clone().map(|reason| view! {
                    <dt>{CreditMsg::OverrideReason.text(lang)}</dt><dd id="credit-override-reason">{reason}</dd>
                })}
            </dl>
        </div>
        <div class="subsection">
            <h3>{CreditMsg::Explanation.text(lang)}</h3>
            <p id="credit-explanation">{explanation}</p>
        </div>
        <div class="subsection">
            <h3>{CreditMsg::Trend.text(lang)}</h3>
            {move || history.get().map(|h| {
                let mut months = h.items;
                months.reverse();
                if months.is_empty() {
                    view! { <p class="empty" id="credit-trend-empty">{CreditMsg::TrendEmpty.text(lang)}</p> }.into_any()
                } else {
                    let totals = months.iter().map(|m| m.total).collect();
                    let names = months.iter().map(|m| m.month.clone()).collect();
                    view! { <Trend totals=totals months=names label=CreditMsg::Trend.text(lang).to_owned()/> }.into_any()
                }
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use shared::domain::credit::CreditDimension;

    use super::*;

    fn indicator(
        which: Indicator,
        value: Option<f64>,
        rate: Option<(u32, u32)>,
        change: Option<f64>,
    ) -> CreditIndicatorView {
        CreditIndicatorView {
            indicator: which,
            dimension: CreditDimension::Performance,
            weight_percent: 40,
            numerator: rate.map(|r| r.0),
            denominator: rate.map(|r| r.1),
            value,
            score: value,
            change,
            source: None,
        }
    }

    #[test]
    fn a_grade_shows_its_letters_else_insufficient_data_or_not_rated() {
        assert_eq!(grade_text(Lang::Zh, Some(CreditGrade::Aaa), false), "AAA");
        assert_eq!(grade_text(Lang::En, Some(CreditGrade::B), true), "B", "an override grades anyway");
        assert_eq!(grade_text(Lang::Zh, None, true), "数据不足");
        assert_eq!(grade_text(Lang::Zh, None, false), "暂无评级");
        assert_eq!(grade_text(Lang::En, None, false), "Not rated");
        assert_eq!(grade_class(Some(CreditGrade::Aa)), "badge grade-badge grade-aa");
        assert_eq!(grade_class(None), "badge grade-badge grade-none");
    }

    #[test]
    fn indicator_values_read_as_rates_ratings_tiers_compliance_or_counts() {
        let rate = indicator(Indicator::PaymentTimeliness, Some(50.0), Some((1, 2)), None);
        assert_eq!(value_text(Lang::Zh, &rate), "1/2 (50%)");
        assert_eq!(
            value_text(Lang::En, &indicator(Indicator::PeerRating, Some(3.75), None, None)),
            "3.75 / 5"
        );
        assert_eq!(
            value_text(Lang::Zh, &indicator(Indicator::BestQualificationGrade, Some(0.0), None, None)),
            "第 1 档"
        );
        assert_eq!(
            value_text(Lang::En, &indicator(Indicator::TaxCompliance, Some(0.0), None, None)),
            "not compliant"
        );
        assert_eq!(value_text(Lang::En, &indicator(Indicator::Cooperations, Some(3.0), None, None)), "3");
        assert_eq!(
            value_text(Lang::Zh, &indicator(Indicator::CompletionRate, None, Some((0, 0)), None)),
            "暂无数据"
        );
    }

    #[test]
    fn a_change_points_up_or_down_and_is_good_when_it_moves_the_right_way() {
        let up = indicator(Indicator::OnTimeMilestoneRate, Some(75.0), Some((3, 4)), Some(25.0));
        assert_eq!(change_text(Lang::Zh, &up), Some(("↑ 25".to_owned(), Some(true))));
        let more_arrears = indicator(Indicator::WagePayment, Some(1.0), None, Some(1.0));
        assert_eq!(change_text(Lang::Zh, &more_arrears), Some(("↑ 1".to_owned(), Some(false))));
        let down = indicator(Indicator::PeerRating, Some(3.5), None, Some(-0.125));
        assert_eq!(change_text(Lang::En, &down), Some(("↓ 0.13".to_owned(), Some(false))));
        let same = indicator(Indicator::Cooperations, Some(3.0), None, Some(0.0));
        assert_eq!(change_text(Lang::Zh, &same), Some(("持平".to_owned(), None)));
        assert_eq!(change_text(Lang::Zh, &indicator(Indicator::Cooperations, Some(3.0), None, None)), None);
    }

    #[test]
    fn indicators_are_named_by_their_api_value() {
        assert_eq!(indicator_key(Indicator::OnTimeMilestoneRate), "on_time_milestone_rate");
    }
}
