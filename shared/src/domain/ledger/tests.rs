//! Tests of the ledger: the movement rule, the workflow movements, reference codes, statements
//! and reconciliation, and the property that no sequence of movements breaks the books.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::ops::{self, retention_of};
use super::statement::{self, Decision, PendingRequest, QueueReason};
use super::{Account, Ledger, LedgerRefusal, Posting, Transaction, TransactionKind, reference};

const C: &str = "c1";
const PAYER: &str = "payer";
const PERFORMER: &str = "performer";

#[test]
fn a_funding_moves_money_from_clearing_into_escrow() {
    let mut ledger = Ledger::new();
    ledger.apply(&ops::fund_escrow(C, 1, 50_000).expect("ok")).expect("ok");
    assert_eq!(ledger.balance(&Account::escrow(C, 1)), 50_000);
    assert_eq!(ledger.balance(&Account::Clearing), -50_000);
    assert_eq!(ledger.total(), 0);
}

#[test]
fn a_release_withholds_retention_but_not_from_the_advance() {
    let mut ledger = Ledger::new();
    ledger.apply(&ops::fund_escrow(C, 0, 10_000).expect("ok")).expect("ok");
    ledger.apply(&ops::fund_escrow(C, 1, 10_001).expect("ok")).expect("ok");
    ledger.apply(&ops::release(C, 0, 10_000, 300, PERFORMER).expect("ok")).expect("ok");
    assert_eq!(ledger.balance(&Account::available(PERFORMER)), 10_000);
    let tx = ops::release(C, 1, 10_001, 300, PERFORMER).expect("ok");
    assert_eq!(tx.postings.len(), 3);
    ledger.apply(&tx).expect("ok");
    // 3 % of 10001 fen is 300.03, withheld 300 (rounded down).
    assert_eq!(ledger.balance(&Account::retention(C)), 300);
    assert_eq!(ledger.balance(&Account::available(PERFORMER)), 10_000 + 9_701);
    assert_eq!(ledger.balance(&Account::escrow(C, 1)), 0);
}

#[test]
fn retention_of_a_tiny_release_may_be_nothing() {
    assert_eq!(retention_of(1, 33, 300), 0);
    assert_eq!(retention_of(0, 1_000_000, 1000), 0);
    let tx = ops::release(C, 2, 33, 300, PERFORMER).expect("ok");
    assert_eq!(tx.postings.len(), 2);
}

#[test]
fn releasing_more_than_the_escrow_holds_is_refused_and_changes_nothing() {
    let mut ledger = Ledger::new();
    ledger.apply(&ops::fund_escrow(C, 1, 100).expect("ok")).expect("ok");
    let before = ledger.clone();
    let refusal = ledger.apply(&ops::release(C, 1, 101, 0, PERFORMER).expect("ok")).expect_err("refused");
    assert_eq!(
        refusal,
        LedgerRefusal::InsufficientFunds {
            account: format!("escrow:{C}:1"),
            balance_fen: 100,
            needed_fen: 101
        }
    );
    assert_eq!(refusal.issue(), "insufficient_funds");
    assert_eq!(ledger, before);
}

#[test]
fn a_frozen_escrow_gives_nothing_out_but_may_still_be_funded() {
    let mut ledger = Ledger::new();
    ledger.apply(&ops::fund_escrow(C, 1, 100).expect("ok")).expect("ok");
    ledger.set_frozen(&Account::escrow(C, 1), true);
    assert_eq!(
        ledger.apply(&ops::refund(C, 1, 100, PAYER).expect("ok")),
        Err(LedgerRefusal::Frozen(format!("escrow:{C}:1")))
    );
    assert_eq!(
        ledger.apply(&ops::release(C, 1, 100, 0, PERFORMER).expect("ok")).expect_err("refused").issue(),
        "frozen"
    );
    ledger.apply(&ops::fund_escrow(C, 1, 5).expect("ok")).expect("ok");
    assert_eq!(ledger.balance(&Account::escrow(C, 1)), 105);
    ledger.set_frozen(&Account::escrow(C, 1), false);
    ledger.apply(&ops::refund(C, 1, 105, PAYER).expect("ok")).expect("ok");
}

