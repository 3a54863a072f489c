//! Browser journeys of the professional community (issue #7), in headless Chromium against the
//! real SPA and server: an applicant answers an approval-only group's questionnaire (with the
//! nickname-format and required-answer errors shown at their fields), an admin approves in a
//! second browser, the applicant's question is answered by an expert and accepted, and the
//! expert's +5 shows on the group's leaderboard; a post with one of the group's banned words is
//! held for its author and published from the admin's queue, then reported and answered with a
//! warning, which the member finds in the moderation log and appeals, and the owner overturns;
//! an event with two places fills, a third person waits, and when a confirmed person cancels
//! the waiting one's page shows them confirmed; a poll's result shows as bars once a member
//! votes; a newcomer registers with a member's referral link, that member shares a resource
//! (+10 points) that another rates and comments on, the owner finds it in the weekly digest and
//! reads the analytics charts (the other's anonymous feedback waits for the week's end), a survey
//! is answered and its results shown as bars, and the sharer redeems a reward with the points and
//! cancels. People and groups are set up through the API; the steps under test happen in the
//! browser. `#[ignore]`d like the other browser tests; run with `GONGZHU_TEST_WEB_DIR` set.

use chrono::{Duration, FixedOffset, Utc};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::webdriver::*;

/// A person registered through the API.
struct Person {
    email: String,
    token: String,
    id: String,
}

async fn person(app: &TestApp, email: &str) -> Person {
    let session = app.register(email).await;
    Person { email: email.to_owned(), token: session.access_token, id: session.user.id }
}

async fn post_json(app: &TestApp, path: &str, body: &Value, who: &Person, status: u16) -> Value {
    json_of(app.post(path, body, Some(&who.token)).await, status).await
}

/// A group owned by `owner`; returns its id.
async fn group(app: &TestApp, owner: &Person, body: Value) -> String {
    post_json(app, "/groups", &body, owner, 201).await["id"].as_str().expect("group id").to_owned()
}

/// `who` joins an open group at once.
async fn join_open(app: &TestApp, group: &str, who: &Person, nickname: &str) {
    let joined =
        post_json(app, &format!("/groups/{group}/applications"), &json!({"nickname": nickname}), who, 201)
            .await;
    assert_eq!(joined["status"], "approved");
}

/// A Shanghai wall-clock time `hours` from now, as a datetime-local input takes it.
fn shanghai_in(hours: i64) -> String {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    (Utc::now() + Duration::hours(hours)).with_timezone(&offset).format("%Y-%m-%dT%H:%M").to_string()
}

