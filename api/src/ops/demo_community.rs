//! Demo community: a lively cost-engineer group (二级造价师实战交流群(上海), approval-only with its
//! questionnaire and nickname format) with an announcement, answered and open questions, a
//! featured discussion, shared resources, a coming sharing session with its sign-up list, a
//! past one with its summary, an anonymous poll, and an open safety group; plus a small rewards
//! catalogue. Points come through the same ledger entries the API writes.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use shared::domain::community::points::PointsReason;
use shared::dto::{
    EventKind, EventStatus, GroupRole, JoinPolicy, MemberStatus, PostKind, PostStatus, ResourceCategory,
    SharedResourceStatus, SignupStatus,
};

use crate::db::models::community::{GroupMemberRow, GroupRow, PostRow, ReplyRow};
use crate::db::models::events::{BallotRow, EventRow, PollRow, PollVoterRow, SignupRow};
use crate::db::models::rewards::RewardRow;
use crate::db::models::shared_resources::SharedResourceRow;
use crate::db::models::users::User;
use crate::db::{DbConn, new_id};
use crate::market::to_json;
use crate::routes::community::record_points;

/// The cost group's members: (index into the demo people, role, nickname).
const COST_GROUP_MEMBERS: &[(usize, GroupRole, &str)] = &[
    (6, GroupRole::Owner, "上海-造价-赵敏"),
    (1, GroupRole::Admin, "上海-采购-王芳"),
    (5, GroupRole::Expert, "上海-结构-杨磊"),
    (0, GroupRole::TopicHost, "上海-土建-张伟"),
    (9, GroupRole::ResourceAdmin, "上海-安全-吴建国"),
    (2, GroupRole::Member, "苏州-劳务-李强"),
    (8, GroupRole::Member, "成都-安装-周晓燕"),
];

fn group(
    name: &str,
    description: &str,
    rules: &str,
    policy: JoinPolicy,
    owner: &User,
    at: NaiveDateTime,
) -> GroupRow {
    GroupRow {
        id: new_id(),
        name: name.into(),
        description: description.into(),
        rules: rules.into(),
        join_policy: policy,
        nickname_format: None,
        questionnaire: "[]".into(),
        banned_words: "[]".into(),
        owner_id: owner.id.clone(),
        created_at: at,
        updated_at: at,
    }
}

fn member(
    conn: &mut DbConn,
    group: &GroupRow,
    user: &User,
    role: GroupRole,
    nickname: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    GroupMemberRow {
        group_id: group.id.clone(),
        user_id: user.id.clone(),
        role,
        nickname: nickname.into(),
        status: MemberStatus::Active,
        joined_at: at,
        muted_until: None,
        left_at: None,
    }
    .upsert(conn)
}

#[expect(clippy::too_many_arguments, reason = "a demo row with every field spelled out")]
fn post(
    conn: &mut DbConn,
    group: &GroupRow,
    author: &User,
    kind: PostKind,
    title: &str,
    body: &str,
    topics: &[&str],
    at: NaiveDateTime,
) -> QueryResult<PostRow> {
    let row = PostRow {
        id: new_id(),
        group_id: group.id.clone(),
        author_id: author.id.clone(),
        kind,
        title: title.into(),
        body: body.into(),
        topics: to_json(&topics),
        status: PostStatus::Published,
        held_words: None,
        pinned: kind == PostKind::Announcement,
        featured: false,
        in_faq: false,
        accepted_reply_id: None,
        created_at: at,
        updated_at: at,
        deleted_at: None,
        deleted_by: None,
    };
    row.insert(conn)?;
    Ok(row)
}

fn reply(
    conn: &mut DbConn,
    post: &PostRow,
    author: &User,
    body: &str,
    at: NaiveDateTime,
) -> QueryResult<ReplyRow> {
    let row = ReplyRow {
        id: new_id(),
        post_id: post.id.clone(),
        author_id: author.id.clone(),
        body: body.into(),
        status: PostStatus::Published,
        held_words: None,
        created_at: at,
        updated_at: at,
        deleted_at: None,
        deleted_by: None,
    };
    row.insert(conn)?;
    Ok(row)
}

fn resource(
    conn: &mut DbConn,
    group: &GroupRow,
    sharer: &User,
    (name, source, scenario, category, link): (&str, &str, &str, ResourceCategory, &str),
    at: NaiveDateTime,
) -> QueryResult<()> {
    let row = SharedResourceRow {
        id: new_id(),
        group_id: group.id.clone(),
        name: name.into(),
        source: source.into(),
        scenario: scenario.into(),
        category,
        link: Some(link.into()),
        file_sha256: None,
        sharer_id: sharer.id.clone(),
        status: SharedResourceStatus::Published,
        rating_sum: 9,
        rating_count: 2,
        created_at: at,
        deleted_at: None,
        deleted_by: None,
    };
    row.insert(conn)?;
    let points = PointsReason::ResourceShared.award();
    record_points(conn, &sharer.id, points, PointsReason::ResourceShared, Some(&group.id), Some(&row.id), at)
}

