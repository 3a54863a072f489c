//! The demand library (issue #6): drafts with checked fields, verified-only posting, platform
//! review for posters below the Certified tier (two business days, reject with a reason,
//! resubmit, approve), direct publication for Certified posters, matching on publication (only
//! organisations meeting every hard constraint; the first five invited; exclusions counted),
//! invitations answered once by the invited organisation, and who may see what.
//!
//! Membership tier and credit grade have no API yet: tests set them in the database and then
//! PATCH the organisation's profile, because the server's in-memory candidate pool only
//! re-reads an organisation when it changes through the API (`TestApp::set_org_columns`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use shared::domain::calendar::BusinessCalendar;
use shared::domain::calendar::shanghai::business_date;

use crate::fixtures::{demand_body, steelworks};
use crate::helpers::*;

/// The platform's people: a verification reviewer and two operators.
struct Platform {
    reviewer: String,
    operator: String,
    second_operator: String,
}

async fn platform(app: &TestApp) -> Platform {
    Platform {
        reviewer: app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await,
        operator: app.staff_member("operator@gongzhu.test", &["operator"]).await,
        second_operator: app.staff_member("operator2@gongzhu.test", &["operator"]).await,
    }
}

/// The posting contractor (it offers the category too, so matching must skip it as the poster).
fn contractor(name: &str) -> OrgSpec {
    steelworks(name).roles(&["contractor"])
}

async fn create_demand(app: &TestApp, poster: &OrgAccount, title: &str) -> Value {
    json_of(
        app.as_org(Method::POST, "/demands", &poster.token, &poster.id, Some(&demand_body(title))).await,
        201,
    )
    .await
}

async fn submit(app: &TestApp, poster: &OrgAccount, id: &str) -> reqwest::Response {
    app.as_org(Method::POST, &format!("/demands/{id}/submission"), &poster.token, &poster.id, None).await
}

async fn review(app: &TestApp, operator: &str, id: &str, decision: &Value) -> reqwest::Response {
    app.post(&format!("/staff/demand-reviews/{id}"), decision, Some(operator)).await
}

async fn recommendations(app: &TestApp, poster: &OrgAccount, id: &str) -> Value {
    let path = format!("/demands/{id}/recommendations");
    json_of(app.get_as(&path, Caller::ForOrg(&poster.token, &poster.id)).await, 200).await
}

/// A Certified poster: its demands publish without review.
async fn certified_poster(app: &TestApp, platform: &Platform, email: &str) -> OrgAccount {
    let poster = app.verified_org(email, contractor("杭州城建集团有限公司"), &platform.reviewer).await;
    app.set_org_columns(&poster, "membership_tier = 'certified'").await;
    poster
}

/// A published demand of a Certified poster.
async fn published_demand(app: &TestApp, poster: &OrgAccount, title: &str) -> String {
    let id = create_demand(app, poster, title).await["id"].as_str().expect("id").to_owned();
    let published = json_of(submit(app, poster, &id).await, 200).await;
    assert_eq!(published["status"], "published");
    id
}

async fn notifications(app: &TestApp, token: &str) -> Vec<Value> {
    json_of(app.get("/notifications", Some(token)).await, 200).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|n| n["kind"].as_str().expect("kind")).collect()
}

fn org_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["org_id"].as_str().expect("org_id").to_owned())
        .collect()
}

/// Suspends an organisation through dual control (one operator asks, another approves).
async fn suspend(app: &TestApp, platform: &Platform, org: &OrgAccount) {
    let ask = json!({"action": "suspend_organisation", "org_id": org.id, "reason": "涉嫌挂靠资质，暂停交易"});
    let request = json_of(app.post("/staff/requests", &ask, Some(&platform.operator)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(&platform.second_operator)).await, 200).await;
}

/// The end of the second Shanghai business day after `submitted`'s Shanghai date, worked out
/// day by day from the official calendar.
fn two_business_days_after(submitted: DateTime<Utc>) -> DateTime<Utc> {
    let calendar = BusinessCalendar::official();
    let mut day = business_date(submitted);
    let mut counted = 0;
    while counted < 2 {
        day = day.checked_add_days(Days::new(1)).expect("date");
        if calendar.is_business_day(day).value {
            counted += 1;
        }
    }
    let next_midnight: NaiveDate = day.checked_add_days(Days::new(1)).expect("date");
    // Midnight in Shanghai (UTC+8) is 16:00 UTC the day before.
    next_midnight.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - chrono::Duration::hours(8)
}