#[test]
fn unbalanced_malformed_and_overflowing_transactions_are_refused() {
    let ledger = Ledger::new();
    let unbalanced = Transaction {
        kind: TransactionKind::FundEscrow,
        postings: vec![
            Posting { account: Account::Clearing, amount_fen: -10 },
            Posting { account: Account::escrow(C, 1), amount_fen: 9 },
        ],
    };
    assert_eq!(ledger.preview(&unbalanced), Err(LedgerRefusal::Unbalanced(-1)));
    let single = Transaction {
        kind: TransactionKind::Payout,
        postings: vec![Posting { account: Account::Clearing, amount_fen: 0 }],
    };
    assert_eq!(ledger.preview(&single), Err(LedgerRefusal::Malformed));
    let twice = Transaction {
        kind: TransactionKind::Payout,
        postings: vec![
            Posting { account: Account::Clearing, amount_fen: -1 },
            Posting { account: Account::Clearing, amount_fen: 1 },
        ],
    };
    assert_eq!(ledger.preview(&twice), Err(LedgerRefusal::Malformed));
    assert_eq!(ops::payout(PAYER, 0), Err(LedgerRefusal::Malformed));
    assert_eq!(ops::fund_bond(C, -5), Err(LedgerRefusal::Malformed));
    let mut full = Ledger::new();
    full.load(Account::escrow(C, 1), i64::MAX, false);
    assert_eq!(full.apply(&ops::fund_escrow(C, 1, 1).expect("ok")), Err(LedgerRefusal::Overflow));
}

#[test]
fn a_payout_above_the_balance_is_refused() {
    let mut ledger = Ledger::new();
    ledger.load(Account::available(PERFORMER), 500, false);
    assert!(matches!(
        ledger.apply(&ops::payout_request(PERFORMER, 501).expect("ok")),
        Err(LedgerRefusal::InsufficientFunds { .. })
    ));
    ledger.apply(&ops::payout_request(PERFORMER, 500).expect("ok")).expect("ok");
    assert_eq!(ledger.balance(&Account::available(PERFORMER)), 0);
    assert_eq!(ledger.balance(&Account::payout_pending(PERFORMER)), 500);
    // Nothing is sent or returned twice: the pending account cannot go negative.
    ledger.apply(&ops::payout(PERFORMER, 300).expect("ok")).expect("ok");
    ledger.apply(&ops::payout_return(PERFORMER, 200).expect("ok")).expect("ok");
    assert!(ledger.apply(&ops::payout(PERFORMER, 1).expect("ok")).is_err());
    assert_eq!(ledger.balance(&Account::available(PERFORMER)), 200);
    assert_eq!(ledger.balance(&Account::Clearing), 300);
}

#[test]
fn the_reserve_accrues_one_percent_from_platform_equity() {
    assert_eq!(ops::reserve_share(12_345), 123);
    assert!(ops::reserve_accrual(99).is_none());
    let mut ledger = Ledger::new();
    ledger.apply(&ops::reserve_accrual(1_000_000).expect("ok")).expect("ok");
    assert_eq!(ledger.balance(&Account::RiskReserve), 10_000);
    assert_eq!(ledger.balance(&Account::PlatformEquity), -10_000);
}

#[test]
fn account_ids_read_back() {
    for account in [
        Account::available("o-1"),
        Account::escrow("c-1", 0),
        Account::escrow("c-1", 12),
        Account::bond("c-1"),
        Account::retention("c-1"),
        Account::Clearing,
        Account::RiskReserve,
        Account::PlatformEquity,
    ] {
        assert_eq!(Account::parse(&account.to_string()), Some(account));
    }
    for bad in ["", "escrow:c", "escrow:c:x", "available:", "clearing:x", "bond:c:1", "nope"] {
        assert_eq!(Account::parse(bad), None, "{bad}");
    }
}

#[test]
fn reference_codes_are_valid_and_read_back_from_memos() {
    let code = reference::make(0x00ab_cdef_1234);
    assert_eq!(code.len(), 11);
    assert!(code.starts_with("GZ"));
    assert!(reference::is_valid(&code));
    assert_eq!(reference::find_in(&format!("货款 {code} 某某项目")), Some(code.clone()));
    let spaced = format!("{} {}-{}", &code[..5].to_lowercase(), &code[5..8], &code[8..]);
    assert_eq!(reference::find_in(&spaced), Some(code.clone()));
    // One typo: the check character fails, so it matches nothing.
    let mut typo: Vec<char> = code.chars().collect();
    typo[4] = if typo[4] == 'A' { 'B' } else { 'A' };
    let typo: String = typo.into_iter().collect();
    assert_eq!(reference::find_in(&typo), None);
    assert!(!reference::is_valid(&typo));
    assert_eq!(reference::find_in("工程款"), None);
}

proptest! {
    #[test]
    fn every_random_reference_is_found_in_its_memo(random in 0_u64..(1 << 40)) {
        let code = reference::make(random);
        prop_assert!(reference::is_valid(&code));
        prop_assert_eq!(reference::find_in(&format!("付GZ项目{code}款")), Some(code));
    }
}

