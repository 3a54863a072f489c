//! The business calendar beyond the shipped years (issue #14): a platform admin uploads a
//! year's official schedule (checked, audited, replaceable; shipped years are not), every
//! process uses it at once, and a review deadline reaching into a year without a table is
//! flagged `calendar_estimated` until that year is uploaded — then it is recomputed.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use reqwest::Method;
use serde_json::{Value, json};
use shared::domain::calendar::schedule::check_calendar_year;
use shared::domain::calendar::shanghai::business_date;
use shared::domain::calendar::{BusinessCalendar, Coverage};
use shared::dto::{CalendarDay, CalendarYearUpload};

use crate::helpers::*;

/// A 2027 schedule in the shape of the State Council's notices (a fixture, not the real one).
pub fn schedule_2027() -> Value {
    let holidays: Vec<Value> = [
        ("2027-01-01", 3, "new_years_day"),
        ("2027-02-05", 9, "spring_festival"),
        ("2027-04-03", 3, "tomb_sweeping_day"),
        ("2027-05-01", 5, "labour_day"),
        ("2027-06-09", 1, "dragon_boat_festival"),
        ("2027-09-15", 1, "mid_autumn_festival"),
        ("2027-10-01", 7, "national_day"),
    ]
    .iter()
    .flat_map(|(start, days, festival)| {
        let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").expect("date");
        (0..*days).map(move |d| json!({"date": start + Days::new(d), "festival": festival}))
    })
    .collect();
    json!({
        "reference": "国务院办公厅关于2027年部分节假日安排的通知（测试样例）",
        "holidays": holidays,
        "make_up_workdays": [
            {"date": "2027-02-20", "festival": "spring_festival"},
            {"date": "2027-04-25", "festival": "labour_day"},
            {"date": "2027-05-08", "festival": "labour_day"},
            {"date": "2027-09-25", "festival": "national_day"},
            {"date": "2027-10-09", "festival": "national_day"},
        ],
    })
}

pub async fn put(app: &TestApp, year: i32, body: &Value, token: &str) -> reqwest::Response {
    let url = app.api(&format!("/staff/calendar-years/{year}"));
    app.client.put(url).bearer_auth(token).json(body).send().await.expect("request")
}

fn years(list: &Value) -> Vec<(i64, String)> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|y| (y["year"].as_i64().expect("year"), y["source"].as_str().expect("source").to_owned()))
        .collect()
}

async fn newest_audit_action(app: &TestApp, admin: &str) -> Value {
    json_of(app.get("/staff/audit?limit=1", Some(admin)).await, 200).await["items"][0].clone()
}