#[tokio::test]
async fn a_new_members_demand_is_reviewed_rejected_resubmitted_and_approved() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster =
        app.verified_org("poster@example.com", contractor("杭州城建集团有限公司"), &platform.reviewer).await;
    let colleague = app.add_member(&poster, "colleague@example.com").await;
    let candidate =
        app.verified_org("steel@example.com", steelworks("浙江精工钢构有限公司"), &platform.reviewer).await;

    let resp = app
        .as_org(Method::POST, "/demands", &poster.token, &poster.id, Some(&demand_body("科创园钢结构分包")))
        .await;
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let draft = json_of(resp, 201).await;
    let id = draft["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/demands/{id}"));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["category_name"], "钢结构工程");
    assert_eq!(draft["region_name"], "浙江省 杭州市 西湖区");
    assert!(draft.get("review_due_at").is_none() && draft.get("submitted_at").is_none(), "{draft}");

    let submitted = json_of(submit(&app, &poster, &id).await, 200).await;
    assert_eq!(submitted["status"], "pending_review");
    let submitted_at: DateTime<Utc> =
        serde_json::from_value(submitted["submitted_at"].clone()).expect("submitted_at");
    let due: DateTime<Utc> =
        serde_json::from_value(submitted["review_due_at"].clone()).expect("review_due_at");
    assert_eq!(due, two_business_days_after(submitted_at), "end of the second Shanghai business day");
    assert_eq!(due.format("%H:%M:%S").to_string(), "16:00:00", "Shanghai midnight");
    assert_error(submit(&app, &poster, &id).await, 409, "conflict").await;
    let patch = json!({"title": "审核中改标题"});
    let path = format!("/demands/{id}");
    assert_error(
        app.as_org(Method::PATCH, &path, &poster.token, &poster.id, Some(&patch)).await,
        409,
        "conflict",
    )
    .await;
    assert_error(app.get(&path, None).await, 404, "not_found").await;
    assert!(ids(&json_of(app.get("/demands", None).await, 200).await).is_empty());

    // The operators' queue lists it; nobody else may read the queue or decide.
    let queue = json_of(app.get("/staff/demand-reviews", Some(&platform.operator)).await, 200).await;
    assert_eq!(ids(&queue), vec![id.clone()]);
    assert_eq!(queue["items"][0]["review_due_at"], submitted["review_due_at"]);
    assert_eq!(
        json_of(app.get(&path, Some(&platform.operator)).await, 200).await["status"],
        "pending_review"
    );
    assert_error(app.get("/staff/demand-reviews", Some(&poster.token)).await, 403, "forbidden").await;
    assert_error(app.get("/staff/demand-reviews", Some(&platform.reviewer)).await, 403, "forbidden").await;
    assert_error(review(&app, &platform.reviewer, &id, &json!({"approve": true})).await, 403, "forbidden")
        .await;
    assert_error(review(&app, &poster.token, &id, &json!({"approve": true})).await, 403, "forbidden").await;

    let err = assert_error(
        review(&app, &platform.operator, &id, &json!({"approve": false})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "reason", "required"), "{err:?}");
    let err = assert_error(
        review(&app, &platform.operator, &id, &json!({"approve": false, "reason": "  "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "reason", "required"), "{err:?}");
    assert_eq!(
        json_of(app.get(&path, Some(&platform.operator)).await, 200).await["status"],
        "pending_review"
    );
    assert!(notifications(&app, &poster.token).await.is_empty(), "nothing decided, nobody told");

    let reason = "预算区间与工程量明显不符，请核实后重新提交。";
    let rejected = json_of(
        review(&app, &platform.operator, &id, &json!({"approve": false, "reason": reason})).await,
        200,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["rejection_reason"], reason);
    assert_error(review(&app, &platform.operator, &id, &json!({"approve": true})).await, 409, "conflict")
        .await;
    for token in [&poster.token, &colleague.access_token] {
        let inbox = notifications(&app, token).await;
        assert_eq!(kinds(&inbox), vec!["demand_review"]);
        assert!(inbox[0]["title"].as_str().expect("title").contains("未通过审核"), "{inbox:?}");
        assert_eq!(inbox[0]["body"], reason);
        assert_eq!(inbox[0]["link"], format!("/demands/{id}"));
    }
    let own = Caller::ForOrg(&poster.token, &poster.id);
    assert_error(app.get_as(&format!("/demands/{id}/recommendations"), own).await, 409, "conflict").await;
    assert!(
        ids(&json_of(app.get("/staff/demand-reviews", Some(&platform.operator)).await, 200).await).is_empty()
    );

    let fixed = json_of(
        app.as_org(
            Method::PATCH,
            &path,
            &poster.token,
            &poster.id,
            Some(&json!({"budget_max_fen": 1_500_000_000_i64})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fixed["status"], "rejected", "editing keeps it rejected until resubmitted");
    let resubmitted = json_of(submit(&app, &poster, &id).await, 200).await;
    assert_eq!(resubmitted["status"], "pending_review");
    assert!(resubmitted.get("rejection_reason").is_none(), "{resubmitted}");
    assert!(resubmitted["review_due_at"].is_string());

    // Malformed decisions, unknown demands, and operators who belong to the poster.
    assert_error(review(&app, &platform.operator, &id, &json!({})).await, 400, "validation_failed").await;
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_error(
        review(&app, &platform.operator, &unknown, &json!({"approve": true})).await,
        404,
        "not_found",
    )
    .await;
    let invite = json!({"login": "operator2@gongzhu.test", "role": "member"});
    let invitations = format!("/orgs/{}/invitations", poster.id);
    let invitation =
        json_of(app.as_org(Method::POST, &invitations, &poster.token, &poster.id, Some(&invite)).await, 201)
            .await;
    let acceptance = format!("/invitations/{}/acceptance", invitation["id"].as_str().expect("id"));
    assert!(app.post(&acceptance, &json!({}), Some(&platform.second_operator)).await.status().is_success());
    assert_error(
        review(&app, &platform.second_operator, &id, &json!({"approve": true})).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        json_of(app.get(&path, Some(&platform.operator)).await, 200).await["status"],
        "pending_review"
    );

    // Three approvals at once: one publishes, the others find it decided.
    let approve = json!({"approve": true});
    let attempts =
        futures::future::join_all((0..3).map(|_| review(&app, &platform.operator, &id, &approve))).await;
    let mut statuses: Vec<u16> = attempts.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 409, 409]);
    let approved = attempts.into_iter().find(|r| r.status() == 200).expect("one approval");
    let approved = json_of(approved, 200).await;
    assert_eq!(approved["status"], "published");
    assert!(approved["published_at"].is_string());
    assert_eq!(approved["budget_max_fen"], 1_500_000_000_i64);
    let inbox = notifications(&app, &poster.token).await;
    assert_eq!(kinds(&inbox), vec!["demand_review", "demand_review"]);
    assert!(inbox[0]["title"].as_str().expect("title").contains("已通过审核"), "{inbox:?}");

    let matched = recommendations(&app, &poster, &id).await;
    assert_eq!(org_ids(&matched), vec![candidate.id.clone()]);
    assert!(matched["items"][0]["invitation_id"].is_string());
    assert_eq!(matched["fewer_than_minimum"], true, "one qualified, fewer than three: all invited");
    assert_eq!(kinds(&notifications(&app, &candidate.token).await), vec!["demand_invitation"]);
    assert_eq!(json_of(app.get(&path, None).await, 200).await["status"], "published");
    assert_eq!(ids(&json_of(app.get("/demands", None).await, 200).await), vec![id.clone()]);

    let audit = json_of(app.get("/staff/audit?limit=1", Some(&platform.operator)).await, 200).await;
    assert_eq!(audit["items"][0]["action"], "demand.reviewed");
}

#[tokio::test]
async fn bad_demand_fields_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster =
        app.verified_org("poster@example.com", contractor("杭州城建集团有限公司"), &platform.reviewer).await;
    let other =
        app.verified_org("other@example.com", contractor("宁波港城建设有限公司"), &platform.reviewer).await;
    let unverified = app.org_account("new@example.com", contractor("新注册建设有限公司")).await;
    let create = |org: &OrgAccount, body: Value| {
        let (app, token, id) = (&app, org.token.clone(), org.id.clone());
        async move { app.as_org(Method::POST, "/demands", &token, &id, Some(&body)).await }
    };

    let err =
        assert_error(create(&unverified, demand_body("科创园钢结构分包")).await, 403, "forbidden").await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_not_verified"), "{err:?}");
    assert_error(
        app.post("/demands", &demand_body("科创园钢结构分包"), Some(&poster.token)).await,
        400,
        "validation_failed",
    )
    .await;

    let mut bad = demand_body("钢构");
    bad["scope"] = json!("太短了");
    bad["category"] = json!("moon_mining");
    bad["budget_min_fen"] = json!(2_000_000_000_i64);
    bad["region_code"] = json!("339999");
    bad["deadline"] = json!(shanghai_date_in(-1));
    bad["required_qualifications"] = json!([
        {"type_code": "wizardry", "minimum_grade": "first"},
        {"type_code": "professional_contracting", "minimum_grade": "legendary"}
    ]);
    let err = assert_error(create(&poster, bad).await, 422, "validation_failed").await;
    for (field, issue) in [
        ("title", "too_short"),
        ("scope", "too_short"),
        ("category", "unknown_category"),
        ("budget_max_fen", "below_minimum"),
        ("region_code", "unknown_region"),
        ("deadline", "not_in_future"),
        ("required_qualifications[0].type_code", "unknown_qualification"),
        ("required_qualifications[1].minimum_grade", "unknown_grade"),
    ] {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    let mut today = demand_body("科创园钢结构分包");
    today["deadline"] = json!(shanghai_date_in(0));
    let err = assert_error(create(&poster, today).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "deadline", "not_in_future"), "the deadline must be after today: {err:?}");
    let theirs = json_of(
        app.as_org(
            Method::POST,
            "/projects",
            &other.token,
            &other.id,
            Some(&json!({"name": "宁波港区仓储工程", "project_type": "housing", "investment_fen": 1, "region_code": "330203"})),
        )
        .await,
        201,
    )
    .await;
    let mut foreign_project = demand_body("科创园钢结构分包");
    foreign_project["project_id"] = theirs["id"].clone();
    let err = assert_error(create(&poster, foreign_project).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "project_id", "not_found"), "{err:?}");
    for (key, value) in
        [("kind", json!("barter")), ("deadline", json!("下个月")), ("status", json!("published"))]
    {
        let mut malformed = demand_body("科创园钢结构分包");
        malformed[key] = value;
        assert_error(create(&poster, malformed).await, 400, "validation_failed").await;
    }
    assert_eq!(app.count("demands"), 0);

    // PATCH applies the same checks to the demand as a whole and leaves it as it was.
    let draft = create_demand(&app, &poster, "科创园钢结构分包").await;
    let path = format!("/demands/{}", draft["id"].as_str().expect("id"));
    let patch = json!({"budget_max_fen": 1, "deadline": "2020-01-01"});
    let err = assert_error(
        app.as_org(Method::PATCH, &path, &poster.token, &poster.id, Some(&patch)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        has_issue(&err, "budget_max_fen", "below_minimum") && has_issue(&err, "deadline", "not_in_future"),
        "{err:?}"
    );
    assert_eq!(json_of(app.get_as(&path, Caller::ForOrg(&poster.token, &poster.id)).await, 200).await, draft);

    // A deadline that passes while the demand is a draft blocks the submission (its deadline is
    // 30 days out; the server's clock moves 31 days on — and the poster signs in again, as
    // their access token expired on the way).
    app.advance_clock(31 * 24 * 3600).await;
    let signed_in = app.login("poster@example.com", PASSWORD).await;
    let poster =
        OrgAccount { token: signed_in["access_token"].as_str().expect("token").to_owned(), ..poster };
    let err = assert_error(
        submit(&app, &poster, draft["id"].as_str().expect("id")).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "deadline", "not_in_future"), "{err:?}");
    assert_eq!(
        json_of(app.get_as(&path, Caller::ForOrg(&poster.token, &poster.id)).await, 200).await["status"],
        "draft"
    );
}

