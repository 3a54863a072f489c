//! A small typed dictionary: every visible string is a [`Msg`] with a Chinese and an English
//! text; texts built from data (issue codes, USCC problems, role names) are functions here. The
//! chosen language is remembered in `localStorage`.

mod community;
mod community_engagement;
mod contracts;
mod credit;
mod disputes;
mod escrow;
mod membership;
mod messages;
mod tenders;
mod workspace;

pub use community::CommunityMsg;
pub use community_engagement::EngagementMsg;
pub use contracts::ContractMsg;
pub use credit::CreditMsg;
pub use disputes::DisputeMsg;
pub use escrow::EscrowMsg;
pub use membership::MembershipMsg;
pub use messages::Msg;
pub use tenders::TenderMsg;
pub use workspace::WorkspaceMsg;

use leptos::prelude::*;
use shared::domain::identity::IdentityError;
use shared::dto::{
    BusinessRole, DemandKind, DemandStatus, InvitationAnswer, MemberRole, NotificationKind, ProjectStatus,
    ProjectType, ResourceKind, SearchKind, VerificationStatus,
};

/// Interface language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    /// 简体中文 (default).
    Zh,
    /// English.
    En,
}

const STORAGE_KEY: &str = "gz_lang";

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// The language signal, provided at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// Reads the remembered language (default Chinese) and provides it.
    pub fn provide() -> Self {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let lang = if stored.as_deref() == Some("en") { Lang::En } else { Lang::Zh };
        let i18n = I18n(RwSignal::new(lang));
        set_document_lang(lang);
        provide_context(i18n);
        i18n
    }

    /// Switches between Chinese and English and remembers the choice.
    pub fn toggle(self) {
        let next = if self.0.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh };
        self.0.set(next);
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, if next == Lang::En { "en" } else { "zh" });
        }
        set_document_lang(next);
    }

    /// The text of a message in the current language (reactive).
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.0.get())
    }
}

/// The provided dictionary.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The reactive text of `msg`, for a view. One closure type serves every message, which keeps
/// the WASM smaller than a closure written out at each place.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.t(msg)
}

/// A notification's title and body in `lang` (the Chinese text where no English was stored).
pub fn notification_text(lang: Lang, n: &shared::dto::Notification) -> (String, String) {
    if lang == Lang::En && !n.title_en.is_empty() {
        (n.title_en.clone(), n.body_en.clone())
    } else {
        (n.title.clone(), n.body.clone())
    }
}