#[tokio::test]
async fn an_admin_uploads_a_year_and_replaces_it_while_shipped_years_stay() {
    let app = spawn_app().await;
    let admin = app.staff_member("admin@gongzhu.test", &["admin"]).await;
    let operator = app.staff_member("operator@gongzhu.test", &["operator"]).await;
    let outsider = app.register("someone@example.com").await.access_token;

    let list = json_of(app.get("/staff/calendar-years", Some(&operator)).await, 200).await;
    let shipped: Vec<(i64, String)> = [2024, 2025, 2026].map(|y| (y, "shipped".to_owned())).into();
    assert_eq!(years(&list), shipped);
    assert_eq!(list["items"][2]["holiday_count"], 33);
    assert_eq!(list["items"][2]["make_up_workday_count"], 6);
    assert!(list["items"][2].get("uploaded_at").is_none(), "{list}");
    assert_eq!(list["earliest_uploadable_year"], 2020);
    let this_year = i64::from(business_date(Utc::now()).year());
    assert_eq!(list["latest_uploadable_year"], this_year + 2);
    assert_error(app.get("/staff/calendar-years", Some(&outsider)).await, 403, "forbidden").await;

    // Only admins upload.
    assert_error(put(&app, 2027, &schedule_2027(), &operator).await, 403, "forbidden").await;
    assert_error(put(&app, 2027, &schedule_2027(), &outsider).await, 403, "forbidden").await;
    assert_eq!(app.count("calendar_years"), 0);

    // Invalid schedules are refused with the fields at fault, and nothing is stored.
    let audit_entries = app.count("audit_log");
    let mut invalid = schedule_2027();
    invalid["holidays"][1]["date"] = json!("2027-01-01");
    invalid["holidays"][2]["date"] = json!("2028-01-03");
    invalid["make_up_workdays"][0]["date"] = json!("2027-02-22");
    invalid["make_up_workdays"][1]["date"] = json!("2027-10-02");
    let body = assert_error(put(&app, 2027, &invalid, &admin).await, 422, "validation_failed").await;
    assert!(has_issue(&body, "holidays[1].date", "duplicate"), "{body:?}");
    assert!(has_issue(&body, "holidays[2].date", "outside_year"), "{body:?}");
    assert!(has_issue(&body, "make_up_workdays[0].date", "not_a_weekend"), "{body:?}");
    assert!(has_issue(&body, "make_up_workdays[1].date", "also_a_holiday"), "{body:?}");
    let body = assert_error(put(&app, 2026, &schedule_2027(), &admin).await, 422, "validation_failed").await;
    assert!(has_issue(&body, "year", "shipped_year"), "{body:?}");
    let body = assert_error(put(&app, 2019, &schedule_2027(), &admin).await, 422, "validation_failed").await;
    assert!(has_issue(&body, "year", "too_early"), "{body:?}");
    let far = this_year + 3;
    let body = assert_error(
        put(&app, i32::try_from(far).expect("year"), &schedule_2027(), &admin).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&body, "year", "too_far_ahead"), "{body:?}");
    let mut empty = schedule_2027();
    empty["holidays"] = json!([]);
    empty["reference"] = json!(" ");
    let body = assert_error(put(&app, 2027, &empty, &admin).await, 422, "validation_failed").await;
    assert!(has_issue(&body, "holidays", "too_few") && has_issue(&body, "reference", "required"), "{body:?}");
    assert_eq!(app.count("calendar_years"), 0);
    assert_eq!(app.count("audit_log"), audit_entries, "a refused upload writes no audit entry");

    let resp = put(&app, 2027, &schedule_2027(), &admin).await;
    assert_eq!(resp.headers()["location"], "/api/v1/staff/calendar-years/2027");
    let created = json_of(resp, 201).await;
    assert_eq!(created["source"], "uploaded");
    assert_eq!(created["revision"], 1);
    assert_eq!(created["holiday_count"], 29);
    assert_eq!(created["make_up_workdays"][0], json!({"date": "2027-02-20", "festival": "spring_festival"}));
    assert_eq!(created["uploaded_by_name"], "张伟");
    let entry = newest_audit_action(&app, &admin).await;
    assert_eq!(entry["action"], "calendar.year_uploaded", "{entry}");
    assert_eq!(entry["subject_id"], "2027", "{entry}");

    let mut corrected = schedule_2027();
    corrected["reference"] = json!("国务院办公厅关于2027年部分节假日安排的通知（更正）");
    let replaced = json_of(put(&app, 2027, &corrected, &admin).await, 200).await;
    assert_eq!(replaced["revision"], 2);
    assert_eq!(newest_audit_action(&app, &admin).await["action"], "calendar.year_replaced");
    assert_eq!(app.count("calendar_years"), 1);

    let list = json_of(app.get("/staff/calendar-years", Some(&admin)).await, 200).await;
    let mut expected = shipped.clone();
    expected.push((2027, "uploaded".to_owned()));
    assert_eq!(years(&list), expected);
    assert_eq!(list["items"][3]["reference"], corrected["reference"]);
    assert!(list["items"][3]["uploaded_at"].is_string(), "{list}");
}

/// A valid schedule for any year: New Year, Labour Day and National Day, with the Saturday
/// after National Day as a make-up workday.
fn schedule_for(year: i32) -> CalendarYearUpload {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("date");
    let run = |m, from, to, festival| {
        (from..=to).map(move |d| CalendarDay { date: day(m, d), festival }).collect::<Vec<_>>()
    };
    use shared::domain::calendar::Festival::*;
    let mut holidays = run(1, 1, 3, NewYearsDay);
    holidays.extend(run(5, 1, 5, LabourDay));
    holidays.extend(run(10, 1, 7, NationalDay));
    let saturday =
        day(10, 8).iter_days().find(|d| d.weekday() == Weekday::Sat).expect("a Saturday after National Day");
    CalendarYearUpload {
        reference: format!("{year} 年节假日安排（测试）"),
        holidays,
        make_up_workdays: vec![CalendarDay { date: saturday, festival: NationalDay }],
    }
}

async fn demand_of(app: &TestApp, poster: &OrgAccount, id: &str) -> Value {
    let path = format!("/demands/{id}");
    json_of(app.as_org(Method::GET, &path, &poster.token, &poster.id, None).await, 200).await
}

fn due_of(demand: &Value) -> DateTime<Utc> {
    serde_json::from_value(demand["review_due_at"].clone()).expect("review_due_at")
}