#[tokio::test]
async fn publication_recommends_only_organisations_meeting_every_hard_constraint() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let reviewer = platform.reviewer.as_str();
    let poster = app
        .verified_org(
            "poster@example.com",
            contractor("杭州城建集团有限公司").holding("professional_contracting", "first"),
            reviewer,
        )
        .await;
    let mut qualifying = Vec::new();
    for (n, (home, served, grade, capacity)) in [
        ("330106", "330106", "first", 20_000_000_000_i64),
        ("330105", "330100", "second", 8_000_000_000),
        ("330102", "330000", "first", 3_000_000_000),
        ("330203", "330000", "second", 1_500_000_000),
        ("320505", "330000", "second", 12_000_000_000),
        ("330108", "330100", "first", 600_000_000),
    ]
    .into_iter()
    .enumerate()
    {
        let mut spec = steelworks(&format!("合格钢构第{n}有限公司"))
            .registered_in(home)
            .serving(&[served])
            .capacity(capacity);
        spec.qualifications = vec![("professional_contracting".into(), grade.into())];
        qualifying.push(app.verified_org(&format!("q{n}@example.com"), spec, reviewer).await);
    }
    // One organisation per broken constraint.
    let unverified = app.org_account("unverified@example.com", steelworks("未认证钢构有限公司")).await;
    // The candidate pool learns of an organisation when its profile changes through the API
    // (see `an_unverified_organisation_counts_among_the_excluded_without_being_edited`).
    app.refresh_profile(&unverified).await;
    let wrong_category = app
        .verified_org(
            "cement@example.com",
            steelworks("只卖水泥建材有限公司").offering(&["cement"]),
            reviewer,
        )
        .await;
    let wrong_region = app
        .verified_org(
            "gd@example.com",
            steelworks("广东钢构有限公司").registered_in("440106").serving(&["440000"]),
            reviewer,
        )
        .await;
    let suspended =
        app.verified_org("suspended@example.com", steelworks("被暂停钢构有限公司"), reviewer).await;
    suspend(&app, &platform, &suspended).await;
    let grade_c = app.verified_org("gradec@example.com", steelworks("信用C级钢构有限公司"), reviewer).await;
    app.set_org_columns(&grade_c, "credit_grade = 'c', credit_score = 52.0").await;
    let mut under = steelworks("三级资质钢构有限公司");
    under.qualifications = vec![("professional_contracting".into(), "third".into())];
    let under_qualified = app.verified_org("third@example.com", under, reviewer).await;

    let id = create_demand(&app, &poster, "科创园钢结构分包").await["id"].as_str().expect("id").to_owned();
    assert_eq!(json_of(submit(&app, &poster, &id).await, 200).await["status"], "pending_review");
    json_of(review(&app, &platform.operator, &id, &json!({"approve": true})).await, 200).await;

    let matched = recommendations(&app, &poster, &id).await;
    let listed = org_ids(&matched);
    let expected: BTreeSet<String> = qualifying.iter().map(|o| o.id.clone()).collect();
    assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), expected, "{matched}");
    for excluded in
        [&poster, &unverified, &wrong_category, &wrong_region, &suspended, &grade_c, &under_qualified]
    {
        assert!(!listed.contains(&excluded.id), "{} must not be recommended", excluded.spec.name);
    }
    assert_eq!(matched["candidates_considered"], 13);
    assert_eq!(matched["qualified"], 6);
    assert_eq!(matched["fewer_than_minimum"], false);
    assert!(matched["matched_at"].is_string());
    let exclusions: BTreeMap<String, i64> = matched["exclusions"]
        .as_array()
        .expect("exclusions")
        .iter()
        .map(|e| {
            (e["constraint"].as_str().expect("constraint").to_owned(), e["excluded"].as_i64().expect("count"))
        })
        .collect();
    let expected_exclusions: BTreeMap<String, i64> = [
        ("verified", 1),
        ("not_suspended", 1),
        ("credit_not_c", 1),
        ("offers_category", 1),
        // The unverified organisation has no verified qualification either.
        ("holds_qualifications", 2),
        ("serves_region", 1),
        ("not_the_poster", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(exclusions, expected_exclusions);

    let items = matched["items"].as_array().expect("items");
    let factor_names: BTreeSet<&str> = [
        "cooperation_history",
        "regional_proximity",
        "credit",
        "membership_tier",
        "capacity_headroom",
        "responsiveness",
        "price_level",
    ]
    .into_iter()
    .collect();
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["rank"], i + 1);
        let factors = item["factors"].as_array().expect("factors");
        let names: BTreeSet<&str> = factors.iter().map(|f| f["factor"].as_str().expect("factor")).collect();
        assert_eq!(names, factor_names, "{item}");
        let points: f64 = factors.iter().map(|f| f["points"].as_f64().expect("points")).sum();
        let score = item["score"].as_f64().expect("score");
        assert!((points - score).abs() < 1e-6, "factor points add up to the score: {item}");
        assert!(
            !item["reason"].as_str().expect("reason").is_empty()
                && !item["reason_en"].as_str().expect("en").is_empty()
        );
        if i > 0 {
            assert!(items[i - 1]["score"].as_f64().expect("score") >= score, "best first");
        }
        if i < 5 {
            assert!(item["invitation_id"].is_string(), "the first five are invited: {item}");
            assert_eq!(item["answer"], "pending");
        } else {
            assert!(item.get("invitation_id").is_none() && item.get("answer").is_none(), "{item}");
        }
    }
    let invitations = json_of(
        app.get_as(&format!("/demands/{id}/invitations"), Caller::ForOrg(&poster.token, &poster.id)).await,
        200,
    )
    .await;
    assert_eq!(org_ids(&invitations), listed[..5].to_vec(), "by rank");
    for org in &qualifying {
        let inbox = notifications(&app, &org.token).await;
        if listed[..5].contains(&org.id) {
            assert_eq!(kinds(&inbox), vec!["demand_invitation"], "{}", org.spec.name);
            assert_eq!(inbox[0]["org_id"], org.id.as_str());
        } else {
            assert!(inbox.is_empty(), "the sixth is listed but not invited");
        }
    }
    for excluded in [&unverified, &wrong_category, &wrong_region, &suspended, &grade_c, &under_qualified] {
        assert!(notifications(&app, &excluded.token).await.is_empty());
    }
}

