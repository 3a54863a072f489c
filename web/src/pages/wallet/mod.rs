//! The organisation wallet (`/wallet`, 企业钱包) of the active organisation: the available,
//! in-escrow, bond and retention totals, the accounts behind them, and the postings of the
//! chosen account, newest first, with "show more" keyset paging; the withdrawals (see
//! [`payouts`]).

mod payouts;

pub use payouts::payout_badge;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{AccountBalance, AccountKind, PostingPage, PostingView, TransactionKind, WalletView};

use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{EscrowMsg, Msg, tr, use_i18n};
use crate::money::format_fen;
use crate::pages::contracts::et;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::{require_sign_in, use_session};

/// An account kind's name.
fn account_kind_name(kind: AccountKind) -> EscrowMsg {
    match kind {
        AccountKind::Available => EscrowMsg::KindAvailable,
        AccountKind::PayoutPending => EscrowMsg::KindPayoutPending,
        AccountKind::Escrow => EscrowMsg::KindEscrow,
        AccountKind::Bond => EscrowMsg::KindBond,
        AccountKind::Retention => EscrowMsg::KindRetention,
        AccountKind::Clearing => EscrowMsg::KindClearing,
        AccountKind::RiskReserve => EscrowMsg::KindRiskReserve,
        AccountKind::PlatformEquity => EscrowMsg::KindPlatformEquity,
    }
}

/// A transaction kind's name.
fn transaction_kind_name(kind: TransactionKind) -> EscrowMsg {
    match kind {
        TransactionKind::FundEscrow => EscrowMsg::TxFundEscrow,
        TransactionKind::FundBond => EscrowMsg::TxFundBond,
        TransactionKind::Release => EscrowMsg::TxRelease,
        TransactionKind::Refund => EscrowMsg::TxRefund,
        TransactionKind::BondReturn => EscrowMsg::TxBondReturn,
        TransactionKind::RetentionRelease => EscrowMsg::TxRetentionRelease,
        TransactionKind::PayoutRequest => EscrowMsg::TxPayoutRequest,
        TransactionKind::Payout => EscrowMsg::TxPayout,
        TransactionKind::PayoutReturn => EscrowMsg::TxPayoutReturn,
        TransactionKind::ReserveAccrual => EscrowMsg::TxReserveAccrual,
        TransactionKind::AwardPayment => EscrowMsg::TxAwardPayment,
        TransactionKind::Compensation => EscrowMsg::TxCompensation,
        TransactionKind::RecoveryPayment => EscrowMsg::TxRecoveryPayment,
    }
}

/// A signed amount: `+¥1.00` in, `−¥1.00` out.
fn signed_fen(fen: i64) -> String {
    if fen < 0 { format!("−{}", format_fen(-fen)) } else { format!("+{}", format_fen(fen)) }
}

/// The wallet page.
#[component]
pub fn WalletPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let wallet = RwSignal::new(None::<Result<WalletView, Failure>>);
    let account = RwSignal::new(None::<String>);
    let postings = Paged::<PostingView>::new();
    // Moves when a withdrawal moved money between the organisation's accounts.
    let moved = RwSignal::new(0_u32);
    Effect::new(move |_| {
        let _ = moved.get();
        if !session.ready.get() || session.token.with(Option::is_none) {
            return;
        }
        let Some(org) = orgs.acting() else { return };
        wallet.set(None);
        account.set(None);
        leptos::task::spawn_local(async move {
            let result = orgs.call::<(), WalletView>(&org, "GET", &format!("/orgs/{org}/wallet"), None).await;
            let _ = wallet.try_set(Some(result));
        });
    });
    let load = move |first: bool| {
        let Some(org) = orgs.acting_untracked() else { return };
        let path = with_query(
            &format!("/orgs/{org}/wallet/postings"),
            &[
                ("account", account.get_untracked()),
                ("limit", Some(PAGE_SIZE.to_owned())),
                ("cursor", postings.cursor_for(first)),
            ],
        );
        postings.load(first, async move {
            orgs.call::<(), PostingPage>(&org, "GET", &path, None).await.map(|p| (p.items, p.next_cursor))
        });
    };
    Effect::new(move |_| {
        let _ = (account.get(), moved.get());
        if wallet.with(|w| matches!(w, Some(Ok(_)))) {
            load(true);
        }
    });
    view! {
        <div class="stack wallet-page">
            <section class="card">
                <h1 id="wallet-title">{et(EscrowMsg::Wallet)}</h1>
                <p class="hint">{et(EscrowMsg::WalletIntro)}</p>
                {move || match (orgs.acting(), wallet.get()) {
                    (None, _) => view! { <p class="empty" id="wallet-no-org">{et(EscrowMsg::ChooseOrg)}</p> }.into_any(),
                    (_, None) => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    (_, Some(Err(failure))) => view! {
                        <p class="form-error" role="alert" id="wallet-error">{move || failure_text(i18n.0.get(), &failure)}</p>
                    }.into_any(),
                    (_, Some(Ok(w))) => view! { <Totals wallet=w account=account/> }.into_any(),
                }}
            </section>
            {move || orgs.acting().map(|org| view! { <payouts::Withdrawals org_id=org moved=moved/> })}
            <section class="card" id="wallet-postings-card">
                <h2>{et(EscrowMsg::Postings)}</h2>
                <ul class="rows" id="wallet-postings">
                    {move || postings.items.get().into_iter().map(posting_row).collect_view()}
                </ul>
                <ListFooter state=postings.state id="wallet-postings" empty=Msg::EscrowMsg(EscrowMsg::NoPostings)
                    on_more=Callback::new(move |()| load(false))/>
            </section>
        </div>
    }
}

