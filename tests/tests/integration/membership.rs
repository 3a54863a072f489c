//! Membership tiers from real settlements (issue #17, membership): a supplier climbs from New to
//! Regular at its third fully settled contract and to Certified once its settled volume of the
//! last 12 months passes ¥5,000,000 — each change a history entry and a notification; the
//! quarterly review after two quarters without a transaction demotes one tier, and the demotion
//! holds against a credit change until the next transaction; an admin names a VIP
//! organisation's advisor. Refusals change nothing.

use reqwest::Method;
use serde_json::json;
use shared::domain::membership::{MembershipTier, next_quarterly_run};
use shared::dto::*;

use crate::closing::{accept, into_force};
use crate::contracts::award;
use crate::credit::ran_after_move;
use crate::fixtures::{demand_body, steelworks};
use crate::helpers::*;
use crate::tenders::{Cast, cast, kinds};

/// Each contract's amount: three stay under ¥5,000,000, the fourth passes it.
pub const PRICE: i64 = 150_000_000;

pub const FUND_ALL: [(FundingTarget, Option<u32>); 4] = [
    (FundingTarget::Milestone, Some(0)),
    (FundingTarget::Bond, None),
    (FundingTarget::Milestone, Some(1)),
    (FundingTarget::Milestone, Some(2)),
];

/// Sessions that outlive the clock's move by more than half a year.
pub async fn app() -> TestApp {
    spawn_with(Spawn {
        tweak: Some(|config| {
            config.access_token_ttl_secs = 400 * 86_400;
            config.refresh_token_ttl_secs = 500 * 86_400;
        }),
        ..Spawn::default()
    })
    .await
}

/// A new published demand of the cast's poster (certified: no review) for the next tender.
pub async fn next_demand(app: &TestApp, c: &mut Cast, n: usize) {
    let mut body = demand_body(&format!("钢结构分包 第{n}批"));
    let deadline = shared::domain::calendar::shanghai::business_date(app.now()) + chrono::Duration::days(30);
    body["deadline"] = json!(deadline);
    let created =
        json_of(app.as_org(Method::POST, "/demands", &c.poster.token, &c.poster.id, Some(&body)).await, 201)
            .await;
    c.demand_id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/demands/{}/submission", c.demand_id);
    json_of(app.as_org(Method::POST, &path, &c.poster.token, &c.poster.id, None).await, 200).await;
}

/// One more contract between the cast's poster and alpha, awarded, funded in full, and settled
/// by accepting both milestones.
pub async fn settle(app: &TestApp, c: &mut Cast, officer: &str, n: usize) {
    if n > 0 {
        next_demand(app, c, n).await;
    }
    let contract = award(app, c, PRICE).await;
    into_force(app, c, &contract, officer, &FUND_ALL, |_| {}).await;
    accept(app, c, &contract.id, 1).await;
    accept(app, c, &contract.id, 2).await;
    let view: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("/contracts/{}", contract.id))
        .await
        .expect("contract");
    assert_eq!(view.status, ContractState::Completed, "settled in full");
}

async fn membership(app: &TestApp, org: &OrgAccount) -> MembershipView {
    app.as_(&org.token).org(&org.id).get(&format!("/orgs/{}/membership", org.id)).await.expect("membership")
}

fn requirement(view: &MembershipView, kind: RequirementKind) -> RequirementView {
    view.requirements.iter().find(|r| r.kind == kind).expect("requirement").clone()
}