#[tokio::test]
async fn a_certified_poster_publishes_at_once_and_fewer_than_three_are_all_invited() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster = certified_poster(&app, &platform, "poster@example.com").await;
    let first =
        app.verified_org("s1@example.com", steelworks("浙江精工钢构有限公司"), &platform.reviewer).await;
    let second =
        app.verified_org("s2@example.com", steelworks("杭萧钢构股份有限公司"), &platform.reviewer).await;

    let id = create_demand(&app, &poster, "科创园钢结构分包").await["id"].as_str().expect("id").to_owned();
    let published = json_of(submit(&app, &poster, &id).await, 200).await;
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    assert!(published.get("review_due_at").is_none(), "no review: {published}");
    assert!(
        ids(&json_of(app.get("/staff/demand-reviews", Some(&platform.operator)).await, 200).await).is_empty()
    );
    assert_eq!(json_of(app.get(&format!("/demands/{id}"), None).await, 200).await["status"], "published");

    let matched = recommendations(&app, &poster, &id).await;
    assert_eq!(matched["qualified"], 2);
    assert_eq!(matched["fewer_than_minimum"], true);
    assert_eq!(
        org_ids(&matched).into_iter().collect::<BTreeSet<_>>(),
        [first.id.clone(), second.id.clone()].into()
    );
    assert!(
        matched["items"].as_array().expect("items").iter().all(|i| i["invitation_id"].is_string()),
        "all invited"
    );
    for org in [&first, &second] {
        assert_eq!(kinds(&notifications(&app, &org.token).await), vec!["demand_invitation"]);
    }
    assert!(notifications(&app, &poster.token).await.is_empty(), "no review, no review notice");
}