fn event(
    group: &GroupRow,
    host: &User,
    title: &str,
    description: &str,
    starts: NaiveDateTime,
    capacity: i64,
) -> EventRow {
    EventRow {
        id: new_id(),
        group_id: group.id.clone(),
        title: title.into(),
        description: description.into(),
        kind: EventKind::SharingSession,
        status: EventStatus::Scheduled,
        starts_at: starts,
        ends_at: starts + Duration::hours(2),
        online_link: Some("https://meeting.tencent.com/dm/gongzhu-demo".into()),
        venue: Some("上海市徐汇区漕溪北路 共筑会议室".into()),
        capacity,
        host_id: host.id.clone(),
        created_by: host.id.clone(),
        summary: None,
        summarised_at: None,
        cancel_reason: None,
        signup_version: 0,
        created_at: starts - Duration::days(7),
    }
}

fn sign_up(conn: &mut DbConn, event: &EventRow, people: &[&User], at: NaiveDateTime) -> QueryResult<()> {
    for (i, person) in people.iter().enumerate() {
        let status =
            if (i as i64) < event.capacity { SignupStatus::Confirmed } else { SignupStatus::Waitlisted };
        SignupRow {
            event_id: event.id.clone(),
            user_id: person.id.clone(),
            status,
            signed_up_at: at + Duration::minutes(i as i64),
            cancelled_at: None,
        }
        .upsert(conn)?;
    }
    Ok(())
}