#[component]
fn Totals(wallet: WalletView, account: RwSignal<Option<String>>) -> impl IntoView {
    let available_id = format!("available:{}", wallet.org_id);
    let accounts = wallet.accounts.clone();
    view! {
        <dl class="facts" id="wallet-totals">
            <dt>{et(EscrowMsg::Available)}</dt><dd class="amount" id="wallet-available">{format_fen(wallet.available_fen)}</dd>
            <dt>{et(EscrowMsg::KindPayoutPending)}</dt><dd class="amount" id="wallet-payout-pending">{format_fen(wallet.payout_pending_fen)}</dd>
            <dt>{et(EscrowMsg::InEscrow)}</dt><dd class="amount" id="wallet-in-escrow">{format_fen(wallet.in_escrow_fen)}</dd>
            <dt>{et(EscrowMsg::Bonds)}</dt><dd class="amount" id="wallet-bonds">{format_fen(wallet.bonds_fen)}</dd>
            <dt>{et(EscrowMsg::Retention)}</dt><dd class="amount" id="wallet-retention">{format_fen(wallet.retention_fen)}</dd>
        </dl>
        <h2>{et(EscrowMsg::Accounts)}</h2>
        <ul class="rows" id="wallet-accounts">
            {accounts.into_iter().map(|a| {
                let available_id = available_id.clone();
                view! { <AccountRow balance=a account=account available_id=available_id/> }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn AccountRow(
    balance: AccountBalance,
    account: RwSignal<Option<String>>,
    available_id: String,
) -> impl IntoView {
    let a = balance;
    let id = StoredValue::new(a.account_id.clone());
    let is_default = a.account_id == available_id;
    let chosen = move || {
        account.with(|chosen| match chosen {
            Some(c) => id.with_value(|id| c == id),
            None => is_default,
        })
    };
    view! {
        <li class="row item wallet-account" data-account=a.account_id.clone() class:selected=chosen>
            <div class="item-main">
                <strong>{et(account_kind_name(a.kind))}</strong>
                {a.milestone.map(|m| view! { " · "{et(EscrowMsg::MilestoneN)}" "{m} })}
                {a.frozen.then(|| view! { " "<span class="badge badge-bad">{et(EscrowMsg::Frozen)}</span> })}
                {a.contract_id.clone().map(|c| view! {
                    <p class="hint"><A href=format!("/contracts/{c}")>{et(EscrowMsg::Contract)}" "<span class="mono wrap">{c.clone()}</span></A></p>
                })}
            </div>
            <span class="amount">{format_fen(a.balance_fen)}</span>
            <button class="button small wallet-account-show" type="button" aria-pressed=move || chosen().to_string()
                on:click=move |_| account.set(Some(id.get_value()))>
                {et(EscrowMsg::Postings)}
            </button>
        </li>
    }
}

fn posting_row(p: PostingView) -> impl IntoView {
    let sign_class = if p.amount_fen < 0 { "amount out" } else { "amount in" };
    view! {
        <li class="row item posting" data-seq=p.seq data-kind=p.kind.as_str()>
            <div class="item-main">
                <strong class="posting-kind">{et(transaction_kind_name(p.kind))}</strong>
                {p.milestone.map(|m| view! { " · "{et(EscrowMsg::MilestoneN)}" "{m} })}
                <p class="hint wrap">
                    {datetime::minute(p.created_at)}
                    {(!p.memo.is_empty()).then(|| view! { " · "{p.memo.clone()} })}
                    {p.contract_id.clone().map(|c| view! {
                        " · "<A href=format!("/contracts/{c}") attr:class="posting-contract">{et(EscrowMsg::Contract)}</A>
                    })}
                </p>
            </div>
            <div class="posting-figures">
                <span class=format!("posting-amount {sign_class}")>{signed_fen(p.amount_fen)}</span>
                <p class="hint">{et(EscrowMsg::BalanceAfter)}" "<span class="posting-balance">{format_fen(p.balance_after_fen)}</span></p>
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_in_shows_plus_and_money_out_shows_minus() {
        assert_eq!(signed_fen(95_000_000), "+¥950,000.00");
        assert_eq!(signed_fen(-12_000), "−¥120.00");
        assert_eq!(signed_fen(0), "+¥0.00");
    }
}
