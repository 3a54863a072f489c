//! The professional community (issue #7, part one): groups and joining (open, approval with the
//! questionnaire and nickname format, invitation), posts with topics and @mentions, Q&A with
//! accepted answers and points (caps, self-dealing), the banned-word hold, the moderation ladder
//! (warning → mute → removal) with its log and appeals, and privacy between groups.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A person with a session.
pub struct Person {
    pub token: String,
}

pub async fn person(app: &TestApp, email: &str) -> Person {
    Person { token: app.register(email).await.access_token }
}

pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.api(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send().await.expect("request")
}

/// An approval-only cost-engineer group owned by `owner`, with a required and an optional
/// question and the nickname format 城市-专业-姓名.
pub async fn cost_group(app: &TestApp, owner: &Person) -> String {
    let body = json!({
        "name": "二级造价师实战交流群(上海)",
        "description": "造价实务交流",
        "rules": "禁止广告",
        "join_policy": "approval",
        "nickname_format": "城市-专业-姓名",
        "questionnaire": [
            {"question": "从业年限", "required": true},
            {"question": "造价师证书编号（选填）", "required": false}
        ],
        "banned_words": ["团购"]
    });
    let created = json_of(app.post("/groups", &body, Some(&owner.token)).await, 201).await;
    assert_eq!(created["my_role"], "owner");
    assert_eq!(created["member_count"], 1);
    created["id"].as_str().expect("id").to_owned()
}

/// `who` applies and `admin` approves; returns the member's user id.
pub async fn join(app: &TestApp, group: &str, admin: &Person, who: &Person, nickname: &str) -> String {
    let body = json!({"nickname": nickname, "answers": ["5年", ""]});
    let applied =
        json_of(app.post(&format!("/groups/{group}/applications"), &body, Some(&who.token)).await, 201).await;
    let app_id = applied["id"].as_str().expect("id");
    let path = format!("/groups/{group}/applications/{app_id}/decision");
    let decided = json_of(app.post(&path, &json!({"approve": true}), Some(&admin.token)).await, 200).await;
    assert_eq!(decided["status"], "approved");
    decided["user_id"].as_str().expect("user").to_owned()
}

pub async fn post(app: &TestApp, group: &str, who: &Person, kind: &str, title: &str, body: &str) -> Value {
    let body = json!({"kind": kind, "title": title, "body": body});
    json_of(app.post(&format!("/groups/{group}/posts"), &body, Some(&who.token)).await, 201).await
}

pub async fn reply(app: &TestApp, post: &str, who: &Person, body: &str) -> Value {
    json_of(app.post(&format!("/posts/{post}/replies"), &json!({"body": body}), Some(&who.token)).await, 201)
        .await
}

pub async fn balance(app: &TestApp, who: &Person) -> i64 {
    json_of(app.get("/me/points", Some(&who.token)).await, 200).await["balance"].as_i64().expect("balance")
}