/// Loads the demo community around the demo people (at least ten, in [`crate::ops::demo::DEMO_PEOPLE`] order).
pub fn load(conn: &mut DbConn, people: &[User], at: NaiveDateTime) -> QueryResult<()> {
    let p = |i: usize| &people[i];
    let mut cost = group(
        "二级造价师实战交流群(上海)",
        "上海地区二级造价工程师的实务交流：清单计价、定额套用、结算审核、软件使用。",
        "1. 昵称格式：城市-专业-姓名；2. 禁止广告、代开发票、团购；3. 提问前先搜索群内问答；4. 资源分享须注明来源。",
        JoinPolicy::Approval,
        p(6),
        at - Duration::days(60),
    );
    cost.nickname_format = Some("城市-专业-姓名".into());
    cost.questionnaire =
        r#"[{"question":"从业年限","required":true},{"question":"造价师证书编号（选填）","required":false}]"#
            .into();
    cost.banned_words = to_json(&["团购", "代开发票"]);
    cost.insert(conn)?;
    for (i, role, nickname) in COST_GROUP_MEMBERS {
        member(conn, &cost, p(*i), *role, nickname, at - Duration::days(50))?;
    }

    let day = |d: i64| at - Duration::days(d);
    post(
        conn,
        &cost,
        p(6),
        PostKind::Announcement,
        "本周安排：周四晚 EPC 造价管控分享会",
        "欢迎报名，名额 30 人，满员后自动进入候补。#群公告#",
        &["群公告"],
        day(2),
    )?;
    let question = post(
        conn,
        &cost,
        p(2),
        PostKind::Question,
        "装配式建筑预制构件的运输费用如何计价？",
        "预制叠合板从构件厂运到现场，清单里应单列还是并入构件综合单价？#清单计价#",
        &["清单计价"],
        day(6),
    )?;
    let answer = reply(
        conn,
        &question,
        p(5),
        "按上海现行计价规则，构件运输一般并入构件综合单价；超过 30 公里的另行计算运距增加费。",
        day(6) + Duration::hours(2),
    )?;
    reply(conn, &question, p(8), "我们项目也是这样处理的，结算时审计认可。", day(6) + Duration::hours(3))?;
    let mut question = question;
    question.accepted_reply_id = Some(answer.id.clone());
    question.in_faq = true;
    question.save(conn)?;
    record_points(
        conn,
        &p(5).id,
        PointsReason::AnswerAccepted.award(),
        PointsReason::AnswerAccepted,
        Some(&cost.id),
        Some(&answer.id),
        day(5),
    )?;
    let mut featured = post(
        conn,
        &cost,
        p(0),
        PostKind::Discussion,
        "2024版清单计价规范主要变化汇总",
        "整理了措施项目、暂列金额和计日工的变化，欢迎补充。#清单计价# #规范解读#",
        &["清单计价", "规范解读"],
        day(3),
    )?;
    featured.featured = true;
    featured.save(conn)?;
    reply(
        conn,
        &featured,
        p(1),
        "感谢整理！暂列金额比例的变化对招标控制价影响很大。",
        day(3) + Duration::hours(1),
    )?;
    post(
        conn,
        &cost,
        p(8),
        PostKind::Question,
        "机电安装工程的措施费如何随工期调整？",
        "工期延长三个月，安全文明施工费能否按比例调增？@上海-结构-杨磊",
        &[],
        day(1),
    )?;

    resource(
        conn,
        &cost,
        p(9),
        (
            "上海市建设工程工程量清单计价应用规则",
            "上海市住房和城乡建设管理委员会",
            "清单编制与审核",
            ResourceCategory::PolicyRegulation,
            "https://zjw.sh.gov.cn/",
        ),
        day(10),
    )?;
    resource(
        conn,
        &cost,
        p(6),
        (
            "某商业综合体结算审核案例",
            "上海某造价咨询公司内部培训资料",
            "结算审核",
            ResourceCategory::CaseLibrary,
            "https://example.com/cases/commercial",
        ),
        day(4),
    )?;
    resource(
        conn,
        &cost,
        p(0),
        (
            "广联达 GTJ 钢筋算量快捷键速查",
            "广联达官方帮助文档",
            "钢筋算量",
            ResourceCategory::SoftwareTools,
            "https://www.glodon.com/",
        ),
        day(1),
    )?;

    let coming = event(
        &cost,
        p(0),
        "EPC 项目全过程造价管控分享会",
        "结合上海某 EPC 项目，讲限额设计、变更与签证管控。",
        at + Duration::days(3),
        30,
    );
    coming.insert(conn)?;
    sign_up(conn, &coming, &[p(6), p(1), p(5), p(2), p(8)], day(1))?;
    let mut past = event(
        &cost,
        p(5),
        "装配式结构计量要点",
        "预制构件的计量规则与常见争议。",
        at - Duration::days(14),
        20,
    );
    past.summary = Some("讲解了叠合板、预制楼梯的计量规则与运输费用处理，课件已分享到资源区。".into());
    past.summarised_at = Some(past.ends_at + Duration::hours(1));
    past.insert(conn)?;
    sign_up(conn, &past, &[p(6), p(0), p(2)], at - Duration::days(20))?;
    record_points(
        conn,
        &p(5).id,
        PointsReason::SessionHosted.award(),
        PointsReason::SessionHosted,
        Some(&cost.id),
        Some(&past.id),
        day(13),
    )?;

    let poll = PollRow {
        id: new_id(),
        group_id: cost.id.clone(),
        question: "你常用的计价软件？".into(),
        options: to_json(&["广联达", "斯维尔", "品茗", "其他"]),
        multiple: true,
        anonymous: true,
        deadline: at + Duration::days(7),
        created_by: p(6).id.clone(),
        created_at: day(2),
    };
    poll.insert(conn)?;
    for (person, choices) in [(p(0), "[0]"), (p(1), "[0,2]"), (p(2), "[1]"), (p(5), "[0]")] {
        PollVoterRow { poll_id: poll.id.clone(), user_id: person.id.clone(), choices: None, voted_at: None }
            .insert(conn)?;
        BallotRow { id: uuid::Uuid::new_v4().to_string(), poll_id: poll.id.clone(), choices: choices.into() }
            .insert(conn)?;
    }

    let safety = group(
        "建筑施工安全交流(全国)",
        "安全总监、安全员的经验交流：危大工程、隐患排查、应急预案。",
        "实名交流，禁止广告。",
        JoinPolicy::Open,
        p(9),
        at - Duration::days(30),
    );
    safety.insert(conn)?;
    member(conn, &safety, p(9), GroupRole::Owner, "吴建国", at - Duration::days(30))?;
    member(conn, &safety, p(0), GroupRole::Member, "张伟", at - Duration::days(20))?;
    post(
        conn,
        &safety,
        p(9),
        PostKind::Discussion,
        "冬季施工安全检查清单",
        "整理了冬季施工的 20 项检查要点。#安全检查#",
        &["安全检查"],
        day(5),
    )?;

    for (name, description, cost_points, stock) in [
        ("《建设工程工程量清单计价规范》实务解读（纸质版）", "包邮寄送", 50, 20),
        ("线下分享会优先报名券", "下次活动优先确认名额", 30, 50),
    ] {
        RewardRow {
            id: new_id(),
            name: name.into(),
            description: description.into(),
            cost: cost_points,
            stock,
            active: true,
            created_by: p(6).id.clone(),
            created_at: at,
        }
        .insert(conn)?;
    }
    Ok(())
}