#[tokio::test]
async fn invitations_are_answered_once_by_the_invited_organisation_and_more_can_be_invited() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster = certified_poster(&app, &platform, "poster@example.com").await;
    let mut candidates = Vec::new();
    for n in 0..6_i64 {
        let spec = steelworks(&format!("候选钢构第{n}有限公司")).capacity(1_000_000_000 * (n + 1));
        candidates.push(app.verified_org(&format!("c{n}@example.com"), spec, &platform.reviewer).await);
    }
    let outsider = app
        .verified_org(
            "cement@example.com",
            steelworks("只卖水泥建材有限公司").offering(&["cement"]),
            &platform.reviewer,
        )
        .await;
    let id = published_demand(&app, &poster, "科创园钢结构分包").await;
    let matched = recommendations(&app, &poster, &id).await;
    let by_id = |org_id: &str| candidates.iter().find(|c| c.id == org_id).expect("candidate").clone();
    let ranked: Vec<OrgAccount> = org_ids(&matched).iter().map(|o| by_id(o)).collect();
    let (invited, also_invited, sixth) = (&ranked[0], &ranked[1], &ranked[5]);
    let invitation_id = matched["items"][0]["invitation_id"].as_str().expect("invited").to_owned();

    let received =
        json_of(app.get_as("/demand-invitations", Caller::ForOrg(&invited.token, &invited.id)).await, 200)
            .await;
    assert_eq!(ids(&received), vec![invitation_id.clone()]);
    let invitation = &received["items"][0];
    assert_eq!(invitation["demand_id"], id.as_str());
    assert_eq!(invitation["demand_title"], "科创园钢结构分包");
    assert_eq!(invitation["poster_org_id"], poster.id.as_str());
    assert_eq!(invitation["poster_org_name"], "杭州城建集团有限公司");
    assert_eq!(invitation["rank"], 1);
    assert_eq!(invitation["answer"], "pending");
    assert_eq!(invitation["reason"], matched["items"][0]["reason"]);
    assert!(
        ids(&json_of(app.get_as("/demand-invitations", Caller::ForOrg(&sixth.token, &sixth.id)).await, 200)
            .await)
        .is_empty()
    );
    assert_error(
        app.get_as("/demand-invitations", Caller::ForOrg(&sixth.token, &invited.id)).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get_as("/demand-invitations", Caller::Person(&invited.token)).await,
        400,
        "validation_failed",
    )
    .await;

    let answer_path = format!("/demand-invitations/{invitation_id}/answer");
    let answer = |org: &OrgAccount, header: &str, body: Value| {
        let (app, token, header, path) = (&app, org.token.clone(), header.to_owned(), answer_path.clone());
        async move { app.as_org(Method::POST, &path, &token, &header, Some(&body)).await }
    };
    let err = assert_error(
        answer(invited, &invited.id, json!({"answer": "pending"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "answer", "invalid"), "{err:?}");
    let long_note = json!({"answer": "interested", "note": "很".repeat(501)});
    let err = assert_error(answer(invited, &invited.id, long_note).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "note", "too_long"), "{err:?}");
    assert_error(answer(invited, &invited.id, json!({"answer": "maybe"})).await, 400, "validation_failed")
        .await;
    assert_error(answer(sixth, &sixth.id, json!({"answer": "interested"})).await, 404, "not_found").await;
    assert_error(answer(sixth, &invited.id, json!({"answer": "interested"})).await, 404, "not_found").await;
    assert_error(answer(&poster, &poster.id, json!({"answer": "interested"})).await, 404, "not_found").await;
    assert!(notifications(&app, &poster.token).await.is_empty(), "refused answers tell nobody");

    let note = "可于两周内进场，已有同类厂房业绩。";
    let racing = futures::future::join_all(
        (0..4).map(|_| answer(invited, &invited.id, json!({"answer": "interested", "note": note}))),
    )
    .await;
    let mut statuses: Vec<u16> = racing.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 409, 409, 409], "an answer is recorded once");
    let answered = json_of(racing.into_iter().find(|r| r.status() == 200).expect("one answer"), 200).await;
    assert_eq!(answered["answer"], "interested");
    assert_eq!(answered["note"], note);
    assert!(answered["answered_at"].is_string());
    let inbox = notifications(&app, &poster.token).await;
    assert_eq!(kinds(&inbox), vec!["invitation_response"]);
    assert!(inbox[0]["title"].as_str().expect("title").contains("有意向参与"), "{inbox:?}");
    assert_eq!(inbox[0]["body"], note);
    assert_eq!(inbox[0]["link"], format!("/demands/{id}"));
    let err =
        assert_error(answer(invited, &invited.id, json!({"answer": "declined"})).await, 409, "conflict")
            .await;
    assert!(!err.message.is_empty());
    let second_id = matched["items"][1]["invitation_id"].as_str().expect("invited").to_owned();
    let declined = app
        .as_org(
            Method::POST,
            &format!("/demand-invitations/{second_id}/answer"),
            &also_invited.token,
            &also_invited.id,
            Some(&json!({"answer": "declined"})),
        )
        .await;
    assert_eq!(json_of(declined, 200).await["answer"], "declined");
    let answers: Vec<Value> = recommendations(&app, &poster, &id).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["answer"].clone())
        .collect();
    assert_eq!(answers[..2], [json!("interested"), json!("declined")]);

    // The poster invites one more from the ranked list — once, and only from the list.
    let invitations = format!("/demands/{id}/invitations");
    let invite = |org_id: &str| {
        let (app, path, body) = (&app, invitations.clone(), json!({"org_id": org_id}));
        let (token, poster_id) = (poster.token.clone(), poster.id.clone());
        async move { app.as_org(Method::POST, &path, &token, &poster_id, Some(&body)).await }
    };
    let racing = futures::future::join_all((0..4).map(|_| invite(&sixth.id))).await;
    let mut statuses: Vec<u16> = racing.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 409, 409, 409], "one invitation however many clicks");
    let resp = racing.into_iter().find(|r| r.status() == 201).expect("one invitation");
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let extra = json_of(resp, 201).await;
    assert_eq!(location, format!("/api/v1/demand-invitations/{}", extra["id"].as_str().expect("id")));
    assert_eq!(extra["org_id"], sixth.id.as_str());
    assert_eq!(extra["rank"], 6);
    assert_eq!(extra["answer"], "pending");
    assert_eq!(kinds(&notifications(&app, &sixth.token).await), vec!["demand_invitation"]);
    assert_error(invite(&sixth.id).await, 409, "conflict").await;
    assert_error(invite(&invited.id).await, 409, "conflict").await;
    for not_listed in [&outsider.id, &poster.id] {
        let err = assert_error(invite(not_listed).await, 422, "validation_failed").await;
        assert!(has_issue(&err, "org_id", "not_recommended"), "{err:?}");
    }
    let foreign = app
        .as_org(Method::POST, &invitations, &outsider.token, &outsider.id, Some(&json!({"org_id": sixth.id})))
        .await;
    assert_error(foreign, 404, "not_found").await;
    assert_eq!(app.count("demand_invitations"), 6);
    let listed =
        json_of(app.get_as(&invitations, Caller::ForOrg(&poster.token, &poster.id)).await, 200).await;
    assert_eq!(listed["items"].as_array().expect("items").len(), 6);
    assert_error(
        app.get_as(&invitations, Caller::ForOrg(&outsider.token, &outsider.id)).await,
        404,
        "not_found",
    )
    .await;

    // Once closed, no more answers or invitations.
    let closed =
        app.as_org(Method::POST, &format!("/demands/{id}/closure"), &poster.token, &poster.id, None).await;
    assert_eq!(json_of(closed, 200).await["status"], "closed");
    let third_id = matched["items"][2]["invitation_id"].as_str().expect("invited").to_owned();
    let third = &ranked[2];
    let late = app
        .as_org(
            Method::POST,
            &format!("/demand-invitations/{third_id}/answer"),
            &third.token,
            &third.id,
            Some(&json!({"answer": "interested"})),
        )
        .await;
    assert_error(late, 409, "conflict").await;
    assert_error(invite(&ranked[3].id).await, 409, "conflict").await;
}