#[tokio::test]
async fn a_supplier_climbs_with_its_settled_contracts_and_an_idle_half_year_demotes_it_until_the_next() {
    let app = app().await;
    let mut c = cast(&app).await;
    let officer = app.staff_member("tier-finance@example.com", &["finance_officer"]).await;
    let alpha = c.alpha.clone();

    settle(&app, &mut c, &officer, 0).await;
    settle(&app, &mut c, &officer, 1).await;
    let two = membership(&app, &alpha).await;
    assert_eq!(
        (two.tier, two.completed_transactions, two.next_tier),
        (MembershipTier::New, 2, Some(MembershipTier::Regular))
    );
    let needs = requirement(&two, RequirementKind::CompletedTransactions);
    assert_eq!((needs.current, needs.required, needs.met), (Some(2), Some(3), false));
    assert!((needs.progress - 2.0 / 3.0).abs() < 1e-9);
    assert!(two.history.is_empty());

    // The third settlement promotes at once, with the reason, a history entry and a notice.
    settle(&app, &mut c, &officer, 2).await;
    let three = membership(&app, &alpha).await;
    assert_eq!(three.tier, MembershipTier::Regular);
    assert_eq!(three.volume_last_12_months_fen, 3 * PRICE);
    assert_eq!(three.next_tier, Some(MembershipTier::Certified));
    let volume = requirement(&three, RequirementKind::VolumeAbove);
    assert_eq!((volume.current, volume.required, volume.met), (Some(3 * PRICE), Some(500_000_000), false));
    let entry = &three.history[0];
    assert_eq!(
        (entry.previous, entry.tier, entry.change, entry.trigger),
        (
            MembershipTier::New,
            MembershipTier::Regular,
            TierChangeKind::Promoted,
            TierTriggerKind::Transaction
        )
    );
    assert_eq!(entry.reasons[0].text, "已完成 3 笔交易（需 3 笔）");
    assert!(three.since.is_some());
    let notices = kinds(&app, &alpha.token).await;
    assert!(
        notices.iter().any(|(k, body)| *k == NotificationKind::MembershipChanged && body.contains("3 笔")),
        "{notices:?}"
    );
    let payer = membership(&app, &c.poster).await;
    assert_eq!(payer.tier, MembershipTier::Certified, "promotion never demotes the other party");
    assert_eq!(payer.completed_transactions, 3, "a transaction counts for both parties");

    // Visibility: members and staff; outsiders 403, unknown 404, anonymous 401.
    let path = format!("/orgs/{}/membership", alpha.id);
    assert_error(app.as_org(Method::GET, &path, &c.beta.token, &c.beta.id, None).await, 403, "forbidden")
        .await;
    let unknown = app.get("/orgs/0190aaaa-0000-7000-8000-000000000000/membership", Some(&c.reviewer)).await;
    assert_error(unknown, 404, "not_found").await;
    assert_eq!(app.get(&path, None).await.status(), 401);
    let by_staff: MembershipView = app.as_(&c.reviewer).get(&path).await.expect("staff see it");
    assert_eq!(by_staff.tier, MembershipTier::Regular);

    // A fourth contract passes ¥5,000,000 in 12 months: Certified, shown on the public profile.
    settle(&app, &mut c, &officer, 3).await;
    let four = membership(&app, &alpha).await;
    assert_eq!((four.tier, four.next_tier), (MembershipTier::Certified, Some(MembershipTier::Vip)));
    let public: OrganisationPublic = app.as_("").get(&format!("/orgs/{}", alpha.id)).await.expect("profile");
    assert_eq!(public.membership_tier, MembershipTier::Certified);

    idle_half_year(&app, &mut c, &officer, &alpha).await;
}