/// The Chinese or English one of two names (taxonomy data, server texts with a translation).
pub fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The text for an error-detail issue code or an envelope code from the API (or from the same
/// rules run locally).
pub fn issue_text(lang: Lang, issue: &str) -> String {
    let (zh, en) = match issue {
        "required" => ("必填", "required"),
        "too_short" => ("密码至少 10 位", "password must be at least 10 characters"),
        "too_long" => ("密码最多 128 位", "password must be at most 128 characters"),
        "needs_letter_and_digit" => ("密码需同时包含字母和数字", "password needs a letter and a digit"),
        "too_common" => ("密码过于常见，请换一个", "password is too common"),
        "contains_login" => ("密码不能包含邮箱名或手机号", "password must not contain your login"),
        "invalid_email" => ("邮箱格式不正确", "not a valid e-mail address"),
        "invalid_phone" => ("手机号格式不正确（11 位，1 开头）", "not a valid mainland mobile number"),
        "email_or_phone_required" => ("请填写邮箱或手机号", "enter an e-mail address or mobile number"),
        "invalid_length" => ("长度须为 1–50 个字符", "must be 1–50 characters"),
        "consent_required" => ("请先同意隐私政策", "please accept the privacy policy"),
        "confirm_required" => ("请勾选确认", "please tick to confirm"),
        "taken" => ("该账号已注册", "an account with this exists already"),
        "invalid_credentials" => ("账号或密码错误", "login or password is wrong"),
        "invalid_code" => ("验证码错误或已失效", "the code is wrong or expired"),
        "invalid" => ("格式不正确", "not valid"),
        "rate_limited" => ("尝试次数过多，请稍后再试", "too many attempts; try again later"),
        "password_change_required" => (
            "请先把一次性密码改为你自己的密码",
            "choose your own password in place of the one-time password first",
        ),
        "expected_string" => ("应为文字", "must be text"),
        "invalid_characters" => ("含有不可见的控制字符", "contains a control character"),
        "null_not_allowed" => ("不能为空值", "cannot be null"),
        "wrong_password" => ("当前密码不正确", "the current password is wrong"),
        "no_email" => ("账户没有邮箱", "the account has no e-mail address"),
        "no_phone" => ("账户没有手机号", "the account has no mobile number"),
        "invalid_uscc" => ("统一社会信用代码无效", "not a valid unified social credit code"),
        "unknown_region" => ("请选择有效的行政区划", "choose a real region"),
        "invalid_coordinates" => ("坐标无效", "coordinates are not valid"),
        "negative" => ("不能为负数", "must not be negative"),
        "locked_after_verification" => {
            ("认证后不能修改统一社会信用代码", "the USCC cannot change after verification")
        }
        "owner_by_transfer_only" => ("所有者只能通过转让产生", "ownership moves only by transfer"),
        "no_account_with_email" => {
            ("没有使用该邮箱的账户，请对方先注册", "no account with this e-mail; they need to register first")
        }
        "no_account_with_phone" => (
            "没有使用该手机号的账户，请对方先注册",
            "no account with this number; they need to register first",
        ),
        "already_owner" => ("对方已是所有者", "they are the owner already"),
        "not_a_member" => ("对方不是本组织成员", "they are not a member"),
        "unknown_field" => ("请求包含未知字段", "the request has an unknown field"),
        "validation_failed" => ("填写内容有误，请检查", "please check what you entered"),
        "unauthenticated" | "token_expired" | "refresh_token_reused" => {
            ("登录已过期，请重新登录", "your session has ended; please sign in again")
        }
        "mfa_required" => ("请输入两步验证动态码", "enter your two-factor code"),
        "forbidden" => ("你没有权限执行此操作", "you are not allowed to do this"),
        "not_found" => ("内容不存在或已被删除", "not found"),
        "conflict" => ("状态已变化，请刷新后重试", "this changed meanwhile; reload and try again"),
        "payload_too_large" => ("内容过大", "too large"),
        "internal" => ("服务器出错，请稍后重试", "something went wrong on our side; try again later"),
        "invalid_id_number" => ("身份证号无效", "not a valid resident ID number"),
        "unknown_file" => ("请重新上传该文件", "upload this file again"),
        "unknown_qualification_type" => ("请选择有效的资质类别", "choose a real qualification type"),
        "unknown_grade" => ("请选择该类别的有效等级", "choose a grade of this type"),
        "expired" => ("证书已过期", "the certificate has expired"),
        "empty" => ("文件为空", "the file is empty"),
        "unsupported_media_type" => {
            ("仅支持 PDF、JPG、PNG、WebP 文件", "only PDF, JPG, PNG and WebP files are accepted")
        }
        "unknown_account" => ("没有该账户", "no such account"),
        "unknown_organisation" => ("没有该组织", "no such organisation"),
        "organisation_not_verified" => (
            "只有通过实名认证的组织才能发布，请先完成组织认证",
            "only verified organisations can do this; complete the verification first",
        ),
        "organisation_suspended" => ("组织已被平台暂停", "the organisation is suspended by the platform"),
        "unknown_category" => ("请选择有效的类别", "choose a real category"),
        "unknown_qualification" => ("请选择有效的资质类别", "choose a real qualification type"),
        "too_many" => ("数量超过上限", "too many"),
        "out_of_range" => ("超出允许范围", "out of range"),
        "not_in_future" => ("须晚于今天", "must be after today"),
        "duplicate" => ("名称重复", "used twice"),
        "not_recommended" => ("只能邀请推荐名单中的企业", "invite organisations from the ranked list"),
        "no_active_org" => {
            ("请先在页首选择或创建一个组织", "choose or create an organisation in the header first")
        }
        "org_not_verified" => ("只有通过实名认证的组织才能发布", "only verified organisations can publish"),
        "invalid_amount" => ("请输入金额（元），如 12500.00", "enter an amount in yuan, e.g. 12500.00"),
        "too_precise" => ("最多两位小数", "at most two decimals"),
        "too_large" => ("金额过大", "the amount is too large"),
        "below_minimum" => ("上限不能低于下限", "must not be below the lower end"),
        "length_4_100" => ("长度须为 4–100 个字符", "must be 4–100 characters"),
        "length_5_1000" => ("长度须为 5–1000 个字符", "must be 5–1000 characters"),
        "length_10_5000" => ("长度须为 10–5000 个字符", "must be 10–5000 characters"),
        "nickname_format" => ("昵称不符合本群的昵称格式", "the nickname does not follow the group's format"),
        "muted" => ("你在本群被禁言，暂时不能发言", "you are muted in this group for now"),
        "group_role" => ("你在本群没有这项权限", "your role in this group does not allow this"),
        "removed" => ("你已被移出本群，需管理员重新邀请", "you were removed; an admin must invite you again"),
        "invite_only" => ("本群仅限受邀加入", "this group admits invited people only"),
        "before_start" => ("结束时间须晚于开始时间", "must be after the start"),
        "capacity_range" => ("请输入 1–10000 的整数", "enter a whole number from 1 to 10,000"),
        "link_or_file_required" => ("请填写链接或上传文件", "give a link or upload a file"),
        "own_resource" => ("不能给自己分享的资源评分", "you cannot rate your own resource"),
        "out_of_stock" => ("该奖品已兑完", "this reward is out of stock"),
        "not_enough_points" => ("积分不足", "not enough points"),
        "banned_words" => ("含有违禁词", "contains a banned word"),
        "feedback_weekly" => ("本周已反馈过，下周再来", "you gave feedback this week already"),
        "too_soon" => ("截止时间须至少在 1 小时之后", "must be at least an hour from now"),
        "too_late" => ("截止时间不能超过 180 天", "must be within 180 days"),
        "sum_not_100" => ("四项权重之和须为 100", "the four weights must add up to 100"),
        "sheet_incomplete" => ("评分尚未完成", "the scoring sheet is not complete"),
        "not_awardable" => ("该投标不能定标", "this bid cannot be awarded"),
        "shares_not_100" => ("各节点比例之和须为 100%", "the shares must add up to 100 %"),
        "amounts_not_total" => {
            ("各节点金额之和须等于合同金额", "the amounts must add up to the contract amount")
        }
        "below_high_risk_minimum" => (
            "预付款超过 30% 时，履约保证金不得低于 5%",
            "with an advance above 30 %, the bond must be at least 5 %",
        ),
        "in_the_past" => ("不能早于今天", "must not be before today"),
        "before_previous" => ("不能早于上一节点", "must not be before the previous milestone"),
        "not_verified" => ("该组织尚未通过认证", "this organisation is not verified"),
        "is_a_party" => ("合同一方不能担任监理", "a party cannot supervise its own contract"),
        "stale_document" => ("合同文本已更新，请重新加载", "the document changed; reload it"),
        "already_signed" => ("本组织已签署该版本", "your organisation has signed this version already"),
        "credit_grade_c" => (
            "本组织信用等级为 C，暂不能签署合同",
            "your organisation's credit grade is C; it cannot sign for now",
        ),
        "not_a_party" => ("本组织不是合同一方", "your organisation is not a party"),
        "contract_unchanged" => ("条款没有任何修改", "nothing was changed"),
        "idempotency_key_required" => (
            "请求缺少幂等键，请刷新页面后重试",
            "the request had no idempotency key; reload the page and try again",
        ),
        "idempotency_mismatch" => {
            ("同一操作的内容已变化，请重新提交", "this submission changed meanwhile; submit it again")
        }
        "not_fundable" => {
            ("只有签署中或已生效的合同可以付款", "only a contract being signed or in force takes money")
        }
        "not_your_part" => ("这笔款项不由本组织支付", "this payment is not your organisation's part"),
        "already_funded" => ("已足额托管，无需再付", "fully funded already"),
        "funding_pending" => ("已有待到账的付款申请", "a funding request waits for the money already"),
        "no_bond" => ("本合同无需履约保证金", "this contract has no bond"),
        "unknown_milestone" => ("没有这个付款节点", "no such milestone"),
        "insufficient_funds" => ("余额不足", "insufficient funds"),
        "frozen" => ("资金已冻结", "the money is frozen"),
        "not_pending" => ("该付款申请已不是待付款状态", "the request is no longer pending"),
        "amount_differs" => ("金额与付款申请不一致", "the amount differs from the request"),
        "not_queued" => ("该流水已处理过", "this line was resolved already"),
        "unreadable_encoding" => {
            ("无法识别文件编码（请用 UTF-8 或 GBK）", "unreadable encoding (use UTF-8 or GBK)")
        }
        "no_header_row" => (
            "找不到表头行（须含交易日期、流水号和贷方金额）",
            "no header row (date, serial and credit columns)",
        ),
        "no_lines" => ("文件中没有入账流水", "the file has no credit lines"),
        "invalid_date" => ("日期无法识别", "not a date"),
        "not_allowed" => ("此处不应填写", "not allowed here"),
        "unknown" => ("不存在", "unknown"),
        "not_the_organisation" => ("户名须为本组织的注册名称", "the holder must be this organisation"),
        "not_cancellable" => ("财务已处理，无法撤销", "finance has acted on it; it cannot be cancelled"),
        "second_approval_required" => {
            ("须另一名财务人员先复核", "another finance officer must approve first")
        }
        "approval_not_needed" => {
            ("该金额无需复核，请直接确认", "no approval needed at this amount; confirm it")
        }
        "same_officer" => ("复核与确认须由不同的财务人员完成", "a different finance officer must confirm"),
        "decided" => ("已处理过", "decided already"),
        "already_answered" => ("本组织已签署过意见", "your organisation has answered already"),
        "already_requested" => ("该节点已在验收中", "acceptance of this milestone is under way"),
        "already_accepted" => ("该节点已验收", "this milestone is accepted already"),
        "already_reviewed" => ("该日志已审核", "this log was reviewed already"),
        "in_the_future" => ("不能晚于今天", "not after today"),
        "not_the_payer" => {
            ("只有付款方可以提出或关闭缺陷索赔", "only the payer raises and closes defect claims")
        }
        "warranty_not_started" => (
            "质保期尚未开始（最后一个节点验收后开始）",
            "the warranty has not started (it starts at the last acceptance)",
        ),
        "warranty_ended" => ("质保期已届满，不能再提出索赔", "the warranty has ended; no new claims"),
        "not_open" => ("该索赔已关闭", "this claim is closed already"),
        "not_an_image" => ("只能上传 JPEG / PNG / WebP 照片", "JPEG, PNG or WebP photos only"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The text for an issue with a particular field: `invalid_length` names each field's limits.
pub fn field_issue_text(lang: Lang, field: &str, issue: &str) -> String {
    let limits = match (field, issue) {
        ("name", "invalid_length") => Some(("长度须为 2–100 个字符", "must be 2–100 characters")),
        ("short_name", "invalid_length") => Some(("最多 20 个字符", "at most 20 characters")),
        ("categories", "invalid_length") => Some(("类别过多或过长", "too many or too long categories")),
        ("code", "invalid") => Some(("动态码不正确", "the code is not right")),
        ("key_name", "invalid_length") => Some(("长度须为 1–50 个字符", "must be 1–50 characters")),
        ("legal_representative_name", "invalid_length") => {
            Some(("长度须为 2–30 个字符", "must be 2–30 characters"))
        }
        ("title", "too_short") => Some(("太短（至少 4 个字符）", "too short (at least 4 characters)")),
        ("title" | "name", "too_long") => {
            Some(("太长（最多 100 个字符）", "too long (at most 100 characters)"))
        }
        ("scope", "too_short") => Some(("太短（至少 10 个字符）", "too short (at least 10 characters)")),
        ("scope" | "description", "too_long") => {
            Some(("太长（最多 5000 个字符）", "too long (at most 5000 characters)"))
        }
        ("question", "too_short") => Some(("太短（至少 5 个字符）", "too short (at least 5 characters)")),
        ("question", "too_long") => Some(("太长（最多 1000 个字符）", "too long (at most 1000 characters)")),
        ("note", "too_long") => Some(("太长（最多 500 个字符）", "too long (at most 500 characters)")),
        ("unit", "too_long") => Some(("太长（最多 10 个字符）", "too long (at most 10 characters)")),
        ("proposal", "too_short") => Some(("太短（至少 10 个字符）", "too short (at least 10 characters)")),
        ("proposal", "too_long") => {
            Some(("太长（最多 20000 个字符）", "too long (at most 20,000 characters)"))
        }
        ("price_fen", "out_of_range") => {
            Some(("报价须在 ¥0.01 至 ¥1000 亿之间", "the price must be ¥0.01 to ¥100 billion"))
        }
        ("quality" | "timeliness" | "communication" | "payment", "out_of_range") => {
            Some(("请选择 1–5 分", "choose 1 to 5"))
        }
        ("duration_days", "out_of_range") => Some(("请输入 1–3650 天", "enter 1–3650 days")),
        ("validity_days", "out_of_range") => Some(("请输入 30–365 天", "enter 30–365 days")),
        ("evaluators", "required") => Some((
            "技术分有权重时须至少选一名评标人",
            "choose an evaluator when the technical weight has points",
        )),
        ("evaluators", "too_many") => Some(("最多 10 名评标人", "at most 10 evaluators")),
        ("criteria" | "weights.criteria", "required") => {
            Some(("技术分有权重时须至少有一个评分项", "add a criterion when the technical weight has points"))
        }
        ("max_mark", "out_of_range") => Some(("满分须为 1–100", "must be 1–100")),
        ("name", "duplicate") => Some(("名称重复", "used twice")),
        (f, "out_of_range") if f.starts_with("weights.") => Some(("须为 0–100", "must be 0–100")),
        (f, "out_of_range") if f.starts_with("marks[") => {
            Some(("超出该项满分", "above this criterion's maximum"))
        }
        (f, "too_short") if !f.contains("password") => Some(("太短", "too short")),
        (f, "too_long") if !f.contains("password") => Some(("太长", "too long")),
        ("capacity", "out_of_range") => {
            Some(("请输入 1–10000 的整数", "enter a whole number from 1 to 10,000"))
        }
        ("options", "too_few" | "too_many") => {
            Some(("请填写 2–20 个选项，每行一个", "give 2–20 options, one a line"))
        }
        ("login", "unknown") => {
            Some(("没有使用该邮箱或手机号的账户", "nobody is registered with this login"))
        }
        ("referral_code", "unknown") => Some(("没有这个邀请码", "no such referral code")),
        ("name", "taken") => Some(("该名称已被使用", "this name is taken")),
        ("file", "too_many") => Some(("流水行数过多，请拆分文件", "too many lines; split the file")),
        ("date", "before_start") => Some(("不能早于合同开工日期", "not before the contract's start")),
        ("funding_request_id", "unknown") => Some(("没有这个付款申请", "no such funding request")),
        (f, "invalid_amount") if f.starts_with("row[") => Some(("金额无法识别", "not an amount")),
        (f, "duplicate") if f.starts_with("row[") => Some(("流水号重复", "serial used twice")),
        ("uscc", "taken") => {
            Some(("该统一社会信用代码已被其他组织使用", "another organisation has this USCC"))
        }
        _ => None,
    };
    match (limits, lang) {
        (Some((zh, _)), Lang::Zh) => zh.to_owned(),
        (Some((_, en)), Lang::En) => en.to_owned(),
        (None, _) => issue_text(lang, issue),
    }
}

/// What is wrong with a USCC being typed, said as the person types.
pub fn uscc_problem(lang: Lang, error: &IdentityError) -> String {
    match (error, lang) {
        (IdentityError::WrongLength { expected, found }, Lang::Zh) => {
            format!("应为 {expected} 位，已输入 {found} 位")
        }
        (IdentityError::WrongLength { expected, found }, Lang::En) => {
            format!("{found} of {expected} characters")
        }
        (IdentityError::InvalidCharacter { position, character }, Lang::Zh) => {
            format!("第 {position} 位的“{character}”不是有效字符")
        }
        (IdentityError::InvalidCharacter { position, character }, Lang::En) => {
            format!("“{character}” is not allowed at position {position}")
        }
        (IdentityError::UnknownRegion(code), Lang::Zh) => format!("第 3–8 位 {code} 不是有效的行政区划代码"),
        (IdentityError::UnknownRegion(code), Lang::En) => {
            format!("characters 3–8 ({code}) are not a real region code")
        }
        (IdentityError::ChecksumMismatch { expected, found }, Lang::Zh) => {
            format!("校验位不符：最后一位应为 {expected}，而不是 {found}")
        }
        (IdentityError::ChecksumMismatch { expected, found }, Lang::En) => {
            format!("check character should be {expected}, not {found}")
        }
        (IdentityError::InvalidBirthDate(_), Lang::Zh) => "日期无效".to_owned(),
        (IdentityError::InvalidBirthDate(_), Lang::En) => "not a real date".to_owned(),
    }
}

/// What is wrong with a resident ID number being typed, said as the person types.
pub fn id_number_problem(lang: Lang, error: &IdentityError) -> String {
    match (error, lang) {
        (IdentityError::UnknownRegion(code), Lang::Zh) => format!("前 6 位 {code} 不是有效的行政区划代码"),
        (IdentityError::UnknownRegion(code), Lang::En) => {
            format!("characters 1–6 ({code}) are not a real region code")
        }
        (IdentityError::InvalidBirthDate(date), Lang::Zh) => format!("第 7–14 位出生日期 {date} 无效"),
        (IdentityError::InvalidBirthDate(date), Lang::En) => {
            format!("characters 7–14 ({date}) are not a real birth date")
        }
        (other, _) => uscc_problem(lang, other),
    }
}

/// A business role's name, for badges and choices.
pub fn role_name(role: BusinessRole) -> Msg {
    match role {
        BusinessRole::Contractor => Msg::BadgeContractor,
        BusinessRole::Subcontractor => Msg::BadgeSubcontractor,
        BusinessRole::Supplier => Msg::BadgeSupplier,
        BusinessRole::Designer => Msg::BadgeDesigner,
        BusinessRole::Financier => Msg::BadgeFinancier,
    }
}

/// A membership role's name.
pub fn member_role_name(role: MemberRole) -> Msg {
    match role {
        MemberRole::Owner => Msg::RoleOwner,
        MemberRole::Admin => Msg::RoleAdmin,
        MemberRole::Member => Msg::RoleMember,
    }
}

/// A verification status's name.
pub fn verification_name(status: VerificationStatus) -> Msg {
    match status {
        VerificationStatus::Unverified => Msg::StatusUnverified,
        VerificationStatus::Pending => Msg::StatusPending,
        VerificationStatus::Verified => Msg::StatusVerified,
        VerificationStatus::Rejected => Msg::StatusRejected,
    }
}

/// A certificate in the interface language: type · grade · number · expiry, with the names from
/// the shipped taxonomy (falling back to the server's Chinese names for unknown codes).
pub fn qualification_label(lang: Lang, q: &shared::dto::QualificationView) -> String {
    let (type_name, grade_name) =
        shared::taxonomy::qualification_names(&q.type_code, &q.grade, lang == Lang::En).map_or_else(
            || (q.type_name.clone(), q.grade_name.clone()),
            |(t, g)| (t.to_owned(), g.to_owned()),
        );
    format!("{type_name} · {grade_name} · {} · {}", q.number, q.expires_on)
}

/// A category's name from the shipped taxonomy; `fallback` (the server's Chinese name, or the
/// code) for codes it does not know.
pub fn category_name(lang: Lang, code: &str, fallback: &str) -> String {
    shared::taxonomy::category(code).map_or_else(|| fallback.to_owned(), |c| pick(lang, &c.zh, &c.en))
}

/// A required qualification: `type · at least grade`.
pub fn requirement_label(lang: Lang, q: &shared::dto::RequiredQualification) -> String {
    let (kind, grade) =
        shared::taxonomy::qualification_names(&q.type_code, &q.minimum_grade, lang == Lang::En)
            .unwrap_or((&q.type_code, &q.minimum_grade));
    format!("{kind} · {} {grade}", Msg::AtLeast.text(lang))
}

/// A project type's name.
pub fn project_type_name(t: ProjectType) -> Msg {
    match t {
        ProjectType::Housing => Msg::TypeHousing,
        ProjectType::Municipal => Msg::TypeMunicipal,
        ProjectType::Highway => Msg::TypeHighway,
        ProjectType::Water => Msg::TypeWater,
        ProjectType::Power => Msg::TypePower,
        ProjectType::FitOut => Msg::TypeFitOut,
        ProjectType::Other => Msg::TypeOther,
    }
}

/// A project status's name.
pub fn project_status_name(s: ProjectStatus) -> Msg {
    match s {
        ProjectStatus::Draft => Msg::Draft,
        ProjectStatus::Published => Msg::Published,
        ProjectStatus::Closed => Msg::Closed,
    }
}

/// A resource kind's name.
pub fn resource_kind_name(k: ResourceKind) -> Msg {
    match k {
        ResourceKind::Material => Msg::KindMaterial,
        ResourceKind::Equipment => Msg::KindEquipment,
        ResourceKind::Labour => Msg::KindLabour,
        ResourceKind::MachineryRental => Msg::KindMachineryRental,
    }
}

/// A demand kind's name.
pub fn demand_kind_name(k: DemandKind) -> Msg {
    match k {
        DemandKind::Subcontracting => Msg::KindSubcontracting,
        DemandKind::Procurement => Msg::KindProcurement,
    }
}

/// A demand status's name.
pub fn demand_status_name(s: DemandStatus) -> Msg {
    match s {
        DemandStatus::Draft => Msg::Draft,
        DemandStatus::PendingReview => Msg::PendingReview,
        DemandStatus::Rejected => Msg::ReviewRejected,
        DemandStatus::Published => Msg::Published,
        DemandStatus::Closed => Msg::Closed,
    }
}

/// An invitation answer's name.
pub fn answer_name(a: InvitationAnswer) -> Msg {
    match a {
        InvitationAnswer::Pending => Msg::AnswerPending,
        InvitationAnswer::Interested => Msg::AnswerInterested,
        InvitationAnswer::Declined => Msg::AnswerDeclined,
    }
}

/// A search hit kind's name.
pub fn search_kind_name(k: SearchKind) -> Msg {
    match k {
        SearchKind::Project => Msg::KindProject,
        SearchKind::Resource => Msg::KindResource,
        SearchKind::Organisation => Msg::KindOrganisation,
    }
}

/// A notification kind's name.
pub fn notification_kind_name(k: NotificationKind) -> Msg {
    match k {
        NotificationKind::DemandInvitation => Msg::NoticeDemandInvitation,
        NotificationKind::InvitationResponse => Msg::NoticeInvitationResponse,
        NotificationKind::DemandReview => Msg::NoticeDemandReview,
        NotificationKind::QuestionAnswered => Msg::NoticeQuestionAnswered,
        NotificationKind::ProjectQuestion => Msg::NoticeProjectQuestion,
        NotificationKind::GroupApplication => Msg::NoticeGroupApplication,
        NotificationKind::ApplicationDecided => Msg::NoticeApplicationDecided,
        NotificationKind::GroupInvitation => Msg::NoticeGroupInvitation,
        NotificationKind::Mention => Msg::NoticeMention,
        NotificationKind::PostReply => Msg::NoticePostReply,
        NotificationKind::AnswerAccepted => Msg::NoticeAnswerAccepted,
        NotificationKind::Sanctioned => Msg::NoticeSanctioned,
        NotificationKind::AppealDecided => Msg::NoticeAppealDecided,
        NotificationKind::PostHeld => Msg::NoticePostHeld,
        NotificationKind::CommunityReport => Msg::NoticeCommunityReport,
        NotificationKind::CommunityAppeal => Msg::NoticeCommunityAppeal,
        NotificationKind::EventPromoted => Msg::NoticeEventPromoted,
        NotificationKind::EventCancelled => Msg::NoticeEventCancelled,
        NotificationKind::TenderOpened => Msg::NoticeTenderOpened,
        NotificationKind::TenderClosed => Msg::NoticeTenderClosed,
        NotificationKind::BidAwarded => Msg::NoticeBidAwarded,
        NotificationKind::BidNotAwarded => Msg::NoticeBidNotAwarded,
        NotificationKind::AwardLapsed => Msg::NoticeAwardLapsed,
        NotificationKind::TenderCancelled => Msg::NoticeTenderCancelled,
        NotificationKind::ContractDrafted => Msg::NoticeContractDrafted,
        NotificationKind::ContractChanged => Msg::NoticeContractChanged,
        NotificationKind::ContractSigned => Msg::NoticeContractSigned,
        NotificationKind::ContractInForce => Msg::NoticeContractInForce,
        NotificationKind::EscrowFunded => Msg::NoticeEscrowFunded,
        NotificationKind::EscrowReleased => Msg::NoticeEscrowReleased,
        NotificationKind::AcceptanceUpdate => Msg::NoticeAcceptanceUpdate,
        NotificationKind::ProgressUpdate => Msg::NoticeProgressUpdate,
        NotificationKind::ProgressWarning => Msg::NoticeProgressWarning,
        NotificationKind::RiskAlert => Msg::NoticeRiskAlert,
        NotificationKind::RatingUpdate => Msg::NoticeRatingUpdate,
        NotificationKind::MembershipChanged => Msg::NoticeMembershipChanged,
        NotificationKind::DisputeUpdate => Msg::NoticeDisputeUpdate,
        NotificationKind::AmendmentWarning => Msg::NoticeAmendmentWarning,
        NotificationKind::ContractEnded => Msg::NoticeContractEnded,
    }
}

/// A matching factor's name (codes from the API; unknown ones shown as they are).
pub fn factor_name(lang: Lang, factor: &str) -> String {
    let msg = match factor {
        "cooperation_history" => Msg::FactorHistory,
        "regional_proximity" => Msg::FactorProximity,
        "credit" => Msg::FactorCredit,
        "membership_tier" => Msg::FactorTier,
        "capacity_headroom" => Msg::FactorCapacity,
        "responsiveness" => Msg::FactorResponsiveness,
        "price_level" => Msg::FactorPrice,
        other => return other.to_owned(),
    };
    msg.text(lang).to_owned()
}

/// A hard constraint's name (codes from the API; unknown ones shown as they are).
pub fn constraint_name(lang: Lang, constraint: &str) -> String {
    let msg = match constraint {
        "verified" => Msg::ConstraintVerified,
        "not_suspended" => Msg::ConstraintNotSuspended,
        "credit_not_c" => Msg::ConstraintCredit,
        "offers_category" => Msg::ConstraintCategory,
        "holds_qualifications" => Msg::ConstraintQualifications,
        "serves_region" => Msg::ConstraintRegion,
        "not_the_poster" => Msg::ConstraintNotPoster,
        other => return other.to_owned(),
    };
    msg.text(lang).to_owned()
}
