//! The contract page's escrow section (资金监管): each milestone's money (amount, funded,
//! released, held, state), the bond and the retention; for the payer a "fund" button on each
//! milestone with open money, for the performer one for the bond; the caller's funding requests
//! with their transfer instructions (the reference to copy and write in the memo) and a cancel
//! button while pending (or, for WeChat Pay, the payment link); a warning on milestones planned
//! within a week and not funded. Each milestone of the timeline also shows its acceptance and
//! payment state, and the head the schedule (planned against reported progress).

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::dto::{
    AcceptanceState, AcceptanceView, ContractState, EscrowView, FundingChannel, FundingRequestInput,
    FundingRequestView, FundingStatus, FundingTarget, MilestoneMoneyState, PartyRole, ProgressScheduleView,
    TransferInstructions,
};

use crate::active_org::use_active_org;
use crate::clipboard::copy;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{ContractMsg, EscrowMsg, Msg, WorkspaceMsg, tr, use_i18n};
use crate::intent::Intent;
use crate::money::format_fen;
use crate::session::use_session;
use crate::toast::use_toasts;

/// The reactive text of an escrow string.
pub fn et(msg: EscrowMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::EscrowMsg(msg))
}

/// A milestone money state's name.
fn money_state_name(state: MilestoneMoneyState) -> EscrowMsg {
    match state {
        MilestoneMoneyState::Unfunded => EscrowMsg::StateUnfunded,
        MilestoneMoneyState::Requested => EscrowMsg::StateRequested,
        MilestoneMoneyState::PartlyFunded => EscrowMsg::StatePartlyFunded,
        MilestoneMoneyState::Funded => EscrowMsg::StateFunded,
        MilestoneMoneyState::PartlyReleased => EscrowMsg::StatePartlyReleased,
        MilestoneMoneyState::Released => EscrowMsg::StateReleased,
        MilestoneMoneyState::Refunded => EscrowMsg::StateRefunded,
    }
}

/// The badge class of a milestone money state.
fn money_state_class(state: MilestoneMoneyState) -> &'static str {
    match state {
        MilestoneMoneyState::Unfunded => "badge-muted",
        MilestoneMoneyState::Requested | MilestoneMoneyState::PartlyFunded => "badge-warn",
        MilestoneMoneyState::Funded | MilestoneMoneyState::PartlyReleased | MilestoneMoneyState::Released => {
            "badge-ok"
        }
        MilestoneMoneyState::Refunded => "badge-bad",
    }
}

/// The reactive text of a workspace string.
pub fn wt(msg: WorkspaceMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::WorkspaceMsg(msg))
}

/// An acceptance state's name and badge class.
pub(super) fn acceptance_badge(state: AcceptanceState) -> (WorkspaceMsg, &'static str) {
    match state {
        AcceptanceState::Requested => (WorkspaceMsg::AccRequested, "badge-warn"),
        AcceptanceState::Accepted => (WorkspaceMsg::AccAccepted, "badge-ok"),
        AcceptanceState::Rejected => (WorkspaceMsg::AccRejected, "badge-bad"),
    }
}