/// Two quarters without a transaction demote one tier at the review; a credit change does not
/// undo it; the next settled contract does.
async fn idle_half_year(app: &TestApp, c: &mut Cast, officer: &str, alpha: &OrgAccount) {
    let first = next_quarterly_run(app.now());
    let third = next_quarterly_run(next_quarterly_run(first));
    let changes = app.count("membership_changes");
    ran_after_move(app, (third - app.now()).num_seconds() + 60, "membership_quarterly").await;
    let idle = membership(app, alpha).await;
    assert_eq!((idle.tier, idle.held), (MembershipTier::Regular, true), "{idle:?}");
    assert_eq!((idle.last_quarter_transactions, idle.quarter_before_transactions), (0, 0));
    let entry = &idle.history[0];
    assert_eq!((entry.change, entry.trigger), (TierChangeKind::Demoted, TierTriggerKind::QuarterlyReview));
    assert!(entry.reasons[0].text.contains("连续两个季度没有交易"));
    assert!(!requirement(&idle, RequirementKind::NextTransaction).met);
    assert_eq!(membership(app, &c.poster).await.tier, MembershipTier::Regular, "idle too");
    assert_eq!(app.count("membership_changes"), changes + 2, "one tier down each");

    // A rerun of the review in the same quarter moves nobody again.
    ran_after_move(app, 60, "membership_quarterly").await;
    assert_eq!(membership(app, alpha).await.tier, MembershipTier::Regular);
    assert_eq!(app.count("membership_changes"), changes + 2);

    // A reviewer's finding changes alpha's credit: the demotion holds.
    let finding =
        json!({"org_id": alpha.id, "kind": "safety_incidents", "value": 2, "source": "应急管理局通报 2027"});
    json_of(app.post("/staff/credit/findings", &finding, Some(&c.reviewer)).await, 201).await;
    let after_credit = membership(app, alpha).await;
    assert_eq!((after_credit.tier, after_credit.held), (MembershipTier::Regular, true));

    // The next settled contract lifts the hold: its conditions give Certified again. (The
    // poster, demoted too, is put back to Certified by hand so its demand skips review.)
    app.set_org_columns(&c.poster, "membership_tier = 'certified'").await;
    settle(app, c, officer, 4).await;
    let back = membership(app, alpha).await;
    assert_eq!((back.tier, back.held), (MembershipTier::Certified, false));
    assert_eq!(back.history[0].trigger, TierTriggerKind::Transaction);
}

#[tokio::test]
async fn an_admin_names_an_operator_the_advisor_of_a_vip_organisation() {
    let app = app().await;
    let reviewer = app.staff_member("vip-reviewer@example.com", &["reviewer"]).await;
    let admin = app.staff_member("vip-admin@example.com", &["admin"]).await;
    let operator = app.staff_member("vip-operator@example.com", &["operator"]).await;
    let operator_id = crate::tenders::user_id(&app, &operator).await;
    let reviewer_id = crate::tenders::user_id(&app, &reviewer).await;
    let org = app.verified_org("vip@steel.test", steelworks("上海宝冶集团有限公司"), &reviewer).await;
    let path = format!("/staff/orgs/{}/advisor", org.id);
    let assign = |user: &str| AssignAdvisor { user_id: user.to_owned() };
    let put = |token: &str, user: &str| {
        let (app, path, token, body) = (&app, path.clone(), token.to_owned(), assign(user));
        async move { app.as_(&token).put::<_, MembershipView>(&path, &body).await }
    };
    let before = app.count("audit_log");

    // Below VIP: 409; a non-operator: 422; a non-admin: 403; blank: 422 naming the field.
    let not_vip = put(&admin, &operator_id).await.expect_err("not VIP");
    not_vip.assert(409, "conflict");
    assert!(not_vip.names("membership", "not_vip"));
    app.set_org_columns(&org, "membership_tier = 'vip'").await;
    let not_operator = put(&admin, &reviewer_id).await.expect_err("a reviewer");
    assert!(not_operator.names("user_id", "not_an_operator"), "{:?}", not_operator.body);
    put(&reviewer, &operator_id).await.expect_err("not an admin").assert(403, "forbidden");
    put(&org.token, &operator_id).await.expect_err("a member").assert(403, "forbidden");
    let blank = put(&admin, " ").await.expect_err("blank");
    assert!(blank.names("user_id", "required"), "{:?}", blank.body);
    assert_eq!(app.count("audit_log"), before, "refusals change nothing");
    assert!(membership(&app, &org).await.advisor.is_none());

    let view = put(&admin, &operator_id).await.expect("assigned");
    let advisor = view.advisor.expect("advisor");
    assert_eq!(
        (advisor.user_id.as_str(), advisor.email.as_deref()),
        (operator_id.as_str(), Some("vip-operator@example.com"))
    );
    assert_eq!(membership(&app, &org).await.advisor.map(|a| a.user_id), Some(operator_id.clone()));
    let notices = kinds(&app, &org.token).await;
    assert!(notices.iter().any(|(k, b)| *k == NotificationKind::MembershipChanged && b.contains("平台顾问")));
    assert_eq!(app.count("audit_log"), before + 1);

    app.as_(&admin).delete(&path).await.expect("removed");
    assert!(membership(&app, &org).await.advisor.is_none());
    assert_eq!(app.count("audit_log"), before + 2);
}

