//! The rewards catalogue (`/rewards`): what points buy, with the caller's balance and a redeem
//! button each (out of stock and not enough points said plainly), and the caller's redemptions,
//! cancellable until fulfilled (points and stock come back).

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{PointsStatement, Redemption, RedemptionPage, RedemptionStatus, Reward, RewardList};

use super::{Loaded, failure_line, load_into, loading, rows_of, tc, tx};
use crate::datetime;
use crate::http::Failure;
use crate::i18n::{CommunityMsg, EngagementMsg, Msg};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

/// The empty body of a redemption or a cancellation.
#[derive(serde::Serialize)]
struct NoFields {}

/// Reloads the balance, the catalogue and the redemptions after a change.
#[derive(Clone, Copy)]
struct Refresh(Callback<()>);

/// A redemption status's name.
fn status_name(status: RedemptionStatus) -> EngagementMsg {
    match status {
        RedemptionStatus::Requested => EngagementMsg::Requested,
        RedemptionStatus::Fulfilled => EngagementMsg::Fulfilled,
        RedemptionStatus::Cancelled => EngagementMsg::Cancelled,
    }
}

/// Why `reward` cannot be redeemed with `balance` points, if it cannot.
fn refusal(reward: &Reward, balance: Option<i64>) -> Option<EngagementMsg> {
    if reward.stock <= 0 {
        Some(EngagementMsg::OutOfStock)
    } else if balance.is_some_and(|b| b < reward.cost) {
        Some(EngagementMsg::NotEnoughPoints)
    } else {
        None
    }
}

/// The rewards page.
#[component]
pub fn RewardsPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let rewards: Loaded<RewardList> = RwSignal::new(None);
    let balance = RwSignal::new(None::<i64>);
    let mine = Paged::<Redemption>::new();
    let load_mine = move |first: bool| {
        let path = with_query(
            "/me/redemptions",
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", mine.cursor_for(first))],
        );
        mine.load(first, async move {
            let page: RedemptionPage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    let reload = move || {
        load_into(session, rewards, "/rewards".to_owned());
        leptos::task::spawn_local(async move {
            if let Ok(points) = session.call::<(), PointsStatement>("GET", "/me/points?limit=1", None).await {
                balance.set(Some(points.balance));
            }
        });
        load_mine(true);
    };
    Effect::new(move |loaded: Option<bool>| {
        let ready = session.token.with(Option::is_some);
        if ready && loaded != Some(true) {
            reload();
        }
        ready || loaded == Some(true)
    });
    let changed = Callback::new(move |()| reload());
    provide_context(Refresh(changed));
    view! {
        <div class="stack">
            <section class="card">
                <div class="title-row">
                    <h1 id="rewards-title">{tx(EngagementMsg::Rewards)}</h1>
                    <A href="/me/points" attr:class="button">{tc(CommunityMsg::MyPoints)}</A>
                </div>
                <p class="lead">{tc(CommunityMsg::Balance)}" "<strong id="rewards-balance">{move || balance.get().map(|b| b.to_string()).unwrap_or_else(|| "…".into())}</strong></p>
                {move || match rewards.get() {
                    None => loading().into_any(),
                    Some(Err(failure)) => failure_line(failure).into_any(),
                    Some(Ok(list)) if list.items.is_empty() => view! { <p class="empty" id="rewards-empty">{tx(EngagementMsg::RewardsEmpty)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="rows" id="rewards">
                            {list.items.into_iter().map(|r| view! { <RewardRow reward=r balance=balance on_changed=changed/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
            <section class="card">
                <h2>{tx(EngagementMsg::MyRedemptions)}</h2>
                <ul class="rows" id="redemptions">{rows_of(mine.items, move |r| view! { <RedemptionRow redemption=r/> }.into_any())}</ul>
                <ListFooter state=mine.state id="redemptions" empty=Msg::EngagementMsg(EngagementMsg::RedemptionsEmpty) on_more=Callback::new(move |()| load_mine(false))/>
            </section>
        </div>
    }
}

#[component]
fn RewardRow(reward: Reward, balance: RwSignal<Option<i64>>, on_changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Failure>);
    let rid = StoredValue::new(reward.id.clone());
    let cost = reward.cost;
    let held = StoredValue::new(reward.clone());
    let redeem = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/rewards/{}/redemptions", rid.get_value());
            let result = session.call::<_, Redemption>("POST", &path, Some(&NoFields {})).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    problem.set(None);
                    toasts.success(Msg::EngagementMsg(EngagementMsg::Redeemed));
                    on_changed.run(());
                }
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };
    let refused = move || held.with_value(|r| refusal(r, balance.get()));
    view! {
        <li class="row item" data-reward=reward.id.clone()>
            <div class="item-main">
                <strong class="item-title">{reward.name.clone()}</strong>
                <p class="hint">{reward.description.clone()}</p>
                <p class="badges">
                    <span class="badge badge-ok reward-cost">{cost}" "{tx(EngagementMsg::PointsUnit)}</span>
                    <span class="badge reward-stock">{tx(EngagementMsg::Stock)}" "{reward.stock}</span>
                </p>
                {move || problem.get().map(failure_line)}
            </div>
            <div class="row-actions">
                {move || refused().map(|why| view! { <span class="hint reward-refusal">{tx(why)}</span> })}
                <button type="button" class="button small primary" data-action="redeem"
                    disabled=move || busy.get() || refused().is_some() on:click=redeem>{tx(EngagementMsg::Redeem)}</button>
            </div>
        </li>
    }
}

#[component]
fn RedemptionRow(redemption: Redemption) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let refresh = use_context::<Refresh>();
    let current = RwSignal::new(redemption);
    let busy = RwSignal::new(false);
    let cancel = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/redemptions/{}/cancellation", current.with_untracked(|r| r.id.clone()));
            let result = session.call::<_, Redemption>("POST", &path, Some(&NoFields {})).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(Msg::EngagementMsg(EngagementMsg::RedemptionCancelled));
                    current.set(updated);
                    if let Some(Refresh(refresh)) = refresh {
                        refresh.run(());
                    }
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    move || {
        let r = current.get();
        view! {
            <li class="row" data-redemption=r.id.clone()>
                <span>{r.reward_name.clone()}" · "{r.cost}" "{tx(EngagementMsg::PointsUnit)}" · "<span class="hint">{datetime::minute(r.created_at)}</span></span>
                <span class="row-actions">
                    <span class="badge redemption-status">{tx(status_name(r.status))}</span>
                    {(r.status == RedemptionStatus::Requested).then(|| view! {
                        <button type="button" class="button small" data-action="cancel-redemption" disabled=move || busy.get() on:click=cancel>{tx(EngagementMsg::CancelRedemption)}</button>
                    })}
                </span>
            </li>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reward(cost: i64, stock: i64) -> Reward {
        Reward { id: "r".into(), name: "书".into(), description: String::new(), cost, stock, active: true }
    }

    #[test]
    fn a_reward_is_refused_when_out_of_stock_first_then_when_points_fall_short() {
        assert_eq!(refusal(&reward(50, 0), Some(10)), Some(EngagementMsg::OutOfStock));
        assert_eq!(refusal(&reward(50, 3), Some(49)), Some(EngagementMsg::NotEnoughPoints));
        assert_eq!(refusal(&reward(50, 3), Some(50)), None);
        assert_eq!(refusal(&reward(50, 3), None), None);
    }
}
