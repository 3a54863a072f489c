//! Demo data: realistic people and organisations of all five business roles. The demo password
//! is random per load and printed once — there is no default password anywhere. Demo
//! organisations are loaded as already verified so the public directory has something to show;
//! real organisations are verified by reviewers. Around them, [`crate::ops::seed`] generates 120
//! more organisations, 300 projects, 300 listings and 200 published demands with their
//! recommendations and invitations, and [`crate::ops::demo_community`] a lively cost-engineer group.

use diesel::prelude::*;

use crate::auth::crypto::random_token;
use crate::auth::password::PasswordHashing;
use crate::config::Config;
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
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

/// Demo organisations: (name, short name, roles, region, serial, categories, regions served,
/// members as (index into [`DEMO_PEOPLE`], role)).
#[expect(clippy::type_complexity, reason = "a literal table of demo rows")]
pub const DEMO_ORGANISATIONS: &[(&str, &str, &[&str], &str, u32, &[&str], &[&str], &[(usize, &str)])] = &[
    (
        "中建华东建设集团有限公司",
        "中建华东",
        &["contractor"],
        "310115",
        1,
        &["building_construction", "municipal_roads"],
        &["310000", "320000", "330000"],
        &[(0, "owner"), (1, "admin"), (9, "member")],
    ),
    (
        "华东劳务分包有限公司",
        "华东劳务",
        &["subcontractor"],
        "320505",
        2,
        &["labour_subcontracting", "rebar_works"],
        &["320000", "310000"],
        &[(2, "owner")],
    ),
    (
        "江南钢材贸易有限公司",
        "江南钢贸",
        &["supplier"],
        "330106",
        3,
        &["steel", "ready_mix_concrete"],
        &["330000", "310000", "320000"],
        &[(3, "owner"), (4, "member")],
    ),
    (
        "上海现代建筑设计研究院有限公司",
        "现代设计",
        &["designer"],
        "310101",
        4,
        &["architectural_design", "structural_design", "cost_consulting"],
        &["310000"],
        &[(5, "owner"), (6, "member")],
    ),
    (
        "建材供应链金融服务（深圳）有限公司",
        "建材金服",
        &["financier"],
        "440305",
        5,
        &["receivables_financing", "order_financing"],
        &["440000", "310000"],
        &[(7, "owner")],
    ),
    (
        "西南机电安装工程有限公司",
        "西南机电",
        &["subcontractor", "supplier"],
        "510107",
        6,
        &["mep_installation", "fire_protection"],
        &["510000", "500000"],
        &[(8, "owner")],
    ),
];

fn demo_organisations(
    people: &[User],
    at: chrono::NaiveDateTime,
) -> Result<Vec<(OrganisationRow, Vec<MembershipRow>)>, String> {
    DEMO_ORGANISATIONS
        .iter()
        .map(|(name, short, roles, region, serial, categories, served, members)| {
            let uscc = shared::domain::identity::Uscc::complete(&format!("91{region}MA{serial:07}"))
                .map_err(|e| format!("demo USCC for {name}: {e}"))?;
            let owner = &people[members[0].0];
            let row = OrganisationRow {
                id: new_id(),
                name: (*name).into(),
                short_name: Some((*short).into()),
                uscc: uscc.as_str().into(),
                roles: serde_json::to_string(roles).map_err(|e| e.to_string())?,
                region_code: (*region).into(),
                address: shared::gb2260::full_name(region),
                latitude: None,
                longitude: None,
                contact_name: Some(owner.display_name.clone()),
                contact_phone: owner.phone.clone(),
                contact_email: owner.email.clone(),
                categories: serde_json::to_string(categories).map_err(|e| e.to_string())?,
                regions_served: serde_json::to_string(served).map_err(|e| e.to_string())?,
                declared_capacity_fen: Some(i64::from(*serial) * 5_000_000_000),
                verification_status: shared::dto::VerificationStatus::Verified,
                suspended_at: None,
                created_by: owner.id.clone(),
                created_at: at,
                updated_at: at,
                suspension_reason: None,
                membership_tier: shared::domain::membership::MembershipTier::New,
                credit_score: None,
                credit_grade: None,
            };
            let memberships = members
                .iter()
                .map(|(person, role)| {
                    Ok(MembershipRow {
                        id: new_id(),
                        org_id: row.id.clone(),
                        user_id: people[*person].id.clone(),
                        role: role.parse().map_err(|e: shared::stored::UnknownValue| e.to_string())?,
                        created_at: at,
                    })
                })
                .collect::<Result<_, String>>()?;
            Ok((row, memberships))
        })
        .collect()
}

