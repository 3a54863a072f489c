//! The finance console's risk view: the risk cases (`GET /finance/risk-cases?status=open|cleared`:
//! accepted milestones unpaid for more than 15 days that froze a payer's escrow) and the risk
//! reserve report (`GET /finance/reserve`: balance, settled volume and accruals, in all and
//! month by month), amounts in ¥ with two decimals.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{ReserveReport, RiskCaseState, RiskCaseView};

use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, WorkspaceMsg, tr, use_i18n};
use crate::money::format_fen;
use crate::pages::contracts::wt;
use crate::session::use_session;

/// An accrual rate in basis points as a percentage: 100 → `1.00 %`.
fn rate_text(bp: i64) -> String {
    format!("{}.{:02} %", bp / 100, (bp % 100).abs())
}

/// The overdue milestones: `1、2`.
fn milestones_text(milestones: &[u32]) -> String {
    milestones.iter().map(u32::to_string).collect::<Vec<_>>().join("、")
}

/// The risk cases, open or cleared.
#[component]
pub fn RiskCases() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = RwSignal::new(RiskCaseState::Open);
    let cases = RwSignal::new(None::<Result<Vec<RiskCaseView>, Failure>>);
    Effect::new(move |_| {
        let path = format!("/finance/risk-cases?status={}", status.get().as_str());
        let _ = cases.try_set(None);
        leptos::task::spawn_local(async move {
            let result = session.call::<(), Vec<RiskCaseView>>("GET", &path, None).await;
            let _ = cases.try_set(Some(result));
        });
    });
    let tab = move |state: RiskCaseState, msg: WorkspaceMsg, id: &'static str| {
        view! {
            <button type="button" id=id class="button small" class:primary=move || status.get() == state
                aria-pressed=move || (status.get() == state).to_string()
                on:click=move |_| status.set(state)>{wt(msg)}</button>
        }
    };
    view! {
        <section class="card" id="finance-risk-cases-card">
            <h2>{wt(WorkspaceMsg::RiskCases)}</h2>
            <div class="row-actions" role="group">
                {tab(RiskCaseState::Open, WorkspaceMsg::RiskOpen, "risk-cases-open")}
                {tab(RiskCaseState::Cleared, WorkspaceMsg::RiskCleared, "risk-cases-cleared")}
            </div>
            {move || match cases.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! { <p class="form-error" role="alert" id="risk-cases-error">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="risk-cases-empty">{wt(WorkspaceMsg::NoRiskCases)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows" id="risk-cases">
                        {list.into_iter().map(risk_case_row).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

fn risk_case_row(r: RiskCaseView) -> impl IntoView {
    let (msg, class) = match r.status {
        RiskCaseState::Open => (WorkspaceMsg::RiskOpen, "badge-bad"),
        RiskCaseState::Cleared => (WorkspaceMsg::RiskCleared, "badge-ok"),
    };
    let href = format!("/contracts/{}", r.contract_id);
    let contract = r.contract_id.clone();
    view! {
        <li class="row item risk-case" data-risk-case=r.id.clone() data-contract=r.contract_id.clone()>
            <div class="item-main">
                {wt(WorkspaceMsg::Payer)}" "<strong class="risk-case-org">{r.org_name.clone()}</strong>
                " "<span class=format!("badge risk-case-status {class}")>{wt(msg)}</span>
                <p class="hint"><A href=href attr:class="mono risk-case-contract">{contract}</A></p>
                <dl class="facts">
                    <dt>{wt(WorkspaceMsg::OverdueMilestones)}</dt><dd class="risk-case-milestones">{milestones_text(&r.milestones)}</dd>
                    <dt>{wt(WorkspaceMsg::Owed)}</dt><dd class="amount risk-case-owed">{format_fen(r.owed_fen)}</dd>
                    <dt>{wt(WorkspaceMsg::OpenedAt)}</dt><dd>{datetime::minute(r.opened_at)}</dd>
                    {r.cleared_at.map(|at| view! { <dt>{wt(WorkspaceMsg::ClearedAt)}</dt><dd class="risk-case-cleared-at">{datetime::minute(at)}</dd> })}
                </dl>
            </div>
        </li>
    }
}

/// The risk reserve report.
#[component]
pub fn Reserve() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let report = RwSignal::new(None::<Result<ReserveReport, Failure>>);
    leptos::task::spawn_local(async move {
        let result = session.call::<(), ReserveReport>("GET", "/finance/reserve", None).await;
        let _ = report.try_set(Some(result));
    });
    view! {
        <section class="card" id="finance-reserve-card">
            <h2>{wt(WorkspaceMsg::Reserve)}</h2>
            {move || match report.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! { <p class="form-error" role="alert" id="reserve-error">{move || failure_text(i18n.0.get(), &failure)}</p> }.into_any(),
                Some(Ok(r)) => view! {
                    <dl class="facts" id="reserve-totals">
                        <dt>{wt(WorkspaceMsg::ReserveBalance)}</dt><dd class="amount" id="reserve-balance">{format_fen(r.balance_fen)}</dd>
                        <dt>{wt(WorkspaceMsg::ReserveSettled)}</dt><dd class="amount" id="reserve-settled">{format_fen(r.settled_fen)}</dd>
                        <dt>{wt(WorkspaceMsg::ReserveAccrued)}</dt><dd class="amount" id="reserve-accrued">{format_fen(r.accrued_fen)}</dd>
                        <dt>{wt(WorkspaceMsg::ReserveRate)}</dt><dd id="reserve-rate">{rate_text(r.rate_bp)}</dd>
                    </dl>
                    {if r.months.is_empty() {
                        view! { <p class="empty" id="reserve-no-months">{wt(WorkspaceMsg::NoReserveMonths)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="sheet" id="reserve-months">
                                    <thead><tr>
                                        <th>{wt(WorkspaceMsg::Month)}</th>
                                        <th>{wt(WorkspaceMsg::ReserveSettled)}</th>
                                        <th>{wt(WorkspaceMsg::ReserveAccrued)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.months.into_iter().map(|m| view! {
                                            <tr data-month=m.month.clone()>
                                                <td>{m.month.clone()}</td>
                                                <td class="amount reserve-month-settled">{format_fen(m.settled_fen)}</td>
                                                <td class="amount reserve-month-accrued">{format_fen(m.accrued_fen)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accrual_rate_reads_as_a_percentage() {
        assert_eq!(rate_text(100), "1.00 %");
        assert_eq!(rate_text(125), "1.25 %");
    }

    #[test]
    fn overdue_milestones_are_listed_in_order() {
        assert_eq!(milestones_text(&[1, 2]), "1、2");
        assert_eq!(milestones_text(&[]), "");
    }
}
