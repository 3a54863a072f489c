//! Credit computed from real platform data (issue #17, credit): a contract with one milestone
//! paid at once and one paid after a 15-day overdue gives the documented indicator values;
//! opening and clearing the risk case and completing the contract recompute at once; ratings
//! enter at the monthly run (the clock crosses the 1st); reviewers enter findings and override a
//! grade under dual control; outsiders see only the public part; bad input changes nothing.
//! Before its first stored assessment an organisation's credit is computed for the answer
//! (`trigger: live`) and stored nowhere; the published grade shows in the directory, on the
//! public profile and in search hits.

use serde_json::json;
use shared::domain::calendar::shanghai::business_date;
use shared::domain::credit::{CreditDimension, CreditGrade, Indicator, month_of, next_monthly_run};
use shared::dto::*;

use crate::closing::{accept, app, in_force_with};
use crate::escrow::{ask, import, request_funding, statement};
use crate::helpers::*;

/// Polls `GET /orgs/{id}/credit` (as staff: with detail) until a stored assessment (not a live
/// answer, which comes before the first one is stored) satisfies `ready`.
pub async fn credit_when(
    app: &TestApp,
    staff: &str,
    org: &str,
    ready: impl Fn(&CreditView) -> bool,
) -> CreditView {
    for _ in 0..200 {
        if let Ok(view) = app.as_(staff).get::<CreditView>(&format!("/orgs/{org}/credit")).await
            && view.trigger != CreditTrigger::Live
            && ready(&view)
        {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let last = app.as_(staff).get::<CreditView>(&format!("/orgs/{org}/credit")).await;
    let admin = app.staff_member("credit-debug@example.com", &["admin"]).await;
    let jobs = json_of(app.get("/staff/jobs", Some(&admin)).await, 200).await;
    panic!("the credit of {org} was not recomputed: {last:?}\n{jobs}");
}

async fn anonymous(app: &TestApp, path: &str) -> CreditView {
    serde_json::from_value(json_of(app.get(path, None).await, 200).await).expect("credit view")
}

fn indicator(view: &CreditView, which: Indicator) -> CreditIndicatorView {
    let detail = view.detail.as_ref().expect("detail");
    detail.indicators.iter().find(|i| i.indicator == which).expect("indicator").clone()
}

fn rate(view: &CreditView, which: Indicator) -> (Option<u32>, Option<u32>) {
    let i = indicator(view, which);
    (i.numerator, i.denominator)
}

fn dimension(view: &CreditView, which: CreditDimension) -> f64 {
    view.dimensions.iter().find(|d| d.dimension == which).expect("dimension").score
}

/// Waits until the periodic job `kind` was rescheduled past `after`.
pub async fn rescheduled_past(app: &TestApp, kind: &str, after: chrono::NaiveDateTime) {
    for _ in 0..300 {
        let job = {
            let mut conn = app.db.get().expect("conn");
            api::db::models::jobs::JobRow::by_dedupe_key(&mut conn, kind).expect("query")
        };
        if job.is_some_and(|j| j.run_at > after) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the {kind} job did not run");
}

/// Moves the clock by `seconds` and makes sure the periodic job `kind` ran entirely after the
/// move: a run that had started before it (and read the old time) is followed by one forced due.
pub async fn ran_after_move(app: &TestApp, seconds: i64, kind: &str) {
    app.advance_clock(seconds).await;
    let moved = app.now().naive_utc();
    rescheduled_past(app, kind, moved).await;
    let due = moved.format("%Y-%m-%d %H:%M:%S");
    app.sql(&format!("UPDATE jobs SET run_at = '{due}' WHERE dedupe_key = '{kind}'"));
    rescheduled_past(app, kind, moved).await;
}

#[tokio::test]
async fn credit_follows_payments_acceptances_ratings_findings_and_a_reviewed_override() {
    let app = app().await;
    let today = business_date(app.now());
    let fund = [
        (FundingTarget::Milestone, Some(0)),
        (FundingTarget::Bond, None),
        (FundingTarget::Milestone, Some(1)),
    ];
    // Milestone 1 planned in 2 days, milestone 2 in 3 days.
    let (c, id, officer) = in_force_with(&app, &fund, |t| {
        t.plan.milestones[1].planned_date = today + chrono::Duration::days(2);
        t.plan.milestones[2].planned_date = today + chrono::Duration::days(3);
    })
    .await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let reviewer = &c.reviewer;

    // Milestone 1 is accepted on time and paid at once; milestone 2 is accepted on day 5 (two
    // days late) and not paid.
    accept(&app, &c, &id, 1).await;
    app.advance_clock(5 * 86_400).await;
    accept(&app, &c, &id, 2).await;
    let before = app.count("credit_assessments");
    let live: CreditView =
        app.as_(reviewer).get(&format!("/orgs/{}/credit", payer.id)).await.expect("computed for the answer");
    assert_eq!(
        live.trigger,
        CreditTrigger::Live,
        "no assessment stored before the first event or monthly run"
    );
    assert_eq!(rate(&live, Indicator::PaymentTimeliness), (Some(1), Some(1)), "milestone 2 not due yet");
    assert_eq!(app.count("credit_assessments"), before, "a GET stores nothing");

    // The 16th day unpaid opens a risk case: the payer's credit is recomputed at once.
    ran_after_move(&app, 16 * 86_400 + 3600, "escrow_watch").await;
    let late = credit_when(&app, reviewer, &payer.id, |v| v.detail.is_some()).await;
    assert_eq!(late.trigger, CreditTrigger::Event);
    assert!(late.insufficient_data && late.grade.is_none(), "one cooperation is too little for a grade");
    assert_eq!(rate(&late, Indicator::PaymentTimeliness), (Some(1), Some(2)), "one on time, one overdue");
    assert_eq!(indicator(&late, Indicator::Cooperations).value, Some(1.0));
    assert_eq!(late.detail.as_ref().and_then(|d| d.payment_mean_days), Some(0.0));
    assert_eq!(dimension(&late, CreditDimension::Performance), 60.0, "no performance as performer: baseline");

    // Visibility: the counterparty in a contract in force and members see the detail; an
    // outsider and anonymous callers only the public part.
    let path = format!("/orgs/{}/credit", payer.id);
    let by_counterparty: CreditView =
        app.as_(&performer.token).org(&performer.id).get(&path).await.expect("view");
    assert!(by_counterparty.detail.is_some());
    let by_member: CreditView = app.as_(&payer.token).org(&payer.id).get(&path).await.expect("view");
    assert!(by_member.detail.is_some());
    let by_outsider: CreditView = app.as_(&c.beta.token).org(&c.beta.id).get(&path).await.expect("view");
    assert!(by_outsider.detail.is_none());
    assert_eq!((by_outsider.total, by_outsider.dimensions.len()), (late.total, 5));
    let anonymous = anonymous(&app, &path).await;
    assert!(anonymous.detail.is_none() && anonymous.total == late.total);

    // Paying clears the case and completes the contract: both parties are recomputed.
    let owed = request_funding(&app, payer, &id, &ask(FundingTarget::Milestone, Some(2)), "owed")
        .await
        .expect("asked");
    let text = statement(&[("P-2", "2,850,000.00", &owed.reference)]);
    json_of(import(&app, &officer, "paid.csv", text.into_bytes(), Some("imp-paid")).await, 201).await;
    let paid = credit_when(&app, reviewer, &payer.id, |v| {
        v.detail.as_ref().and_then(|d| d.payment_mean_days).is_some_and(|d| d > 0.0)
    })
    .await;
    assert_eq!(rate(&paid, Indicator::PaymentTimeliness), (Some(1), Some(2)), "paid on day 16: late");
    assert_eq!(paid.detail.as_ref().and_then(|d| d.payment_mean_days), Some(8.0), "(0 + 16) / 2 days");
    let done = credit_when(&app, reviewer, &performer.id, |_| true).await;
    assert_eq!(rate(&done, Indicator::CompletionRate), (Some(1), Some(1)));
    assert_eq!(rate(&done, Indicator::OnTimeMilestoneRate), (Some(1), Some(2)), "milestone 2 accepted late");
    assert_eq!(rate(&done, Indicator::FirstTimeAcceptanceRate), (Some(2), Some(2)));
    assert_eq!(dimension(&done, CreditDimension::Performance), 82.5, "(40×100 + 35×50 + 25×100) / 100");
    let counts = |org: &OrgAccount| {
        let mut conn = app.db.get().expect("conn");
        api::db::models::orgs::OrganisationRow::find(&mut conn, &org.id).expect("query").expect("org")
    };
    assert_eq!(counts(performer).credit_score, Some(done.total), "published for bidding and matching");
    assert_eq!(counts(performer).credit_grade, None, "insufficient data");

    // Both rate; the ratings enter at the monthly run, shrunk towards the platform mean (3.5).
    let rate_as = |org: &OrgAccount, aspects: [u8; 4]| {
        let body = json!({"quality": aspects[0], "timeliness": aspects[1], "communication": aspects[2], "payment": aspects[3]});
        let (app, path, token, org) =
            (&app, format!("/contracts/{id}/ratings"), org.token.clone(), org.id.clone());
        async move { app.as_(&token).org(&org).post::<_, ContractRatingsView>(&path, &body).await.expect("rated") }
    };
    rate_as(payer, [5, 4, 5, 2]).await;
    rate_as(performer, [3, 3, 4, 2]).await;
    let to_first = (next_monthly_run(app.now()) - app.now()).num_seconds() + 60;
    ran_after_move(&app, to_first, "credit_monthly").await;
    let monthly = credit_when(&app, reviewer, &performer.id, |v| v.month == month_of(app.now())).await;
    assert_eq!(monthly.trigger, CreditTrigger::Monthly);
    let rating = indicator(&monthly, Indicator::PeerRating);
    let shrunk = (5.0 * 3.5 + 4.0) / 6.0;
    assert!((rating.value.expect("value") - shrunk).abs() < 1e-9, "{rating:?}");
    assert_eq!(
        dimension(&monthly, CreditDimension::Reputation),
        ((25.0 * (shrunk - 1.0)) * 100.0_f64).round() / 100.0
    );
    let history: CreditHistoryView = app
        .as_(&performer.token)
        .org(&performer.id)
        .get(&format!("/orgs/{}/credit/history", performer.id))
        .await
        .expect("history");
    assert!(history.items.len() >= 2 && history.items[0].month == monthly.month, "{history:?}");
    let change = indicator(&history.items[0], Indicator::PeerRating).change.expect("moved since last month");
    assert!((change - (shrunk - 4.0)).abs() < 0.01, "from the 4.0 prior of an empty platform: {change}");
    // A second run in the month (ran_after_move forced one; once more) rewrites nothing.
    ran_after_move(&app, 1, "credit_monthly").await;
    let rerun: CreditView =
        app.as_(reviewer).get(&format!("/orgs/{}/credit", performer.id)).await.expect("view");
    assert_eq!((rerun.computed_at, rerun.trigger), (monthly.computed_at, CreditTrigger::Monthly));

    findings_and_overrides(&app, &c, &officer).await;
}

/// Reviewers' findings and the dual-controlled override, with the refusals that change nothing.
async fn findings_and_overrides(app: &TestApp, c: &crate::tenders::Cast, officer: &str) {
    let (reviewer, payer, performer) = (&c.reviewer, &c.poster, &c.alpha);
    let finding = |kind: &str, value: u32, source: &str| json!({"org_id": performer.id, "kind": kind, "value": value, "source": source});
    let before = app.count("credit_findings");
    let bad_kind =
        app.post("/staff/credit/findings", &finding("bribery", 1, "媒体报道"), Some(reviewer)).await;
    assert_eq!(bad_kind.status(), 400);
    let no_source = json_of(
        app.post("/staff/credit/findings", &finding("tax_compliant", 1, " "), Some(reviewer)).await,
        422,
    )
    .await;
    assert_eq!(
        (no_source["code"].as_str(), no_source["details"][0]["field"].as_str()),
        (Some("validation_failed"), Some("source"))
    );
    let as_officer =
        app.post("/staff/credit/findings", &finding("tax_compliant", 1, "税务局公示"), Some(officer)).await;
    assert_error(as_officer, 403, "forbidden").await;
    let as_member = app
        .post("/staff/credit/findings", &finding("tax_compliant", 1, "税务局公示"), Some(&performer.token))
        .await;
    assert_eq!(as_member.status(), 403);
    assert_eq!(app.count("credit_findings"), before, "refusals change nothing");

    let entered = app
        .post(
            "/staff/credit/findings",
            &finding("wage_arrears_cases", 1, "人社局欠薪公示 2026-03"),
            Some(reviewer),
        )
        .await;
    let entered = json_of(entered, 201).await;
    assert_eq!(entered["kind"], "wage_arrears_cases");
    let view: CreditView =
        app.as_(reviewer).get(&format!("/orgs/{}/credit", performer.id)).await.expect("view");
    let wages = indicator(&view, Indicator::WagePayment);
    assert_eq!(
        (wages.value, wages.score, wages.source.as_deref()),
        (Some(1.0), Some(50.0), Some("人社局欠薪公示 2026-03"))
    );
    assert_eq!(dimension(&view, CreditDimension::SocialResponsibility), 50.0);

    // Override: a reason and a grade, a second reviewer; the same reviewer may not approve.
    let second = app.staff_member("credit-second@example.com", &["reviewer"]).await;
    let ask = |reason: &str| json!({"action": "override_credit_grade", "org_id": payer.id, "grade": "b", "reason": reason});
    let no_reason = json_of(app.post("/staff/requests", &ask(" "), Some(reviewer)).await, 422).await;
    assert_eq!(no_reason["details"][0]["field"], "reason");
    let no_grade = json!({"action": "override_credit_grade", "org_id": payer.id, "reason": "复核"});
    assert_eq!(
        json_of(app.post("/staff/requests", &no_grade, Some(reviewer)).await, 422).await["details"][0]["field"],
        "grade"
    );
    assert_error(app.post("/staff/requests", &ask("复核"), Some(officer)).await, 403, "forbidden").await;
    let request =
        json_of(app.post("/staff/requests", &ask("欠款已结清，人工复核为B"), Some(reviewer)).await, 201)
            .await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    assert_error(app.post(&approval, &json!({}), Some(reviewer)).await, 403, "forbidden").await;
    let path = format!("/orgs/{}/credit", payer.id);
    assert!(
        !app.as_(reviewer).get::<CreditView>(&path).await.expect("view").overridden,
        "nothing until approved"
    );
    assert_eq!(
        json_of(app.post(&approval, &json!({}), Some(&second)).await, 200).await["status"],
        "executed"
    );
    let overridden: CreditView = app.as_(reviewer).get(&path).await.expect("view");
    assert_eq!(
        (overridden.grade, overridden.overridden, overridden.insufficient_data),
        (Some(CreditGrade::B), true, false)
    );
    let detail = overridden.detail.as_ref().expect("detail");
    assert_eq!(
        (detail.computed_grade, detail.override_reason.as_deref()),
        (None, Some("欠款已结清，人工复核为B"))
    );
    assert!(detail.explanation_zh.contains("人工复核") && detail.explanation_en.contains("staff review"));
    let public = anonymous(app, &path).await;
    assert!(public.overridden && public.grade == Some(CreditGrade::B) && public.detail.is_none());
    let mut conn = app.db.get().expect("conn");
    let row =
        api::db::models::orgs::OrganisationRow::find(&mut conn, &payer.id).expect("query").expect("org");
    drop(conn);
    assert_eq!(row.credit_grade.as_deref(), Some("b"), "the override is what bidding and matching read");
    let twice = app.post("/staff/requests", &ask("再次"), Some(reviewer)).await;
    assert_error(twice, 409, "conflict").await;

    // Lifting it the same way puts the computed standing back.
    let lift = json!({"action": "lift_credit_override", "org_id": payer.id, "reason": "复核期结束"});
    let request = json_of(app.post("/staff/requests", &lift, Some(&second)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(reviewer)).await, 200).await;
    let lifted: CreditView = app.as_(reviewer).get(&path).await.expect("view");
    assert_eq!((lifted.grade, lifted.overridden, lifted.insufficient_data), (None, false, true));

    // A grade C in force bars bidding: the prequalification of a new tender says so.
    let to_c = json!({"action": "override_credit_grade", "org_id": performer.id, "grade": "c", "reason": "严重失信"});
    let request = json_of(app.post("/staff/requests", &to_c, Some(reviewer)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(&second)).await, 200).await;
    let demand = app
        .as_org(
            reqwest::Method::POST,
            "/demands",
            &payer.token,
            &payer.id,
            Some(&crate::fixtures::demand_body("第二个钢结构分包")),
        )
        .await;
    let demand_id = json_of(demand, 201).await["id"].as_str().expect("id").to_owned();
    let submission = format!("/demands/{demand_id}/submission");
    json_of(app.as_org(reqwest::Method::POST, &submission, &payer.token, &payer.id, None).await, 200).await;
    let tender: TenderView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post(
            &format!("/demands/{demand_id}/tender"),
            &crate::tenders::opening(app, &[&c.evaluator_id], true),
        )
        .await
        .expect("tender opened");
    let report: PrequalificationView = app
        .as_(&performer.token)
        .org(&performer.id)
        .get(&format!("/tenders/{}/prequalification", tender.id))
        .await
        .expect("report");
    assert!(!report.may_bid, "{report:?}");
    assert!(report.items.iter().any(|i| i.code == "credit_grade_c"), "{report:?}");
}

/// The credit of `org` as `token` acting for it (`None`: anonymously).
async fn credit_of(app: &TestApp, org: &OrgAccount, token: Option<&str>) -> CreditView {
    let path = format!("/orgs/{}/credit", org.id);
    let response = match token {
        Some(token) => app.as_org(reqwest::Method::GET, &path, token, &org.id, None).await,
        None => app.get(&path, None).await,
    };
    serde_json::from_value(json_of(response, 200).await).expect("credit view")
}

/// The organisation's entry in the public directory.
async fn directory_entry(app: &TestApp, org: &OrgAccount) -> OrganisationPublic {
    let page: OrganisationPage =
        serde_json::from_value(json_of(app.get("/orgs?limit=100", None).await, 200).await).expect("page");
    page.items.into_iter().find(|o| o.id == org.id).expect("listed")
}

#[tokio::test]
async fn before_its_first_assessment_an_organisation_gets_its_credit_computed_live_and_nothing_is_stored() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("credit-live-reviewer@example.com", &["reviewer"]).await;
    let org =
        app.verified_org("credit-live@example.com", OrgSpec::new("信评新秀建筑有限公司"), &reviewer).await;

    let unknown = format!("/orgs/{}/credit", uuid::Uuid::now_v7());
    assert_error(app.get(&unknown, None).await, 404, "not_found").await;
    assert_error(app.get(&format!("{unknown}/history"), None).await, 404, "not_found").await;

    let (assessments, jobs) = (app.count("credit_assessments"), app.count("jobs"));
    let public = credit_of(&app, &org, None).await;
    assert_eq!(public.trigger, CreditTrigger::Live);
    assert_eq!(public.month, month_of(app.now()));
    assert!(public.insufficient_data && public.grade.is_none() && !public.overridden, "{public:?}");
    assert_eq!(public.dimensions.len(), 5);
    assert!(public.detail.is_none(), "the detail is not public");
    let own = credit_of(&app, &org, Some(&org.token)).await;
    assert_eq!((own.trigger, own.total), (CreditTrigger::Live, public.total));
    let detail = own.detail.as_ref().expect("members see the detail");
    assert_eq!(indicator(&own, Indicator::Cooperations).value, Some(0.0));
    assert!(indicator(&own, Indicator::Cooperations).change.is_none(), "no earlier month");
    assert!(detail.explanation_zh.contains("合作次数 0") && detail.explanation_en.contains("cooperations 0"));
    let history: CreditHistoryView = serde_json::from_value(
        json_of(app.get(&format!("/orgs/{}/credit/history", org.id), Some(&org.token)).await, 200).await,
    )
    .expect("history");
    assert!(history.items.is_empty(), "history holds stored months only");
    assert_eq!(
        (app.count("credit_assessments"), app.count("jobs")),
        (assessments, jobs),
        "a GET writes nothing"
    );
    let row = {
        let mut conn = app.db.get().expect("conn");
        api::db::models::orgs::OrganisationRow::find(&mut conn, &org.id).expect("query").expect("org")
    };
    assert_eq!((row.credit_score, row.credit_grade), (None, None), "nothing published");
    assert_eq!(directory_entry(&app, &org).await.credit_grade, None, "not rated yet");
}

#[tokio::test]
async fn the_published_grade_shows_in_the_directory_the_public_profile_and_search_hits() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("credit-grade-reviewer@example.com", &["reviewer"]).await;
    let second = app.staff_member("credit-grade-second@example.com", &["reviewer"]).await;
    let org =
        app.verified_org("credit-grade@example.com", OrgSpec::new("评级可见钢构有限公司"), &reviewer).await;
    let profile = format!("/orgs/{}", org.id);
    let before: OrganisationPublic =
        serde_json::from_value(json_of(app.get(&profile, None).await, 200).await).expect("profile");
    assert_eq!(before.credit_grade, None);

    let ask = json!({"action": "override_credit_grade", "org_id": org.id, "grade": "aa", "reason": "线下履约记录核实"});
    let request = json_of(app.post("/staff/requests", &ask, Some(&reviewer)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(&second)).await, 200).await;

    let stored = credit_of(&app, &org, None).await;
    assert_eq!(
        (stored.trigger, stored.grade, stored.overridden),
        (CreditTrigger::Event, Some(CreditGrade::Aa), true)
    );
    assert_eq!(directory_entry(&app, &org).await.credit_grade, Some(CreditGrade::Aa));
    let after: OrganisationPublic =
        serde_json::from_value(json_of(app.get(&profile, None).await, 200).await).expect("profile");
    assert_eq!(after.credit_grade, Some(CreditGrade::Aa));
    let mine: MyOrganisations =
        serde_json::from_value(json_of(app.get("/me/orgs", Some(&org.token)).await, 200).await)
            .expect("mine");
    assert_eq!(mine.items[0].profile.credit_grade, Some(CreditGrade::Aa));
    let hits: SearchPage = serde_json::from_value(
        json_of(app.get("/search?kind=organisation&sort=newest", None).await, 200).await,
    )
    .expect("hits");
    let hit = hits.items.iter().find(|h| h.id == org.id).expect("found");
    assert_eq!(hit.credit_grade, Some(CreditGrade::Aa), "{hits:?}");
}

/// The platform prior and the monthly run look up ratings and closings of every rated contract:
/// more than one SQL statement may bind on SQLite (32,766), found by the credit benchmark.
#[tokio::test]
async fn rating_lookups_take_more_contracts_than_one_statement_binds() {
    let app = spawn_app().await;
    let mut conn = app.db.get().expect("conn");
    let ids: Vec<String> = (0..40_000).map(|i| format!("contract-{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let counts = api::db::models::closing::RatingRow::counts(&mut conn, &refs).expect("counts");
    let completed = api::db::models::closing::ClosingRow::completed(&mut conn, &refs).expect("completed");
    assert!(counts.is_empty() && completed.is_empty());
}
