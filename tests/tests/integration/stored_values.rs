//! Stored enums are typed columns: the API reads `DualControlAction`, `StaffRequestStatus`,
//! `JobStatus` … straight from the row, and a value that is not one of the enum's is an error
//! naming the column and the value — never a silent default (issue #14, item 5). Written with the
//! typed test client.

use diesel::prelude::*;
use shared::dto::{
    CreateStaffRequest, DualControlAction, JobStatus, StaffDecisionRequest, StaffProfile, StaffRequest,
    StaffRequestList, StaffRequestStatus, StaffRole,
};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_dual_control_request_round_trips_through_typed_columns() {
    let app = spawn_app().await;
    let first = app.staff_member("typed-admin1@example.com", &["admin"]).await;
    let second = app.staff_member("typed-admin2@example.com", &["admin"]).await;
    let candidate = app.register("typed-candidate@example.com").await;
    let ask = CreateStaffRequest {
        action: DualControlAction::GrantRole,
        target_user_id: Some(candidate.user.id.clone()),
        role: Some(StaffRole::Mediator),
        org_id: None,
        contract_id: None,
        milestone: None,
        grade: None,
        reason: "新任调解员".into(),
    };
    let created: StaffRequest = app.as_(&first).post("/staff/requests", &ask).await.expect("created");
    assert_eq!(
        (created.action, created.role, created.status),
        (DualControlAction::GrantRole, Some(StaffRole::Mediator), StaffRequestStatus::Pending)
    );

    let approval = format!("/staff/requests/{}/approval", created.id);
    let own = app.as_(&first).post::<_, StaffRequest>(&approval, &StaffDecisionRequest::default()).await;
    own.expect_err("the requester cannot approve").assert(403, "forbidden");
    let approved: StaffRequest = app
        .as_(&second)
        .post(&approval, &StaffDecisionRequest { reason: Some("核实无误".into()) })
        .await
        .expect("approved");
    assert_eq!(approved.status, StaffRequestStatus::Executed);
    let standing: StaffProfile = app.as_(&candidate.access_token).get("/staff/me").await.expect("standing");
    assert_eq!(standing.roles, vec![StaffRole::Mediator]);
    let executed: StaffRequestList =
        app.as_(&second).get("/staff/requests?status=executed").await.expect("list");
    assert!(executed.items.iter().any(|r| r.id == created.id && r.role == Some(StaffRole::Mediator)));
    app.anonymous()
        .get::<StaffRequestList>("/staff/requests")
        .await
        .expect_err("anonymous")
        .assert(401, "unauthenticated");
}

#[tokio::test]
async fn a_bad_stored_value_is_an_error_that_names_the_column_and_the_value() {
    let app = spawn_app().await;
    let admin = app.staff_member("typed-admin@example.com", &["admin"]).await;
    let target = app.register("typed-target@example.com").await;
    let ask = CreateStaffRequest {
        action: DualControlAction::GrantRole,
        target_user_id: Some(target.user.id.clone()),
        role: Some(StaffRole::Reviewer),
        org_id: None,
        contract_id: None,
        milestone: None,
        grade: None,
        reason: "审核员".into(),
    };
    let created: StaffRequest = app.as_(&admin).post("/staff/requests", &ask).await.expect("created");
    app.sql(&format!(
        "UPDATE dual_control_requests SET action = 'grant_everything' WHERE id = '{}'",
        created.id
    ));

    let refused =
        app.as_(&admin).get::<StaffRequestList>("/staff/requests").await.expect_err("unreadable row");
    refused.assert(500, "internal");
    assert!(
        !refused.body.message.contains("grant_everything"),
        "internals stay in the log: {:?}",
        refused.body
    );

    let mut conn = app.db.get().expect("conn");
    let error = api::db::models::staff::DualControlRow::list(&mut conn, None).expect_err("bad value");
    let text = api::error::error_chain(&error);
    assert!(
        text.contains("dual_control_requests.action") && text.contains("grant_everything"),
        "the error names the column and the value: {text}"
    );

    app.sql(
        "INSERT INTO jobs (id, kind, payload, run_at, attempts, status, created_at) \
             VALUES ('bad-job', 'probe', '', '2026-12-01 00:00:00', 0, 'stuck', '2026-12-01 00:00:00')",
    );
    for status in JobStatus::ALL {
        let rows = api::db::models::jobs::JobRow::page(&mut conn, *status, None, 10).expect("typed page");
        assert!(rows.iter().all(|r| r.id != "bad-job"), "a filter on the typed column skips it");
    }
    let all = api::db::schema::jobs::table
        .select(api::db::models::jobs::JobRow::as_select())
        .load::<api::db::models::jobs::JobRow>(&mut conn);
    let text = api::error::error_chain(&all.expect_err("an unknown status does not load"));
    assert!(text.contains("jobs.status") && text.contains("stuck"), "{text}");
}

#[tokio::test]
async fn an_organisation_is_edited_and_its_members_managed_with_typed_calls() {
    use shared::dto::{CreateOrganisationRequest, Organisation, UpdateOrganisationRequest};

    use crate::helpers::OrgSpec;

    let app = spawn_app().await;
    let owner = app.register("typed-owner@example.com").await;
    let create: CreateOrganisationRequest =
        serde_json::from_value(OrgSpec::new("类型安全建设有限公司").body()).expect("a valid request");
    let org: Organisation = app.as_(&owner.access_token).post("/orgs", &create).await.expect("created");
    let org = org.profile;

    let path = format!("/orgs/{}", org.id);
    let rename = UpdateOrganisationRequest { short_name: Some("类型建设".into()), ..Default::default() };
    let stranger = app.register("typed-stranger@example.com").await;
    app.as_(&stranger.access_token)
        .org(&org.id)
        .patch::<_, Organisation>(&path, &rename)
        .await
        .expect_err("not a member: the organisation is not shown to them")
        .assert(404, "not_found");
    let bad = UpdateOrganisationRequest { region_code: Some("999999".into()), ..Default::default() };
    let refused = app.as_(&owner.access_token).org(&org.id).patch::<_, Organisation>(&path, &bad).await;
    assert!(refused.expect_err("unknown region").names("region_code", "unknown_region"));
    let renamed: Organisation =
        app.as_(&owner.access_token).org(&org.id).patch(&path, &rename).await.expect("renamed");
    assert_eq!(renamed.profile.short_name.as_deref(), Some("类型建设"));

    let account = crate::helpers::OrgAccount {
        id: org.id.clone(),
        token: owner.access_token.clone(),
        spec: OrgSpec::new("x"),
    };
    let member = app.add_member(&account, "typed-member@example.com").await;
    let member_path = format!("/orgs/{}/members/{}", org.id, member.user.id);
    app.as_(&member.access_token)
        .org(&org.id)
        .delete(&format!("/orgs/{}/members/{}", org.id, owner.user.id))
        .await
        .expect_err("a member cannot remove the owner")
        .assert(403, "forbidden");
    app.as_(&owner.access_token).org(&org.id).delete(&member_path).await.expect("removed");
}