pub async fn unread_kinds(app: &TestApp, who: &Person) -> Vec<String> {
    let page = json_of(app.get("/notifications", Some(&who.token)).await, 200).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn approval_group_questionnaire_nickname_format_and_private_content() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let applicant = person(&app, "applicant@example.com").await;
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    let apply = format!("/groups/{group}/applications");

    // The nickname must follow the format; the required question needs an answer.
    let bad =
        app.post(&apply, &json!({"nickname": "王芳", "answers": ["5年"]}), Some(&applicant.token)).await;
    let err = assert_error(bad, 422, "validation_failed").await;
    assert!(has_issue(&err, "nickname", "nickname_format"));
    let both = app.post(&apply, &json!({"nickname": "王芳", "answers": [""]}), Some(&applicant.token)).await;
    let err = assert_error(both, 422, "validation_failed").await;
    assert!(
        has_issue(&err, "nickname", "nickname_format") && has_issue(&err, "answers[0]", "required"),
        "all at once"
    );
    let bad = app
        .post(&apply, &json!({"nickname": "上海-土建-王芳", "answers": [""]}), Some(&applicant.token))
        .await;
    let err = assert_error(bad, 422, "validation_failed").await;
    assert!(has_issue(&err, "answers[0]", "required"));
    let bad =
        app.post(&apply, &json!({"nickname": "上海-土建-王芳", "extra": 1}), Some(&applicant.token)).await;
    assert_eq!(bad.status(), 400, "unknown fields are refused");
    assert_eq!(app.count("group_applications"), 0, "refused applications change nothing");

    let body = json!({"nickname": "上海-土建-王芳", "answers": ["5年", "沪0123"]});
    let applied = json_of(app.post(&apply, &body, Some(&applicant.token)).await, 201).await;
    assert_eq!(applied["status"], "pending");
    assert_eq!(applied["answers"][1], json!({"question": "造价师证书编号（选填）", "answer": "沪0123"}));
    assert!(unread_kinds(&app, &owner).await.contains(&"group_application".to_owned()), "admins are told");
    let again = app.post(&apply, &body, Some(&applicant.token)).await;
    assert_error(again, 409, "conflict").await;

    // The owner's post is invisible to the applicant until approval, and to outsiders always.
    let first = post(&app, &group, &owner, "announcement", "群公告", "欢迎加入 #新人必读#").await;
    assert_eq!(first["pinned"], true);
    assert_eq!(first["topics"], json!(["新人必读"]));
    let first_id = first["id"].as_str().expect("id");
    assert_error(app.get(&format!("/groups/{group}/posts"), Some(&applicant.token)).await, 404, "not_found")
        .await;
    assert_error(app.get(&format!("/posts/{first_id}"), Some(&outsider.token)).await, 404, "not_found").await;
    assert_error(app.get(&format!("/posts/{first_id}"), None).await, 404, "not_found").await;
    let visitor = json_of(app.get(&format!("/groups/{group}"), Some(&outsider.token)).await, 200).await;
    assert_eq!(visitor["my_status"], "none");
    assert!(visitor.get("banned_words").is_none(), "only admins see the banned words");

    // Only admins decide; a rejection needs a reason.
    let app_id = applied["id"].as_str().expect("id");
    let decide = format!("/groups/{group}/applications/{app_id}/decision");
    assert_error(app.post(&decide, &json!({"approve": true}), Some(&outsider.token)).await, 404, "not_found")
        .await;
    let err = assert_error(
        app.post(&decide, &json!({"approve": false}), Some(&owner.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "reason", "required"));
    json_of(app.post(&decide, &json!({"approve": true}), Some(&owner.token)).await, 200).await;
    assert_error(app.post(&decide, &json!({"approve": true}), Some(&owner.token)).await, 409, "conflict")
        .await;
    assert!(unread_kinds(&app, &applicant).await.contains(&"application_decided".to_owned()));

    let page = json_of(app.get(&format!("/groups/{group}/posts"), Some(&applicant.token)).await, 200).await;
    assert_eq!(ids(&page), vec![first_id.to_owned()]);
    let topic =
        json_of(app.get(&format!("/groups/{group}/posts?topic=新人必读"), Some(&applicant.token)).await, 200)
            .await;
    assert_eq!(ids(&topic).len(), 1);
    let mine = json_of(app.get("/groups?mine=true", Some(&applicant.token)).await, 200).await;
    assert_eq!(ids(&mine), vec![group.clone()]);
    let members =
        json_of(app.get(&format!("/groups/{group}/members"), Some(&applicant.token)).await, 200).await;
    assert_eq!(members["items"].as_array().expect("items").len(), 2);
}

#[tokio::test]
async fn invite_only_groups_admit_invited_people_and_open_groups_anyone() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let guest = person(&app, "guest@example.com").await;
    let body = json!({"name": "项目经理内部群", "description": "", "join_policy": "invite_only"});
    let group = json_of(app.post("/groups", &body, Some(&owner.token)).await, 201).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let apply = format!("/groups/{group}/applications");
    let err = assert_error(
        app.post(&apply, &json!({"nickname": "访客"}), Some(&guest.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "group_id", "invite_only"));
    let invite = format!("/groups/{group}/invitations");
    // Whether the contact has an account is not revealed (issue #13): the invitation waits.
    let waiting =
        json_of(app.post(&invite, &json!({"login": "nobody@example.com"}), Some(&owner.token)).await, 201)
            .await;
    assert_eq!(waiting["contact_masked"], "n***@example.com");
    json_of(app.post(&invite, &json!({"login": "guest@example.com"}), Some(&owner.token)).await, 201).await;
    assert!(unread_kinds(&app, &guest).await.contains(&"group_invitation".to_owned()));
    let joined = json_of(app.post(&apply, &json!({"nickname": "访客"}), Some(&guest.token)).await, 201).await;
    assert_eq!(joined["status"], "approved");
    let view = json_of(app.get(&format!("/groups/{group}"), Some(&guest.token)).await, 200).await;
    assert_eq!(view["my_status"], "active");

    // An open group: joined at once, and its posts are public.
    let body = json!({"name": "业主交流群", "description": "小区业主", "join_policy": "open"});
    let open = json_of(app.post("/groups", &body, Some(&owner.token)).await, 201).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let joined = json_of(
        app.post(&format!("/groups/{open}/applications"), &json!({"nickname": "3号楼"}), Some(&guest.token))
            .await,
        201,
    )
    .await;
    assert_eq!(joined["status"], "approved");
    post(&app, &open, &owner, "discussion", "#物业通知# 停水", "明天 9 点停水").await;
    let public = json_of(app.get(&format!("/groups/{open}/posts"), None).await, 200).await;
    assert_eq!(public["items"][0]["topics"], json!(["物业通知"]));

    // Leaving; the owner cannot leave.
    assert_eq!(
        send(&app, Method::DELETE, &format!("/groups/{open}/membership"), &guest.token, None).await.status(),
        204
    );
    assert_error(
        send(&app, Method::DELETE, &format!("/groups/{open}/membership"), &owner.token, None).await,
        409,
        "conflict",
    )
    .await;
    let dup = app.post("/groups", &body, Some(&owner.token)).await;
    assert_error(dup, 409, "conflict").await;
}

#[tokio::test]
async fn questions_answers_acceptance_points_caps_and_self_dealing() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let asker = person(&app, "asker@example.com").await;
    let expert = person(&app, "expert@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &asker, "上海-安装-李强").await;
    let expert_id = join(&app, &group, &owner, &expert, "上海-土建-王芳").await;
    let role = json!({"role": "expert"});
    let changed = json_of(
        send(&app, Method::PATCH, &format!("/groups/{group}/members/{expert_id}"), &owner.token, Some(&role))
            .await,
        200,
    )
    .await;
    assert_eq!(changed["role"], "expert");
    assert_error(
        send(&app, Method::PATCH, &format!("/groups/{group}/members/{expert_id}"), &asker.token, Some(&role))
            .await,
        403,
        "forbidden",
    )
    .await;

    // Ask an expert by @; the expert is told.
    let q = post(
        &app,
        &group,
        &asker,
        "question",
        "钢筋工程量清单怎么计算",
        "请教 @上海-土建-王芳 钢筋工程量清单的计算规则",
    )
    .await;
    let q_id = q["id"].as_str().expect("id");
    assert!(unread_kinds(&app, &expert).await.contains(&"mention".to_owned()));
    // Search before you ask.
    let similar = json_of(
        app.get(&format!("/groups/{group}/similar-questions?q=钢筋清单计算"), Some(&owner.token)).await,
        200,
    )
    .await;
    assert_eq!(ids(&similar), vec![q_id.to_owned()]);
    let none = json_of(
        app.get(&format!("/groups/{group}/similar-questions?q=食堂菜单"), Some(&owner.token)).await,
        200,
    )
    .await;
    assert!(ids(&none).is_empty());

    let answer = reply(&app, q_id, &expert, "按 GB50854 附录计算，搭接另计").await;
    assert_eq!(answer["author_role"], "expert");
    assert!(unread_kinds(&app, &asker).await.contains(&"post_reply".to_owned()));
    let own = reply(&app, q_id, &asker, "我自己查到了").await;
    let accept = format!("/posts/{q_id}/acceptance");
    let a_id = answer["id"].as_str().expect("id");
    assert_error(app.post(&accept, &json!({"reply_id": a_id}), Some(&expert.token)).await, 403, "forbidden")
        .await;
    let err = assert_error(
        app.post(&accept, &json!({"reply_id": "nope"}), Some(&asker.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "reply_id", "not_found"));
    let accepted =
        json_of(app.post(&accept, &json!({"reply_id": a_id}), Some(&asker.token)).await, 200).await;
    assert_eq!(accepted["accepted_reply_id"], a_id);
    assert_error(
        app.post(&accept, &json!({"reply_id": own["id"]}), Some(&asker.token)).await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(balance(&app, &expert).await, 5, "an accepted answer earns 5");
    let board = json_of(
        app.get(&format!("/points/leaderboard?period=week&group_id={group}"), Some(&asker.token)).await,
        200,
    )
    .await;
    assert_eq!(board["items"][0]["points"], 5);
    assert_eq!(board["items"][0]["user_id"], expert_id);
    assert_eq!(board["items"][0]["name"], "上海-土建-王芳", "a group's board shows nicknames");
    let platform = json_of(app.get("/points/leaderboard?period=week", Some(&asker.token)).await, 200).await;
    assert_eq!(platform["items"][0]["name"], "张伟", "the platform board shows display names");

    // The FAQ takes solved questions only.
    let curate = format!("/posts/{q_id}/curation");
    let faq = json_of(
        send(&app, Method::PATCH, &curate, &owner.token, Some(&json!({"in_faq": true, "featured": true})))
            .await,
        200,
    )
    .await;
    assert_eq!(faq["in_faq"], true);
    let listed =
        json_of(app.get(&format!("/groups/{group}/posts?faq=true"), Some(&asker.token)).await, 200).await;
    assert_eq!(ids(&listed), vec![q_id.to_owned()]);
    assert_error(
        send(&app, Method::PATCH, &curate, &asker.token, Some(&json!({"pinned": true}))).await,
        403,
        "forbidden",
    )
    .await;
    // An accepted answer stays unless an admin removes it.
    assert_error(
        send(&app, Method::DELETE, &format!("/replies/{a_id}"), &expert.token, None).await,
        409,
        "conflict",
    )
    .await;

    // Accepting one's own answer earns nothing.
    let q2 = post(&app, &group, &asker, "question", "安装工程计价", "定额怎么套").await;
    let q2_id = q2["id"].as_str().expect("id");
    let mine = reply(&app, q2_id, &asker, "自己解决了").await;
    json_of(
        app.post(&format!("/posts/{q2_id}/acceptance"), &json!({"reply_id": mine["id"]}), Some(&asker.token))
            .await,
        200,
    )
    .await;
    assert_eq!(balance(&app, &asker).await, 0, "no points for self-dealing");

    // Ten accepted answers a day earn points; the eleventh does not.
    for n in 0..10 {
        let q = post(&app, &group, &asker, "question", &format!("问题{n}"), "请教").await;
        let q_id = q["id"].as_str().expect("id");
        let a = reply(&app, q_id, &expert, "答复").await;
        json_of(
            app.post(&format!("/posts/{q_id}/acceptance"), &json!({"reply_id": a["id"]}), Some(&asker.token))
                .await,
            200,
        )
        .await;
    }
    assert_eq!(balance(&app, &expert).await, 50, "capped at 10 awards a day");
    let statement = json_of(app.get("/me/points?limit=100", Some(&expert.token)).await, 200).await;
    assert_eq!(statement["items"].as_array().expect("items").len(), 10, "the ledger holds the awards only");
}

#[tokio::test]
async fn banned_words_hold_posts_for_review_and_edits_keep_history() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let member = person(&app, "member@example.com").await;
    let other = person(&app, "other@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &member, "上海-土建-赵六").await;
    join(&app, &group, &owner, &other, "上海-安装-孙七").await;

    let held = post(&app, &group, &member, "discussion", "资料分享", "需要的 加 微 信 详聊").await;
    assert_eq!(held["status"], "held");
    assert_eq!(held["held_words"], json!(["加微信"]));
    let held_id = held["id"].as_str().expect("id");
    assert_error(app.get(&format!("/posts/{held_id}"), Some(&other.token)).await, 404, "not_found").await;
    let listed = json_of(app.get(&format!("/groups/{group}/posts"), Some(&other.token)).await, 200).await;
    assert!(ids(&listed).is_empty(), "held posts are not listed");
    assert!(unread_kinds(&app, &owner).await.contains(&"post_held".to_owned()));
    let queue = json_of(app.get(&format!("/groups/{group}/held"), Some(&owner.token)).await, 200).await;
    assert_eq!(queue["posts"][0]["id"], held_id);
    assert_error(app.get(&format!("/groups/{group}/held"), Some(&other.token)).await, 403, "forbidden").await;
    let group_word = post(&app, &group, &member, "discussion", "团购", "建材团购").await;
    assert_eq!(group_word["held_words"], json!(["团购"]), "the group's own list");

    let reviewed = json_of(
        app.post(&format!("/posts/{held_id}/review"), &json!({"publish": true}), Some(&owner.token)).await,
        200,
    )
    .await;
    assert_eq!(reviewed["status"], "published");
    json_of(app.get(&format!("/posts/{held_id}"), Some(&other.token)).await, 200).await;

    // Edits by the author only, with history.
    let path = format!("/posts/{held_id}");
    assert_error(
        send(&app, Method::PATCH, &path, &other.token, Some(&json!({"title": "改"}))).await,
        403,
        "forbidden",
    )
    .await;
    let edited = json_of(
        send(&app, Method::PATCH, &path, &member.token, Some(&json!({"body": "资料见群文件"}))).await,
        200,
    )
    .await;
    assert_eq!(edited["edited"], true);
    let history =
        json_of(app.get(&format!("/posts/{held_id}/revisions"), Some(&other.token)).await, 200).await;
    assert_eq!(history["items"][0]["body"], "需要的 加 微 信 详聊");
    let long = "长".repeat(10_001);
    let err = send(&app, Method::PATCH, &path, &member.token, Some(&json!({"body": long}))).await;
    assert_eq!(err.status(), 400);
    // Deletion by an admin.
    assert_eq!(send(&app, Method::DELETE, &path, &owner.token, None).await.status(), 204);
    assert_error(app.get(&path, Some(&member.token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn the_ladder_warns_mutes_removes_and_an_appeal_overturns() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let admin = person(&app, "admin@example.com").await;
    let member = person(&app, "member@example.com").await;
    let witness = person(&app, "witness@example.com").await;
    let group = cost_group(&app, &owner).await;
    let admin_id = join(&app, &group, &owner, &admin, "上海-造价-管理员").await;
    let member_id = join(&app, &group, &owner, &member, "上海-土建-钱八").await;
    join(&app, &group, &owner, &witness, "上海-安装-周九").await;
    json_of(
        send(
            &app,
            Method::PATCH,
            &format!("/groups/{group}/members/{admin_id}"),
            &owner.token,
            Some(&json!({"role": "admin"})),
        )
        .await,
        200,
    )
    .await;

    let spam = post(&app, &group, &member, "discussion", "优惠", "低价出售软件").await;
    let report = json!({"target_kind": "post", "target_id": spam["id"], "reason": "广告"});
    let reported =
        json_of(app.post(&format!("/groups/{group}/reports"), &report, Some(&witness.token)).await, 201)
            .await;
    assert_eq!(reported["target_user_id"], member_id);
    let open = json_of(app.get(&format!("/groups/{group}/reports"), Some(&admin.token)).await, 200).await;
    assert_eq!(ids(&open).len(), 1);

    let sanction = format!("/groups/{group}/sanctions");
    // Members cannot sanction; admins cannot sanction the owner.
    assert_error(
        app.post(&sanction, &json!({"user_id": member_id, "reason": "广告"}), Some(&witness.token)).await,
        403,
        "forbidden",
    )
    .await;
    let me = json_of(app.get("/me", Some(&owner.token)).await, 200).await;
    let owner_id = me["id"].as_str().expect("id");
    assert_error(
        app.post(&sanction, &json!({"user_id": owner_id, "reason": "广告"}), Some(&admin.token)).await,
        403,
        "forbidden",
    )
    .await;

    let first = json_of(
        app.post(
            &sanction,
            &json!({"user_id": member_id, "reason": "发广告", "report_id": reported["id"]}),
            Some(&admin.token),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(first["kind"], "warning");
    assert!(
        ids(&json_of(app.get(&format!("/groups/{group}/reports"), Some(&admin.token)).await, 200).await)
            .is_empty(),
        "actioned"
    );
    post(&app, &group, &member, "discussion", "还能发", "警告不限制发言").await;
    let second = json_of(
        app.post(&sanction, &json!({"user_id": member_id, "reason": "再次广告"}), Some(&admin.token)).await,
        201,
    )
    .await;
    assert_eq!(second["kind"], "mute");
    assert!(second["until"].is_string());
    let muted = app
        .post(
            &format!("/groups/{group}/posts"),
            &json!({"kind": "discussion", "title": "t", "body": "b"}),
            Some(&member.token),
        )
        .await;
    let err = assert_error(muted, 403, "forbidden").await;
    assert!(has_issue(&err, "group_id", "muted"));
    let muted_reply = app
        .post(
            &format!("/posts/{}/replies", spam["id"].as_str().expect("id")),
            &json!({"body": "b"}),
            Some(&member.token),
        )
        .await;
    assert_error(muted_reply, 403, "forbidden").await;
    let third = json_of(
        app.post(&sanction, &json!({"user_id": member_id, "reason": "第三次"}), Some(&admin.token)).await,
        201,
    )
    .await;
    assert_eq!(third["kind"], "removal");
    // Removed: cannot read the approval-only group, nor rejoin by applying.
    assert_error(app.get(&format!("/groups/{group}/posts"), Some(&member.token)).await, 404, "not_found")
        .await;
    let rejoin = app
        .post(
            &format!("/groups/{group}/applications"),
            &json!({"nickname": "上海-土建-钱八", "answers": ["1年"]}),
            Some(&member.token),
        )
        .await;
    assert_error(rejoin, 403, "forbidden").await;

    // Members read the moderation log; the removed person sees their own entries.
    let log = json_of(app.get(&format!("/groups/{group}/sanctions"), Some(&witness.token)).await, 200).await;
    let kinds: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, vec!["removal", "mute", "warning"]);
    assert_eq!(log["items"][0]["applied_by"], "上海-造价-管理员");
    let own = json_of(app.get(&format!("/groups/{group}/sanctions"), Some(&member.token)).await, 200).await;
    assert_eq!(ids(&own).len(), 3);

    // Appeal the removal; the admin who applied it may not decide while another admin exists.
    let removal = third["id"].as_str().expect("id");
    let appeal = json_of(
        app.post(
            &format!("/sanctions/{removal}/appeals"),
            &json!({"statement": "误判，已删除广告"}),
            Some(&member.token),
        )
        .await,
        201,
    )
    .await;
    assert_error(
        app.post(
            &format!("/sanctions/{removal}/appeals"),
            &json!({"statement": "再申诉"}),
            Some(&member.token),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_error(
        app.post(
            &format!("/sanctions/{removal}/appeals"),
            &json!({"statement": "冒名申诉"}),
            Some(&witness.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let decision = format!("/appeals/{}/decision", appeal["id"].as_str().expect("id"));
    let err = assert_error(
        app.post(&decision, &json!({"overturn": true, "reason": "属实"}), Some(&admin.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert!(has_issue(&err, "id", "own_sanction"));
    json_of(app.post(&decision, &json!({"overturn": true, "reason": "属实"}), Some(&owner.token)).await, 200)
        .await;
    assert!(unread_kinds(&app, &member).await.contains(&"appeal_decided".to_owned()));
    // Back in; the overturned removal no longer counts, so the next step is removal again only
    // after the mute — the ladder counts the two sanctions still standing.
    json_of(app.get(&format!("/groups/{group}/posts"), Some(&member.token)).await, 200).await;
    let next = json_of(
        app.post(&sanction, &json!({"user_id": member_id, "reason": "又发广告"}), Some(&admin.token)).await,
        201,
    )
    .await;
    assert_eq!(next["kind"], "removal");

    // A new invitation lets a removed member back in; a handled report cannot be answered again.
    let invite = format!("/groups/{group}/invitations");
    json_of(app.post(&invite, &json!({"login": "member@example.com"}), Some(&owner.token)).await, 201).await;
    assert_error(
        app.post(&invite, &json!({"login": "member@example.com"}), Some(&owner.token)).await,
        409,
        "conflict",
    )
    .await;
    let back = json!({"nickname": "上海-土建-钱八", "answers": ["1年"]});
    let rejoined =
        json_of(app.post(&format!("/groups/{group}/applications"), &back, Some(&member.token)).await, 201)
            .await;
    assert_eq!(rejoined["status"], "approved");
    let handled = json!({"user_id": member_id, "reason": "重复处理", "report_id": reported["id"]});
    assert_error(app.post(&sanction, &handled, Some(&admin.token)).await, 409, "conflict").await;
}

#[tokio::test]
async fn private_boards_topics_with_wildcards_and_bad_tokens() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    // A private group's leaderboard is for its members.
    let board = format!("/points/leaderboard?period=month&group_id={group}");
    assert_error(app.get(&board, Some(&outsider.token)).await, 404, "not_found").await;
    assert_error(app.get(&board, None).await, 404, "not_found").await;
    json_of(app.get(&board, Some(&owner.token)).await, 200).await;
    assert_error(app.get("/points/leaderboard?period=year", None).await, 400, "validation_failed").await;

    // `_` and `%` in a topic filter are literal characters.
    post(&app, &group, &owner, "discussion", "#BIM_建模# 交流", "模型").await;
    post(&app, &group, &owner, "discussion", "#BIMx建模# 交流", "模型").await;
    let page =
        json_of(app.get(&format!("/groups/{group}/posts?topic=BIM_建模"), Some(&owner.token)).await, 200)
            .await;
    assert_eq!(page["items"].as_array().expect("items").len(), 1);
    assert_eq!(page["items"][0]["topics"], json!(["BIM_建模"]));
    let none =
        json_of(app.get(&format!("/groups/{group}/posts?topic=%25"), Some(&owner.token)).await, 200).await;
    assert!(ids(&none).is_empty());

    // A bad token on a public endpoint is an error, not an anonymous call.
    assert_error(app.get(&format!("/groups/{group}"), Some("not-a-token")).await, 401, "unauthenticated")
        .await;
}
