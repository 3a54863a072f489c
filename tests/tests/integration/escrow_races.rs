//! Money under concurrency (issue #16), on both databases: two staff releases of one milestone
//! approved at the same moment release it once; a payer's confirmation (which releases) racing
//! the 15-day freeze either released before the freeze or moves nothing — never a part, never
//! after — and the freeze then holds against every later release.

use chrono::Duration;
use serde_json::json;
use shared::dto::*;

use crate::closing::{accept, app, in_force};
use crate::escrow::{escrow, ledger_balanced};
use crate::helpers::*;

const SECOND: i64 = 285_000_000;

#[tokio::test]
async fn two_staff_releases_of_one_milestone_approved_at_once_release_it_once() {
    let app = app().await;
    let fund = [(FundingTarget::Milestone, Some(0)), (FundingTarget::Milestone, Some(2))];
    let (c, id, officer) = in_force(&app, &fund).await;
    let body =
        json!({"action": "release_escrow", "contract_id": id, "milestone": 2, "reason": "线下验收单已核验"});
    let mut approvals = Vec::new();
    for _ in 0..2 {
        let created = json_of(app.post("/staff/requests", &body, Some(&officer)).await, 201).await;
        approvals.push(format!("/staff/requests/{}/approval", created["id"].as_str().expect("id")));
    }
    let second = app.staff_member("race-finance-b@example.com", &["finance_officer"]).await;
    let empty = json!({});
    let (a, b) = tokio::join!(
        app.post(&approvals[0], &empty, Some(&second)),
        app.post(&approvals[1], &empty, Some(&second))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "one executes; the other finds nothing held");
    let view = escrow(&app, &c.alpha, &id).await;
    assert_eq!((view.milestones[2].released_fen, view.milestones[2].balance_fen), (SECOND, 0));
    ledger_balanced(&app);
}

#[tokio::test]
async fn a_release_racing_the_overdue_freeze_never_moves_frozen_money() {
    for round in 0..3 {
        let app = app().await;
        let fund = [(FundingTarget::Milestone, Some(0)), (FundingTarget::Milestone, Some(2))];
        let (c, id, _) = in_force(&app, &fund).await;
        // Milestone 1 accepted and unpaid: overdue once 16 days have passed.
        accept(&app, &c, &id, 1).await;
        let path = format!("/contracts/{id}/acceptances");
        let body = json!({"milestone": 2, "quantities": [{"item": "钢结构", "unit": "t", "quantity": 1}], "note": ""});
        let asked: AcceptanceView =
            app.as_(&c.alpha.token).org(&c.alpha.id).post(&path, &body).await.expect("asked");
        let answer = json!({"decision": "confirm", "password": PASSWORD, "consent": true});
        let (key, answers) = (format!("race-{round}"), format!("{path}/{}/answers", asked.id));
        let payer = app.as_(&c.poster.token).org(&c.poster.id).key(&key);
        let confirm = payer.post::<_, AcceptanceView>(&answers, &answer);
        let db = app.db.clone();
        let contract_id = id.clone();
        let later = shared::domain::calendar::shanghai::business_date(app.now()) + Duration::days(16);
        let freeze = tokio::task::spawn_blocking(move || {
            let mut conn = db.get().expect("conn");
            let at = api::db::now();
            api::db::write_tx(&mut conn, |c| {
                let mut out = api::state::Outgoing::default();
                api::routes::escrow::closing::watch_overdue(c, &mut out, &contract_id, later, at)
            })
        });
        let (confirmed, frozen) = tokio::join!(confirm, freeze);
        assert_eq!(
            confirmed.expect("the acceptance is recorded either way").status,
            AcceptanceState::Accepted
        );
        frozen.expect("joined").expect("the freeze is applied either way");
        let view = escrow(&app, &c.alpha, &id).await;
        let m2 = &view.milestones[2];
        assert!(view.frozen && view.risk_case_id.is_some(), "round {round}: {view:?}");
        assert!(
            (m2.released_fen, m2.balance_fen) == (SECOND, 0)
                || (m2.released_fen, m2.balance_fen) == (0, SECOND),
            "round {round}: all released before the freeze, or nothing: {m2:?}"
        );
        // Frozen money stays frozen: the job and a staff release move nothing.
        let db = app.db.clone();
        let contract_id = id.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get().expect("conn");
            let at = api::db::now();
            api::db::write_tx(&mut conn, |c| {
                let mut out = api::state::Outgoing::default();
                api::routes::escrow::closing::watch_overdue(c, &mut out, &contract_id, later, at)
            })
        })
        .await
        .expect("joined")
        .expect("idempotent");
        let again = escrow(&app, &c.alpha, &id).await;
        assert_eq!(again.milestones[2].balance_fen, m2.balance_fen, "round {round}");
        ledger_balanced(&app);
    }
}
