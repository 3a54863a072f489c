//! A group's points leaderboard for this week or this month (Asia/Shanghai periods), drawn as
//! rows with a bar for each person's share of the leader's points.

use leptos::prelude::*;
use shared::dto::{Leaderboard, Period};

use super::shares::widths;
use super::{Loaded, failure_line, load_into, loading, tc};
use crate::i18n::CommunityMsg;
use crate::query::with_query;
use crate::session::use_session;

/// The leaderboard section of a group page.
#[component]
pub fn LeaderboardSection(group_id: String) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let period = RwSignal::new(Period::Week);
    let board: Loaded<Leaderboard> = RwSignal::new(None);
    Effect::new(move |_| {
        let p = match period.get() {
            Period::Week => "week",
            Period::Month => "month",
        };
        board.set(None);
        let path = with_query(
            "/points/leaderboard",
            &[("group_id", Some(gid.get_value())), ("period", Some(p.to_owned()))],
        );
        load_into(session, board, path);
    });
    let tab = move |this: Period, label: CommunityMsg, id: &'static str| {
        view! {
            <button type="button" class="tab" id=id aria-current=move || (period.get() == this).then_some("page")
                on:click=move |_| period.set(this)>{tc(label)}</button>
        }
    };
    view! {
        <nav class="tabs">
            {tab(Period::Week, CommunityMsg::ThisWeek, "leaderboard-week")}
            {tab(Period::Month, CommunityMsg::ThisMonth, "leaderboard-month")}
        </nav>
        {move || match board.get() {
            None => loading().into_any(),
            Some(Err(failure)) => failure_line(failure).into_any(),
            Some(Ok(b)) if b.items.is_empty() => view! { <p class="empty" id="leaderboard-empty">{tc(CommunityMsg::LeaderboardEmpty)}</p> }.into_any(),
            Some(Ok(b)) => {
                let bars = widths(&b.items.iter().map(|e| e.points).collect::<Vec<_>>());
                view! {
                    <ol class="factors leaderboard" id="leaderboard">
                        {b.items.into_iter().zip(bars).map(|(e, width)| view! {
                            <li class="factor" data-user=e.user_id.clone()>
                                <span><span class="rank">{e.rank}</span>" "<span class="leader-name">{e.name.clone()}</span></span>
                                <span class="bar"><span style=format!("width: {width}%")></span></span>
                                <span class="factor-points leader-points">{e.points}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }
        }}
    }
}