/// The escrow section of the contract page: the milestone timeline with the money, the
/// acceptance (from `acceptances`) and the schedule (from `schedule`); reloads when `refresh`
/// moves (an acceptance released money). Tells `warranty` the warranty's last day (`Some(None)`
/// before it starts; `None` until the escrow is read) for the defect claims.
#[component]
pub fn EscrowSection(
    contract_id: String,
    my_role: Option<PartyRole>,
    status: ContractState,
    acceptances: RwSignal<Option<Vec<AcceptanceView>>>,
    schedule: RwSignal<Option<ProgressScheduleView>>,
    refresh: RwSignal<u32>,
    warranty: RwSignal<Option<Option<NaiveDate>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let session = use_session();
    let toasts = use_toasts();
    let escrow = RwSignal::new(None::<Result<EscrowView, Failure>>);
    let reload = RwSignal::new(0_u32);
    let busy = RwSignal::new(false);
    let intent = Intent::new();
    let channel = RwSignal::new(FundingChannel::BankTransfer);
    let id = StoredValue::new(contract_id);
    Effect::new(move |_| {
        let _ = (reload.get(), refresh.get());
        let path = format!("/contracts/{}/escrow", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call_acting::<(), EscrowView>("GET", &path, None).await;
            if let Ok(view) = &result {
                let _ = warranty.try_set(Some(view.warranty_ends_on));
            }
            let _ = escrow.try_set(Some(result));
        });
    });
    let fund = Callback::new(move |(target, milestone): (FundingTarget, Option<u32>)| {
        let Some(org) = orgs.acting_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        let body = FundingRequestInput { target, milestone, channel: channel.get_untracked() };
        let key = intent.key_for(&serde_json::to_string(&body).unwrap_or_default());
        busy.set(true);
        let path = format!("/contracts/{}/funding-requests", id.get_value());
        leptos::task::spawn_local(async move {
            let result = session
                .call_keyed::<_, FundingRequestView>(Some(&org), &key, "POST", &path, Some(&body))
                .await;
            intent.settle(&result);
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::EscrowMsg(EscrowMsg::FundingRequested));
                    reload.update(|r| *r += 1);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    });
    let cancel = Callback::new(move |request_id: String| {
        let Some(org) = orgs.acting_untracked() else { return };
        busy.set(true);
        let path = format!("/contracts/{}/funding-requests/{request_id}/cancellation", id.get_value());
        leptos::task::spawn_local(async move {
            let result = orgs.call::<(), FundingRequestView>(&org, "POST", &path, None).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::EscrowMsg(EscrowMsg::RequestCancelled));
                    reload.update(|r| *r += 1);
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    });
    let may_fund = shared::domain::contract::escrow::is_fundable(status);
    view! {
        <section class="card" id="contract-escrow">
            <h2>{et(EscrowMsg::Escrow)}" · "{wt(WorkspaceMsg::Timeline)}</h2>
            <p class="hint">{et(EscrowMsg::EscrowIntro)}</p>
            {move || schedule.get().map(|s| {
                let late = s.slip_days > 7;
                view! {
                <dl class="facts" id="escrow-schedule">
                    <dt>{wt(WorkspaceMsg::Expected)}</dt><dd id="schedule-expected">{s.expected_percent}" %"</dd>
                    <dt>{wt(WorkspaceMsg::Reported)}</dt><dd id="schedule-reported">{s.reported_percent}" %"</dd>
                    <dt>{wt(WorkspaceMsg::SlipDays)}</dt><dd id="schedule-slip" class:bad=late>{s.slip_days}</dd>
                    {s.last_log_date.map(|d| view! { <dt>{wt(WorkspaceMsg::LastLog)}</dt><dd id="schedule-last-log">{d.to_string()}</dd> })}
                </dl>
            }})}
            {(may_fund && matches!(my_role, Some(PartyRole::Payer | PartyRole::Performer))).then(|| view! {
                <label for="escrow-channel">{wt(WorkspaceMsg::Channel)}</label>
                <select id="escrow-channel" on:change=move |ev| channel.set(if event_target_value(&ev) == "wechat_pay" {
                    FundingChannel::WechatPay
                } else {
                    FundingChannel::BankTransfer
                })>
                    <option value="bank_transfer" selected=move || channel.get() == FundingChannel::BankTransfer>{wt(WorkspaceMsg::ChannelBank)}</option>
                    <option value="wechat_pay" selected=move || channel.get() == FundingChannel::WechatPay>{wt(WorkspaceMsg::ChannelWechat)}</option>
                </select>
            })}
            {move || match escrow.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert" id="escrow-error">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(view)) => view! {
                    <EscrowBody escrow=view my_role=my_role may_fund=may_fund busy=busy fund=fund cancel=cancel acceptances=acceptances/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EscrowBody(
    escrow: EscrowView,
    my_role: Option<PartyRole>,
    may_fund: bool,
    busy: RwSignal<bool>,
    fund: Callback<(FundingTarget, Option<u32>)>,
    cancel: Callback<String>,
    acceptances: RwSignal<Option<Vec<AcceptanceView>>>,
) -> impl IntoView {
    let payer = may_fund && my_role == Some(PartyRole::Payer);
    let performer = may_fund && my_role == Some(PartyRole::Performer);
    let bond = escrow.bond.clone();
    let bond_open = bond.required_fen > 0 && bond.funded_fen + bond.pending_fen < bond.required_fen;
    let requests = escrow.funding_requests.clone();
    let no_requests = requests.is_empty();
    view! {
        {escrow.risk_case_id.clone().map(|case| view! {
            <p class="notice notice-bad" id="escrow-risk-case" data-risk-case=case>
                <span class="badge badge-bad">{et(EscrowMsg::Frozen)}</span>" "{wt(WorkspaceMsg::RiskCaseFrozen)}
            </p>
        })}
        {(escrow.frozen && escrow.risk_case_id.is_none()).then(|| view! {
            <p class="notice notice-bad" id="escrow-frozen"><span class="badge badge-bad">{et(EscrowMsg::Frozen)}</span>" "{et(EscrowMsg::FrozenNotice)}</p>
        })}
        <ol class="rows escrow-timeline" id="escrow-milestones">
            {escrow.milestones.into_iter().map(|m| {
                let warn = m.funding_due;
                let index = m.index;
                // The latest request for the milestone (the API lists them oldest first).
                let accepted = move || {
                    acceptances.with(|list| {
                        list.as_ref().and_then(|l| l.iter().rev().find(|a| a.milestone == index)).map(|a| (a.status, a.settlement.clone()))
                    })
                };
                view! {
                    <li class="row item" data-milestone=m.index>
                        <div class="item-main">
                            <strong>{m.index}". "{m.name.clone()}</strong>
                            {(m.index == 0).then(|| view! { " "<span class="badge">{tr(Msg::ContractMsg(ContractMsg::Advance))}</span> })}
                            " "<span class=format!("badge escrow-state {}", money_state_class(m.state))>{et(money_state_name(m.state))}</span>
                            <dl class="facts">
                                <dt>{tr(Msg::ContractMsg(ContractMsg::PlannedDate))}</dt><dd>{m.planned_date.to_string()}</dd>
                                <dt>{tr(Msg::ContractMsg(ContractMsg::MilestoneAmount))}</dt><dd class="amount">{format_fen(m.amount_fen)}</dd>
                                <dt>{et(EscrowMsg::Funded)}</dt><dd class="amount escrow-funded">{format_fen(m.funded_fen)}</dd>
                                <dt>{et(EscrowMsg::Released)}</dt><dd class="amount escrow-released">{format_fen(m.released_fen)}</dd>
                                <dt>{et(EscrowMsg::Held)}</dt><dd class="amount escrow-held">{format_fen(m.balance_fen)}</dd>
                                {(m.pending_fen > 0).then(|| view! { <dt>{et(EscrowMsg::Requested)}</dt><dd class="amount">{format_fen(m.pending_fen)}</dd> })}
                            </dl>
                            {(index > 0).then(|| view! {
                                <p class="milestone-acceptance">
                                    {wt(WorkspaceMsg::Acceptance)}" "
                                    {move || match accepted() {
                                        None => view! { <span class="badge badge-muted acceptance-state">{wt(WorkspaceMsg::NotRequested)}</span> }.into_any(),
                                        Some((state, settlement)) => {
                                            let (msg, class) = acceptance_badge(state);
                                            view! {
                                                <span class=format!("badge acceptance-state {class}")>{wt(msg)}</span>
                                                {settlement.map(|s| view! {
                                                    " · "{wt(WorkspaceMsg::Payment)}" "
                                                    <span class="amount milestone-paid">{wt(WorkspaceMsg::Paid)}" "{format_fen(s.paid_now_fen)}</span>
                                                    {(s.unpaid_fen > 0).then(|| view! { " · "<span class="amount milestone-unpaid">{wt(WorkspaceMsg::Unpaid)}" "{format_fen(s.unpaid_fen)}</span> })}
                                                })}
                                            }.into_any()
                                        }
                                    }}
                                </p>
                            })}
                            {warn.then(|| view! { <p class="notice notice-bad escrow-due">{et(EscrowMsg::DueSoon)}</p> })}
                        </div>
                        {(payer && m.open_fen > 0).then(|| view! {
                            <button class="button primary escrow-fund" type="button" id=format!("escrow-fund-{index}")
                                disabled=move || busy.get()
                                on:click=move |_| fund.run((FundingTarget::Milestone, Some(index)))>
                                {et(EscrowMsg::Fund)}" "{format_fen(m.open_fen)}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
        <dl class="facts" id="escrow-bond">
            <dt>{et(EscrowMsg::Bond)}</dt>
            <dd>
                {if bond.required_fen == 0 {
                    view! { <span id="escrow-no-bond">{et(EscrowMsg::NoBond)}</span> }.into_any()
                } else {
                    view! {
                        {et(EscrowMsg::BondRequired)}" "<span class="amount">{format_fen(bond.required_fen)}</span>
                        " · "{et(EscrowMsg::Funded)}" "<span class="amount" id="escrow-bond-funded">{format_fen(bond.funded_fen)}</span>
                        " · "{et(EscrowMsg::Held)}" "<span class="amount">{format_fen(bond.balance_fen)}</span>
                    }.into_any()
                }}
            </dd>
            <dt>{et(EscrowMsg::RetentionHeld)}</dt><dd class="amount" id="escrow-retention">{format_fen(escrow.retention_fen)}</dd>
            {escrow.warranty_ends_on.map(|day| view! {
                <dt>{wt(WorkspaceMsg::WarrantyEndsOn)}</dt><dd id="escrow-warranty-ends">{day.to_string()}</dd>
            })}
        </dl>
        {(performer && bond_open).then(|| view! {
            <p>
                <button class="button primary" type="button" id="escrow-fund-bond" disabled=move || busy.get()
                    on:click=move |_| fund.run((FundingTarget::Bond, None))>
                    {et(EscrowMsg::FundBond)}
                </button>
            </p>
        })}
        <h3>{et(EscrowMsg::FundingRequests)}</h3>
        {if no_requests {
            view! { <p class="empty" id="escrow-no-requests">{et(EscrowMsg::NoFundingRequests)}</p> }.into_any()
        } else {
            view! {
                <ul class="rows" id="escrow-requests">
                    {requests.into_iter().map(|r| view! { <RequestRow request=r busy=busy cancel=cancel/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn RequestRow(request: FundingRequestView, busy: RwSignal<bool>, cancel: Callback<String>) -> impl IntoView {
    let r = request;
    let pending = r.status == FundingStatus::Pending;
    let (status_msg, status_class) = match r.status {
        FundingStatus::Pending => (EscrowMsg::StatusPending, "badge-warn"),
        FundingStatus::Paid => (EscrowMsg::StatusPaid, "badge-ok"),
        FundingStatus::Cancelled => (EscrowMsg::StatusCancelled, "badge-muted"),
    };
    let id = StoredValue::new(r.id.clone());
    view! {
        <li class="row item funding-request" data-request=r.id.clone() data-reference=r.reference.clone()>
            <div class="item-main">
                <strong>
                    {match (r.target, r.milestone) {
                        (FundingTarget::Milestone, Some(i)) => view! { {et(EscrowMsg::MilestoneN)}" "{i} }.into_any(),
                        _ => view! { {et(EscrowMsg::Bond)} }.into_any(),
                    }}
                </strong>
                " · "<span class="amount">{format_fen(r.amount_fen)}</span>
                " "<span class=format!("badge request-status {status_class}")>{et(status_msg)}</span>
                <p class="hint">{et(EscrowMsg::Reference)}" "<span class="mono">{r.reference.clone()}</span>" · "{datetime::minute(r.created_at)}</p>
                {pending.then(|| match (r.channel, r.instructions.clone(), r.code_url.clone()) {
                    (FundingChannel::BankTransfer, Some(i), _) => view! { <Instructions instructions=i/> }.into_any(),
                    (FundingChannel::BankTransfer, None, _) => view! { <p class="notice">{et(EscrowMsg::NoInstructions)}</p> }.into_any(),
                    (FundingChannel::WechatPay, _, code_url) => view! { <WechatLink code_url=code_url/> }.into_any(),
                })}
            </div>
            {pending.then(|| view! {
                <button class="button danger small request-cancel" type="button" disabled=move || busy.get()
                    on:click=move |_| cancel.run(id.get_value())>
                    {et(EscrowMsg::CancelRequest)}
                </button>
            })}
        </li>
    }
}

/// The WeChat Pay Native order's payment link, as text and link (opened in WeChat, or shown as a
/// QR code by another device); none yet while WeChat Pay has not opened the order.
#[component]
fn WechatLink(code_url: Option<String>) -> impl IntoView {
    view! {
        <div class="transfer-instructions wechat-pay">
            <p class="label">{wt(WorkspaceMsg::WechatTitle)}</p>
            {match code_url {
                Some(url) => view! {
                    <p class="notice">{wt(WorkspaceMsg::WechatNote)}</p>
                    <p><a class="mono wrap wechat-code-url" href=url.clone()>{url.clone()}</a></p>
                }.into_any(),
                None => view! { <p class="notice notice-bad wechat-no-link">{et(EscrowMsg::NoInstructions)}</p> }.into_any(),
            }}
        </div>
    }
}

/// Where and how to send the bank transfer.
#[component]
fn Instructions(instructions: TransferInstructions) -> impl IntoView {
    let toasts = use_toasts();
    let i = instructions;
    let reference = StoredValue::new(i.reference.clone());
    let copy_reference = move |_| {
        let text = reference.get_value();
        leptos::task::spawn_local(async move {
            if copy(&text).await {
                toasts.success(Msg::Copied);
            } else {
                toasts.problem(Msg::CopyFailed);
            }
        });
    };
    view! {
        <div class="transfer-instructions">
            <p class="label">{et(EscrowMsg::TransferTitle)}</p>
            <dl class="facts">
                <dt>{et(EscrowMsg::AccountName)}</dt><dd class="transfer-account-name">{i.account_name}</dd>
                <dt>{et(EscrowMsg::BankName)}</dt><dd class="transfer-bank">{i.bank_name}</dd>
                <dt>{et(EscrowMsg::AccountNumber)}</dt><dd class="mono transfer-account-number">{i.account_number}</dd>
                <dt>{et(EscrowMsg::ExactAmount)}</dt><dd class="amount transfer-amount">{format_fen(i.amount_fen)}</dd>
                <dt>{et(EscrowMsg::Reference)}</dt>
                <dd>
                    <strong class="mono transfer-reference">{i.reference}</strong>" "
                    <button class="button small transfer-copy" type="button" on:click=copy_reference>{tr(Msg::Copy)}</button>
                </dd>
            </dl>
            <p class="notice transfer-memo-note">{et(EscrowMsg::MemoNote)}</p>
        </div>
    }
}
