//! A group's analytics for its admins (`/groups/{id}/analytics`): members and active members,
//! question resolution rate and satisfaction as figures, posts and active members per day over
//! 30 days as bar charts, and the anonymous feedback with its mean score.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::{FeedbackList, GroupAnalytics};

use super::chart::BarChart;
use super::shares::percent;
use super::{Loaded, failure_line, load_into, loading, tc, tx};
use crate::i18n::{CommunityMsg, EngagementMsg, Msg, use_i18n};
use crate::session::{require_sign_in, use_session};

/// `4.3 / 5`, or `–` without any score.
fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_owned(), |s| format!("{s:.1} / 5"))
}

/// `75%`, or `–` when nothing was asked.
fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// The analytics page.
#[component]
pub fn GroupAnalyticsPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let params = use_params_map();
    let gid = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let analytics: Loaded<GroupAnalytics> = RwSignal::new(None);
    let feedback: Loaded<FeedbackList> = RwSignal::new(None);
    Effect::new(move |_| {
        if session.ready.get() && session.token.with(Option::is_some) {
            load_into(session, analytics, format!("/groups/{}/analytics", gid.get()));
            load_into(session, feedback, format!("/groups/{}/feedback", gid.get()));
        }
    });
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow"><A href=move || format!("/groups/{}/admin", gid.get())>{tc(CommunityMsg::GroupAdmin)}</A></p>
                <h1 id="analytics-title">{tx(EngagementMsg::Analytics)}</h1>
                {move || match analytics.get() {
                    None => loading().into_any(),
                    Some(Err(failure)) => failure_line(failure).into_any(),
                    Some(Ok(a)) => view! { <Figures analytics=a/> }.into_any(),
                }}
            </section>
            <section class="card">
                <h2>{tx(EngagementMsg::Feedback)}</h2>
                <p class="hint" id="feedback-delay">{tx(EngagementMsg::FeedbackDelay)}</p>
                {move || match feedback.get() {
                    None => loading().into_any(),
                    Some(Err(failure)) => failure_line(failure).into_any(),
                    Some(Ok(list)) => view! {
                        <p class="lead">{tx(EngagementMsg::MeanScore)}" "<strong id="feedback-mean">{score_text(list.mean_score)}</strong></p>
                        <ul class="rows" id="feedback-list">
                            {list.items.iter().map(|f| view! {
                                <li class="row"><span class="prose">{f.body.clone()}</span><span class="badge">{"★".repeat(usize::try_from(f.score).unwrap_or(0))}" · "{f.week.to_string()}</span></li>
                            }).collect_view()}
                        </ul>
                        {list.items.is_empty().then(|| view! { <p class="empty">{tx(EngagementMsg::FeedbackEmpty)}</p> })}
                    }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn Figures(analytics: GroupAnalytics) -> impl IntoView {
    let i18n = use_i18n();
    let a = analytics;
    let labels: Vec<String> = a.days.iter().map(|d| d.day.format("%m-%d").to_string()).collect();
    let kpi = |label: EngagementMsg, value: String, id: &'static str| {
        view! { <div class="kpi"><span class="hint">{tx(label)}</span><strong id=id>{value}</strong></div> }
    };
    view! {
        <div class="kpis">
            {kpi(EngagementMsg::MemberCount, a.member_count.to_string(), "kpi-members")}
            {kpi(EngagementMsg::Active7d, a.active_members_7d.to_string(), "kpi-active-7d")}
            {kpi(EngagementMsg::Active30d, a.active_members_30d.to_string(), "kpi-active-30d")}
            {kpi(EngagementMsg::ResolutionRate, rate_text(a.resolution_rate), "kpi-resolution")}
            {kpi(EngagementMsg::Satisfaction, score_text(a.satisfaction), "kpi-satisfaction")}
        </div>
        <p class="hint">
            {a.solved_questions}" / "{a.questions}" "{tx(EngagementMsg::QuestionsSolved)}" · "
            {a.satisfaction_responses}" "{tx(EngagementMsg::Responses)}
        </p>
        <span class="bar" role="img" aria-label=rate_text(a.resolution_rate)>
            <span style=format!("width: {}%", percent(a.solved_questions, a.questions))></span>
        </span>
        <h2>{tx(EngagementMsg::PostsPerDay)}</h2>
        <BarChart id="chart-posts" values=a.days.iter().map(|d| d.posts).collect() labels=labels.clone()
            label=i18n.t(Msg::EngagementMsg(EngagementMsg::PostsPerDay)).to_owned()/>
        <h2>{tx(EngagementMsg::ActivePerDay)}</h2>
        <BarChart id="chart-active" values=a.days.iter().map(|d| d.active_members).collect() labels=labels
            label=i18n.t(Msg::EngagementMsg(EngagementMsg::ActivePerDay)).to_owned()/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_scores_read_as_people_say_them_and_a_dash_without_data() {
        assert_eq!(rate_text(Some(0.666)), "67%");
        assert_eq!(rate_text(None), "–");
        assert_eq!(score_text(Some(4.26)), "4.3 / 5");
        assert_eq!(score_text(None), "–");
    }
}
