//! Generated market data: verified organisations across eighteen cities, projects, listings and
//! demands in realistic Chinese, from a fixed seed (the same plan always yields the same data).
//! The demo loads a few hundred of each; `gongzhu seed` loads benchmark volumes (100,000).

use chrono::{Days, NaiveDateTime};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use shared::domain::membership::MembershipTier;
use shared::dto::{Better, ProjectStatus, ResourceParameter};

use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::db::models::projects::ProjectRow;
use crate::db::models::resources::ResourceRow;
use crate::db::{DbConn, new_id, write_tx};
use crate::market::to_json;

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct SeedPlan {
    /// Organisations (verified).
    pub organisations: usize,
    /// Projects (published, a tenth closed).
    pub projects: usize,
    /// Listings.
    pub listings: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// (district code, city name, district name, latitude, longitude).
const CITIES: &[(&str, &str, &str, f64, f64)] = &[
    ("330106", "杭州市", "西湖区", 30.26, 120.13),
    ("330108", "杭州市", "滨江区", 30.21, 120.21),
    ("310115", "上海市", "浦东新区", 31.22, 121.54),
    ("320102", "南京市", "玄武区", 32.05, 118.80),
    ("440305", "深圳市", "南山区", 22.53, 113.93),
    ("110105", "北京市", "朝阳区", 39.92, 116.44),
    ("510107", "成都市", "武侯区", 30.64, 104.04),
    ("420106", "武汉市", "武昌区", 30.55, 114.32),
    ("610113", "西安市", "雁塔区", 34.21, 108.95),
    ("370202", "青岛市", "市南区", 36.07, 120.38),
    ("350203", "厦门市", "思明区", 24.45, 118.08),
    ("430104", "长沙市", "岳麓区", 28.23, 112.93),
    ("500103", "重庆市", "渝中区", 29.55, 106.57),
    ("120101", "天津市", "和平区", 39.12, 117.20),
    ("340104", "合肥市", "蜀山区", 31.85, 117.26),
    ("410105", "郑州市", "金水区", 34.80, 113.66),
    ("210102", "沈阳市", "和平区", 41.79, 123.40),
    ("530102", "昆明市", "五华区", 25.04, 102.70),
];

/// An organisation profile: (name word, roles, categories).
type Trade = (&'static str, &'static [&'static str], &'static [&'static str]);
/// A result of generation.
type SeedResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
/// A demand poster: organisation id and home district.
pub type Poster = (String, String);

/// Organisation profiles.
const TRADES: &[Trade] = &[
    ("建工集团", &["contractor"], &["building_construction", "municipal_roads", "foundation"]),
    ("市政工程", &["contractor", "subcontractor"], &["municipal_roads", "earthworks", "pipes_valves"]),
    ("路桥建设", &["contractor"], &["highway", "municipal_roads", "earthworks"]),
    ("钢结构", &["subcontractor"], &["steel_structure", "steel"]),
    ("机电安装", &["subcontractor"], &["mep_installation", "fire_protection", "electrical_materials"]),
    ("劳务", &["subcontractor"], &["labour_subcontracting", "rebar_works", "formwork"]),
    ("钢铁贸易", &["supplier"], &["steel"]),
    ("商品混凝土", &["supplier"], &["ready_mix_concrete", "aggregates"]),
    ("水泥", &["supplier"], &["cement", "masonry"]),
    ("管业", &["supplier"], &["pipes_valves"]),
    ("电缆", &["supplier"], &["electrical_materials"]),
    ("机械租赁", &["supplier"], &["machinery_rental", "tower_cranes", "scaffolding"]),
    ("装饰工程", &["subcontractor"], &["fit_out"]),
    ("建筑设计研究院", &["designer"], &["architectural_design", "structural_design"]),
    ("工程咨询", &["designer"], &["cost_consulting", "supervision"]),
    ("水利水电", &["contractor"], &["water_conservancy", "earthworks"]),
];

const NAME_PREFIXES: &[&str] = &[
    "华", "中", "宏", "鼎", "恒", "金", "隆", "盛", "东", "瑞", "安", "永", "德", "正", "明", "新", "信",
    "诚",
];
const NAME_SECONDS: &[&str] = &[
    "泰", "建", "达", "兴", "通", "远", "联", "信", "业", "成", "晟", "磊", "基", "筑", "邦", "源", "旭",
    "峰",
];

/// Project name patterns: (type, pattern pieces).
const PROJECT_KINDS: &[(&str, &[&str])] = &[
    (
        "municipal",
        &[
            "市政道路改造工程",
            "雨污分流改造工程",
            "综合管廊建设工程",
            "道路提升及配套工程",
            "老旧小区改造工程",
        ],
    ),
    (
        "housing",
        &["安置房建设项目", "人才公寓工程", "中学新建工程", "人民医院门诊楼工程", "产业园标准厂房项目"],
    ),
    ("highway", &["快速路建设工程", "国道改建工程", "互通立交工程", "高速公路连接线工程"]),
    ("water", &["河道综合整治工程", "水厂扩建工程", "堤防加固工程", "泵站改造工程"]),
    ("power", &["110千伏变电站工程", "光伏电站建设项目", "配电网改造工程"]),
    ("fit_out", &["办公楼装修工程", "酒店精装修工程", "地铁站装饰装修工程"]),
];
const PLACES: &[&str] =
    &["滨江", "城东", "城西", "高新区", "经开区", "新城", "北部", "南湖", "临空", "科创园"];
const TAGS: &[&str] =
    &["EPC", "PPP", "装配式", "绿色建筑", "政府投资", "BIM", "智慧工地", "海绵城市", "城市更新"];

/// Listing templates: (category, kind, name, unit, price range yuan, parameters).
#[expect(clippy::type_complexity, reason = "a literal table")]
const LISTINGS: &[(&str, &str, &str, &str, (i64, i64), &[(&str, (f64, f64), &str, Option<Better>)])] = &[
    (
        "steel",
        "material",
        "HRB400E 螺纹钢 Φ16",
        "吨",
        (3600, 4300),
        &[
            ("屈服强度", (400.0, 460.0), "MPa", Some(Better::Higher)),
            ("理论重量", (1.55, 1.60), "kg/m", None),
        ],
    ),
    (
        "steel",
        "material",
        "Q235B 热轧H型钢",
        "吨",
        (3900, 4600),
        &[("屈服强度", (235.0, 260.0), "MPa", Some(Better::Higher))],
    ),
    (
        "ready_mix_concrete",
        "material",
        "C30 商品混凝土",
        "立方米",
        (380, 520),
        &[("抗压强度", (30.0, 34.0), "MPa", Some(Better::Higher)), ("坍落度", (160.0, 200.0), "mm", None)],
    ),
    (
        "ready_mix_concrete",
        "material",
        "C40 抗渗商品混凝土",
        "立方米",
        (450, 600),
        &[
            ("抗压强度", (40.0, 45.0), "MPa", Some(Better::Higher)),
            ("抗渗等级", (6.0, 10.0), "P", Some(Better::Higher)),
        ],
    ),
    (
        "cement",
        "material",
        "P.O 42.5 普通硅酸盐水泥",
        "吨",
        (380, 520),
        &[
            ("28天抗压强度", (42.5, 50.0), "MPa", Some(Better::Higher)),
            ("细度", (2.0, 6.0), "%", Some(Better::Lower)),
        ],
    ),
    (
        "aggregates",
        "material",
        "机制砂 中砂",
        "吨",
        (60, 120),
        &[("细度模数", (2.3, 3.0), "", None), ("含泥量", (1.0, 5.0), "%", Some(Better::Lower))],
    ),
    (
        "pipes_valves",
        "material",
        "球墨铸铁管 DN300",
        "米",
        (280, 420),
        &[
            ("壁厚", (6.0, 8.0), "mm", Some(Better::Higher)),
            ("工作压力", (1.0, 2.5), "MPa", Some(Better::Higher)),
        ],
    ),
    (
        "electrical_materials",
        "material",
        "YJV-3×185+1×95 电力电缆",
        "米",
        (320, 460),
        &[("额定电压", (0.6, 1.0), "kV", None), ("导体电阻", (0.09, 0.11), "Ω/km", Some(Better::Lower))],
    ),
    (
        "tower_cranes",
        "machinery_rental",
        "QTZ80 塔式起重机租赁",
        "台·月",
        (18000, 32000),
        &[
            ("最大起重量", (6.0, 8.0), "t", Some(Better::Higher)),
            ("臂长", (50.0, 60.0), "m", Some(Better::Higher)),
        ],
    ),
    (
        "machinery_rental",
        "machinery_rental",
        "25吨汽车起重机租赁",
        "台班",
        (1800, 2800),
        &[("额定起重量", (25.0, 25.0), "t", Some(Better::Higher))],
    ),
    (
        "machinery_rental",
        "machinery_rental",
        "PC200 挖掘机租赁",
        "台班",
        (1200, 1900),
        &[
            ("斗容", (0.8, 1.0), "m³", Some(Better::Higher)),
            ("油耗", (14.0, 20.0), "L/h", Some(Better::Lower)),
        ],
    ),
    ("scaffolding", "equipment", "盘扣式脚手架", "吨·天", (8, 15), &[("立杆直径", (48.0, 60.0), "mm", None)]),
    (
        "labour_subcontracting",
        "labour",
        "木工班组（30人）",
        "人·天",
        (350, 520),
        &[("班组人数", (20.0, 40.0), "人", Some(Better::Higher))],
    ),
    (
        "rebar_works",
        "labour",
        "钢筋工班组",
        "吨",
        (600, 900),
        &[("月产能", (300.0, 800.0), "吨", Some(Better::Higher))],
    ),
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).unwrap_or(&items[0])
}

/// Counts of what was inserted.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    /// Organisations.
    pub organisations: usize,
    /// Projects.
    pub projects: usize,
    /// Listings.
    pub listings: usize,
}

/// Inserts the plan's data, owned by `owner` (a user id), in batches of 5,000 rows per
/// transaction. USCCs are derived from `serial_base` so repeated loads do not collide.
pub fn seed(
    conn: &mut DbConn,
    owner: &str,
    plan: SeedPlan,
    serial_base: u32,
    at: NaiveDateTime,
) -> SeedResult<(Seeded, Vec<Poster>)> {
    const BATCH: usize = 5_000;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let mut organisations: Vec<(String, usize, &'static Trade)> = Vec::new();
    let mut seeded = Seeded::default();
    while seeded.organisations < plan.organisations {
        let batch = (plan.organisations - seeded.organisations).min(BATCH);
        write_tx(conn, |c| {
            for _ in 0..batch {
                let i = seeded.organisations;
                let city_index = rng.gen_range(0..CITIES.len());
                let (code, city, district, lat, lng) = CITIES[city_index];
                let trade = pick(&mut rng, TRADES);
                let serial = serial_base + u32::try_from(i).unwrap_or(u32::MAX);
                let uscc = shared::domain::identity::Uscc::complete(&format!("91{code}M{serial:08}"))
                    .map_err(|e| e.to_string())?;
                let short = format!(
                    "{}{}{}",
                    city.trim_end_matches('市'),
                    pick(&mut rng, NAME_PREFIXES),
                    pick(&mut rng, NAME_SECONDS)
                );
                let tier = match rng.gen_range(0..100) {
                    0..60 => MembershipTier::New,
                    60..80 => MembershipTier::Regular,
                    80..95 => MembershipTier::Certified,
                    _ => MembershipTier::Vip,
                };
                let (score, grade) = match rng.gen_range(0..100) {
                    0..40 => (None, None),
                    40..45 => (Some(55.0), Some("c")),
                    45..65 => (Some(rng.gen_range(70.0..80.0)), Some("a")),
                    65..90 => (Some(rng.gen_range(80.0..90.0)), Some("aa")),
                    _ => (Some(rng.gen_range(90.0..98.0)), Some("aaa")),
                };
                let mut served = vec![format!("{}0000", &code[..2])];
                let extra = rng.gen_range(5..10);
                for (other, ..) in CITIES.choose_multiple(&mut rng, extra) {
                    let province = format!("{}0000", &other[..2]);
                    if !served.contains(&province) {
                        served.push(province);
                    }
                }
                let row = OrganisationRow {
                    id: new_id(),
                    name: format!("{short}{}有限公司", trade.0),
                    short_name: Some(short),
                    uscc: uscc.as_str().into(),
                    roles: to_json(&trade.1),
                    region_code: code.into(),
                    address: Some(format!(
                        "{city}{district}{}路{}号",
                        pick(&mut rng, PLACES),
                        rng.gen_range(1..999)
                    )),
                    latitude: Some(lat + rng.gen_range(-0.08..0.08)),
                    longitude: Some(lng + rng.gen_range(-0.08..0.08)),
                    contact_name: None,
                    contact_phone: None,
                    contact_email: None,
                    categories: to_json(&trade.2),
                    regions_served: to_json(&served),
                    declared_capacity_fen: Some(rng.gen_range(5_000_000..500_000_000) * 100),
                    verification_status: shared::dto::VerificationStatus::Verified,
                    suspended_at: None,
                    created_by: owner.into(),
                    created_at: at,
                    updated_at: at,
                    suspension_reason: None,
                    membership_tier: tier,
                    credit_score: score,
                    credit_grade: grade.map(Into::into),
                };
                row.insert(c)?;
                MembershipRow {
                    id: new_id(),
                    org_id: row.id.clone(),
                    user_id: owner.into(),
                    role: shared::dto::MemberRole::Owner,
                    created_at: at,
                }
                .insert(c)?;
                organisations.push((row.id, city_index, trade));
                seeded.organisations += 1;
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })?;
    }
    let contractors: Vec<&(String, usize, _)> =
        organisations.iter().filter(|o| o.2.1.contains(&"contractor")).collect();
    let suppliers: Vec<&(String, usize, _)> = organisations
        .iter()
        .filter(|o| !o.2.1.contains(&"contractor") && !o.2.1.contains(&"designer"))
        .collect();
    while seeded.projects < plan.projects && !contractors.is_empty() {
        let batch = (plan.projects - seeded.projects).min(BATCH);
        write_tx(conn, |c| {
            for _ in 0..batch {
                let (org_id, city_index, _) = *pick(&mut rng, &contractors);
                let (code, city, district, lat, lng) = CITIES[*city_index];
                let (kind, names) = pick(&mut rng, PROJECT_KINDS);
                let place = pick(&mut rng, PLACES);
                let name = format!("{city}{district}{place}{}", pick(&mut rng, names));
                let tag_count = rng.gen_range(1..4);
                let mut tags: Vec<&str> = TAGS.choose_multiple(&mut rng, tag_count).copied().collect();
                tags.sort_unstable();
                let investment = rng.gen_range(500..200_000) * 1_000_000;
                let closed = rng.gen_range(0..10) == 0;
                let created = at - Days::new(rng.gen_range(0..180));
                let row = ProjectRow {
                    id: new_id(),
                    org_id: org_id.clone(),
                    description: format!(
                        "{name}位于{city}{district}{place}片区，总投资约{}万元，建设内容包括主体工程、配套管网及附属设施。本项目采用公开招标方式选择施工及材料供应单位，欢迎具备相应资质的企业参与。",
                        investment / 1_000_000
                    ),
                    name,
                    project_type: kind.parse()?,
                    investment_fen: investment,
                    region_code: code.into(),
                    address: Some(format!("{city}{district}{place}")),
                    latitude: Some(lat + rng.gen_range(-0.1..0.1)),
                    longitude: Some(lng + rng.gen_range(-0.1..0.1)),
                    tags: to_json(&tags),
                    tender_files: "[]".into(),
                    status: if closed { ProjectStatus::Closed } else { ProjectStatus::Published },
                    created_by: owner.into(),
                    created_at: created,
                    updated_at: created,
                    published_at: Some(created),
                    closed_at: closed.then_some(at),
                };
                row.insert(c)?;
                seeded.projects += 1;
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })?;
    }
    while seeded.listings < plan.listings && !suppliers.is_empty() {
        let batch = (plan.listings - seeded.listings).min(BATCH);
        write_tx(conn, |c| {
            for _ in 0..batch {
                let (org_id, city_index, trade) = *pick(&mut rng, &suppliers);
                let fitting: Vec<_> = LISTINGS.iter().filter(|l| trade.2.contains(&l.0)).collect();
                let (category, kind, name, unit, (low, high), parameters) =
                    if fitting.is_empty() { &LISTINGS[0] } else { *pick(&mut rng, &fitting) };
                let (code, ..) = CITIES[*city_index];
                let parameters: Vec<ResourceParameter> = parameters
                    .iter()
                    .map(|(p, (lo, hi), u, better)| ResourceParameter {
                        name: (*p).into(),
                        value: format!("{:.1}", if lo < hi { rng.gen_range(*lo..*hi) } else { *lo }),
                        unit: (!u.is_empty()).then(|| (*u).into()),
                        better: *better,
                    })
                    .collect();
                let created = at - Days::new(rng.gen_range(0..90));
                let row = ResourceRow {
                    id: new_id(),
                    org_id: org_id.clone(),
                    kind: kind.parse()?,
                    category: (*category).into(),
                    name: (*name).into(),
                    description: format!("{name}，货源稳定，可提供质保资料及检测报告，支持送货到场。"),
                    parameters: to_json(&parameters),
                    unit_price_fen: rng.gen_range(*low..=*high) * 100,
                    unit: (*unit).into(),
                    stock: (*kind == "material").then(|| rng.gen_range(100..20_000)),
                    availability: (*kind != "material").then(|| format!("{}日内可进场", rng.gen_range(1..8))),
                    regions_served: to_json(&[format!("{}0000", &code[..2])]),
                    lead_time_days: rng.gen_range(1..30),
                    tags: to_json(&[pick(&mut rng, &["现货", "厂家直供", "可开专票", "含运费"])]),
                    listed: true,
                    created_by: owner.into(),
                    created_at: created,
                    updated_at: created,
                };
                row.insert(c)?;
                seeded.listings += 1;
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })?;
    }
    let contractor_ids =
        contractors.iter().map(|(id, city, _)| (id.clone(), CITIES[*city].0.to_owned())).collect();
    Ok((seeded, contractor_ids))
}

/// A demand template: (kind, category, title, scope, budget range in ten-thousand yuan).
type DemandTemplate = (&'static str, &'static str, &'static str, &'static str, (i64, i64));

/// Demand templates.
const DEMANDS: &[DemandTemplate] = &[
    (
        "procurement",
        "steel",
        "螺纹钢采购",
        "HRB400E 螺纹钢 Φ12–Φ25，约1200吨，分批送货到场，附质保书及复试报告。",
        (300, 600),
    ),
    (
        "procurement",
        "ready_mix_concrete",
        "商品混凝土供应",
        "C30/C35 商品混凝土约8000立方米，泵送，24小时供应保障。",
        (250, 500),
    ),
    ("procurement", "cement", "水泥采购", "P.O 42.5 散装水泥约3000吨，按周计划供货。", (100, 200)),
    (
        "procurement",
        "pipes_valves",
        "球墨铸铁管采购",
        "DN300–DN600 球墨铸铁管约6公里及配套管件阀门。",
        (400, 900),
    ),
    (
        "procurement",
        "electrical_materials",
        "电力电缆采购",
        "YJV 系列电力电缆约20公里，含检测报告。",
        (300, 700),
    ),
    (
        "subcontracting",
        "labour_subcontracting",
        "主体结构劳务分包",
        "主体结构木工、钢筋工、混凝土工劳务分包，高峰期约150人。",
        (500, 1500),
    ),
    (
        "subcontracting",
        "steel_structure",
        "钢结构制作安装分包",
        "钢结构厂房约4500吨制作、运输及安装。",
        (1500, 3500),
    ),
    (
        "subcontracting",
        "mep_installation",
        "机电安装工程分包",
        "给排水、电气、暖通及消防系统安装。",
        (800, 2500),
    ),
    (
        "subcontracting",
        "municipal_roads",
        "道路工程专业分包",
        "道路路基、路面及附属工程施工，全长约2.3公里。",
        (2000, 6000),
    ),
    (
        "procurement",
        "machinery_rental",
        "施工机械租赁",
        "25吨汽车起重机2台、PC200 挖掘机4台，租期约6个月。",
        (80, 200),
    ),
];

/// Creates published demands from `posters` (organisation id, home district) and runs matching
/// for each, inviting the recommended organisations as a real publication would.
pub fn demands(
    conn: &mut DbConn,
    posters: &[Poster],
    count: usize,
    owner: &str,
    seed: u64,
    at: NaiveDateTime,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    use crate::db::models::demands::DemandRow;
    let mut rng = StdRng::seed_from_u64(seed);
    let pool = crate::routes::demands::matching::CandidatePool::load(conn)?;
    let mut made = 0;
    while made < count && !posters.is_empty() {
        let (org_id, district) = pick(&mut rng, posters).clone();
        let (kind, category, title, scope, (low, high)) = *pick(&mut rng, DEMANDS);
        let city = CITIES.iter().find(|c| c.0 == district).map_or("", |c| c.1);
        let min = rng.gen_range(low..high) * 1_000_000;
        let created = at - Days::new(rng.gen_range(0..30));
        let mut row = DemandRow {
            id: new_id(),
            org_id,
            kind: kind.parse()?,
            title: format!("{city}{}{title}", pick(&mut rng, PLACES)),
            category: category.into(),
            scope: scope.into(),
            quantity: None,
            budget_min_fen: min,
            budget_max_fen: min + min / 4,
            region_code: district,
            required_qualifications: "[]".into(),
            deadline: at.date() + Days::new(rng.gen_range(10..60)),
            files: "[]".into(),
            project_id: None,
            status: shared::dto::DemandStatus::Draft,
            submitted_at: Some(created),
            review_due_at: None,
            reviewed_by: None,
            reviewed_at: None,
            rejection_reason: None,
            published_at: None,
            match_summary: None,
            created_by: owner.into(),
            created_at: created,
            updated_at: created,
        };
        write_tx(conn, |c| {
            row.insert(c)?;
            let published =
                crate::routes::demands::service::publish(c, &mut row, &pool).map_err(|e| format!("{e:?}"))?;
            row.save(c)?;
            for org in published.invited {
                pool.record_invitation(&org, false);
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })?;
        made += 1;
    }
    Ok(made)
}

/// An owner account for generated organisations: it cannot sign in (its password is random
/// and never shown).
pub fn owner_account(
    conn: &mut DbConn,
    name: &str,
    at: NaiveDateTime,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    use crate::db::models::users::User;
    // Not a password hash at all: no password can ever match it.
    let disabled = format!("!disabled-{}", crate::auth::crypto::random_token(16));
    let user = User::new_account(None, None, disabled, name.into(), at);
    write_tx(conn, |c| user.insert(c))?;
    Ok(user.id)
}
