//! The project library (issue #6): drafts seen only by their organisation, publication into the
//! library and search, closing (read-only), clarification Q&A with its notifications, checked
//! fields, verified-only creation, and list pages that stay stable while projects are added.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::project_body;
use crate::helpers::*;

/// A reviewer, and two verified organisations A and B.
async fn two_verified_orgs(app: &TestApp) -> (String, OrgAccount, OrgAccount) {
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let a = app.verified_org("a@example.com", OrgSpec::new("杭州城建市政工程有限公司"), &reviewer).await;
    let b = app.verified_org("b@example.com", OrgSpec::new("宁波港城建设有限公司"), &reviewer).await;
    (reviewer, a, b)
}

async fn create_project(app: &TestApp, org: &OrgAccount, name: &str) -> Value {
    let resp = app.as_org(Method::POST, "/projects", &org.token, &org.id, Some(&project_body(name))).await;
    json_of(resp, 201).await
}

async fn publish(app: &TestApp, org: &OrgAccount, id: &str) -> reqwest::Response {
    app.as_org(Method::POST, &format!("/projects/{id}/publication"), &org.token, &org.id, None).await
}

async fn published_project(app: &TestApp, org: &OrgAccount, name: &str) -> String {
    let id = create_project(app, org, name).await["id"].as_str().expect("id").to_owned();
    json_of(publish(app, org, &id).await, 200).await;
    id
}

async fn search_ids(app: &TestApp, query: &str) -> Vec<String> {
    ids(&json_of(app.get(&format!("/search?{query}"), None).await, 200).await)
}

#[tokio::test]
async fn a_draft_is_seen_only_by_its_organisation_until_published() {
    let app = spawn_app().await;
    let (_, a, b) = two_verified_orgs(&app).await;
    let resp = app
        .as_org(Method::POST, "/projects", &a.token, &a.id, Some(&project_body("某市市政道路改造工程")))
        .await;
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let draft = json_of(resp, 201).await;
    let id = draft["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/projects/{id}"));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["org_id"], a.id.as_str());
    assert_eq!(draft["org_name"], "杭州城建市政工程有限公司");
    assert_eq!(draft["tags"], json!(["EPC", "政府投资"]));
    assert!(draft.get("published_at").is_none(), "absent, not null: {draft}");

    let path = format!("/projects/{id}");
    assert_error(app.get_as(&path, Caller::Anonymous).await, 404, "not_found").await;
    assert_error(app.get_as(&path, Caller::Person(&a.token)).await, 404, "not_found").await;
    assert_error(app.get_as(&path, Caller::ForOrg(&b.token, &b.id)).await, 404, "not_found").await;
    assert_error(app.get_as(&path, Caller::ForOrg(&b.token, &a.id)).await, 404, "not_found").await;
    assert_eq!(
        json_of(app.get_as(&path, Caller::ForOrg(&a.token, &a.id)).await, 200).await["id"],
        id.as_str()
    );
    assert_error(app.get(&format!("/projects/{id}/questions"), None).await, 404, "not_found").await;
    assert!(!ids(&json_of(app.get("/projects", None).await, 200).await).contains(&id));
    assert!(!ids(&json_of(app.get("/projects?status=draft", None).await, 200).await).contains(&id));
    assert!(
        search_ids(&app, "q=%E5%B8%82%E6%94%BF%E9%81%93%E8%B7%AF").await.is_empty(),
        "drafts are not searchable"
    );

    let own = format!("/orgs/{}/projects", a.id);
    assert_eq!(
        ids(&json_of(app.get_as(&own, Caller::ForOrg(&a.token, &a.id)).await, 200).await),
        vec![id.clone()]
    );
    assert_error(app.get_as(&own, Caller::ForOrg(&b.token, &b.id)).await, 404, "not_found").await;
    assert_error(app.get_as(&own, Caller::ForOrg(&b.token, &a.id)).await, 404, "not_found").await;

    // Another organisation cannot publish or edit it, whichever header it sends.
    for header in [&b.id, &a.id] {
        let resp =
            app.as_org(Method::POST, &format!("/projects/{id}/publication"), &b.token, header, None).await;
        assert_error(resp, 404, "not_found").await;
        let patch = json!({"name": "被篡改的项目名称"});
        assert_error(
            app.as_org(Method::PATCH, &path, &b.token, header, Some(&patch)).await,
            404,
            "not_found",
        )
        .await;
    }
    let still = json_of(app.get_as(&path, Caller::ForOrg(&a.token, &a.id)).await, 200).await;
    assert_eq!(still["status"], "draft");
    assert_eq!(still["name"], "某市市政道路改造工程");

    // Tender documents of a draft are private to its organisation too.
    let part =
        reqwest::multipart::Part::bytes(b"%PDF-1.4 tender document".to_vec()).file_name("招标文件.pdf");
    let upload = app
        .client
        .post(app.api("/files"))
        .bearer_auth(&a.token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let sha = json_of(upload, 201).await["sha256"].as_str().expect("sha256").to_owned();
    let with_files = json_of(
        app.as_org(Method::PATCH, &path, &a.token, &a.id, Some(&json!({"tender_files": [sha]}))).await,
        200,
    )
    .await;
    assert_eq!(with_files["tender_files"][0]["download_path"], format!("/files/{sha}"));
    assert_eq!(with_files["tender_files"][0]["content_type"], "application/pdf");
    let file = format!("/files/{sha}");
    assert_error(app.get(&file, Some(&b.token)).await, 404, "not_found").await;

    let published = json_of(publish(&app, &a, &id).await, 200).await;
    assert_eq!(published["status"], "published");
    assert_eq!(app.get(&file, Some(&b.token)).await.status(), 200, "published tender documents are readable");
    assert!(published["published_at"].is_string());
    assert_eq!(json_of(app.get(&path, None).await, 200).await["status"], "published");
    assert_eq!(ids(&json_of(app.get("/projects", None).await, 200).await), vec![id.clone()]);
    let hits = json_of(app.get("/search?q=%E5%B8%82%E6%94%BF%E9%81%93%E8%B7%AF", None).await, 200).await;
    assert_eq!(ids(&hits), vec![id.clone()], "published projects enter search: {hits}");
    assert_eq!(hits["items"][0]["kind"], "project");
    assert_error(publish(&app, &a, &id).await, 409, "conflict").await;
}