/// 422s the journeys provoke on purpose (the server's field errors).
const EXPECTED_422: &str = "the server responded with a status of 422";

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_community_application_question_expert_answer_accepted_points_on_leaderboard() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let owner = person(&app, "owner@example.com").await;
    let expert = person(&app, "expert@example.com").await;
    let asker = person(&app, "asker@example.com").await;
    let gid = group(
        &app,
        &owner,
        json!({
            "name": "二级造价师实战交流群(上海)",
            "description": "造价实务交流，欢迎提问",
            "rules": "禁止广告；提问前先搜索",
            "join_policy": "approval",
            "nickname_format": "城市-专业-姓名",
            "questionnaire": [
                {"question": "从业年限", "required": true},
                {"question": "造价师证书编号（选填）", "required": false}
            ],
            "banned_words": ["团购"]
        }),
    )
    .await;
    // The expert joined earlier and asked a question the asker's will resemble.
    let applied = post_json(
        &app,
        &format!("/groups/{gid}/applications"),
        &json!({"nickname": "上海-造价-李工", "answers": ["12年", ""]}),
        &expert,
        201,
    )
    .await;
    let decision = format!("/groups/{gid}/applications/{}/decision", applied["id"].as_str().expect("id"));
    post_json(&app, &decision, &json!({"approve": true}), &owner, 200).await;
    let role = app
        .client
        .patch(app.api(&format!("/groups/{gid}/members/{}", expert.id)))
        .bearer_auth(&owner.token)
        .json(&json!({"role": "expert"}))
        .send()
        .await
        .expect("role");
    assert_eq!(role.status(), 200, "the owner makes them an expert");
    post_json(
        &app,
        &format!("/groups/{gid}/posts"),
        &json!({"kind": "question", "title": "EPC项目暂估价的结算方式", "body": "合同约定暂估价，结算时怎么调整？"}),
        &expert,
        201,
    )
    .await;

    // The applicant finds the group and applies; the server's field errors show at their fields.
    let applicant = Browser::start().await;
    applicant.sign_in(&app, &asker.email, None).await;
    applicant.click("#nav-groups").await;
    applicant.wait_text("#groups", "二级造价师实战交流群(上海)").await;
    applicant.wait_text(&format!("#groups li[data-group='{gid}']"), "需审核").await;
    applicant.click(&format!("#groups li[data-group='{gid}'] a")).await;
    applicant.wait_text("#group-title", "二级造价师实战交流群(上海)").await;
    applicant.wait_text("#apply-nickname-format", "城市-专业-姓名").await;
    applicant.type_into("#apply-nickname", "张伟").await;
    applicant.click("#apply-submit").await;
    applicant.wait_text("#apply-nickname-error", "昵称不符合").await;
    applicant.type_into("#apply-nickname", "上海-造价-张伟").await;
    applicant.click("#apply-submit").await;
    applicant.wait_text("#apply-answer-0-error", "必填").await;
    applicant.wait_gone("#apply-nickname-error").await;
    applicant.type_into("#apply-answer-0", "5年").await;
    applicant.screenshot("community-01-application").await;
    applicant.click("#apply-submit").await;
    applicant.wait_text(".toasts", "申请已提交").await;
    applicant.wait_text("#group-standing", "等待管理员审核").await;

    // The owner approves on the admin page in a second browser, seeing the answers.
    let admin = Browser::start().await;
    admin.sign_in(&app, &owner.email, None).await;
    admin.goto(&format!("{}/groups/{gid}", app.base)).await;
    admin.click("#group-admin-link").await;
    admin.wait_url(&format!("/groups/{gid}/admin")).await;
    admin.wait_text("#applications", "上海-造价-张伟").await;
    admin.wait_text("#applications .answers", "5年").await;
    admin.screenshot("community-02-admin-applications").await;
    admin.click("#applications [data-action=approve]").await;
    admin.wait_text(".toasts", "已通过申请").await;
    admin.find("#applications-empty").await;

    // The new member asks; similar questions show while the title is typed.
    applicant.goto(&format!("{}/groups/{gid}", app.base)).await;
    applicant.wait_text("#group-standing", "你是本群成员").await;
    applicant.choose("#post-kind", "question").await;
    applicant.type_into("#post-title", "EPC项目暂估价如何调整").await;
    applicant.wait_text("#similar-questions", "EPC项目暂估价的结算方式").await;
    applicant.type_into("#post-body", "材料暂估价与实际采购价差异较大，结算如何调整？@上海-造价-李工").await;
    applicant.screenshot("community-03-ask-similar").await;
    applicant.click("#post-submit").await;
    applicant.wait_text(".toasts", "已发布").await;
    applicant.wait_text("#posts", "EPC项目暂估价如何调整").await;
    applicant.click("#posts li:first-child a.item-title").await;
    applicant.wait_text("#post-title", "EPC项目暂估价如何调整").await;
    let post_url = applicant.url().await;
    applicant.find("#replies-empty").await;

    // The expert answers in the browser; the answer is marked as an expert's.
    admin.sign_out(&app).await;
    admin.sign_in(&app, &expert.email, None).await;
    admin.goto(&post_url).await;
    admin.wait_text("#post-title", "EPC项目暂估价如何调整").await;
    assert_eq!(admin.count("[data-action=accept]").await, 0, "only the asker accepts");
    admin.type_into("#reply-body", "按合同约定的调整方法，以实际采购价替换暂估价，差额计入结算。").await;
    admin.click("#reply-submit").await;
    admin.wait_text(".toasts", "回复已发布").await;
    admin.wait_text("#replies li.reply .expert-mark", "专家").await;

    // The asker sees the answer live (a reply notification) and accepts it.
    applicant.wait_text("#replies", "以实际采购价替换暂估价").await;
    applicant.wait_text("#replies li.reply .expert-mark", "专家").await;
    applicant.click("#replies [data-action=accept]").await;
    applicant.wait_text(".toasts", "已采纳该回答").await;
    applicant.wait_text("#replies li.reply.accepted .accepted-mark", "已采纳").await;
    applicant.wait_text("#post-badges", "已解决").await;
    assert_eq!(applicant.count("[data-action=accept]").await, 0, "one answer is accepted");
    applicant.screenshot("community-04-accepted").await;

    // The expert's +5 is on the group's leaderboard, and in their points.
    applicant.click("#post-group-link").await;
    applicant.click("#tab-leaderboard").await;
    applicant.wait_text(&format!("#leaderboard li[data-user='{}'] .leader-points", expert.id), "5").await;
    applicant.resize(375, 812).await;
    applicant.assert_fits("the group page at 375 px").await;
    applicant.wait_gone(".toast").await;
    applicant.eval("document.querySelector('#leaderboard').scrollIntoView()").await;
    applicant.screenshot("community-05-leaderboard-375").await;
    admin.goto(&format!("{}/account", app.base)).await;
    admin.click("#account-points").await;
    admin.wait_url("/me/points").await;
    admin.wait_text("#points-balance", "5").await;
    admin.wait_text("#points-ledger", "回答被采纳").await;

    applicant.assert_no_console_errors(&[EXPECTED_422]).await;
    admin.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_community_banned_word_post_held_then_published_from_the_admin_queue() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let owner = person(&app, "owner@example.com").await;
    let member = person(&app, "member@example.com").await;
    let gid = group(
        &app,
        &owner,
        json!({
            "name": "BIM技术交流群",
            "description": "BIM 建模与应用",
            "join_policy": "open",
            "banned_words": ["团购", "加微信"]
        }),
    )
    .await;
    join_open(&app, &gid, &member, "王工").await;

    // The member posts with a banned word: it is held, and they are told why.
    let author = Browser::start().await;
    author.sign_in(&app, &member.email, None).await;
    author.goto(&format!("{}/groups/{gid}", app.base)).await;
    author.wait_text("#group-standing", "你是本群成员").await;
    author.type_into("#post-title", "Revit 正版软件团购").await;
    author.type_into("#post-body", "有需要的同行可以一起团购，价格优惠。").await;
    author.click("#post-submit").await;
    author.wait_text("#post-held", "待管理员审核").await;
    author.wait_text("#post-held .held-words", "团购").await;
    author.screenshot("community-06-post-held").await;
    author.click("#post-held-link").await;
    author.wait_text("#post-held-banner", "团购").await;
    let post_url = author.url().await;
    let post_id = post_url.rsplit('/').next().expect("post id").to_owned();

    // The owner follows the notification to the held queue and publishes it.
    let admin = Browser::start().await;
    admin.sign_in(&app, &owner.email, None).await;
    admin.wait_text("#bell-count", "1").await;
    admin.click("#nav-notifications").await;
    admin.click("#notifications li.unread .notification-open").await;
    admin.wait_url(&format!("/groups/{gid}/held")).await;
    admin.wait_text(&format!("#held li[data-held='{post_id}']"), "Revit 正版软件团购").await;
    admin.wait_text(&format!("#held li[data-held='{post_id}'] .held-words"), "团购").await;
    admin.screenshot("community-07-held-queue").await;
    admin.click(&format!("#held li[data-held='{post_id}'] [data-action=publish]")).await;
    admin.wait_text(".toasts", "已审核通过并发布").await;
    admin.find("#held-empty").await;

    // It is published: the author's page has no hold any more, and the group lists it.
    author.goto(&post_url).await;
    author.wait_text("#post-title", "Revit 正版软件团购").await;
    assert_eq!(author.count("#post-held-banner").await, 0, "no longer held");
    author.goto(&format!("{}/groups/{gid}", app.base)).await;
    author.wait_text(&format!("#posts li[data-post='{post_id}']"), "Revit 正版软件团购").await;

    // The owner reports it after all and answers the report with the ladder's first step.
    admin.goto(&post_url).await;
    admin.click("[data-action=report-open]").await;
    admin.type_into("[data-field=report-reason]", "变相广告").await;
    admin.click("[data-action=report]").await;
    admin.wait_text(".toasts", "已提交举报").await;
    admin.goto(&format!("{}/groups/{gid}/admin", app.base)).await;
    admin.wait_text("#reports", "变相广告").await;
    admin.type_into("#reports [data-field=ladder-reason]", "发布团购广告").await;
    admin.click("#reports [data-action=sanction]").await;
    admin.wait_text(".toasts", "已执行处罚").await;
    admin.find("#reports-empty").await;
    // The member follows the sanction notification to the moderation log.
    author.wait_text("#bell-count", "1").await;
    author.click("#nav-notifications").await;
    author.click("#notifications li.unread .notification-open").await;
    author.wait_url(&format!("/groups/{gid}/moderation")).await;
    author.wait_text("#sanctions li", "警告").await;
    author.wait_text("#sanctions li", "发布团购广告").await;
    author.screenshot("community-08-moderation-log").await;

    // They appeal; the owner overturns the warning, and the log says so.
    author.click("#sanctions [data-action=appeal-open]").await;
    author.type_into("#sanctions [data-field=appeal-statement]", "只是分享购买渠道，并非广告").await;
    author.click("#sanctions [data-action=appeal]").await;
    author.wait_text(".toasts", "申诉已提交").await;
    admin.goto(&format!("{}/groups/{gid}/admin", app.base)).await;
    admin.wait_text("#appeals", "只是分享购买渠道").await;
    admin.type_into("#appeals [data-field=decision-reason]", "初犯，予以撤销").await;
    admin.click("#appeals [data-action=overturn]").await;
    admin.wait_text(".toasts", "已撤销处罚").await;
    admin.find("#appeals-empty").await;
    author.goto(&format!("{}/groups/{gid}/moderation", app.base)).await;
    author.wait_text("#sanctions li", "已撤销").await;
    assert_eq!(author.count("#sanctions [data-action=appeal-open]").await, 0, "one appeal per sanction");

    author.assert_no_console_errors(&[]).await;
    admin.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_community_event_fills_waitlist_moves_up_when_a_place_opens() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let owner = person(&app, "owner@example.com").await;
    let first = person(&app, "first@example.com").await;
    let second = person(&app, "second@example.com").await;
    let third = person(&app, "third@example.com").await;
    let gid = group(
        &app,
        &owner,
        json!({"name": "装配式建筑工作坊", "description": "装配式施工实务", "join_policy": "open"}),
    )
    .await;
    join_open(&app, &gid, &first, "赵工").await;
    join_open(&app, &gid, &second, "钱工").await;
    join_open(&app, &gid, &third, "孙工").await;

    // The owner creates an event with two places in the browser.
    let host = Browser::start().await;
    host.sign_in(&app, &owner.email, None).await;
    host.goto(&format!("{}/groups/{gid}", app.base)).await;
    host.click("#tab-events").await;
    host.find("#events-empty").await;
    host.type_into("#event-title", "预制构件吊装分享会").await;
    host.set_value("#event-starts", &shanghai_in(26)).await;
    host.set_value("#event-ends", &shanghai_in(24)).await;
    host.type_into("#event-venue", "上海市浦东新区世纪大道100号").await;
    host.type_into("#event-capacity", "2").await;
    host.click("#event-submit").await;
    host.wait_text("#event-ends-error", "结束时间须晚于开始时间").await;
    host.set_value("#event-ends", &shanghai_in(28)).await;
    host.click("#event-submit").await;
    host.wait_text(".toasts", "活动已发布").await;
    host.wait_text("#events", "预制构件吊装分享会").await;
    host.click("#events li a.item-title").await;
    host.wait_text("#event-title", "预制构件吊装分享会").await;
    host.wait_text("#event-capacity", "0/2").await;
    let event_url = host.url().await;
    let event_id = event_url.rsplit('/').next().expect("event id").to_owned();

    // The first member signs up in the browser, the second through the API: it is full.
    let one = Browser::start().await;
    one.sign_in(&app, &first.email, None).await;
    one.goto(&event_url).await;
    one.click("#event-signup").await;
    one.wait_text(".toasts", "报名成功").await;
    one.wait_text("#event-my-signup", "你已报名成功").await;
    one.wait_text("#event-capacity", "1/2").await;
    post_json(&app, &format!("/events/{event_id}/signups"), &json!({}), &second, 201).await;

    // The third is waitlisted.
    let three = Browser::start().await;
    three.sign_in(&app, &third.email, None).await;
    three.goto(&event_url).await;
    three.wait_text("#event-capacity", "2/2").await;
    three.click("#event-signup").await;
    three.wait_text(".toasts", "已加入候补").await;
    three.wait_text("#event-my-signup", "候补名单").await;
    three.wait_text("#event-my-signup", "1").await;
    three.wait_text("#event-waitlist", "孙工").await;
    three.wait_text("#event-confirmed", "赵工").await;
    three.wait_text("#event-confirmed", "钱工").await;
    three.screenshot("community-09-event-waitlisted").await;

    // The first cancels; the third's page shows them confirmed without a reload.
    one.goto(&event_url).await;
    one.click("#event-cancel-signup").await;
    one.wait_text(".toasts", "已取消报名").await;
    one.find("#event-signup").await;
    three.wait_text("#event-my-signup", "你已报名成功").await;
    three.wait_text("#event-confirmed", "孙工").await;
    three.find("#event-waitlist-empty").await;
    three.wait_text("#event-capacity", "2/2").await;
    three.resize(375, 812).await;
    three.assert_fits("the event page at 375 px").await;
    three.wait_gone(".toast").await;
    three.screenshot("community-10-event-promoted-375").await;
    three.resize(1280, 900).await;

    // The host opens a poll; a member votes and the bars show the result.
    host.goto(&format!("{}/groups/{gid}", app.base)).await;
    host.click("#tab-polls").await;
    host.find("#polls-empty").await;
    host.type_into("#poll-question", "下次分享会的主题？").await;
    host.type_into("#poll-options", "叠合板吊装\n灌浆套筒检测\n构件堆放").await;
    host.click("#poll-submit").await;
    host.wait_text(".toasts", "投票已发起").await;
    host.wait_text("#polls li.poll", "下次分享会的主题？").await;
    three.goto(&format!("{}/groups/{gid}", app.base)).await;
    three.click("#tab-polls").await;
    three.wait_text("#polls li.poll", "灌浆套筒检测").await;
    three.click("#polls li.poll [data-option='1'] input").await;
    three.click("#polls li.poll [data-action=vote]").await;
    three.wait_text(".toasts", "已投票").await;
    three.wait_text("#polls li.poll [data-option='1'] .poll-count", "1 · 100%").await;
    three.wait_text("#polls li.poll [data-option='0'] .poll-count", "0 · 0%").await;
    three.wait_text("#polls li.poll .poll-voters", "1").await;
    assert_eq!(three.count("#polls li.poll [data-action=vote]").await, 0, "one ballot each");
    three.screenshot("community-11-poll-results").await;

    host.assert_no_console_errors(&[]).await;
    one.assert_no_console_errors(&[]).await;
    three.assert_no_console_errors(&[]).await;
}

