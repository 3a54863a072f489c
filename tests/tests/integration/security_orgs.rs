//! Regression tests for issue #13 (security and abuse), organisations and personal data:
//! verified fields locked (6), no lost update of a suspension (7), invitations that do not
//! reveal who has an account and are rate-limited (9), suspension enforced on project edits and
//! demand invitations (11), account deletion and export complete (12), downloads as private
//! attachments and an upload quota (13).

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::{demand_body, project_body, steelworks};
use crate::helpers::*;

/// The platform's people: a verification reviewer and two operators (dual control).
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

/// Suspends an organisation through dual control (one operator asks, another approves).
async fn suspend(app: &TestApp, platform: &Platform, org_id: &str) {
    let ask = json!({"action": "suspend_organisation", "org_id": org_id, "reason": "涉嫌挂靠资质，暂停交易"});
    let request = json_of(app.post("/staff/requests", &ask, Some(&platform.operator)).await, 201).await;
    let approval = format!("/staff/requests/{}/approval", request["id"].as_str().expect("id"));
    json_of(app.post(&approval, &json!({}), Some(&platform.second_operator)).await, 200).await;
}

async fn is_suspended(app: &TestApp, org_id: &str) -> bool {
    json_of(app.get(&format!("/orgs/{org_id}"), None).await, 200).await["suspended"] == true
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    app.client
        .post(app.api("/files"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload")
}

// ---- 6: fields verification checked are locked ------------------------------------------------

#[tokio::test]
async fn a_verified_organisation_cannot_change_its_legal_name_or_uscc() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let org =
        app.verified_org("owner@example.com", OrgSpec::new("杭州城建市政工程有限公司"), &reviewer).await;
    let path = format!("/orgs/{}", org.id);
    let patch = |body: Value| {
        let (app, path, org) = (&app, path.clone(), org.clone());
        async move { app.as_org(Method::PATCH, &path, &org.token, &org.id, Some(&body)).await }
    };

    let err = assert_error(patch(json!({"name": "随便改个名字有限公司"})).await, 409, "conflict").await;
    assert!(has_issue(&err, "name", "verified_field_locked"), "{err:?}");
    let err = assert_error(
        patch(json!({"name": "另一个名字有限公司", "uscc": fresh_uscc(), "contact_name": "张三"})).await,
        409,
        "conflict",
    )
    .await;
    assert!(has_issue(&err, "name", "verified_field_locked"), "{err:?}");
    assert!(has_issue(&err, "uscc", "verified_field_locked"), "{err:?}");

    let public = json_of(app.get(&path, None).await, 200).await;
    assert_eq!(public["name"], "杭州城建市政工程有限公司");
    assert_eq!(public["verification_status"], "verified");
    // Sending the current name back is fine, and so is changing what verification did not check.
    let same =
        json_of(patch(json!({"name": "杭州城建市政工程有限公司", "short_name": "杭城建"})).await, 200).await;
    assert_eq!(same["profile"]["short_name"], "杭城建");
    assert_eq!(same["profile"]["verification_status"], "verified");
}

// ---- 7: a suspension is never undone by a concurrent profile PATCH ---------------------------

#[tokio::test]
async fn a_profile_patch_after_a_suspension_keeps_it_suspended() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let org =
        app.verified_org("owner@example.com", OrgSpec::new("宁波港城建设有限公司"), &platform.reviewer).await;
    suspend(&app, &platform, &org.id).await;
    let path = format!("/orgs/{}", org.id);
    let body = json!({"contact_name": "李四"});
    assert_error(app.as_org(Method::PATCH, &path, &org.token, &org.id, Some(&body)).await, 403, "forbidden")
        .await;
    assert!(is_suspended(&app, &org.id).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_patches_and_a_suspension_keep_the_suspension() {
    let app = spawn_app().await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let org = app.verified_org("owner@example.com", OrgSpec::new("温州瓯江建设有限公司"), &reviewer).await;
    let path = format!("/orgs/{}", org.id);
    let rounds = if on_postgres() { 60 } else { 20 };
    for round in 0..rounds {
        // Staff's suspension is the same single UPDATE the dual-control approval makes.
        app.sql(&format!(
            "UPDATE organisations SET suspended_at = NULL, suspension_reason = NULL WHERE id = '{}'",
            org.id
        ));
        let patches = (0..3).map(|i| {
            let body =
                json!({"contact_name": format!("王{round}-{i}"), "address": format!("文三路{round}号")});
            let (app, path, org) = (&app, path.clone(), org.clone());
            async move { app.as_org(Method::PATCH, &path, &org.token, &org.id, Some(&body)).await }
        });
        let db = app.db.clone();
        let id = org.id.clone();
        let suspension = async move {
            tokio::time::sleep(std::time::Duration::from_micros((round % 7) * 400)).await;
            tokio::task::spawn_blocking(move || {
                let mut c = db.get().expect("conn");
                diesel::sql_query(format!(
                    "UPDATE organisations SET suspended_at = CURRENT_TIMESTAMP, \
                     suspension_reason = '涉嫌虚假资质' WHERE id = '{id}'"
                ))
                .execute(&mut *c)
                .expect("suspend");
            })
            .await
            .expect("task");
        };
        let (responses, ()) = tokio::join!(futures::future::join_all(patches), suspension);
        for resp in responses {
            let status = resp.status().as_u16();
            assert!([200, 403, 409].contains(&status), "round {round}: {status}");
        }
        assert!(is_suspended(&app, &org.id).await, "round {round}: the suspension was lost");
    }
}

// ---- 9: invitations do not reveal accounts, and are rate-limited -----------------------------

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn organisation_invitations_answer_the_same_whether_or_not_the_contact_has_an_account() {
    let app = spawn_app().await;
    let owner = app.register("inviter@example.com").await;
    let registered = app.register("known@example.com").await;
    let org = json_of(
        app.post("/orgs", &OrgSpec::new("绍兴越城建设有限公司").body(), Some(&owner.access_token)).await,
        201,
    )
    .await["profile"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/orgs/{org}/invitations");
    let invite = |login: &str| {
        let body = json!({"login": login, "role": "member"});
        let (app, path, org, token) = (&app, path.clone(), org.clone(), owner.access_token.clone());
        async move { app.as_org(Method::POST, &path, &token, &org, Some(&body)).await }
    };

    let known = json_of(invite("known@example.com").await, 201).await;
    let unknown = json_of(invite("newcomer@example.com").await, 201).await;
    assert_eq!(keys(&known), keys(&unknown), "{known} vs {unknown}");
    for answer in [&known, &unknown] {
        assert!(answer.get("invitee_user_id").is_none(), "no account id: {answer}");
        assert!(!answer.to_string().contains(&registered.user.id), "{answer}");
        assert_eq!(answer["status"], "pending");
    }
    assert_eq!(known["contact_masked"], "k***@example.com");
    assert_eq!(unknown["contact_masked"], "n***@example.com");
    let phone = json_of(invite("13800138000").await, 201).await;
    assert_eq!(phone["contact_masked"], "138****8000");
    // The organisation's list shows both the same way.
    let sent = json_of(app.get_as(&path, Caller::ForOrg(&owner.access_token, &org)).await, 200).await;
    let listed = sent["items"].as_array().expect("items");
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|i| i.get("invitee_user_id").is_none() && i["contact_masked"].is_string()));
    // Inviting the same contact again is refused either way.
    assert_error(invite("newcomer@example.com").await, 409, "conflict").await;
    assert_error(invite("known@example.com").await, 409, "conflict").await;

    // The newcomer registers: the invitation reaches them once they prove the address.
    let newcomer = app.register("newcomer@example.com").await;
    let mine = json_of(app.get("/me/invitations", Some(&newcomer.access_token)).await, 200).await;
    assert_eq!(mine["items"], json!([]), "not before the e-mail is verified");
    let token = newcomer.access_token.as_str();
    assert_eq!(
        app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await.status(),
        202
    );
    let code = app.last_code("newcomer@example.com");
    let verified =
        app.post("/me/contact-verifications", &json!({"channel": "email", "code": code}), Some(token)).await;
    assert_eq!(verified.status(), 200);
    let mine = json_of(app.get("/me/invitations", Some(token)).await, 200).await;
    assert_eq!(ids(&mine), vec![unknown["id"].as_str().expect("id").to_owned()]);
    let accepted = app
        .post(
            &format!("/invitations/{}/acceptance", unknown["id"].as_str().expect("id")),
            &json!({}),
            Some(token),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(app.count("memberships"), 2);

    // A waiting invitation can be withdrawn like any other, once.
    let phone_path = format!("{path}/{}", phone["id"].as_str().expect("id"));
    let withdraw = |p: String| {
        let (app, org, token) = (&app, org.clone(), owner.access_token.clone());
        async move { app.as_org(Method::DELETE, &p, &token, &org, None).await }
    };
    assert_eq!(withdraw(phone_path.clone()).await.status(), 204);
    assert_error(withdraw(phone_path).await, 409, "conflict").await;
}

#[tokio::test]
async fn group_invitations_answer_the_same_whether_or_not_the_contact_has_an_account() {
    let app = spawn_app().await;
    let owner = app.register("groupowner@example.com").await;
    let guest = app.register("guest@example.com").await;
    let body = json!({"name": "项目经理内部群", "description": "", "join_policy": "invite_only"});
    let group = json_of(app.post("/groups", &body, Some(&owner.access_token)).await, 201).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let invite = format!("/groups/{group}/invitations");
    let known = json_of(
        app.post(&invite, &json!({"login": "guest@example.com"}), Some(&owner.access_token)).await,
        201,
    )
    .await;
    let unknown = json_of(
        app.post(&invite, &json!({"login": "later@example.com"}), Some(&owner.access_token)).await,
        201,
    )
    .await;
    assert_eq!(keys(&known), keys(&unknown));
    for answer in [&known, &unknown] {
        assert!(answer.get("user_id").is_none() && answer.get("user_name").is_none(), "{answer}");
        assert!(!answer.to_string().contains(&guest.user.id), "{answer}");
        assert!(!answer.to_string().contains(&guest.user.display_name), "{answer}");
    }
    assert_eq!(known["contact_masked"], "g***@example.com");
    assert_eq!(unknown["contact_masked"], "l***@example.com");

    // The registered guest joins the invite-only group by the invitation.
    let joined = json_of(
        app.post(
            &format!("/groups/{group}/applications"),
            &json!({"nickname": "访客"}),
            Some(&guest.access_token),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(joined["status"], "approved");
    // The later registrant too, once the address is verified.
    let later = app.register("later@example.com").await;
    let token = later.access_token.as_str();
    app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    let code = app.last_code("later@example.com");
    assert_eq!(
        app.post("/me/contact-verifications", &json!({"channel": "email", "code": code}), Some(token))
            .await
            .status(),
        200
    );
    let joined = json_of(
        app.post(&format!("/groups/{group}/applications"), &json!({"nickname": "新人"}), Some(token)).await,
        201,
    )
    .await;
    assert_eq!(joined["status"], "approved");
}

#[tokio::test]
async fn invitations_are_rate_limited_per_inviter() {
    let app = spawn_app().await;
    let owner = app.register("busy@example.com").await;
    let org = json_of(
        app.post("/orgs", &OrgSpec::new("金华婺城建设有限公司").body(), Some(&owner.access_token)).await,
        201,
    )
    .await["profile"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let group = json_of(
        app.post(
            "/groups",
            &json!({"name": "施工员交流群", "description": "", "join_policy": "open"}),
            Some(&owner.access_token),
        )
        .await,
        201,
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/orgs/{org}/invitations");
    for n in 0..15 {
        let body = json!({"login": format!("p{n}@example.com"), "role": "member"});
        json_of(app.as_org(Method::POST, &path, &owner.access_token, &org, Some(&body)).await, 201).await;
    }
    for n in 15..20 {
        let body = json!({"login": format!("p{n}@example.com")});
        json_of(
            app.post(&format!("/groups/{group}/invitations"), &body, Some(&owner.access_token)).await,
            201,
        )
        .await;
    }
    let body = json!({"login": "one-too-many@example.com", "role": "member"});
    let resp = app.as_org(Method::POST, &path, &owner.access_token, &org, Some(&body)).await;
    let retry: u64 = resp.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=3600).contains(&retry), "{retry}");
    assert_error(resp, 429, "rate_limited").await;
    let resp = app
        .post(
            &format!("/groups/{group}/invitations"),
            &json!({"login": "one-too-many@example.com"}),
            Some(&owner.access_token),
        )
        .await;
    assert_error(resp, 429, "rate_limited").await;
    // Another inviter is not affected.
    let other = app.register("calm@example.com").await;
    let other_group = json_of(
        app.post(
            "/groups",
            &json!({"name": "安全员交流群", "description": "", "join_policy": "open"}),
            Some(&other.access_token),
        )
        .await,
        201,
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    json_of(
        app.post(
            &format!("/groups/{other_group}/invitations"),
            &json!({"login": "p1@example.com"}),
            Some(&other.access_token),
        )
        .await,
        201,
    )
    .await;
}

// ---- 11: suspension enforced on project edits and demand invitations ----------------------------

#[tokio::test]
async fn a_suspended_organisation_cannot_edit_its_published_project() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let org =
        app.verified_org("a@example.com", OrgSpec::new("杭州城建市政工程有限公司"), &platform.reviewer).await;
    let created = json_of(
        app.as_org(
            Method::POST,
            "/projects",
            &org.token,
            &org.id,
            Some(&project_body("某市市政道路改造工程")),
        )
        .await,
        201,
    )
    .await;
    let id = created["id"].as_str().expect("id");
    let path = format!("/projects/{id}");
    json_of(app.as_org(Method::POST, &format!("{path}/publication"), &org.token, &org.id, None).await, 200)
        .await;
    suspend(&app, &platform, &org.id).await;
    let edit = json!({"description": "暂停期间偷偷修改的描述内容。"});
    let err = assert_error(
        app.as_org(Method::PATCH, &path, &org.token, &org.id, Some(&edit)).await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_suspended"), "{err:?}");
    let project = json_of(app.get_as(&path, Caller::Anonymous).await, 200).await;
    assert_eq!(project["description"], "既有道路拓宽改造，含雨污分流与路灯工程。");
}

#[tokio::test]
async fn suspended_organisations_can_neither_invite_more_to_a_demand_nor_answer_an_invitation() {
    let app = spawn_app().await;
    let platform = platform(&app).await;
    let poster = app
        .verified_org(
            "poster@example.com",
            steelworks("杭州城建集团有限公司").roles(&["contractor"]),
            &platform.reviewer,
        )
        .await;
    app.set_org_columns(&poster, "membership_tier = 'certified'").await;
    let mut candidates = Vec::new();
    for n in 0..6_i64 {
        let spec = steelworks(&format!("候选钢构第{n}有限公司")).capacity(1_000_000_000 * (n + 1));
        candidates.push(app.verified_org(&format!("c{n}@example.com"), spec, &platform.reviewer).await);
    }
    let created = json_of(
        app.as_org(
            Method::POST,
            "/demands",
            &poster.token,
            &poster.id,
            Some(&demand_body("科创园钢结构分包")),
        )
        .await,
        201,
    )
    .await;
    let id = created["id"].as_str().expect("id").to_owned();
    let published = json_of(
        app.as_org(Method::POST, &format!("/demands/{id}/submission"), &poster.token, &poster.id, None).await,
        200,
    )
    .await;
    assert_eq!(published["status"], "published");
    let matched = json_of(
        app.get_as(&format!("/demands/{id}/recommendations"), Caller::ForOrg(&poster.token, &poster.id))
            .await,
        200,
    )
    .await;
    let items = matched["items"].as_array().expect("items");
    assert_eq!(items.len(), 6);
    let invited_id = items[0]["org_id"].as_str().expect("org").to_owned();
    let invitation_id = items[0]["invitation_id"].as_str().expect("invited").to_owned();
    let sixth = items[5]["org_id"].as_str().expect("org").to_owned();
    assert!(items[5].get("invitation_id").is_none_or(Value::is_null), "the sixth is not invited yet");
    let invited = candidates.iter().find(|c| c.id == invited_id).expect("candidate").clone();

    // The invited organisation is suspended: it cannot answer.
    suspend(&app, &platform, &invited.id).await;
    let answer = json!({"answer": "interested", "note": "可于两周内进场"});
    let err = assert_error(
        app.as_org(
            Method::POST,
            &format!("/demand-invitations/{invitation_id}/answer"),
            &invited.token,
            &invited.id,
            Some(&answer),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_suspended"), "{err:?}");

    // The poster is suspended: it cannot invite more.
    suspend(&app, &platform, &poster.id).await;
    let more = json!({"org_id": sixth});
    let err = assert_error(
        app.as_org(
            Method::POST,
            &format!("/demands/{id}/invitations"),
            &poster.token,
            &poster.id,
            Some(&more),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_suspended"), "{err:?}");
    let listed = json_of(
        app.get_as(&format!("/demands/{id}/invitations"), Caller::ForOrg(&poster.token, &poster.id)).await,
        200,
    )
    .await;
    let answers: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["answer"].as_str().expect("answer"))
        .collect();
    assert_eq!(answers.len(), 5, "nobody more was invited");
    assert!(answers.iter().all(|a| *a == "pending"), "nobody answered: {answers:?}");
}

// ---- 12: deletion and export complete; codes scrubbed from the outbox ---------------------------

#[tokio::test]
async fn a_used_code_is_scrubbed_from_the_stored_message() {
    let app = spawn_app().await;
    let session = app.register("scrub@example.com").await;
    let token = session.access_token.as_str();
    app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    let code = app.last_code("scrub@example.com");
    assert!(app.last_message("scrub@example.com").contains(&code), "readable while it can be used");
    let resp =
        app.post("/me/contact-verifications", &json!({"channel": "email", "code": code}), Some(token)).await;
    assert_eq!(resp.status(), 200);
    let stored = app.last_message("scrub@example.com");
    assert!(!stored.contains(&code), "{stored}");
    assert!(stored.contains("******"), "{stored}");
}

#[tokio::test]
async fn the_export_includes_groups_posts_points_and_uploads() {
    let app = spawn_app().await;
    let session = app.register("export-all@example.com").await;
    let token = session.access_token.as_str();
    let body = json!({"name": "造价交流群", "description": "造价实务交流", "join_policy": "open"});
    let group = json_of(app.post("/groups", &body, Some(token)).await, 201).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let post = json!({"kind": "discussion", "title": "清单计价的疑问", "body": "措施费如何计取？"});
    let post = json_of(app.post(&format!("/groups/{group}/posts"), &post, Some(token)).await, 201).await;
    let file = json_of(upload(&app, token, b"%PDF-1.4 my own file".to_vec(), "mine.pdf").await, 201).await;

    let export: Value = json_of(app.get("/me/export", Some(token)).await, 200).await;
    let groups = export["group_memberships"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "{export}");
    assert_eq!(groups[0]["group_id"], group.as_str());
    assert_eq!(groups[0]["role"], "owner");
    let posts = export["posts"].as_array().expect("posts");
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["id"], post["id"]);
    assert_eq!(posts[0]["body"], "措施费如何计取？");
    assert!(export["points"].is_array() && export["points_balance"].is_i64(), "{export}");
    let total: i64 = export["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["delta"].as_i64().expect("delta"))
        .sum();
    assert_eq!(total, export["points_balance"].as_i64().expect("balance"));
    let uploads = export["uploads"].as_array().expect("uploads");
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0]["sha256"], file["sha256"]);
    assert_eq!(uploads[0]["original_name"], "mine.pdf");
}

#[tokio::test]
async fn deletion_erases_codes_session_details_nicknames_and_unused_uploads() {
    use api::db::schema::{file_uploads, files, group_members, one_time_codes, outbox_messages, sessions};

    let app = spawn_app().await;
    let session = app.register("leaving@example.com").await;
    let token = session.access_token.as_str();
    let user_id = session.user.id.clone();
    let other = app.register("staying@example.com").await;
    app.post("/me/contact-verification-codes", &json!({"channel": "email"}), Some(token)).await;
    let body = json!({"name": "钢结构交流群", "description": "", "join_policy": "open"});
    let group = json_of(app.post("/groups", &body, Some(&other.access_token)).await, 201).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let apply = json!({"nickname": "上海-钢构-王五"});
    json_of(app.post(&format!("/groups/{group}/applications"), &apply, Some(token)).await, 201).await;
    let own = json_of(upload(&app, token, b"%PDF-1.4 only mine".to_vec(), "only-mine.pdf").await, 201).await;
    let shared_bytes = b"%PDF-1.4 uploaded by both".to_vec();
    let shared = json_of(upload(&app, token, shared_bytes.clone(), "both.pdf").await, 201).await;
    json_of(upload(&app, &other.access_token, shared_bytes, "both.pdf").await, 201).await;
    let own_sha = own["sha256"].as_str().expect("sha").to_owned();
    let shared_sha = shared["sha256"].as_str().expect("sha").to_owned();
    {
        let mut c = app.db.get().expect("conn");
        let n: i64 = sessions::table
            .filter(sessions::user_id.eq(&user_id))
            .filter(sessions::user_agent.is_not_null().or(sessions::ip.is_not_null()))
            .count()
            .get_result(&mut *c)
            .expect("count");
        assert!(n > 0, "the test starts with session details to erase");
    }

    let resp = app
        .client
        .delete(app.api("/me"))
        .bearer_auth(token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 204);

    let mut c = app.db.get().expect("conn");
    let count = |n: QueryResult<i64>| n.expect("count");
    assert_eq!(
        count(one_time_codes::table.filter(one_time_codes::user_id.eq(&user_id)).count().get_result(&mut *c)),
        0
    );
    assert_eq!(
        count(
            one_time_codes::table
                .filter(one_time_codes::destination.eq("leaving@example.com"))
                .count()
                .get_result(&mut *c)
        ),
        0
    );
    assert_eq!(
        count(
            outbox_messages::table
                .filter(outbox_messages::destination.eq("leaving@example.com"))
                .count()
                .get_result(&mut *c)
        ),
        0
    );
    assert_eq!(
        count(
            sessions::table
                .filter(sessions::user_id.eq(&user_id))
                .filter(sessions::user_agent.is_not_null().or(sessions::ip.is_not_null()))
                .count()
                .get_result(&mut *c)
        ),
        0
    );
    let (nickname, status): (String, String) = group_members::table
        .find((&group, &user_id))
        .select((group_members::nickname, group_members::status))
        .first(&mut *c)
        .expect("membership row");
    assert_ne!(nickname, "上海-钢构-王五");
    assert_eq!(status, "left");
    assert_eq!(
        count(file_uploads::table.filter(file_uploads::user_id.eq(&user_id)).count().get_result(&mut *c)),
        0
    );
    assert_eq!(count(files::table.filter(files::sha256.eq(&own_sha)).count().get_result(&mut *c)), 0);
    assert_eq!(count(files::table.filter(files::sha256.eq(&shared_sha)).count().get_result(&mut *c)), 1);
    drop(c);
    assert!(
        !app.config.data_dir.join("files").join(&own_sha[..2]).join(&own_sha).exists(),
        "content deleted"
    );
    let kept = app
        .client
        .get(app.api(&format!("/files/{shared_sha}")))
        .bearer_auth(&other.access_token)
        .send()
        .await
        .expect("send");
    assert_eq!(kept.status(), 200, "the other uploader keeps the shared file");
}

// ---- 13: downloads are private attachments; uploads have a quota ------------------------------

#[tokio::test]
async fn downloads_are_private_attachments_except_images() {
    let app = spawn_app().await;
    let session = app.register("files@example.com").await;
    let token = session.access_token.as_str();
    let pdf = json_of(upload(&app, token, b"%PDF-1.4 a document".to_vec(), "doc.pdf").await, 201).await;
    let png_bytes = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], b"pixels"].concat();
    let png = json_of(upload(&app, token, png_bytes, "photo.png").await, 201).await;

    let get = |sha: &str| app.client.get(app.api(&format!("/files/{sha}"))).bearer_auth(token).send();
    let resp = get(pdf["sha256"].as_str().expect("sha")).await.expect("send");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "private, no-store");
    let disposition = resp.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let resp = get(png["sha256"].as_str().expect("sha")).await.expect("send");
    assert_eq!(resp.headers()["cache-control"], "private, no-store");
    assert_eq!(resp.headers()["content-disposition"], "inline");
    assert_eq!(resp.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn uploads_past_the_personal_quota_are_refused() {
    let app = spawn_app().await;
    let session = app.register("quota@example.com").await;
    let token = session.access_token.as_str();
    let before =
        json_of(upload(&app, token, b"%PDF-1.4 before the quota".to_vec(), "a.pdf").await, 201).await;
    // Stand-in for earlier uploads that fill the quota, without writing 500 MB in a test.
    let quota = app.config.upload_quota_bytes as i64;
    let filler = "f".repeat(64);
    app.sql(&format!(
        "INSERT INTO files (sha256, size, content_type, uploaded_by, created_at) \
         VALUES ('{filler}', {}, 'application/pdf', '{id}', CURRENT_TIMESTAMP); \
         INSERT INTO file_uploads (sha256, user_id, original_name, created_at) \
         VALUES ('{filler}', '{id}', 'big.pdf', CURRENT_TIMESTAMP)",
        quota - 10,
        id = session.user.id
    ));
    let files_before = app.count("files");
    let err = assert_error(
        upload(&app, token, b"%PDF-1.4 one file too many".to_vec(), "b.pdf").await,
        413,
        "payload_too_large",
    )
    .await;
    assert!(has_issue(&err, "file", "quota_exceeded"), "{err:?}");
    assert_eq!(app.count("files"), files_before, "nothing stored");
    // The same content again costs nothing, and other people have their own quota.
    json_of(upload(&app, token, b"%PDF-1.4 before the quota".to_vec(), "a.pdf").await, 201).await;
    let other = app.register("roomy@example.com").await;
    json_of(upload(&app, &other.access_token, b"%PDF-1.4 one file too many".to_vec(), "b.pdf").await, 201)
        .await;
    assert!(before["sha256"].is_string());
}