#[tokio::test]
async fn drafts_recommendations_and_invitation_lists_are_private_and_pages_are_stable() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster = certified_poster(&app, &platform, "poster@example.com").await;
    let other =
        app.verified_org("other@example.com", contractor("宁波港城建设有限公司"), &platform.reviewer).await;
    let draft = create_demand(&app, &poster, "尚未提交的钢结构分包").await;
    let id = draft["id"].as_str().expect("id").to_owned();
    let path = format!("/demands/{id}");

    assert_error(app.get(&path, None).await, 404, "not_found").await;
    assert_error(app.get_as(&path, Caller::Person(&other.token)).await, 404, "not_found").await;
    for header in [&other.id, &poster.id] {
        let caller = Caller::ForOrg(&other.token, header);
        assert_error(app.get_as(&path, caller).await, 404, "not_found").await;
        assert_error(app.get_as(&format!("{path}/recommendations"), caller).await, 404, "not_found").await;
        assert_error(app.get_as(&format!("{path}/invitations"), caller).await, 404, "not_found").await;
        assert_error(app.get_as(&format!("/orgs/{}/demands", poster.id), caller).await, 404, "not_found")
            .await;
        let patch = json!({"title": "被篡改的需求标题"});
        assert_error(
            app.as_org(Method::PATCH, &path, &other.token, header, Some(&patch)).await,
            404,
            "not_found",
        )
        .await;
        for action in ["submission", "closure"] {
            let resp =
                app.as_org(Method::POST, &format!("{path}/{action}"), &other.token, header, None).await;
            assert_error(resp, 404, "not_found").await;
        }
    }
    assert_eq!(json_of(app.get_as(&path, Caller::ForOrg(&poster.token, &poster.id)).await, 200).await, draft);
    assert_error(
        app.get_as(&format!("{path}/recommendations"), Caller::ForOrg(&poster.token, &poster.id)).await,
        409,
        "conflict",
    )
    .await;
    assert_error(
        app.as_org(Method::POST, &format!("{path}/closure"), &poster.token, &poster.id, None).await,
        409,
        "conflict",
    )
    .await;

    // Public pages, newest first, stable while more demands are published.
    let mut published = Vec::new();
    for n in 0..5 {
        published.push(published_demand(&app, &poster, &format!("第{n}号钢结构分包需求")).await);
    }
    let before = ids(&json_of(app.get("/demands?limit=100", None).await, 200).await);
    published.reverse();
    assert_eq!(before, published, "published only, newest first");
    let first = json_of(app.get("/demands?limit=2", None).await, 200).await;
    let mut inserted = Vec::new();
    for n in 5..7 {
        inserted.push(published_demand(&app, &poster, &format!("第{n}号钢结构分包需求")).await);
    }
    let mut paged = ids(&first);
    paged.extend(app.walk_pages("/demands?limit=2", &first, Caller::Anonymous).await);
    assert_pages_stable(&before, &paged, &inserted);
    assert_eq!(paged, before);
    assert_eq!(json_of(app.get("/demands?kind=procurement", None).await, 200).await["items"], json!([]));
    assert_error(app.get("/demands?kind=barter", None).await, 400, "validation_failed").await;
    assert_error(app.get("/demands?limit=101", None).await, 400, "validation_failed").await;
    assert_eq!(
        json_of(app.get("/demands?category=steel_structure&limit=100", None).await, 200).await["items"]
            .as_array()
            .expect("items")
            .len(),
        7
    );

    let own = format!("/orgs/{}/demands?limit=3", poster.id);
    let mine = Caller::ForOrg(&poster.token, &poster.id);
    let own_before =
        ids(&json_of(app.get_as(&format!("/orgs/{}/demands?limit=100", poster.id), mine).await, 200).await);
    assert_eq!(own_before.len(), 8, "drafts included");
    assert!(own_before.contains(&id));
    let first = json_of(app.get_as(&own, mine).await, 200).await;
    let new_draft =
        create_demand(&app, &poster, "又一个钢结构分包草稿").await["id"].as_str().expect("id").to_owned();
    let mut paged = ids(&first);
    paged.extend(app.walk_pages(&own, &first, mine).await);
    assert_pages_stable(&own_before, &paged, &[new_draft]);
}

