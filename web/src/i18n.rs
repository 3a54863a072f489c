//! A small typed dictionary: every visible string is a [`Msg`] with a Chinese and an English
//! text. The chosen language is remembered in `localStorage`.

use leptos::prelude::*;

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

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// Every visible string of the app.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Msg {
    Brand,
    Tagline,
    LandingIntro,
    RoleContractor,
    RoleSubcontractor,
    RoleSupplier,
    RoleDesigner,
    RoleFinancier,
    SignIn,
    SignOut,
    Register,
    Account,
    SwitchLanguage,
    LoginLabel,
    EmailOrPhone,
    Password,
    DisplayName,
    AcceptPrivacy,
    CreateAccount,
    HaveAccount,
    NoAccount,
    TotpPrompt,
    TotpCode,
    Verify,
    Loading,
    Submitting,
    Welcome,
    Email,
    Phone,
    Verified,
    NotVerified,
    TwoFactor,
    On,
    Off,
    MemberSince,
    NotFound,
    BackHome,
    NetworkError,
    PasswordRules,
}

impl Msg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Msg::Brand => ("共筑", "Gongzhu"),
            Msg::Tagline => ("建筑行业协作平台", "The cooperation platform for construction"),
            Msg::LandingIntro => (
                "连接施工企业、分包商、材料供应商、设计单位与金融机构：从“找到合适的伙伴”到“按期验收、结清款项”，每一步都有据可查。",
                "Connecting contractors, subcontractors, suppliers, design institutes and financiers: from finding the right partner to accepted work and settled payments, every step on record.",
            ),
            Msg::RoleContractor => ("施工企业", "General contractors"),
            Msg::RoleSubcontractor => ("分包商", "Subcontractors"),
            Msg::RoleSupplier => ("材料供应商", "Material suppliers"),
            Msg::RoleDesigner => ("设计单位", "Design institutes"),
            Msg::RoleFinancier => ("金融机构", "Financial institutions"),
            Msg::SignIn => ("登录", "Sign in"),
            Msg::SignOut => ("退出登录", "Sign out"),
            Msg::Register => ("注册", "Register"),
            Msg::Account => ("我的账户", "My account"),
            Msg::SwitchLanguage => ("English", "中文"),
            Msg::LoginLabel => ("邮箱或手机号", "E-mail or mobile number"),
            Msg::EmailOrPhone => ("邮箱或手机号", "E-mail or mobile number"),
            Msg::Password => ("密码", "Password"),
            Msg::DisplayName => ("姓名（显示名称）", "Display name"),
            Msg::AcceptPrivacy => ("我已阅读并同意《隐私政策》", "I have read and accept the privacy policy"),
            Msg::CreateAccount => ("创建账户", "Create account"),
            Msg::HaveAccount => ("已有账户？去登录", "Have an account? Sign in"),
            Msg::NoAccount => ("还没有账户？立即注册", "No account yet? Register"),
            Msg::TotpPrompt => (
                "请输入身份验证器中的 6 位动态码，或一个恢复码。",
                "Enter the 6-digit code from your authenticator app, or a recovery code.",
            ),
            Msg::TotpCode => ("动态码", "Code"),
            Msg::Verify => ("验证", "Verify"),
            Msg::Loading => ("加载中…", "Loading…"),
            Msg::Submitting => ("提交中…", "Submitting…"),
            Msg::Welcome => ("欢迎，", "Welcome, "),
            Msg::Email => ("邮箱", "E-mail"),
            Msg::Phone => ("手机号", "Mobile"),
            Msg::Verified => ("已验证", "verified"),
            Msg::NotVerified => ("未验证", "not verified"),
            Msg::TwoFactor => ("两步验证", "Two-factor authentication"),
            Msg::On => ("已开启", "on"),
            Msg::Off => ("未开启", "off"),
            Msg::MemberSince => ("注册时间", "Member since"),
            Msg::NotFound => ("页面不存在", "Page not found"),
            Msg::BackHome => ("返回首页", "Back to the start page"),
            Msg::NetworkError => ("网络异常，请稍后重试", "Network problem; please try again"),
            Msg::PasswordRules => {
                ("至少 10 位，包含字母和数字", "At least 10 characters with letters and digits")
            }
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The text for an error-detail issue code from the API (or from the same rules run locally).
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
        "taken" => ("该账号已注册", "an account with this exists already"),
        "invalid_credentials" => ("账号或密码错误", "login or password is wrong"),
        "invalid_code" => ("验证码错误或已失效", "the code is wrong or expired"),
        "rate_limited" => ("尝试次数过多，请稍后再试", "too many attempts; try again later"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}