#[tokio::test]
#[ignore = "needs Chromium and the built SPA; run by scripts/test.sh"]
async fn browser_community_resource_shared_rated_in_digest_analytics_survey_and_reward_redeemed() {
    let app = spawn_with(Spawn { web_dir: Some(web_dir()), ..Spawn::default() }).await;
    let owner = person(&app, "owner@example.com").await;
    let sharer = person(&app, "sharer@example.com").await;
    let rater = person(&app, "rater@example.com").await;
    let gid = group(
        &app,
        &owner,
        json!({"name": "造价资料共享群", "description": "规范、软件与案例", "rules": "注明来源", "join_policy": "open"}),
    )
    .await;
    join_open(&app, &gid, &sharer, "周工").await;
    join_open(&app, &gid, &rater, "吴工").await;
    post_json(
        &app,
        &format!("/groups/{gid}/posts"),
        &json!({"kind": "discussion", "title": "本月资料汇总", "body": "大家补充"}),
        &owner,
        201,
    )
    .await;
    let operator = app.staff_member("ops@example.com", &["operator"]).await;
    let reward = json_of(
        app.post(
            "/rewards",
            &json!({"name": "造价规范合订本", "description": "纸质版", "cost": 8, "stock": 3}),
            Some(&operator),
        )
        .await,
        201,
    )
    .await;
    let reward_id = reward["id"].as_str().expect("reward id").to_owned();

    // The member shares a resource in the fixed format; a missing source is caught at its field.
    let one = Browser::start().await;
    one.sign_in(&app, &sharer.email, None).await;
    one.goto(&format!("{}/groups/{gid}", app.base)).await;
    one.click("#tab-resources").await;
    one.find("#resources-empty").await;
    one.click("#share-resource summary").await;
    one.type_into("#resource-name", "GB 50500-2013 清单计价规范").await;
    one.choose("#resource-form-category", "policy_regulation").await;
    one.type_into("#resource-link", "https://example.com/gb50500.pdf").await;
    one.click("#resource-submit").await;
    one.wait_text("#resource-source-error", "必填").await;
    one.type_into("#resource-source", "住建部官网").await;
    one.type_into("#resource-scenario", "编制招标控制价").await;
    one.screenshot("community-12-share-resource").await;
    one.click("#resource-submit").await;
    one.wait_text(".toasts", "积分 +10").await;
    one.wait_text("#resources", "GB 50500-2013 清单计价规范").await;
    one.wait_text("#resources .resource-source", "住建部官网").await;
    one.wait_text("#resources .resource-sharer", "周工").await;

    // A newcomer registers with the sharer's referral code from the link; a wrong one is caught
    // at its field.
    let code = json_of(app.get("/me/referral", Some(&sharer.token)).await, 200).await["code"]
        .as_str()
        .expect("referral code")
        .to_owned();
    let newcomer = Browser::start().await;
    newcomer.goto(&format!("{}/register?ref=NOPE123", app.base)).await;
    newcomer.find("#reg-referral").await;
    assert_eq!(newcomer.value("#reg-referral").await, "NOPE123", "the link fills the code in");
    newcomer.type_into("#reg-login", "newcomer@example.com").await;
    newcomer.type_into("#reg-password", "Zaojia2026pass").await;
    newcomer.type_into("#reg-name", "郑工").await;
    newcomer.click("#reg-consent").await;
    newcomer.click("#reg-submit").await;
    newcomer.wait_text("#reg-referral-error", "没有这个邀请码").await;
    newcomer.type_into("#reg-referral", &code).await;
    newcomer.click("#reg-submit").await;
    newcomer.wait_gone("#register-form").await;
    newcomer.assert_no_console_errors(&[EXPECTED_422]).await;

    one.goto(&format!("{}/me/points", app.base)).await;
    one.wait_text("#points-balance", "10").await;
    one.wait_text("#referral-code", &code).await;
    one.wait_text("#referral-registered", "1").await;

    // Another member rates it four stars and comments; the sharer cannot rate their own.
    let two = Browser::start().await;
    two.sign_in(&app, &rater.email, None).await;
    two.goto(&format!("{}/groups/{gid}", app.base)).await;
    two.click("#tab-resources").await;
    two.click("#resources li a.item-title").await;
    two.wait_text("#resource-title", "GB 50500-2013").await;
    two.click("#resource-stars [data-stars='4']").await;
    two.wait_text(".toasts", "评分已保存").await;
    two.wait_text("#resource-rating", "★ 4.0 (1)").await;
    two.type_into("#comment-body", "很实用，谢谢分享").await;
    two.click("#comment-submit").await;
    two.wait_text("#resource-comments", "很实用").await;
    two.screenshot("community-13-resource-rated").await;
    let resource_url = two.url().await;
    one.goto(&resource_url).await;
    one.wait_text("#resource-own", "不能自评").await;
    assert_eq!(one.count("#resource-stars").await, 0, "no stars for one's own resource");

    two.goto(&format!("{}/groups/{gid}", app.base)).await;
    two.click("#feedback summary").await;
    two.choose("#feedback-score", "4").await;
    two.type_into("#feedback-body", "资料很全").await;
    two.click("#feedback-submit").await;
    two.wait_text("#feedback-sent", "匿名").await;

    // The owner finds it in this week's digest and reads the analytics.
    let boss = Browser::start().await;
    boss.sign_in(&app, &owner.email, None).await;
    boss.goto(&format!("{}/groups/{gid}", app.base)).await;
    boss.click("#group-digest-link").await;
    boss.wait_text("#digest-resources", "GB 50500-2013").await;
    boss.wait_text("#digest-resources", "★ 4.0 (1)").await;
    boss.screenshot("community-14-digest").await;
    boss.goto(&format!("{}/groups/{gid}/admin", app.base)).await;
    boss.click("#admin-analytics-link").await;
    boss.wait_text("#kpi-members", "3").await;
    // This week's feedback stays back until the week is over (anonymity in small groups).
    boss.wait_text("#feedback-delay", "下周").await;
    boss.wait_text("#kpi-satisfaction", "–").await;
    boss.wait_count("#chart-posts rect.chart-bar", 30).await;
    boss.wait_count("#chart-active rect.chart-bar", 30).await;
    let tall = |chart: &str| {
        format!(
            "return [...document.querySelectorAll('#{chart} rect.chart-bar')].filter(r => parseFloat(r.getAttribute('height')) > 0).length"
        )
    };
    assert_eq!(boss.eval(&tall("chart-posts")).await, json!(1), "today's post is one bar");
    assert!(boss.eval(&tall("chart-active")).await.as_u64().unwrap_or(0) >= 1, "active members today");
    boss.resize(375, 812).await;
    boss.assert_fits("the analytics page at 375 px").await;
    boss.screenshot("community-15-analytics-375").await;
    boss.resize(1280, 900).await;

    // The owner opens a survey in the browser; a member answers a short one (opened through the
    // API, closing in seconds: results show only once a survey has closed) and, after the
    // close, the owner sees its bars and texts.
    boss.goto(&format!("{}/groups/{gid}", app.base)).await;
    boss.click("#tab-surveys").await;
    boss.find("#surveys-empty").await;
    boss.type_into("#survey-title", "资料需求调查").await;
    boss.type_into("#survey-q0", "最需要哪类资料？").await;
    boss.type_into("#survey-q0-options", "政策法规\n案例库").await;
    boss.click("#survey-add-question").await;
    boss.type_into("#survey-q1", "其他建议").await;
    boss.choose("#survey-q1-kind", "text").await;
    boss.click("#survey-submit").await;
    boss.wait_text(".toasts", "问卷已发布").await;
    boss.wait_text("#surveys li.survey", "资料需求调查").await;
    let closes = Utc::now() + Duration::hours(1);
    let quick = post_json(
        &app,
        &format!("/groups/{gid}/surveys"),
        &json!({"title": "快速调查", "deadline": closes.to_rfc3339(), "questions": [
            {"question": "最需要哪类资料？", "kind": "single_choice", "options": ["政策法规", "案例库"], "required": true},
            {"question": "其他建议", "kind": "text", "required": true}
        ]}),
        &owner,
        201,
    )
    .await;
    let card = format!("#surveys li[data-survey='{}']", quick["id"].as_str().expect("survey id"));
    two.goto(&format!("{}/groups/{gid}", app.base)).await;
    two.click("#tab-surveys").await;
    two.click(&format!("{card} [data-question='0'] input[data-option='1']")).await;
    two.type_into(&format!("{card} [data-question='1'] textarea"), "多分享造价案例").await;
    two.click(&format!("{card} [data-action=answer]")).await;
    two.wait_text(".toasts", "已提交").await;
    two.wait_text(&card, "已作答").await;
    assert_eq!(two.count(&format!("{card} [data-action=answer]")).await, 0, "one response each");
    // The survey closes when the server's clock passes its deadline.
    app.advance_clock(3601).await;
    boss.goto(&format!("{}/groups/{gid}", app.base)).await;
    boss.click("#tab-surveys").await;
    boss.click(&format!("{card} [data-action=results]")).await;
    boss.wait_text(&format!("{card} .survey-results"), "多分享造价案例").await;
    boss.wait_text(&format!("{card} .survey-results .survey-count"), "0 · 0%").await;
    boss.wait_text(&format!("{card} .survey-results"), "1 · 100%").await;
    boss.screenshot("community-16-survey-results").await;

    // The sharer redeems a reward with the points; the balance drops and the redemption shows.
    one.goto(&format!("{}/me/points", app.base)).await;
    one.click("#points-rewards-link").await;
    one.wait_text("#rewards-balance", "10").await;
    let row = format!("#rewards li[data-reward='{reward_id}']");
    one.wait_text(&row, "造价规范合订本").await;
    one.click(&format!("{row} [data-action=redeem]")).await;
    one.wait_text(".toasts", "兑换成功").await;
    one.wait_text("#rewards-balance", "2").await;
    one.wait_text("#redemptions", "造价规范合订本").await;
    one.wait_text("#redemptions .redemption-status", "待发放").await;
    one.wait_text(&format!("{row} .reward-refusal"), "积分不足").await;
    one.screenshot("community-17-reward-redeemed").await;
    one.click("#redemptions [data-action=cancel-redemption]").await;
    one.wait_text(".toasts", "积分已退回").await;
    one.wait_text("#redemptions .redemption-status", "已取消").await;
    one.wait_text("#rewards-balance", "10").await;

    one.assert_no_console_errors(&[]).await;
    two.assert_no_console_errors(&[]).await;
    boss.assert_no_console_errors(&[]).await;
}