#[tokio::test]
async fn a_review_deadline_in_a_year_without_a_table_is_estimated_until_the_year_is_uploaded() {
    // The clock moves weeks ahead: keep the access tokens valid that long.
    let mut app = spawn_with(Spawn { access_ttl: Some(90 * 24 * 3600), ..Spawn::default() }).await;
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let admin = app.staff_member("admin@gongzhu.test", &["admin"]).await;
    let operator = app.staff_member("operator@gongzhu.test", &["operator"]).await;
    let spec = OrgSpec::new("杭州城建集团有限公司")
        .roles(&["contractor"])
        .offering(&["steel_structure"])
        .serving(&["330000"])
        .holding("professional_contracting", "second");
    let poster = app.verified_org("poster@example.com", spec, &reviewer).await;
    let body = json!({
        "kind": "subcontracting",
        "title": "跨年钢结构分包",
        "category": "steel_structure",
        "scope": "主体钢结构制作与安装，含防腐防火涂装，须配合总包进度。",
        "budget_min_fen": 800_000_000_i64,
        "budget_max_fen": 1_200_000_000_i64,
        "region_code": "330106",
        "required_qualifications": [],
        "deadline": shanghai_date_in(90)
    });
    let created =
        json_of(app.as_org(Method::POST, "/demands", &poster.token, &poster.id, Some(&body)).await, 201)
            .await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["calendar_estimated"], false, "no deadline yet");

    // Submit on 30 December, 10:00 in Shanghai, when that is still ahead.
    let now = Utc::now();
    let turn = Utc.with_ymd_and_hms(business_date(now).year(), 12, 30, 2, 0, 0).single().expect("instant");
    if turn > now {
        app.advance_clock((turn - now).num_seconds()).await;
    }
    let path = format!("/demands/{id}/submission");
    let submitted =
        json_of(app.as_org(Method::POST, &path, &poster.token, &poster.id, None).await, 200).await;
    assert_eq!(submitted["status"], "pending_review");
    let submitted_at: DateTime<Utc> =
        serde_json::from_value(submitted["submitted_at"].clone()).expect("submitted_at");
    let estimated = BusinessCalendar::official().business_deadline(submitted_at, 2).expect("deadline");
    assert_eq!(estimated.coverage, Coverage::WeekendsOnly);
    assert_eq!(due_of(&submitted), estimated.value);
    assert_eq!(submitted["calendar_estimated"], true, "{submitted}");
    let queue = json_of(app.get("/staff/demand-reviews", Some(&operator)).await, 200).await;
    assert_eq!(queue["items"][0]["calendar_estimated"], true);

    // The admin uploads the year the deadline falls in; the deadline is recomputed at once.
    let year = business_date(estimated.value).year();
    let upload = if year == 2027 {
        serde_json::from_value(schedule_2027()).expect("upload")
    } else {
        schedule_for(year)
    };
    let today = business_date(submitted_at);
    let file = check_calendar_year(year, &upload, today).expect("a valid schedule");
    let official = BusinessCalendar::official().with_years([file]).expect("calendar");
    let expected = official.business_deadline(submitted_at, 2).expect("deadline");
    assert_eq!(expected.coverage, Coverage::Official);
    json_of(put(&app, year, &serde_json::to_value(&upload).expect("json"), &admin).await, 201).await;
    let entry = newest_audit_action(&app, &admin).await;
    assert_eq!(entry["action"], "calendar.year_uploaded");

    let after = demand_of(&app, &poster, &id).await;
    assert_eq!(after["calendar_estimated"], false, "{after}");
    assert_eq!(due_of(&after), expected.value);
    if turn > now && year == 2027 {
        // Thursday 31 December is the first business day; 1–3 January are the New Year holiday.
        assert_eq!(due_of(&submitted), Utc.with_ymd_and_hms(2027, 1, 1, 16, 0, 0).single().expect("t"));
        assert_eq!(due_of(&after), Utc.with_ymd_and_hms(2027, 1, 4, 16, 0, 0).single().expect("t"));
    }
    let queue = json_of(app.get("/staff/demand-reviews", Some(&operator)).await, 200).await;
    assert_eq!(queue["items"][0]["review_due_at"], after["review_due_at"]);
    assert_eq!(queue["items"][0]["calendar_estimated"], false);

    // Another process (here: the server started again) reads the uploaded year from the database.
    app.restart().await;
    let list = json_of(app.get("/staff/calendar-years", Some(&admin)).await, 200).await;
    assert!(years(&list).contains(&(i64::from(year), "uploaded".to_owned())), "{list}");
    let again = demand_of(&app, &poster, &id).await;
    assert_eq!(again["calendar_estimated"], false);
    assert_eq!(again["review_due_at"], after["review_due_at"]);
}