#[tokio::test]
async fn only_verified_members_may_create_projects() {
    let app = spawn_app().await;
    let (_, verified, _) = two_verified_orgs(&app).await;
    let unverified = app.org_account("new@example.com", OrgSpec::new("尚未认证建设有限公司")).await;
    let body = project_body("某市市政道路改造工程");

    let err = assert_error(
        app.as_org(Method::POST, "/projects", &unverified.token, &unverified.id, Some(&body)).await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "X-Org-Id", "organisation_not_verified"), "{err:?}");
    // A person who is not a member, even with a verified organisation's id: 404.
    assert_error(
        app.as_org(Method::POST, "/projects", &unverified.token, &verified.id, Some(&body)).await,
        404,
        "not_found",
    )
    .await;
    let no_header =
        app.client.post(app.api("/projects")).bearer_auth(&verified.token).json(&body).send().await;
    assert_error(no_header.expect("send"), 400, "validation_failed").await;
    assert_error(app.post("/projects", &body, None).await, 401, "unauthenticated").await;
    assert_eq!(app.count("projects"), 0);
}

#[tokio::test]
async fn bad_project_fields_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let (_, a, _) = two_verified_orgs(&app).await;
    let mut bad = project_body("路");
    bad["investment_fen"] = json!(-1);
    bad["region_code"] = json!("339999");
    bad["latitude"] = json!(95.0);
    bad["tags"] = json!(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]);
    let err = assert_error(
        app.as_org(Method::POST, "/projects", &a.token, &a.id, Some(&bad)).await,
        422,
        "validation_failed",
    )
    .await;
    for (field, issue) in [
        ("name", "too_short"),
        ("investment_fen", "negative"),
        ("region_code", "unknown_region"),
        ("latitude", "out_of_range"),
        ("tags", "too_many"),
    ] {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    let mut only_latitude = project_body("某市市政道路改造工程");
    only_latitude.as_object_mut().expect("object").remove("longitude");
    let err = assert_error(
        app.as_org(Method::POST, "/projects", &a.token, &a.id, Some(&only_latitude)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "longitude", "required"), "{err:?}");
    let mut foreign_file = project_body("某市市政道路改造工程");
    foreign_file["tender_files"] = json!(["0".repeat(64)]);
    let err = assert_error(
        app.as_org(Method::POST, "/projects", &a.token, &a.id, Some(&foreign_file)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "tender_files[0]", "unknown_file"), "{err:?}");
    let mut unknown_field = project_body("某市市政道路改造工程");
    unknown_field["status"] = json!("published");
    assert_error(
        app.as_org(Method::POST, "/projects", &a.token, &a.id, Some(&unknown_field)).await,
        400,
        "validation_failed",
    )
    .await;
    let mut bad_type = project_body("某市市政道路改造工程");
    bad_type["project_type"] = json!("spaceport");
    assert_error(
        app.as_org(Method::POST, "/projects", &a.token, &a.id, Some(&bad_type)).await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("projects"), 0);

    // PATCH: the same checks, and the project is left as it was.
    let project = create_project(&app, &a, "某市市政道路改造工程").await;
    let path = format!("/projects/{}", project["id"].as_str().expect("id"));
    let patch = json!({"name": "", "investment_fen": 10_000_000_000_001_i64, "region_code": "000000"});
    let err = assert_error(
        app.as_org(Method::PATCH, &path, &a.token, &a.id, Some(&patch)).await,
        422,
        "validation_failed",
    )
    .await;
    for (field, issue) in
        [("name", "required"), ("investment_fen", "too_large"), ("region_code", "unknown_region")]
    {
        assert!(has_issue(&err, field, issue), "{field}/{issue}: {err:?}");
    }
    let after = json_of(app.get_as(&path, Caller::ForOrg(&a.token, &a.id)).await, 200).await;
    assert_eq!(after, project, "a refused PATCH changes nothing");

    let changed = json_of(
        app.as_org(
            Method::PATCH,
            &path,
            &a.token,
            &a.id,
            Some(&json!({"investment_fen": 15_000_000_000_i64, "tags": ["EPC"]})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["investment_fen"], 15_000_000_000_i64);
    assert_eq!(changed["tags"], json!(["EPC"]));
    assert_eq!(changed["name"], "某市市政道路改造工程", "absent fields stay");
}

#[tokio::test]
async fn a_closed_project_stays_visible_but_read_only() {
    let app = spawn_app().await;
    let (_, a, b) = two_verified_orgs(&app).await;
    let asker = app.register("asker@example.com").await;
    let draft = create_project(&app, &a, "滨江区安置房建设项目").await;
    let draft_id = draft["id"].as_str().expect("id");
    assert_error(
        app.as_org(Method::POST, &format!("/projects/{draft_id}/closure"), &a.token, &a.id, None).await,
        409,
        "conflict",
    )
    .await;

    let id = published_project(&app, &a, "某市市政道路改造工程").await;
    let closure = format!("/projects/{id}/closure");
    for header in [&b.id, &a.id] {
        assert_error(app.as_org(Method::POST, &closure, &b.token, header, None).await, 404, "not_found")
            .await;
    }
    let closed = json_of(app.as_org(Method::POST, &closure, &a.token, &a.id, None).await, 200).await;
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string());
    assert_error(app.as_org(Method::POST, &closure, &a.token, &a.id, None).await, 409, "conflict").await;

    let path = format!("/projects/{id}");
    let patch = json!({"name": "关闭后改名的项目"});
    assert_error(app.as_org(Method::PATCH, &path, &a.token, &a.id, Some(&patch)).await, 409, "conflict")
        .await;
    let public = json_of(app.get(&path, None).await, 200).await;
    assert_eq!(public["name"], "某市市政道路改造工程");
    assert_eq!(public["status"], "closed");
    let ask = json!({"question": "请问还接受报名吗？"});
    assert_error(
        app.post(&format!("/projects/{id}/questions"), &ask, Some(&asker.access_token)).await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(app.count("project_questions"), 0);
    assert_eq!(ids(&json_of(app.get("/projects?status=closed", None).await, 200).await), vec![id.clone()]);
    assert!(ids(&json_of(app.get("/projects?status=published", None).await, 200).await).is_empty());
    let hits = json_of(app.get("/search?kind=project&status=closed", None).await, 200).await;
    assert_eq!(ids(&hits), vec![id], "closed projects stay searchable with their status");
}

#[tokio::test]
async fn questions_are_public_answered_by_the_owner_and_notify_both_sides() {
    let app = spawn_app().await;
    let (_, a, b) = two_verified_orgs(&app).await;
    let colleague = app.add_member(&a, "colleague@example.com").await;
    let asker = app.register("asker@example.com").await;
    let id = published_project(&app, &a, "某市市政道路改造工程").await;
    let draft_id =
        create_project(&app, &a, "滨江区安置房建设项目").await["id"].as_str().expect("id").to_owned();
    let questions = format!("/projects/{id}/questions");

    let ask = json!({"question": "请问是否接受联合体投标？"});
    assert_error(app.post(&questions, &ask, None).await, 401, "unauthenticated").await;
    let short = app.post(&questions, &json!({"question": "能否"}), Some(&asker.access_token)).await;
    assert!(has_issue(&assert_error(short, 422, "validation_failed").await, "question", "too_short"));
    let unknown = app
        .post(
            &questions,
            &json!({"question": "请问是否接受联合体投标？", "anonymous": true}),
            Some(&asker.access_token),
        )
        .await;
    assert_error(unknown, 400, "validation_failed").await;
    assert_error(
        app.post(&format!("/projects/{draft_id}/questions"), &ask, Some(&asker.access_token)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.count("project_questions"), 0);

    let resp = app.post(&questions, &ask, Some(&asker.access_token)).await;
    let location = resp.headers()["location"].to_str().expect("ascii").to_owned();
    let question = json_of(resp, 201).await;
    let question_id = question["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/projects/{id}/questions/{question_id}"));
    assert_eq!(question["asked_by"], "张伟");
    assert!(question.get("answer").is_none());
    assert_eq!(json_of(app.get(&format!("/projects/{id}"), None).await, 200).await["question_count"], 1);

    // Every member of the project's organisation hears of the question; nobody else.
    for token in [&a.token, &colleague.access_token] {
        let inbox = json_of(app.get("/notifications", Some(token)).await, 200).await;
        assert_eq!(inbox["unread"], 1, "{inbox}");
        assert_eq!(inbox["items"][0]["kind"], "project_question");
        assert_eq!(inbox["items"][0]["org_id"], a.id.as_str());
        assert_eq!(inbox["items"][0]["link"], format!("/projects/{id}"));
        assert!(inbox["items"][0]["title"].as_str().expect("title").contains("某市市政道路改造工程"));
    }
    assert_eq!(json_of(app.get("/notifications", Some(&b.token)).await, 200).await["unread"], 0);
    assert_eq!(json_of(app.get("/notifications", Some(&asker.access_token)).await, 200).await["unread"], 0);

    // Only the owner organisation answers.
    let answer_path = format!("/projects/{id}/questions/{question_id}/answer");
    let answer = json!({"answer": "接受联合体投标，牵头方须具备市政公用工程总承包二级以上资质。"});
    for (token, header) in [(&b.token, &b.id), (&b.token, &a.id), (&asker.access_token, &a.id)] {
        assert_error(
            app.as_org(Method::POST, &answer_path, token, header, Some(&answer)).await,
            404,
            "not_found",
        )
        .await;
    }
    let blank = app.as_org(Method::POST, &answer_path, &a.token, &a.id, Some(&json!({"answer": "  "}))).await;
    assert!(has_issue(&assert_error(blank, 422, "validation_failed").await, "answer", "required"));
    let wrong_question = format!("/projects/{id}/questions/{}/answer", uuid::Uuid::now_v7());
    assert_error(
        app.as_org(Method::POST, &wrong_question, &a.token, &a.id, Some(&answer)).await,
        404,
        "not_found",
    )
    .await;
    let public = json_of(app.get(&questions, None).await, 200).await;
    assert!(public["items"][0].get("answer").is_none(), "refused answers left no trace");

    let answered = json_of(
        app.as_org(Method::POST, &answer_path, &colleague.access_token, &a.id, Some(&answer)).await,
        200,
    )
    .await;
    assert_eq!(answered["answer"], answer["answer"]);
    assert!(answered["answered_at"].is_string());
    let public = json_of(app.get(&questions, None).await, 200).await;
    assert_eq!(public["items"].as_array().expect("items").len(), 1);
    assert_eq!(public["items"][0]["answer"], answer["answer"]);

    let inbox = json_of(app.get("/notifications", Some(&asker.access_token)).await, 200).await;
    assert_eq!(inbox["unread"], 1, "{inbox}");
    assert_eq!(inbox["items"][0]["kind"], "question_answered");
    assert_eq!(inbox["items"][0]["link"], format!("/projects/{id}"));
}

#[tokio::test]
async fn project_pages_are_stable_while_projects_are_published() {
    let app = spawn_app().await;
    let (_, a, b) = two_verified_orgs(&app).await;
    for n in 0..5 {
        published_project(&app, if n % 2 == 0 { &a } else { &b }, &format!("第{n}号市政道路工程")).await;
    }
    create_project(&app, &a, "未发布的草稿项目").await;
    let before = ids(&json_of(app.get("/projects?limit=100", None).await, 200).await);
    assert_eq!(before.len(), 5, "drafts are not listed");
    let mut sorted = before.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(before, sorted, "newest first");

    let first = json_of(app.get("/projects?limit=2", None).await, 200).await;
    assert_eq!(ids(&first), before[..2].to_vec());
    let mut inserted = Vec::new();
    for n in 5..7 {
        inserted.push(published_project(&app, &a, &format!("第{n}号市政道路工程")).await);
    }
    let mut paged = ids(&first);
    paged.extend(app.walk_pages("/projects?limit=2", &first, Caller::Anonymous).await);
    assert_pages_stable(&before, &paged, &inserted);
    assert_eq!(paged, before, "newer projects never show up on later pages");

    let of_a = json_of(app.get(&format!("/projects?org_id={}&limit=100", a.id), None).await, 200).await;
    assert_eq!(of_a["items"].as_array().expect("items").len(), 5);
    assert!(of_a["items"].as_array().expect("items").iter().all(|p| p["org_id"] == a.id.as_str()));

    // The organisation's own list (drafts included) pages the same way.
    let own = format!("/orgs/{}/projects?limit=2", a.id);
    let own_before = ids(&json_of(
        app.get_as(&format!("/orgs/{}/projects?limit=100", a.id), Caller::ForOrg(&a.token, &a.id)).await,
        200,
    )
    .await);
    assert_eq!(own_before.len(), 6);
    let first = json_of(app.get_as(&own, Caller::ForOrg(&a.token, &a.id)).await, 200).await;
    let draft = create_project(&app, &a, "又一个草稿项目").await["id"].as_str().expect("id").to_owned();
    let mut paged = ids(&first);
    paged.extend(app.walk_pages(&own, &first, Caller::ForOrg(&a.token, &a.id)).await);
    assert_pages_stable(&own_before, &paged, &[draft]);

    assert_error(app.get("/projects?limit=0", None).await, 400, "validation_failed").await;
    assert_error(app.get("/projects?limit=101", None).await, 400, "validation_failed").await;
}
