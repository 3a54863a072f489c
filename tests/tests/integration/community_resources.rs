//! Shared resources and rewards: the fixed format with a required source,
//! +10 points with the daily cap of five, no points for self-dealing (rating one's own resource,
//! a resource deleted within a day), ratings and comments with the rating order, the monthly
//! update log, files visible to the group's readers only, and redemptions that never take the
//! stock or the balance below zero, even when sent at once.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::community::{Person, balance, cost_group, join, person, send};
use crate::helpers::*;

pub async fn share(app: &TestApp, group: &str, who: &Person, name: &str) -> Value {
    let body = json!({"name": name, "source": "上海市住房和城乡建设管理委员会", "scenario": "清单编制与审核",
        "category": "policy_regulation", "link": "https://zjw.sh.gov.cn/example"});
    json_of(app.post(&format!("/groups/{group}/shared-resources"), &body, Some(&who.token)).await, 201).await
}

async fn upload_pdf(app: &TestApp, who: &Person) -> String {
    let part =
        reqwest::multipart::Part::bytes(b"%PDF-1.4 shared resource".to_vec()).file_name("计价规则.pdf");
    let upload = app
        .client
        .post(app.api("/files"))
        .bearer_auth(&who.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    json_of(upload, 201).await["sha256"].as_str().expect("sha256").to_owned()
}

#[tokio::test]
async fn shared_resources_follow_the_format_earn_capped_points_and_refuse_self_dealing() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b) = (person(&app, "a@example.com").await, person(&app, "b@example.com").await);
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;
    let create = format!("/groups/{group}/shared-resources");

    // The format: a source, and a link or one's own uploaded file.
    let no_source = json!({"name": "计价规则", "source": " ", "category": "policy_regulation", "link": "https://a.example"});
    let err =
        assert_error(app.post(&create, &no_source, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "source", "required"));
    let nothing = json!({"name": "计价规则", "source": "住建委", "category": "policy_regulation"});
    let err = assert_error(app.post(&create, &nothing, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "link", "link_or_file_required"));
    let others_file = upload_pdf(&app, &b).await;
    let theirs = json!({"name": "计价规则", "source": "住建委", "category": "policy_regulation", "file_id": others_file});
    let err = assert_error(app.post(&create, &theirs, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "file_id", "unknown_file"), "only one's own uploads can be shared");
    let unknown = json!({"name": "计价规则", "source": "住建委", "category": "policy_regulation", "file_id": "0".repeat(64)});
    let err = assert_error(app.post(&create, &unknown, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "file_id", "unknown_file"));
    let spam = json!({"name": "团购计价软件", "source": "某公司", "category": "software_tools", "link": "https://a.example"});
    let err = assert_error(app.post(&create, &spam, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "name", "banned_words"));
    assert_error(app.post(&create, &nothing, Some(&outsider.token)).await, 404, "not_found").await;
    assert_eq!(app.count("shared_resources"), 0, "refused resources change nothing");
    assert_eq!(balance(&app, &a).await, 0);

    // +10 each, five a day; the sixth is shared but earns nothing.
    let mut shared = Vec::new();
    for i in 0..6 {
        shared.push(share(&app, &group, &a, &format!("计价应用规则第{i}册")).await);
    }
    assert_eq!(balance(&app, &a).await, 50);
    assert_eq!(shared[0]["sharer_nickname"], "上海-土建-甲");

    // A file shared in the group is readable by its members, not by outsiders.
    let file = upload_pdf(&app, &a).await;
    let with_file = json!({"name": "清单计价实例", "source": "某造价咨询公司", "category": "case_library", "file_id": file});
    json_of(app.post(&create, &with_file, Some(&a.token)).await, 201).await;
    assert_eq!(app.get(&format!("/files/{file}"), Some(&b.token)).await.status(), 200);
    assert_error(app.get(&format!("/files/{file}"), Some(&outsider.token)).await, 404, "not_found").await;

    // Ratings: not one's own; again replaces; sort by rating.
    let first = shared[0]["id"].as_str().expect("id");
    let second = shared[1]["id"].as_str().expect("id");
    let rate = |id: &str| format!("/shared-resources/{id}/ratings");
    let err =
        assert_error(app.post(&rate(first), &json!({"stars": 5}), Some(&a.token)).await, 403, "forbidden")
            .await;
    assert!(has_issue(&err, "stars", "own_resource"));
    assert!(app.post(&rate(first), &json!({"stars": 6}), Some(&b.token)).await.status().is_client_error());
    json_of(app.post(&rate(first), &json!({"stars": 2}), Some(&b.token)).await, 200).await;
    let rated = json_of(app.post(&rate(first), &json!({"stars": 3}), Some(&b.token)).await, 200).await;
    assert_eq!((rated["rating"].as_f64(), rated["rating_count"].as_i64()), (Some(3.0), Some(1)));
    json_of(app.post(&rate(second), &json!({"stars": 5}), Some(&b.token)).await, 200).await;
    json_of(app.post(&rate(second), &json!({"stars": 4}), Some(&owner.token)).await, 200).await;
    let best = json_of(app.get(&format!("{create}?sort=rating&limit=2"), Some(&b.token)).await, 200).await;
    assert_eq!(ids(&best), [second.to_owned(), first.to_owned()]);
    assert_eq!(best["items"][0]["my_rating"], 5);
    let policy =
        json_of(app.get(&format!("{create}?category=case_library"), Some(&b.token)).await, 200).await;
    assert_eq!(policy["items"].as_array().map(Vec::len), Some(1));

    // Comments.
    let comments = format!("/shared-resources/{first}/comments");
    json_of(app.post(&comments, &json!({"body": "很实用，感谢分享"}), Some(&b.token)).await, 201).await;
    let err = assert_error(
        app.post(&comments, &json!({"body": "加我团购"}), Some(&b.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "body", "banned_words"));
    let listed = json_of(app.get(&comments, Some(&owner.token)).await, 200).await;
    assert_eq!(listed["items"][0]["author_nickname"], "上海-安装-乙");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    // Deleting within a day takes the award back; only the sharer or a resource admin deletes.
    assert_error(
        send(&app, Method::DELETE, &format!("/shared-resources/{first}"), &b.token, None).await,
        403,
        "forbidden",
    )
    .await;
    let gone = send(&app, Method::DELETE, &format!("/shared-resources/{first}"), &a.token, None).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(balance(&app, &a).await, 40);
    assert_error(app.get(&format!("/shared-resources/{first}"), Some(&a.token)).await, 404, "not_found")
        .await;
    let sixth = shared[5]["id"].as_str().expect("id");
    let gone = send(&app, Method::DELETE, &format!("/shared-resources/{sixth}"), &owner.token, None).await;
    assert_eq!(gone.status(), 204, "the owner manages resources");
    assert_eq!(balance(&app, &a).await, 40, "the capped sixth had earned nothing to take back");

    // The monthly log lists what was added and is still shared.
    let log = json_of(app.get(&format!("/groups/{group}/resource-log"), Some(&b.token)).await, 200).await;
    assert_eq!(log["total"], 5);
    assert!(
        log["text"].as_str().is_some_and(|t| t.contains("■ 政策法规（4）") && t.contains("■ 案例库（1）"))
    );
    let err = assert_error(
        app.get(&format!("/groups/{group}/resource-log?month=2026-13"), Some(&b.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "month", "invalid"));
    let old =
        json_of(app.get(&format!("/groups/{group}/resource-log?month=2025-01"), Some(&b.token)).await, 200)
            .await;
    assert_eq!(old["total"], 0);
    assert_error(
        app.get(&format!("/groups/{group}/resource-log"), Some(&outsider.token)).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn redemptions_never_take_the_stock_or_the_balance_below_zero() {
    let app = spawn_app().await;
    let operator = app.staff_member("ops@gongzhu.test", &["operator"]).await;
    let owner = person(&app, "owner@example.com").await;
    let a = person(&app, "a@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    for i in 0..5 {
        share(&app, &group, &a, &format!("资料{i}")).await;
    }
    assert_eq!(balance(&app, &a).await, 50);

    let reward = json!({"name": "造价实务图书", "description": "包邮", "cost": 20, "stock": 2});
    assert_error(app.post("/rewards", &reward, Some(&a.token)).await, 403, "forbidden").await;
    let created = json_of(app.post("/rewards", &reward, Some(&operator)).await, 201).await;
    let id = created["id"].as_str().expect("id");
    let listed = json_of(app.get("/rewards", Some(&a.token)).await, 200).await;
    assert_eq!(ids(&listed), [id.to_owned()]);

    // Five redemptions at once: stock 2 and balance 50 allow two; the rest change nothing.
    let path = format!("/rewards/{id}/redemptions");
    let empty = json!({});
    let sent = join_all((0..5).map(|_| app.post(&path, &empty, Some(&a.token)))).await;
    let created = sent.iter().filter(|r| r.status() == 201).count();
    assert_eq!(created, 2);
    assert!(sent.iter().all(|r| r.status() == 201 || r.status() == 409));
    assert_eq!(balance(&app, &a).await, 10);
    let out = json_of(app.get("/rewards", Some(&a.token)).await, 200).await;
    assert_eq!(out["items"][0]["stock"], 0);
    let err = assert_error(app.post(&path, &empty, Some(&a.token)).await, 409, "conflict").await;
    assert!(has_issue(&err, "reward_id", "out_of_stock"));

    // Restocked, but 10 points do not cover 20.
    json_of(
        send(&app, Method::PATCH, &format!("/rewards/{id}"), &operator, Some(&json!({"restock": 3}))).await,
        200,
    )
    .await;
    let err = assert_error(app.post(&path, &empty, Some(&a.token)).await, 409, "conflict").await;
    assert!(has_issue(&err, "cost", "not_enough_points"));
    let err = assert_error(
        send(&app, Method::PATCH, &format!("/rewards/{id}"), &operator, Some(&json!({"restock": -4}))).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "restock", "below_zero"));

    // Cancelling returns points and stock; a fulfilled one cannot be cancelled.
    let mine = json_of(app.get("/me/redemptions", Some(&a.token)).await, 200).await;
    let redemptions = ids(&mine);
    assert_eq!(redemptions.len(), 2);
    let fulfilled = json_of(
        app.post(&format!("/redemptions/{}/fulfilment", redemptions[0]), &empty, Some(&operator)).await,
        200,
    )
    .await;
    assert_eq!(fulfilled["status"], "fulfilled");
    assert_error(
        app.post(&format!("/redemptions/{}/cancellation", redemptions[0]), &empty, Some(&a.token)).await,
        409,
        "conflict",
    )
    .await;
    let outsider = person(&app, "outsider@example.com").await;
    assert_error(
        app.post(&format!("/redemptions/{}/cancellation", redemptions[1]), &empty, Some(&outsider.token))
            .await,
        404,
        "not_found",
    )
    .await;
    let cancelled = json_of(
        app.post(&format!("/redemptions/{}/cancellation", redemptions[1]), &empty, Some(&a.token)).await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(balance(&app, &a).await, 30);
    let statement = json_of(app.get("/me/points", Some(&a.token)).await, 200).await;
    let reasons: Vec<&str> =
        statement["items"].as_array().expect("items").iter().filter_map(|e| e["reason"].as_str()).collect();
    assert_eq!(&reasons[..3], ["redemption_refund", "redemption", "redemption"]);
    let stock = json_of(app.get("/rewards", Some(&a.token)).await, 200).await;
    assert_eq!(stock["items"][0]["stock"], 4);

    // A double-clicked cancellation refunds once.
    let again = json_of(app.post(&path, &empty, Some(&a.token)).await, 201).await;
    assert_eq!(balance(&app, &a).await, 10);
    let cancel = format!("/redemptions/{}/cancellation", again["id"].as_str().expect("id"));
    let both = join_all((0..2).map(|_| app.post(&cancel, &empty, Some(&a.token)))).await;
    let mut statuses: Vec<u16> = both.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(balance(&app, &a).await, 30);
    assert_eq!(json_of(app.get("/rewards", Some(&a.token)).await, 200).await["items"][0]["stock"], 4);
}

#[tokio::test]
async fn a_referrer_earns_once_when_the_referred_persons_organisation_is_verified() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let referrer = person(&app, "referrer@example.com").await;
    let referral = json_of(app.get("/me/referral", Some(&referrer.token)).await, 200).await;
    let code = referral["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 8);
    let again = json_of(app.get("/me/referral", Some(&referrer.token)).await, 200).await;
    assert_eq!(again["code"], code.as_str(), "the code stays");

    let body = |email: &str, code: &str| json!({"email": email, "password": PASSWORD, "display_name": "李强", "accept_privacy": true, "referral_code": code});
    let users_before = app.count("users");
    let err = assert_error(
        app.post("/auth/register", &body("new@example.com", "NOPE2345"), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "referral_code", "unknown"));
    assert_eq!(app.count("users"), users_before, "a wrong code registers nobody");
    let session =
        json_of(app.post("/auth/register", &body("new@example.com", &code.to_lowercase()), None).await, 201)
            .await;
    let token = session["access_token"].as_str().expect("token").to_owned();
    let spec = OrgSpec::new("上海申城建设工程有限公司");
    let created = json_of(app.post("/orgs", &spec.body(), Some(&token)).await, 201).await;
    let org = OrgAccount { id: created["profile"]["id"].as_str().expect("org id").to_owned(), token, spec };
    let counted = json_of(app.get("/me/referral", Some(&referrer.token)).await, 200).await;
    assert_eq!((counted["registered"].as_i64(), counted["rewarded"].as_i64()), (Some(1), Some(0)));
    assert_eq!(balance(&app, &referrer).await, 0, "registering alone earns nothing");

    app.verify(&org, &reviewer).await;
    assert_eq!(balance(&app, &referrer).await, 20);
    let counted = json_of(app.get("/me/referral", Some(&referrer.token)).await, 200).await;
    assert_eq!(counted["rewarded"], 1);
    // Another organisation of the same person verified later earns nothing more.
    let second = json_of(
        app.post("/orgs", &OrgSpec::new("上海申城装饰工程有限公司").body(), Some(&org.token)).await,
        201,
    )
    .await;
    let second = OrgAccount {
        id: second["profile"]["id"].as_str().expect("org id").to_owned(),
        token: org.token.clone(),
        spec: OrgSpec::new("上海申城装饰工程有限公司"),
    };
    app.verify(&second, &reviewer).await;
    assert_eq!(balance(&app, &referrer).await, 20);
}

#[tokio::test]
async fn referring_people_into_ones_own_organisation_earns_nothing() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let org = app.org_account("boss@example.com", OrgSpec::new("上海自家建设有限公司")).await;
    let me = json_of(app.get("/me", Some(&org.token)).await, 200).await;
    let boss_id = me["id"].as_str().expect("id").to_owned();
    let boss = crate::community::Person { token: org.token.clone() };
    json_of(app.get("/me/referral", Some(&org.token)).await, 200).await;
    for i in 0..3 {
        app.add_member(&org, &format!("puppet{i}@example.com")).await;
    }
    app.sql(&format!("UPDATE users SET referred_by = '{boss_id}' WHERE email LIKE 'puppet%'"));
    app.verify(&org, &reviewer).await;
    assert_eq!(balance(&app, &boss).await, 0, "no points for filling one's own organisation");
}
