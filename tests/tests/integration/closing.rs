//! The end of a contract's money (issue #16): the last acceptance returns the bond and starts the
//! warranty, full payment completes the contract, both sides rate each other (shown when both
//! rated), a defect claim holds the retention past the warranty until the payer closes it; an
//! accepted milestone unpaid for more than 15 days freezes the payer's escrow with a risk case,
//! bars the payer from new contracts, and clears when paid. Refusals change nothing.

use serde_json::json;
use shared::dto::*;

use crate::contracts::{awarded, terms_of};
use crate::escrow::{
    ask, escrow, import, ledger_balanced, request_funding, send_for_signing, sign, statement,
};
use crate::fixtures::demand_body;
use crate::helpers::*;

const ADVANCE: i64 = 95_000_000;
const FIRST: i64 = 570_000_000;
const SECOND: i64 = 285_000_000;
const BOND: i64 = 47_500_000;

/// Moves the clock by `seconds` and waits until the `escrow_watch` job ran after the move.
async fn watched(app: &TestApp, seconds: i64) {
    app.advance_clock(seconds).await;
    let moved = app.now().naive_utc();
    for _ in 0..300 {
        let job = {
            let mut conn = app.db.get().expect("conn");
            api::db::models::jobs::JobRow::by_dedupe_key(&mut conn, "escrow_watch").expect("query")
        };
        if job.is_some_and(|j| j.run_at > moved) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the escrow_watch job did not run");
}

/// A long-lived session: the clock moves by weeks in these tests.
pub async fn app() -> TestApp {
    spawn_with(Spawn {
        tweak: Some(|config| {
            config.access_token_ttl_secs = 90 * 86_400;
            config.refresh_token_ttl_secs = 120 * 86_400;
        }),
        ..Spawn::default()
    })
    .await
}

/// An awarded contract with a one-month warranty and a 5 % bond, signed by both, with what the
/// `fund` list names funded through one statement. Returns the cast, the id and the officer.
pub async fn in_force(
    app: &TestApp,
    fund: &[(FundingTarget, Option<u32>)],
) -> (crate::tenders::Cast, String, String) {
    in_force_with(app, fund, |_| {}).await
}

/// [`in_force`] with the terms changed further by `change`.
pub async fn in_force_with(
    app: &TestApp,
    fund: &[(FundingTarget, Option<u32>)],
    change: impl FnOnce(&mut ContractTermsRequest),
) -> (crate::tenders::Cast, String, String) {
    let (c, contract) = awarded(app).await;
    let officer = app.staff_member("closing-finance@example.com", &["finance_officer"]).await;
    into_force(app, &c, &contract, &officer, fund, change).await;
    (c, contract.id, officer)
}

/// Brings a drafted contract into force: a one-month warranty and a 5 % bond (terms changed
/// further by `change`), sent for signing, what `fund` names funded through one statement the
/// finance `officer` imports, signed by both.
pub async fn into_force(
    app: &TestApp,
    c: &crate::tenders::Cast,
    contract: &ContractView,
    officer: &str,
    fund: &[(FundingTarget, Option<u32>)],
    change: impl FnOnce(&mut ContractTermsRequest),
) {
    let id = contract.id.clone();
    let terms = terms_of(contract, |t| {
        t.plan.warranty_months = 1;
        t.plan.performance_bond_bp = 500;
        change(t);
    });
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, ContractView>(&format!("/contracts/{id}/terms"), &terms)
        .await
        .expect("terms");
    let signing = send_for_signing(app, &c.poster, &id).await;
    // Keys and bank serials unique per contract: one cast may settle several.
    let tag = &id[id.len() - 10..];
    let mut lines = Vec::new();
    for (n, (target, milestone)) in fund.iter().enumerate() {
        let org = if *target == FundingTarget::Bond { &c.alpha } else { &c.poster };
        let key = format!("f{n}-{tag}");
        let asked = request_funding(app, org, &id, &ask(*target, *milestone), &key).await.expect("asked");
        lines.push((
            format!("S-{tag}-{n}"),
            format!("{:.2}", asked.amount_fen as f64 / 100.0),
            asked.reference,
        ));
    }
    let lines: Vec<(&str, &str, &str)> =
        lines.iter().map(|(s, a, r)| (s.as_str(), a.as_str(), r.as_str())).collect();
    if !lines.is_empty() {
        let key = format!("imp-{tag}");
        let text = statement(&lines).into_bytes();
        json_of(import(app, officer, "s.csv", text, Some(&key)).await, 201).await;
    }
    sign(app, &c.poster, &id, &signing.current_sha256).await;
    sign(app, &c.alpha, &id, &signing.current_sha256).await;
}

/// The performer asks for acceptance of `milestone` and the payer confirms.
pub async fn accept(app: &TestApp, c: &crate::tenders::Cast, id: &str, milestone: u32) -> AcceptanceView {
    let path = format!("/contracts/{id}/acceptances");
    let body = json!({"milestone": milestone, "quantities": [{"item": "主体结构", "unit": "项", "quantity": 1}], "note": ""});
    let asked: AcceptanceView =
        app.as_(&c.alpha.token).org(&c.alpha.id).post(&path, &body).await.expect("asked");
    let answer = json!({"decision": "confirm", "password": PASSWORD, "consent": true});
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .key(&format!("accept-{id}-{milestone}"))
        .post(&format!("{path}/{}/answers", asked.id), &answer)
        .await
        .expect("accepted")
}

pub async fn wallet(app: &TestApp, org: &OrgAccount) -> WalletView {
    app.as_(&org.token).org(&org.id).get(&format!("/orgs/{}/wallet", org.id)).await.expect("wallet")
}

fn rating(q: u8) -> serde_json::Value {
    json!({"quality": q, "timeliness": 4, "communication": 5, "payment": 3, "comment": "合作顺利"})
}

#[tokio::test]
async fn the_last_acceptance_returns_the_bond_payment_in_full_completes_and_both_sides_rate() {
    let app = app().await;
    let fund = [
        (FundingTarget::Milestone, Some(0)),
        (FundingTarget::Bond, None),
        (FundingTarget::Milestone, Some(1)),
        (FundingTarget::Milestone, Some(2)),
    ];
    let (c, id, officer) = in_force(&app, &fund).await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let contract = |org: &OrgAccount| {
        let (app, path, token, org) = (&app, format!("/contracts/{id}"), org.token.clone(), org.id.clone());
        async move { app.as_(&token).org(&org).get::<ContractView>(&path).await.expect("contract") }
    };
    assert_eq!(contract(payer).await.status, ContractState::Effective);
    // Ratings wait for completion; defect claims for the warranty.
    let early = app
        .as_(&performer.token)
        .org(&performer.id)
        .post::<_, ContractRatingsView>(&format!("/contracts/{id}/ratings"), &rating(5))
        .await;
    assert!(early.expect_err("not completed").names("contract", "not_completed"));
    let claims = format!("/contracts/{id}/defect-claims");
    let too_soon = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, DefectClaimView>(&claims, &json!({"description": "屋面渗水"}))
        .await;
    assert!(too_soon.expect_err("no warranty yet").names("claim", "warranty_not_started"));

    accept(&app, &c, &id, 1).await;
    let view = escrow(&app, payer, &id).await;
    assert_eq!((view.warranty_ends_on, view.bond.balance_fen), (None, BOND), "one milestone to go");
    accept(&app, &c, &id, 2).await;
    let view = escrow(&app, payer, &id).await;
    let today = shared::domain::calendar::shanghai::business_date(app.now());
    assert_eq!(view.warranty_ends_on, Some(shared::domain::contract::closing::warranty_end(today, 1)));
    assert_eq!(view.bond.balance_fen, 0, "the bond went back at the last acceptance");
    assert_eq!(contract(performer).await.status, ContractState::Completed);
    let retention = (FIRST + SECOND) * 300 / 10_000;
    assert_eq!(view.retention_fen, retention);
    assert_eq!(wallet(&app, performer).await.available_fen, ADVANCE + FIRST + SECOND - retention + BOND);

    // Ratings: scores 1–5, once, shown when both rated.
    let rate = |org: &OrgAccount, body: serde_json::Value| {
        let (app, path, token, org) =
            (&app, format!("/contracts/{id}/ratings"), org.token.clone(), org.id.clone());
        async move { app.as_(&token).org(&org).post::<_, ContractRatingsView>(&path, &body).await }
    };
    assert!(rate(performer, rating(6)).await.expect_err("range").names("quality", "out_of_range"));
    let mine = rate(performer, rating(5)).await.expect("rated");
    assert_eq!((mine.mine.as_ref().map(|r| r.quality), mine.theirs_given), (Some(5), false));
    assert!(rate(performer, rating(4)).await.expect_err("twice").names("rating", "already_rated"));
    let supervisor_view = rate(&c.beta, rating(3)).await.expect_err("outsider");
    assert_eq!(supervisor_view.status, 404);
    let seen_by_payer: ContractRatingsView =
        app.as_(&payer.token).org(&payer.id).get(&format!("/contracts/{id}/ratings")).await.expect("ratings");
    assert!(seen_by_payer.theirs_given && seen_by_payer.theirs.is_none(), "hidden until both rated");
    let public: OrgRatingsView =
        app.as_("").get(&format!("/orgs/{}/ratings", payer.id)).await.expect("public");
    assert_eq!(public.count, 0);
    rate(payer, rating(4)).await.expect("rated back");
    let both: ContractRatingsView =
        app.as_(&payer.token).org(&payer.id).get(&format!("/contracts/{id}/ratings")).await.expect("ratings");
    assert_eq!(both.theirs.map(|r| r.quality), Some(5));
    let public: OrgRatingsView =
        app.as_("").get(&format!("/orgs/{}/ratings", payer.id)).await.expect("public");
    assert_eq!((public.count, public.quality), (1, 5.0));

    // A defect claim during the warranty holds the retention past its end.
    let by_performer = app
        .as_(&performer.token)
        .org(&performer.id)
        .post::<_, DefectClaimView>(&claims, &json!({"description": "屋面渗水"}))
        .await;
    assert!(by_performer.expect_err("performer").names("claim", "not_the_payer"));
    let claim: DefectClaimView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post(&claims, &json!({"description": "屋面渗水，需返修"}))
        .await
        .expect("claimed");
    assert_eq!(claim.status, DefectClaimState::Open);
    watched(&app, 32 * 86_400).await;
    assert_eq!(escrow(&app, payer, &id).await.retention_fen, retention, "held by the open claim");
    let late = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, DefectClaimView>(&claims, &json!({"description": "又一处"}))
        .await;
    assert!(late.expect_err("ended").names("claim", "warranty_ended"));
    let close = format!("{claims}/{}/closure", claim.id);
    let closed: DefectClaimView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post(&close, &json!({"note": "已返修并复验"}))
        .await
        .expect("closed");
    assert_eq!(closed.status, DefectClaimState::Remedied);
    assert!(
        app.as_(&payer.token)
            .org(&payer.id)
            .post::<_, DefectClaimView>(&close, &json!({"note": "再次"}))
            .await
            .expect_err("twice")
            .names("status", "not_open")
    );
    assert_eq!(escrow(&app, payer, &id).await.retention_fen, 0, "released when the claim closed");
    assert_eq!(wallet(&app, performer).await.available_fen, ADVANCE + FIRST + SECOND + BOND);
    let reserve: ReserveReport = app.as_(&officer).get("/finance/reserve").await.expect("reserve");
    assert_eq!(reserve.settled_fen, ADVANCE + FIRST + SECOND);
    assert_eq!(reserve.accrued_fen, (ADVANCE + FIRST + SECOND) / 100);
    assert_eq!(reserve.balance_fen, reserve.accrued_fen);
    ledger_balanced(&app);
}

#[tokio::test]
async fn an_accepted_milestone_unpaid_for_fifteen_days_freezes_the_payers_escrow_until_paid() {
    let app = app().await;
    let fund = [
        (FundingTarget::Milestone, Some(0)),
        (FundingTarget::Bond, None),
        (FundingTarget::Milestone, Some(2)),
    ];
    let (c, id, officer) = in_force(&app, &fund).await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let accepted = accept(&app, &c, &id, 1).await;
    assert_eq!(
        accepted.settlement.expect("settlement").unpaid_fen,
        FIRST - FIRST * 300 / 10_000,
        "unpaid, less retention"
    );

    // Fifteen days is still in time; the sixteenth freezes.
    watched(&app, 15 * 86_400).await;
    assert!(!escrow(&app, payer, &id).await.frozen);
    watched(&app, 86_400 + 3600).await;
    let view = escrow(&app, performer, &id).await;
    assert!(view.frozen && view.risk_case_id.is_some(), "{view:?}");
    let cases: Vec<RiskCaseView> = app.as_(&officer).get("/finance/risk-cases").await.expect("cases");
    assert_eq!(cases.len(), 1);
    assert_eq!(
        (cases[0].milestones.clone(), cases[0].owed_fen, cases[0].org_id.clone()),
        (vec![1], FIRST, payer.id.clone())
    );
    // Frozen: accepting milestone 2 records the acceptance but releases nothing, and the
    // settlement statement says it is unpaid.
    let frozen_acceptance = accept(&app, &c, &id, 2).await;
    let s = frozen_acceptance.settlement.expect("settlement");
    assert_eq!((s.paid_now_fen, s.unpaid_fen > 0), (0, true), "{s:?}");
    let view = escrow(&app, performer, &id).await;
    assert_eq!((view.milestones[2].released_fen, view.milestones[2].balance_fen), (0, SECOND));
    // The payer takes on no new contract meanwhile.
    let demand = json_of(
        app.as_org(
            reqwest::Method::POST,
            "/demands",
            &payer.token,
            &payer.id,
            Some(&demand_body("第二个钢结构分包")),
        )
        .await,
        201,
    )
    .await;
    let demand_id = demand["id"].as_str().expect("id").to_owned();
    let submission = format!("/demands/{demand_id}/submission");
    json_of(app.as_org(reqwest::Method::POST, &submission, &payer.token, &payer.id, None).await, 200).await;
    let tender: TenderView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post(
            &format!("/demands/{demand_id}/tender"),
            &crate::tenders::opening(&app, &[&c.evaluator_id], false),
        )
        .await
        .expect("tender opened");
    let bid = crate::tenders::bid(&app, &c.alpha, &tender, &crate::tenders::offer(900_000_000, 100))
        .await
        .expect("bid");
    crate::tenders::pass_deadline(&app, &c, &tender).await;
    let path = format!("/tenders/{}/bids/{}/marks", tender.id, bid.id);
    app.as_(&c.evaluator)
        .org(&payer.id)
        .put::<_, MarksView>(&path, &crate::tenders::marks(&[50, 30]))
        .await
        .expect("marked");
    let award = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, TenderView>(
            &format!("/tenders/{}/award", tender.id),
            &AwardRequest { bid_id: bid.id.clone(), reason: None },
        )
        .await;
    assert!(award.expect_err("barred").names("org", "open_risk_case"));

    // Paying what is owed clears the case, unfreezes and releases both accepted milestones.
    let owed = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(1)), "owed")
        .await
        .expect("asked");
    let text = statement(&[("P-1", "5,700,000.00", &owed.reference)]);
    json_of(import(&app, &officer, "paid.csv", text.into_bytes(), Some("imp-paid")).await, 201).await;
    let view = escrow(&app, performer, &id).await;
    assert!(!view.frozen && view.risk_case_id.is_none(), "{view:?}");
    assert_eq!((view.milestones[1].released_fen, view.milestones[2].released_fen), (FIRST, SECOND));
    let cleared: Vec<RiskCaseView> =
        app.as_(&officer).get("/finance/risk-cases?status=cleared").await.expect("cases");
    assert_eq!(cleared.len(), 1);
    let contract: ContractView =
        app.as_(&payer.token).org(&payer.id).get(&format!("/contracts/{id}")).await.expect("contract");
    assert_eq!(contract.status, ContractState::Completed);
    let page = json_of(app.get("/notifications?limit=100", Some(&performer.token)).await, 200).await;
    let alerts =
        page["items"].as_array().expect("items").iter().filter(|n| n["kind"] == "risk_alert").count();
    assert_eq!(alerts, 2, "frozen, then unfrozen");
    app.as_(&payer.token)
        .org(&payer.id)
        .post::<_, TenderView>(
            &format!("/tenders/{}/award", tender.id),
            &AwardRequest { bid_id: bid.id.clone(), reason: None },
        )
        .await
        .expect("awarded once cleared");
    ledger_balanced(&app);
}
