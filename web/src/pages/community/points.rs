//! The caller's points (`/me/points`): the balance and the ledger, newest first, each entry
//! with its reason (+10 sharing, +30 hosting, +5 an accepted answer, redemptions), a link to the
//! rewards, and the caller's referral code with how many registered and were rewarded.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{PointsEntry, PointsReason, PointsStatement, Referral};

use super::{rows_of, tc, tx};
use crate::datetime;
use crate::i18n::{CommunityMsg, EngagementMsg, Msg};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::{require_sign_in, use_session};

/// A ledger reason's name.
fn reason_name(reason: PointsReason) -> CommunityMsg {
    match reason {
        PointsReason::ResourceShared => CommunityMsg::ReasonResourceShared,
        PointsReason::SessionHosted => CommunityMsg::ReasonSessionHosted,
        PointsReason::AnswerAccepted => CommunityMsg::ReasonAnswerAccepted,
        PointsReason::Referral => CommunityMsg::ReasonReferral,
        PointsReason::ResourceWithdrawn => CommunityMsg::ReasonResourceWithdrawn,
        PointsReason::Redemption => CommunityMsg::ReasonRedemption,
        PointsReason::RedemptionRefund => CommunityMsg::ReasonRedemptionRefund,
    }
}

/// A signed amount: `+5`, `-20`.
fn signed(delta: i64) -> String {
    if delta > 0 { format!("+{delta}") } else { delta.to_string() }
}

/// The points page.
#[component]
pub fn MyPointsPage() -> impl IntoView {
    require_sign_in();
    let session = use_session();
    let balance = RwSignal::new(None::<i64>);
    let referral = RwSignal::new(None::<Referral>);
    let list = Paged::<PointsEntry>::new();
    let load = move |first: bool| {
        let path = with_query(
            "/me/points",
            &[("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))],
        );
        list.load(first, async move {
            let page: PointsStatement = session.call("GET", &path, None::<&()>).await?;
            balance.set(Some(page.balance));
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |loaded: Option<bool>| {
        let ready = session.token.with(Option::is_some);
        if ready && loaded != Some(true) {
            load(true);
            leptos::task::spawn_local(async move {
                referral.set(session.call::<(), Referral>("GET", "/me/referral", None).await.ok());
            });
        }
        ready || loaded == Some(true)
    });
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="points-title">{tc(CommunityMsg::MyPoints)}</h1>
                <A href="/rewards" attr:class="button" attr:id="points-rewards-link">{tx(EngagementMsg::Rewards)}</A>
            </div>
            <p class="lead">{tc(CommunityMsg::Balance)}" "<strong id="points-balance">{move || balance.get().map(|b| b.to_string()).unwrap_or_else(|| "…".into())}</strong></p>
            <p class="hint">{tc(CommunityMsg::PointsRules)}</p>
            {move || referral.get().map(|r| view! {
                <p class="notice" id="referral">
                    {tx(EngagementMsg::ReferralCode)}" "<strong id="referral-code">{r.code}</strong>" · "
                    {tx(EngagementMsg::Registered)}" "<span id="referral-registered">{r.registered}</span>" · "
                    {tx(EngagementMsg::Rewarded)}" "<span id="referral-rewarded">{r.rewarded}</span>
                </p>
            })}
            <ul class="rows" id="points-ledger">
                {rows_of(list.items, ledger_line)}
            </ul>
            <ListFooter state=list.state id="points-ledger" empty=Msg::CommunityMsg(CommunityMsg::PointsEmpty) on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

fn ledger_line(e: PointsEntry) -> AnyView {
    view! {
        <li class="row" data-entry=e.id.clone()>
            <span>{tc(reason_name(e.reason))}" · "<span class="hint">{datetime::minute(e.created_at)}</span></span>
            <strong class="amount" class:best-mark={e.delta > 0}>{signed(e.delta)}</strong>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gains_carry_a_plus_sign_and_losses_their_minus() {
        assert_eq!(signed(5), "+5");
        assert_eq!(signed(-20), "-20");
        assert_eq!(signed(0), "0");
    }
}
