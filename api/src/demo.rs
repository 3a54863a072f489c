//! Demo data: realistic people from the five kinds of organisation Gongzhu connects. The demo
//! password is random per load and printed once — there is no default password anywhere.
//! (Organisations themselves arrive with the organisations feature; see README.)

use diesel::prelude::*;

use crate::auth::crypto::random_token;
use crate::auth::password::PasswordHashing;
use crate::config::Config;
use crate::db::models::users::User;
use crate::db::schema::users;
use crate::db::{Db, new_id, now, write_tx};

/// Demo people: (display name, e-mail, mobile number, who they are).
pub const DEMO_PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("张伟", "zhang.wei@zhongjian-demo.cn", "13800138001", "总承包商 项目经理（施工企业）"),
    ("王芳", "wang.fang@zhongjian-demo.cn", "13800138002", "总承包商 采购主管（施工企业）"),
    ("李强", "li.qiang@huadong-fenbao-demo.cn", "13900139003", "劳务分包商 负责人（分包商）"),
    ("刘洋", "liu.yang@jiangnan-steel-demo.cn", "13700137004", "钢材供应商 销售经理（材料供应商）"),
    ("陈静", "chen.jing@jiangnan-steel-demo.cn", "13700137005", "混凝土供应商 商务代表（材料供应商）"),
    ("杨磊", "yang.lei@shanghai-design-demo.cn", "13600136006", "建筑设计院 结构总工（设计单位）"),
    ("赵敏", "zhao.min@shanghai-design-demo.cn", "13600136007", "建筑设计院 造价工程师（设计单位）"),
    ("黄海涛", "huang.haitao@jiancai-bank-demo.cn", "13500135008", "供应链金融 客户经理（金融机构）"),
    ("周晓燕", "zhou.xiaoyan@xinan-mep-demo.cn", "13300133009", "机电安装分包 项目负责人（分包商）"),
    ("吴建国", "wu.jianguo@zhongjian-demo.cn", "13800138010", "总承包商 安全总监（施工企业）"),
];

/// Loads the demo people; returns their shared sign-in password. Fails (changing nothing) if any
/// of them exists already.
pub fn load(db: &Db, config: &Config) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let password = format!("Gz-{}", random_token(9));
    let hashing = PasswordHashing::new(config).map_err(|e| e.to_string())?;
    let at = now();
    let mut people = Vec::new();
    for (name, email, phone, _) in DEMO_PEOPLE {
        people.push(User {
            id: new_id(),
            email: Some((*email).to_owned()),
            phone: Some((*phone).to_owned()),
            email_verified_at: Some(at),
            phone_verified_at: Some(at),
            password_hash: hashing.hash(&password).map_err(|e| e.to_string())?,
            display_name: (*name).to_owned(),
            totp_secret_enc: None,
            totp_enabled: false,
            totp_last_step: None,
            privacy_policy_version: crate::accounts::PRIVACY_POLICY_VERSION.into(),
            privacy_accepted_at: at,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        });
    }
    let mut conn = db.get()?;
    write_tx(&mut conn, |c| {
        for person in &people {
            person.insert(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(password)
}

/// Loads the demo people only into a database without any account.
pub fn load_if_empty(
    db: &Db,
    config: &Config,
) -> Result<Option<String>, Box<dyn std::error::Error + Send + Sync>> {
    let count: i64 = users::table.count().get_result(&mut *db.get()?)?;
    if count > 0 {
        return Ok(None);
    }
    load(db, config).map(Some)
}