/// Matching should weigh every organisation the platform knows, whatever the server did since
/// it started. An unverified organisation that was created and never edited is left out of the
/// candidate pool until the next restart (`POST /orgs` does not add it; only profile changes,
/// verification decisions and suspensions do), so the same data gives different
/// `candidates_considered` and `exclusions` before and after a restart.
#[tokio::test]
async fn an_unverified_organisation_counts_among_the_excluded_without_being_edited() {
    let mut app = spawn_app().await;
    let platform = platform(&app).await;
    let poster = certified_poster(&app, &platform, "poster@example.com").await;
    let candidate =
        app.verified_org("steel@example.com", steelworks("浙江精工钢构有限公司"), &platform.reviewer).await;
    let _unverified = app.org_account("unverified@example.com", steelworks("未认证钢构有限公司")).await;
    let counts = |matched: &Value| {
        let verified = matched["exclusions"]
            .as_array()
            .expect("exclusions")
            .iter()
            .find(|e| e["constraint"] == "verified")
            .expect("verified")["excluded"]
            .clone();
        (matched["candidates_considered"].clone(), verified)
    };

    let before_restart = published_demand(&app, &poster, "科创园钢结构分包").await;
    let matched = recommendations(&app, &poster, &before_restart).await;
    assert_eq!(org_ids(&matched), vec![candidate.id.clone()]);
    let first = counts(&matched);

    app.restart().await;
    let after_restart = published_demand(&app, &poster, "科创园钢结构分包二期").await;
    let second = counts(&recommendations(&app, &poster, &after_restart).await);
    assert_eq!(
        second,
        (json!(3), json!(1)),
        "after a restart: the poster, the candidate and the unverified one"
    );
    assert_eq!(first, second, "the same organisations before the restart: {matched}");
}