/// The monthly credit run and the quarterly membership review with two server processes on
/// one PostgreSQL database (this test's server and a `gongzhu-test-server` child): each
/// organisation is assessed once for the month and demoted once for the quarter.
#[tokio::test]
async fn two_servers_run_the_monthly_credit_and_the_quarterly_review_once() {
    if !on_postgres() {
        // One SQLite file belongs to one server process.
        return;
    }
    let app = spawn_app().await;
    let reviewer = app.staff_member("two-reviewer@example.com", &["reviewer"]).await;
    let mut orgs = Vec::new();
    for n in 0..3 {
        let org = app
            .verified_org(
                &format!("two-{n}@steel.test"),
                steelworks(&format!("双进程钢构{n}号有限公司")),
                &reviewer,
            )
            .await;
        app.set_org_columns(&org, "membership_tier = 'certified'").await;
        orgs.push(org);
    }
    let mut second = crate::server_process::ServerProcess::start(&app, "second").await;
    let review = next_quarterly_run(app.now());
    crate::credit::ran_after_move(&app, (review - app.now()).num_seconds() + 60, "membership_quarterly")
        .await;
    crate::credit::rescheduled_past(&app, "credit_monthly", review.naive_utc() - chrono::Duration::hours(1))
        .await;
    let month = shared::domain::credit::month_of(app.now());
    for org in &orgs {
        let count = |sql: &str| {
            use diesel::prelude::*;
            #[derive(QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let mut conn = app.db.get().expect("conn");
            diesel::sql_query(sql).get_result::<N>(&mut conn).expect("count").n
        };
        let demotions = count(&format!(
            "SELECT COUNT(*) AS n FROM membership_changes WHERE org_id = '{}' AND triggered_by = 'quarterly_review'",
            org.id
        ));
        assert_eq!(demotions, 1, "one review, one tier down");
        let assessed = count(&format!(
            "SELECT COUNT(*) AS n FROM credit_assessments WHERE org_id = '{}' AND month = '{month}' AND triggered_by = 'monthly'",
            org.id
        ));
        assert_eq!(assessed, 1, "one assessment of the month");
        let tier: MembershipTier = {
            let mut conn = app.db.get().expect("conn");
            api::db::models::orgs::OrganisationRow::find(&mut conn, &org.id)
                .expect("query")
                .expect("org")
                .membership_tier
        };
        assert_eq!(tier, MembershipTier::Regular);
    }
    second.kill();
}

/// A demand's recommendations show each organisation's published grade and tier as they are
/// now (read when the list is asked for, not frozen at matching).
#[tokio::test]
async fn recommendations_show_the_grade_and_tier_in_force() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    app.set_org_columns(&c.alpha, "credit_grade = 'aa', credit_score = 85.5, membership_tier = 'regular'")
        .await;
    let path = format!("/demands/{}/recommendations", c.demand_id);
    let list: DemandRecommendations =
        app.as_(&c.poster.token).org(&c.poster.id).get(&path).await.expect("list");
    let alpha = list.items.iter().find(|r| r.org_id == c.alpha.id).expect("alpha recommended");
    assert_eq!(
        (alpha.credit_grade, alpha.membership_tier),
        (Some(shared::domain::credit::CreditGrade::Aa), MembershipTier::Regular)
    );
    let beta = list.items.iter().find(|r| r.org_id == c.beta.id).expect("beta recommended");
    assert_eq!((beta.credit_grade, beta.membership_tier), (None, MembershipTier::New));
}

