//! "My bids" (`/bids`): the active organisation's bids, newest first (`GET /orgs/{id}/bids`),
//! each with its tender, price, status and — after the award — rank.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{BidView, NotificationKind};

use super::{bid_state_class, bid_state_name, tt};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, TenderMsg, tr, use_i18n};
use crate::money::format_fen;
use crate::notices::news;
use crate::session::{require_sign_in, use_session};

/// The page.
#[component]
pub fn MyBidsPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let bids = RwSignal::new(None::<Result<Vec<BidView>, Failure>>);
    let outcome = news(|n| {
        matches!(
            n.kind,
            NotificationKind::TenderClosed
                | NotificationKind::BidAwarded
                | NotificationKind::BidNotAwarded
                | NotificationKind::AwardLapsed
                | NotificationKind::TenderCancelled
        )
    });
    Effect::new(move |_| {
        let _ = outcome.get();
        if session.token.with(Option::is_some) {
            let Some(org) = orgs.acting() else { return };
            leptos::task::spawn_local(async move {
                let path = format!("/orgs/{org}/bids?limit=100");
                let _ = bids.try_set(Some(orgs.call::<(), Vec<BidView>>(&org, "GET", &path, None).await));
            });
        }
    });
    view! {
        <section class="card">
            <h1 id="my-bids-title">{tt(TenderMsg::MyBids)}</h1>
            <p class="hint">{tt(TenderMsg::MyBidsIntro)}</p>
            <Show when=move || orgs.acting().is_some() fallback=|| view! { <p class="notice">{tr(Msg::NeedActiveOrg)}</p> }>
                {move || match bids.get() {
                    None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="my-bids-empty">{tt(TenderMsg::NoOwnBids)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="rows" id="my-bids">
                            {list.into_iter().map(|b| view! {
                                <li class="row item" data-bid=b.id.clone()>
                                    <div class="item-main">
                                        <A href=format!("/tenders/{}", b.tender_id) attr:class="item-title">{b.demand_title.clone()}</A>
                                        <p class="hint">
                                            {tt(TenderMsg::Deadline)}" "{datetime::minute(b.bidding_closes_at)}" · "
                                            {tt(TenderMsg::Revision)}" "{b.revision}
                                        </p>
                                    </div>
                                    <div class="row-actions">
                                        <span class="amount">{format_fen(b.price_fen)}</span>
                                        <span class=format!("badge {}", bid_state_class(b.status))>{tt(bid_state_name(b.status))}</span>
                                        {b.rank.map(|r| view! { <span class="badge">{tt(TenderMsg::Rank)}" "{r}</span> })}
                                    </div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </Show>
        </section>
    }
}