const ICBC: &str = "\u{feff}账号,1202 0000 0000 0000 000\n户名,共筑平台资金监管专户\n查询期间,2026-12-01至2026-12-07\n\
交易日期,交易时间,流水号,对方户名,对方账号,借方金额,贷方金额,余额,摘要\n\
2026-12-07,10:21:05,HX001,甲建设集团有限公司,6222000011112222,,\"1,200,000.00\",1200000.00,工程款 GZ7K3M9QX2R\n\
2026-12-07,11:00:00,HX002,乙公司,6222000033334444,500.00,,1199500.00,手续费\n\
2026-12-07,11:30:00,HX003,丙公司,6222000055556666,,¥88.8,1199588.80,货款\n\
合计,,,,,500.00,1200088.80,,\n";

#[test]
fn an_icbc_style_export_with_preamble_and_summary_is_read() {
    let parsed = statement::parse(ICBC).expect("ok");
    assert_eq!(parsed.skipped_outflows, 1);
    assert_eq!(parsed.lines.len(), 2);
    let first = &parsed.lines[0];
    assert_eq!(first.row, 5);
    assert_eq!(first.serial, "HX001");
    assert_eq!(first.amount_fen, 120_000_000);
    assert_eq!(first.counterparty_name, "甲建设集团有限公司");
    assert_eq!(first.counterparty_account, "6222000011112222");
    assert_eq!(first.trade_date.to_string(), "2026-12-07");
    assert_eq!(parsed.lines[1].amount_fen, 8_880);
    assert_eq!(parsed.lines[1].reference, None);
}

#[test]
fn other_banks_column_names_and_formats_are_read() {
    let ccb = "记账日期\t交易流水号\t对方账户名称\t对方账户\t贷方发生额(元)\t用途\t附言\n\
20261206\t0099\t丁公司\t955880001\t=\"300.5\"\t监管资金\tgz7k3m9qx2r\n";
    let parsed = statement::parse(ccb).expect("ok");
    let line = &parsed.lines[0];
    assert_eq!(line.amount_fen, 30_050);
    assert_eq!(line.memo, "监管资金 gz7k3m9qx2r");
    assert_eq!(line.trade_date.to_string(), "2026-12-06");
    let boc = "日期,凭证号,收(付)方名称,收(付)方账号,收入金额,备注\n2026年12月5日,A1,戊公司,1,10,\n";
    let parsed = statement::parse(boc).expect("ok");
    assert_eq!(parsed.lines[0].counterparty_name, "戊公司");
    assert_eq!(parsed.lines[0].amount_fen, 1_000);
}

#[test]
fn a_bad_statement_is_refused_naming_each_row() {
    let bad = "交易日期,流水号,贷方金额,摘要\n2026-13-01,S1,10.00,\n2026-12-01,S2,1.234,\n2026-12-01,,5,\n2026-12-01,S4,5,\n2026-12-01,S4,6,\n";
    let err = statement::parse(bad).expect_err("refused");
    let fields: Vec<(String, String)> = err.0.iter().map(|i| (i.field.clone(), i.issue.clone())).collect();
    assert_eq!(
        fields,
        vec![
            ("row[2].date".into(), "invalid_date".into()),
            ("row[3].amount".into(), "invalid_amount".into()),
            ("row[4].serial".into(), "required".into()),
            ("row[6].serial".into(), "duplicate".into()),
        ]
    );
    assert_eq!(statement::parse("a,b,c\n1,2,3\n").expect_err("refused").0[0].issue, "no_header_row");
    assert_eq!(statement::parse("交易日期,流水号,贷方金额\n").expect_err("refused").0[0].issue, "no_lines");
    assert_eq!(statement::parse_amount("-5"), Err("invalid_amount"));
    assert_eq!(statement::parse_amount("100000000001"), Err("invalid_amount"));
    assert_eq!(statement::parse_amount("0.00"), Ok(None));
}

fn line(serial: &str, amount_fen: i64, reference: Option<&str>) -> statement::StatementLine {
    statement::StatementLine {
        row: 1,
        trade_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("ok"),
        serial: serial.into(),
        counterparty_name: String::new(),
        counterparty_account: String::new(),
        amount_fen,
        memo: String::new(),
        reference: reference.map(str::to_owned),
    }
}