#[tokio::test]
async fn a_suspended_organisation_can_neither_post_nor_publish_nor_list() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let org =
        app.verified_org("poster@example.com", contractor("杭州城建集团有限公司"), &platform.reviewer).await;
    let project = json!({"name": "某市市政道路改造工程", "project_type": "municipal", "investment_fen": 1, "region_code": "330106"});
    let draft_project =
        json_of(app.as_org(Method::POST, "/projects", &org.token, &org.id, Some(&project)).await, 201).await;
    let draft_demand = create_demand(&app, &org, "科创园钢结构分包").await;
    suspend(&app, &platform, &org).await;

    let listing = json!({"kind": "labour", "category": "steel_structure", "name": "钢结构安装班组", "unit_price_fen": 50_000,
                         "unit": "人·天", "regions_served": ["330000"], "lead_time_days": 3});
    let publication = format!("/projects/{}/publication", draft_project["id"].as_str().expect("id"));
    let submission = format!("/demands/{}/submission", draft_demand["id"].as_str().expect("id"));
    for (method, path, body) in [
        (Method::POST, "/projects", Some(&project)),
        (Method::POST, publication.as_str(), None),
        (Method::POST, "/resources", Some(&listing)),
        (Method::POST, "/demands", Some(&demand_body("又一个钢结构分包"))),
        (Method::POST, submission.as_str(), None),
    ] {
        let err =
            assert_error(app.as_org(method, path, &org.token, &org.id, body).await, 403, "forbidden").await;
        assert!(has_issue(&err, "X-Org-Id", "organisation_suspended"), "{path}: {err:?}");
    }
    assert_eq!((app.count("projects"), app.count("resources"), app.count("demands")), (1, 0, 1));
    let directory = json_of(app.get("/search?kind=organisation", None).await, 200).await;
    assert!(!ids(&directory).contains(&org.id), "a suspended organisation leaves search: {directory}");
    let draft = json_of(
        app.get_as(
            &format!("/demands/{}", draft_demand["id"].as_str().expect("id")),
            Caller::ForOrg(&org.token, &org.id),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(draft["status"], "draft");
}

/// `DemandReviewDecision.reason` is documented as "2–500 characters"; a longer rejection
/// reason should be refused with the field named, and the demand left waiting.
#[tokio::test]
async fn a_rejection_reason_longer_than_five_hundred_characters_is_refused() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster =
        app.verified_org("poster@example.com", contractor("杭州城建集团有限公司"), &platform.reviewer).await;
    let id = create_demand(&app, &poster, "科创园钢结构分包").await["id"].as_str().expect("id").to_owned();
    json_of(submit(&app, &poster, &id).await, 200).await;
    let long = json!({"approve": false, "reason": "预".repeat(501)});
    let resp = review(&app, &platform.operator, &id, &long).await;
    let status = resp.status().as_u16();
    let body = resp.text().await.expect("body");
    let state =
        json_of(app.get(&format!("/demands/{id}"), Some(&platform.operator)).await, 200).await["status"]
            .clone();
    assert_eq!(
        (status, state),
        (422, json!("pending_review")),
        "a 501-character reason was accepted: {}",
        body.chars().take(200).collect::<String>()
    );
}