/// Matching reads what happened on the platform (issue #17, matching fed by real data): the
/// poster's completed contract with alpha and the rating it gave put alpha's cooperation
/// history above beta's, alpha's contract in force takes from its free capacity, and listed
/// prices in the category set each one's price level.
#[tokio::test]
async fn a_new_demand_is_matched_with_the_posters_history_and_the_suppliers_open_contracts() {
    let app = app().await;
    let mut c = cast(&app).await;
    let officer = app.staff_member("live-finance@example.com", &["finance_officer"]).await;
    for org in [&c.alpha, &c.beta] {
        app.set_org_columns(org, "declared_capacity_fen = 3000000000").await;
    }
    let done = award(&app, &c, PRICE).await;
    into_force(&app, &c, &done, &officer, &FUND_ALL, |_| {}).await;
    accept(&app, &c, &done.id, 1).await;
    accept(&app, &c, &done.id, 2).await;
    let rating =
        json!({"quality": 5, "timeliness": 5, "communication": 4, "payment": 5, "comment": "配合很好"});
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractRatingsView>(&format!("/contracts/{}/ratings", done.id), &rating)
        .await
        .expect("rated");
    next_demand(&app, &mut c, 1).await;
    let open = award(&app, &c, PRICE).await;
    into_force(&app, &c, &open, &officer, &FUND_ALL, |_| {}).await;

    // Listed prices in the demand's category: alpha's two below beta's one.
    for (org, yuan) in [(&c.alpha, 9_000), (&c.alpha, 9_500), (&c.beta, 12_000)] {
        let body = json!({
            "kind": "material", "category": "steel_structure", "name": "H型钢构件加工",
            "description": "Q355B 焊接 H 型钢，含除锈与底漆。", "parameters": [],
            "unit_price_fen": yuan * 100, "unit": "吨", "regions_served": ["330000"],
            "lead_time_days": 10, "tags": []
        });
        let created = app.as_org(Method::POST, "/resources", &org.token, &org.id, Some(&body)).await;
        assert_eq!(created.status(), 201, "listed");
    }

    next_demand(&app, &mut c, 2).await;
    let list: DemandRecommendations = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/demands/{}/recommendations", c.demand_id))
        .await
        .expect("recommendations");
    let value = |org: &str, factor: &str| {
        let item = list.items.iter().find(|i| i.org_id == org).expect("recommended");
        let found = item.factors.iter().find(|f| f.factor == factor);
        (found.expect("factor").value, item.reason.clone())
    };
    let (alpha_history, alpha_reason) = value(&c.alpha.id, "cooperation_history");
    let (beta_history, _) = value(&c.beta.id, "cooperation_history");
    assert!(alpha_history > beta_history && beta_history == 0.0, "{alpha_history} vs {beta_history}");
    assert!(alpha_reason.contains("合作"), "{alpha_reason}");
    let (alpha_room, _) = value(&c.alpha.id, "capacity_headroom");
    let (beta_room, _) = value(&c.beta.id, "capacity_headroom");
    assert!(alpha_room < beta_room, "alpha's contract in force takes capacity: {alpha_room} vs {beta_room}");
    let (alpha_price, _) = value(&c.alpha.id, "price_level");
    let (beta_price, _) = value(&c.beta.id, "price_level");
    assert!(alpha_price > 0.5 && beta_price < 0.5, "listed prices: {alpha_price} vs {beta_price}");
}
