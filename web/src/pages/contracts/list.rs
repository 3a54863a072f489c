//! "My contracts" (`/contracts`): the active organisation's contracts, newest first
//! (`GET /orgs/{id}/contracts`), each with its other party, amount, status and version.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{ContractView, NotificationKind};

use super::{ct, role_name, state_class, state_name};
use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{ContractMsg, Msg, tr, use_i18n};
use crate::money::format_fen;
use crate::notices::news;
use crate::session::{require_sign_in, use_session};

/// The page.
#[component]
pub fn MyContractsPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let contracts = RwSignal::new(None::<Result<Vec<ContractView>, Failure>>);
    let news = news(|n| {
        matches!(
            n.kind,
            NotificationKind::ContractDrafted
                | NotificationKind::ContractChanged
                | NotificationKind::ContractSigned
                | NotificationKind::ContractInForce
        )
    });
    Effect::new(move |_| {
        let _ = news.get();
        if session.token.with(Option::is_some) {
            let Some(org) = orgs.acting() else { return };
            leptos::task::spawn_local(async move {
                let path = format!("/orgs/{org}/contracts?limit=100");
                let _ = contracts
                    .try_set(Some(orgs.call::<(), Vec<ContractView>>(&org, "GET", &path, None).await));
            });
        }
    });
    view! {
        <section class="card">
            <h1 id="my-contracts-title">{ct(ContractMsg::MyContracts)}</h1>
            <p class="hint">{ct(ContractMsg::MyContractsIntro)}</p>
            <Show when=move || orgs.acting().is_some() fallback=|| view! { <p class="notice">{tr(Msg::NeedActiveOrg)}</p> }>
                {move || match contracts.get() {
                    None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="my-contracts-empty">{ct(ContractMsg::NoContracts)}</p> }.into_any(),
                    Some(Ok(list)) => {
                        let me = orgs.acting_untracked().unwrap_or_default();
                        view! {
                            <ul class="rows" id="my-contracts">
                                {list.into_iter().map(|c| {
                                    let other = c.parties.iter().find(|p| p.org_id != me && p.role != shared::dto::PartyRole::Supervisor).cloned();
                                    view! {
                                        <li class="row item" data-contract=c.id.clone()>
                                            <div class="item-main">
                                                <A href=format!("/contracts/{}", c.id) attr:class="item-title">{c.terms.title.clone()}</A>
                                                <p class="hint">
                                                    {other.map(|p| view! { {ct(role_name(p.role))}" "{p.name}" · " })}
                                                    {ct(ContractMsg::Version)}" "{c.current_version}
                                                </p>
                                            </div>
                                            <div class="row-actions">
                                                <span class="amount">{format_fen(c.terms.plan.amount_fen)}</span>
                                                <span class=format!("badge {}", state_class(c.status))>{ct(state_name(c.status))}</span>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </Show>
        </section>
    }
}