#[test]
fn reconciliation_matches_reference_and_amount_and_queues_the_rest() {
    let mut requests = BTreeMap::new();
    requests.insert("GZA".into(), PendingRequest { id: "r1".into(), amount_fen: 100, pending: true });
    requests.insert("GZB".into(), PendingRequest { id: "r2".into(), amount_fen: 200, pending: true });
    requests.insert("GZC".into(), PendingRequest { id: "r3".into(), amount_fen: 300, pending: false });
    let lines = [
        line("1", 100, Some("GZA")),
        line("2", 100, Some("GZA")),
        line("3", 201, Some("GZB")),
        line("4", 300, Some("GZC")),
        line("5", 300, Some("GZZ")),
        line("6", 300, None),
    ];
    assert_eq!(
        statement::reconcile(&lines, &requests),
        vec![
            Decision::Match { request_id: "r1".into() },
            Decision::Queue(QueueReason::RequestNotPending),
            Decision::Queue(QueueReason::AmountDiffers),
            Decision::Queue(QueueReason::RequestNotPending),
            Decision::Queue(QueueReason::UnknownReference),
            Decision::Queue(QueueReason::NoReference),
        ]
    );
}

/// One step of the property test.
#[derive(Clone, Debug)]
enum Step {
    Fund(u32, i64),
    FundBond(i64),
    Release(u32, i64, u32),
    Refund(u32, i64),
    Freeze(u32, bool),
    BondReturn(i64),
    RetentionRelease(i64),
    Payout(bool, i64),
    PayoutSent(bool, i64),
    PayoutReturn(bool, i64),
    Reserve(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let amount = prop_oneof![1_i64..1_000, 1_i64..100_000_000, Just(i64::MAX / 2)];
    prop_oneof![
        (0_u32..3, amount.clone()).prop_map(|(m, a)| Step::Fund(m, a)),
        amount.clone().prop_map(Step::FundBond),
        (0_u32..3, amount.clone(), 0_u32..=1000).prop_map(|(m, a, r)| Step::Release(m, a, r)),
        (0_u32..3, amount.clone()).prop_map(|(m, a)| Step::Refund(m, a)),
        (0_u32..3, any::<bool>()).prop_map(|(m, f)| Step::Freeze(m, f)),
        amount.clone().prop_map(Step::BondReturn),
        amount.clone().prop_map(Step::RetentionRelease),
        (any::<bool>(), amount.clone()).prop_map(|(p, a)| Step::Payout(p, a)),
        (any::<bool>(), amount.clone()).prop_map(|(p, a)| Step::PayoutSent(p, a)),
        (any::<bool>(), amount.clone()).prop_map(|(p, a)| Step::PayoutReturn(p, a)),
        amount.prop_map(Step::Reserve),
    ]
}

fn transaction(step: &Step) -> Option<Transaction> {
    match *step {
        Step::Fund(m, a) => ops::fund_escrow(C, m, a).ok(),
        Step::FundBond(a) => ops::fund_bond(C, a).ok(),
        Step::Release(m, a, r) => ops::release(C, m, a, r, PERFORMER).ok(),
        Step::Refund(m, a) => ops::refund(C, m, a, PAYER).ok(),
        Step::BondReturn(a) => ops::bond_return(C, a, PERFORMER).ok(),
        Step::RetentionRelease(a) => ops::retention_release(C, a, PERFORMER).ok(),
        Step::Payout(payer, a) => ops::payout_request(if payer { PAYER } else { PERFORMER }, a).ok(),
        Step::PayoutSent(payer, a) => ops::payout(if payer { PAYER } else { PERFORMER }, a).ok(),
        Step::PayoutReturn(payer, a) => ops::payout_return(if payer { PAYER } else { PERFORMER }, a).ok(),
        Step::Reserve(a) => ops::reserve_accrual(a),
        Step::Freeze(..) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of funding, release, refund, freeze, retention, bond and payout movements
    /// keeps every applied transaction balanced, the books summing to zero, no user account
    /// negative, and frozen accounts giving nothing out; a refused movement changes nothing.
    #[test]
    fn no_sequence_of_movements_breaks_the_books(steps in proptest::collection::vec(step(), 1..60)) {
        let mut ledger = Ledger::new();
        for step in &steps {
            if let Step::Freeze(m, frozen) = step {
                ledger.set_frozen(&Account::escrow(C, *m), *frozen);
                continue;
            }
            let Some(tx) = transaction(step) else { continue };
            let before = ledger.clone();
            match ledger.apply(&tx) {
                Ok(after) => {
                    prop_assert_eq!(tx.postings.iter().map(|p| i128::from(p.amount_fen)).sum::<i128>(), 0);
                    prop_assert_eq!(after.len(), tx.postings.len());
                    for posting in &tx.postings {
                        prop_assert!(!(posting.amount_fen < 0 && before.is_frozen(&posting.account)));
                    }
                }
                Err(_) => prop_assert_eq!(&ledger, &before),
            }
            prop_assert_eq!(ledger.total(), 0);
            for (account, balance) in ledger.balances() {
                prop_assert!(balance >= 0 || !account.kind().must_not_go_negative(), "{} is {}", account, balance);
            }
        }
    }
}