/// Loads the demo people and organisations; returns the people's shared sign-in password. Fails (changing nothing) if any
/// of them exists already.
pub fn load(db: &Db, config: &Config) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let password = format!("Gz-{}", random_token(9));
    let hashing = PasswordHashing::new(config).map_err(|e| e.to_string())?;
    let at = now();
    let mut people = Vec::new();
    for (name, email, phone, _) in DEMO_PEOPLE {
        let hash = hashing.hash(&password).map_err(|e| e.to_string())?;
        let contacts = (Some((*email).to_owned()), Some((*phone).to_owned()));
        people.push(User {
            email_verified_at: Some(at),
            phone_verified_at: Some(at),
            ..User::new_account(contacts.0, contacts.1, hash, (*name).to_owned(), at)
        });
    }
    let organisations = demo_organisations(&people, at)?;
    let mut conn = db.get()?;
    write_tx(&mut conn, |c| {
        for person in &people {
            person.insert(c)?;
        }
        for (organisation, members) in &organisations {
            organisation.insert(c)?;
            for member in members {
                member.insert(c)?;
            }
        }
        crate::ops::demo_community::load(c, &people, at)?;
        Ok::<_, diesel::result::Error>(())
    })?;
    load_market(&mut conn, &organisations, at)?;
    load_tenders(&mut conn, config, &people, &organisations, at)?;
    Ok(password)
}

/// Generated organisations, projects, listings and demands around the demo organisations.
/// The first demo contractor is Certified, so its demands publish without review.
fn load_market(
    conn: &mut crate::db::DbConn,
    organisations: &[(OrganisationRow, Vec<MembershipRow>)],
    at: chrono::NaiveDateTime,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use crate::db::schema::organisations as orgs;
    let contractor = &organisations[0].0;
    diesel::update(orgs::table.find(&contractor.id))
        .set(orgs::membership_tier.eq(shared::domain::membership::MembershipTier::Certified))
        .execute(conn)?;
    let owner = crate::ops::seed::owner_account(conn, "共筑演示数据", at)?;
    let plan = crate::ops::seed::SeedPlan { organisations: 120, projects: 300, listings: 300, seed: 2026 };
    let (_, mut posters) = crate::ops::seed::seed(conn, &owner, plan, 100, at)?;
    posters.push((contractor.id.clone(), contractor.region_code.clone()));
    crate::ops::seed::demands(conn, &posters, 200, &owner, 7, at)?;
    Ok(())
}

/// The demo tenders and contracts ([`crate::ops::demo_tenders`]). Contracts are PDFs, so this
/// needs the CJK font the setup installs; without it the tenders are left out and the reason
/// is printed.
fn load_tenders(
    conn: &mut crate::db::DbConn,
    config: &Config,
    people: &[User],
    organisations: &[(OrganisationRow, Vec<MembershipRow>)],
    at: chrono::NaiveDateTime,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let path = (!config.pdf_font.as_os_str().is_empty()).then_some(config.pdf_font.as_path());
    let font = match crate::pdf::load_font(path) {
        Ok(font) => font,
        Err(error) => {
            eprintln!("demo data: no tenders or contracts ({error})");
            return Ok(());
        }
    };
    let keys = crate::auth::keys::Keys::load(config)?;
    let files = std::sync::Arc::new(crate::routes::files::service::LocalFileStore::new(
        config.data_dir.join("files"),
    ));
    let renderer = crate::routes::contracts::service::Renderer { font, files };
    let cast = crate::ops::demo_tenders::Cast {
        contractor: &organisations[0].0,
        contractor_owner: &people[0],
        steel: &organisations[2].0,
        steel_owner: &people[3],
        mep: &organisations[5].0,
        mep_owner: &people[8],
    };
    write_tx(conn, |c| crate::ops::demo_tenders::load(c, (&keys.encryption_key, &renderer), &cast, at))
        .map_err(|e| e.body().message.clone())?;
    Ok(())
}

/// Loads the demo data only into a database without any account.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_organisations_cover_all_five_roles_with_valid_codes() {
        let at = crate::db::now();
        let people: Vec<User> = DEMO_PEOPLE
            .iter()
            .map(|(name, ..)| User::new_account(None, None, String::new(), (*name).into(), at))
            .collect();
        let organisations = demo_organisations(&people, at).expect("valid demo data");
        let mut roles: Vec<String> = organisations
            .iter()
            .flat_map(|(o, _)| serde_json::from_str::<Vec<String>>(&o.roles).expect("json"))
            .collect();
        roles.sort();
        roles.dedup();
        assert_eq!(roles, ["contractor", "designer", "financier", "subcontractor", "supplier"]);
        for (organisation, members) in &organisations {
            assert!(shared::gb2260::exists(&organisation.region_code), "{}", organisation.name);
            assert_eq!(members[0].role, shared::dto::MemberRole::Owner);
            let categories: Vec<String> = serde_json::from_str(&organisation.categories).expect("json");
            assert!(categories.iter().all(|c| shared::taxonomy::category(c).is_some()), "{categories:?}");
        }
    }
}
