//! The dispute pages' strings (纠纷处理) as [`DisputeMsg`], carried in
//! [`super::Msg::DisputeMsg`]. State names come from `shared::domain::notices::disputes`.

use super::Lang;

/// Every visible string of the dispute section and page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DisputeMsg {
    Disputes,
    Intro,
    NoDisputes,
    File,
    Claim,
    Amount,
    Dispute,
    Deadline,
    Frozen,
    Answer,
    NonResponsive,
    Escalated,
    Timeline,
    Thread,
    NoMessages,
    Message,
    Send,
    Respond,
    Withdraw,
    Reason,
    Complainant,
    Respondent,
    Mediator,
    Agreement,
    Decision,
    SignAgreement,
    SignIntro,
    Signed,
    Executed,
    Award,
    AwardAmount,
    FromEscrow,
    PaidByDebtor,
    Compensated,
    Outstanding,
    DueBy,
    RecoveryOpen,
    PayAward,
    RepayRecovery,
    PayAmount,
    Paid,
    AwardDue,
    AwardOverdue,
    AwardRequested,
    AwardCompensated,
    AwardSettled,
}

impl DisputeMsg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            DisputeMsg::Disputes => ("纠纷处理", "Disputes"),
            DisputeMsg::Intro => (
                "合同一方可发起纠纷：平台 2 小时内指派调解员，被申请人 3 个工作日内答辩，5 个工作日内开始在线调解（最长 10 个工作日），未达成协议转仲裁。纠纷期间本合同的监管资金冻结。",
                "A party may file a dispute: a mediator within 2 hours, the respondent answers within 3 business days, online mediation opens within 5 and runs at most 10, then arbitration. The contract's escrow is frozen meanwhile.",
            ),
            DisputeMsg::NoDisputes => ("暂无纠纷。", "No disputes."),
            DisputeMsg::File => ("发起纠纷", "File a dispute"),
            DisputeMsg::Claim => ("诉求与事实（10–2000 字）", "Claim and facts (10–2000 characters)"),
            DisputeMsg::Amount => ("主张金额（元）", "Amount claimed (¥)"),
            DisputeMsg::Dispute => ("纠纷", "Dispute"),
            DisputeMsg::Deadline => ("当前时限", "Running deadline"),
            DisputeMsg::Frozen => {
                ("纠纷期间合同监管资金冻结。", "The contract's escrow is frozen while the dispute is open.")
            }
            DisputeMsg::Answer => ("被申请人答辩", "The respondent's answer"),
            DisputeMsg::NonResponsive => ("被申请人逾期未答辩。", "The respondent did not answer in time."),
            DisputeMsg::Escalated => (
                "超过 2 小时未分配调解员，已上报管理员。",
                "No mediator within 2 hours: escalated to an admin.",
            ),
            DisputeMsg::Timeline => ("处理时间线", "Timeline"),
            DisputeMsg::Thread => ("调解沟通", "Mediation thread"),
            DisputeMsg::NoMessages => ("暂无消息。", "No messages yet."),
            DisputeMsg::Message => ("消息", "Message"),
            DisputeMsg::Send => ("发送", "Send"),
            DisputeMsg::Respond => ("提交答辩", "Answer"),
            DisputeMsg::Withdraw => ("撤回纠纷", "Withdraw"),
            DisputeMsg::Reason => ("理由", "Reason"),
            DisputeMsg::Complainant => ("申请人", "Complainant"),
            DisputeMsg::Respondent => ("被申请人", "Respondent"),
            DisputeMsg::Mediator => ("调解员", "Mediator"),
            DisputeMsg::Agreement => ("调解协议", "Agreement"),
            DisputeMsg::Decision => ("仲裁裁决", "Arbitration decision"),
            DisputeMsg::SignAgreement => ("签署调解协议", "Sign the agreement"),
            DisputeMsg::SignIntro => (
                "双方均签署后，协议约定的监管资金划转立即执行。",
                "Once both parties have signed, the escrow movements it sets are made at once.",
            ),
            DisputeMsg::Signed => ("本方已签署", "Your organisation has signed"),
            DisputeMsg::Executed => ("协议已执行", "The agreement was executed"),
            DisputeMsg::Award => ("裁决执行", "Award enforcement"),
            DisputeMsg::AwardAmount => ("裁决金额", "Awarded"),
            DisputeMsg::FromEscrow => ("监管资金已支付", "Paid from escrow"),
            DisputeMsg::PaidByDebtor => ("责任方已付", "Paid by the party at fault"),
            DisputeMsg::Compensated => ("平台先行赔付", "Compensated by the platform"),
            DisputeMsg::Outstanding => ("尚欠", "Still owed"),
            DisputeMsg::DueBy => ("付款期限", "Due by"),
            DisputeMsg::RecoveryOpen => (
                "待归还追偿款（未还清前不得签订新合同）",
                "Recovery claim open (no new contracts until repaid)",
            ),
            DisputeMsg::PayAward => ("支付裁决差额", "Pay the shortfall"),
            DisputeMsg::RepayRecovery => ("归还追偿款", "Repay the recovery claim"),
            DisputeMsg::PayAmount => ("金额（元）", "Amount (yuan)"),
            DisputeMsg::Paid => ("付款已完成", "Payment made"),
            DisputeMsg::AwardDue => ("待付", "due"),
            DisputeMsg::AwardOverdue => ("已逾期", "overdue"),
            DisputeMsg::AwardRequested => ("先行赔付待复核", "compensation awaiting approval"),
            DisputeMsg::AwardCompensated => ("已先行赔付", "compensated"),
            DisputeMsg::AwardSettled => ("已付清", "settled"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
