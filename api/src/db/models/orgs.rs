//! `organisations`, `memberships`, `invitations` and `contact_invitations` (every organisation
//! or group invitation by phone number or e-mail, kept pending until someone with that contact
//! has an account).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ContactInvitationKind, ContactInvitationStatus, MemberRole, VerificationStatus};

use crate::db::DbConn;
use crate::db::schema::{contact_invitations, invitations, memberships, organisations, users};

/// An organisation row. List fields hold JSON arrays of strings.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations)]
#[diesel(treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub uscc: String,
    pub roles: String,
    pub region_code: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub categories: String,
    pub regions_served: String,
    pub declared_capacity_fen: Option<i64>,
    pub verification_status: VerificationStatus,
    pub suspended_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub suspension_reason: Option<String>,
    /// Membership tier (`new`, `regular`, `certified`, `vip`).
    pub membership_tier: shared::domain::membership::MembershipTier,
    /// Last computed credit score, 0–100.
    pub credit_score: Option<f64>,
    /// Last computed credit grade (`aaa` … `c`); `None` until rated.
    pub credit_grade: Option<String>,
}

impl OrganisationRow {
    /// Whether it is listed in the public directory (and in search): verified, not suspended.
    pub fn in_directory(&self) -> bool {
        self.verification_status == VerificationStatus::Verified && self.suspended_at.is_none()
    }

    /// Every organisation in the public directory.
    pub fn all_in_directory(conn: &mut DbConn) -> QueryResult<Vec<OrganisationRow>> {
        organisations::table
            .filter(organisations::verification_status.eq(VerificationStatus::Verified))
            .filter(organisations::suspended_at.is_null())
            .select(OrganisationRow::as_select())
            .load(conn)
    }

    /// Ids of organisations changed at or after `since`.
    pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
        organisations::table.filter(organisations::updated_at.ge(since)).select(organisations::id).load(conn)
    }

    /// Every organisation (the matching engine's candidate pool).
    pub fn all(conn: &mut DbConn) -> QueryResult<Vec<OrganisationRow>> {
        organisations::table.select(OrganisationRow::as_select()).load(conn)
    }

    /// Suspends (`Some(reason)`) or lifts the suspension (`None`); `false` if no such organisation.
    pub fn set_suspension(
        conn: &mut DbConn,
        id: &str,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(organisations::table.find(id))
            .set((
                organisations::suspended_at.eq(reason.map(|_| at)),
                organisations::suspension_reason.eq(reason),
                organisations::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(n == 1)
    }

    /// Inserts a new organisation.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(organisations::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back. Only for rows no request can race with (seed data); requests
    /// write the columns they change ([`OrganisationRow::update_profile`],
    /// [`OrganisationRow::set_verification_status`]), so a suspension or verification decision
    /// made meanwhile is never overwritten by a stale copy.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(organisations::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// Writes the profile columns `changes` names, only while the organisation is still in
    /// `verification_status` and not suspended; `false` otherwise (a reviewer or staff acted
    /// between the caller's read and this write, so the caller must not apply stale checks).
    pub fn update_profile(
        conn: &mut DbConn,
        id: &str,
        verification_status: VerificationStatus,
        changes: &ProfileChanges,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            organisations::table
                .find(id)
                .filter(organisations::verification_status.eq(verification_status))
                .filter(organisations::suspended_at.is_null()),
        )
        .set(changes)
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Records a reviewer's decision (only this column and `updated_at`).
    pub fn set_verification_status(
        conn: &mut DbConn,
        id: &str,
        status: VerificationStatus,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(organisations::table.find(id))
            .set((organisations::verification_status.eq(status), organisations::updated_at.eq(at)))
            .execute(conn)?;
        Ok(n == 1)
    }

    /// Moves an unverified or rejected organisation to pending; `false` if it was not in one of
    /// those states (a concurrent submission won).
    pub fn claim_pending(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            organisations::table.find(id).filter(
                organisations::verification_status
                    .eq_any([VerificationStatus::Unverified, VerificationStatus::Rejected]),
            ),
        )
        .set((
            organisations::verification_status.eq(VerificationStatus::Pending),
            organisations::updated_at.eq(at),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// An organisation by id.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<OrganisationRow>> {
        organisations::table.find(id).select(OrganisationRow::as_select()).first(conn).optional()
    }

    /// The organisations with these ids (in no particular order; unknown ids are skipped).
    pub fn find_many(conn: &mut DbConn, ids: &[&str]) -> QueryResult<Vec<OrganisationRow>> {
        organisations::table
            .filter(organisations::id.eq_any(ids))
            .select(OrganisationRow::as_select())
            .load(conn)
    }

    /// Another organisation with this USCC, if any.
    pub fn uscc_taken(conn: &mut DbConn, uscc: &str, except: &str) -> QueryResult<bool> {
        let n: i64 = organisations::table
            .filter(organisations::uscc.eq(uscc))
            .filter(organisations::id.ne(except))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }

    /// A page of verified organisations in id order, after `cursor`.
    pub fn directory(
        conn: &mut DbConn,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<OrganisationRow>> {
        organisations::table
            .filter(organisations::verification_status.eq(VerificationStatus::Verified))
            .filter(organisations::suspended_at.is_null())
            .filter(organisations::id.gt(cursor.unwrap_or("")))
            .order(organisations::id.asc())
            .limit(limit)
            .select(OrganisationRow::as_select())
            .load(conn)
    }
}

/// The profile columns a PATCH changed (`None`: untouched; nullable columns nest an `Option`
/// so they can be cleared). Never the verification status, suspension, tier or credit columns.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = organisations)]
pub struct ProfileChanges {
    pub name: Option<String>,
    pub short_name: Option<Option<String>>,
    pub uscc: Option<String>,
    pub roles: Option<String>,
    pub region_code: Option<String>,
    pub address: Option<Option<String>>,
    pub latitude: Option<Option<f64>>,
    pub longitude: Option<Option<f64>>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub categories: Option<String>,
    pub regions_served: Option<String>,
    pub declared_capacity_fen: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
}

impl ProfileChanges {
    /// The columns that differ between `before` and `after`, stamped `at`.
    pub fn between(before: &OrganisationRow, after: &OrganisationRow, at: NaiveDateTime) -> Self {
        fn diff<T: PartialEq + Clone>(a: &T, b: &T) -> Option<T> {
            (a != b).then(|| b.clone())
        }
        Self {
            name: diff(&before.name, &after.name),
            short_name: diff(&before.short_name, &after.short_name),
            uscc: diff(&before.uscc, &after.uscc),
            roles: diff(&before.roles, &after.roles),
            region_code: diff(&before.region_code, &after.region_code),
            address: diff(&before.address, &after.address),
            latitude: diff(&before.latitude, &after.latitude),
            longitude: diff(&before.longitude, &after.longitude),
            contact_name: diff(&before.contact_name, &after.contact_name),
            contact_phone: diff(&before.contact_phone, &after.contact_phone),
            contact_email: diff(&before.contact_email, &after.contact_email),
            categories: diff(&before.categories, &after.categories),
            regions_served: diff(&before.regions_served, &after.regions_served),
            declared_capacity_fen: diff(&before.declared_capacity_fen, &after.declared_capacity_fen),
            updated_at: Some(at),
        }
    }
}

/// A membership row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    pub role: MemberRole,
    pub created_at: NaiveDateTime,
}

impl MembershipRow {
    /// Inserts a membership.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(memberships::table).values(self).execute(conn).map(drop)
    }

    /// The role of `user_id` in `org_id`, if a member.
    pub fn role_of(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<Option<MemberRole>> {
        memberships::table
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::user_id.eq(user_id))
            .select(memberships::role)
            .first(conn)
            .optional()
    }

    /// Changes a member's role.
    pub fn set_role(conn: &mut DbConn, org_id: &str, user_id: &str, role: MemberRole) -> QueryResult<usize> {
        diesel::update(
            memberships::table
                .filter(memberships::org_id.eq(org_id))
                .filter(memberships::user_id.eq(user_id)),
        )
        .set(memberships::role.eq(role))
        .execute(conn)
    }

    /// Removes a member.
    pub fn remove(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<usize> {
        diesel::delete(
            memberships::table
                .filter(memberships::org_id.eq(org_id))
                .filter(memberships::user_id.eq(user_id)),
        )
        .execute(conn)
    }

    /// Removes every membership of an account (account deletion).
    pub fn remove_all_for_user(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
        diesel::delete(memberships::table.filter(memberships::user_id.eq(user_id))).execute(conn)
    }

    /// How many owners an organisation has.
    pub fn owner_count(conn: &mut DbConn, org_id: &str) -> QueryResult<i64> {
        memberships::table
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::role.eq(MemberRole::Owner))
            .count()
            .get_result(conn)
    }

    /// Members with their display names.
    pub fn list(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<(MembershipRow, String)>> {
        memberships::table
            .inner_join(users::table)
            .filter(memberships::org_id.eq(org_id))
            .order(memberships::created_at.asc())
            .select((MembershipRow::as_select(), users::display_name))
            .load(conn)
    }

    /// The caller's organisations with their role.
    pub fn of_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<(OrganisationRow, MemberRole)>> {
        memberships::table
            .inner_join(organisations::table)
            .filter(memberships::user_id.eq(user_id))
            .order(organisations::name.asc())
            .select((OrganisationRow::as_select(), memberships::role))
            .load(conn)
    }
}

/// An invitation row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: String,
    pub org_id: String,
    pub invitee_user_id: String,
    pub role: MemberRole,
    pub invited_by: String,
    pub status: shared::dto::InvitationStatus,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
}

impl InvitationRow {
    /// Inserts an invitation.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(invitations::table).values(self).execute(conn).map(drop)
    }

    /// A pending invitation of `org_id` to `user_id`, if any.
    pub fn pending_for(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<Option<InvitationRow>> {
        invitations::table
            .filter(invitations::org_id.eq(org_id))
            .filter(invitations::invitee_user_id.eq(user_id))
            .filter(invitations::status.eq(shared::dto::InvitationStatus::Pending))
            .select(InvitationRow::as_select())
            .first(conn)
            .optional()
    }

    /// An invitation addressed to `user_id` (anyone else gets nothing).
    pub fn find_for_invitee(
        conn: &mut DbConn,
        id: &str,
        user_id: &str,
    ) -> QueryResult<Option<InvitationRow>> {
        invitations::table
            .find(id)
            .filter(invitations::invitee_user_id.eq(user_id))
            .select(InvitationRow::as_select())
            .first(conn)
            .optional()
    }

    /// Pending invitations to `user_id` with the organisation names, newest first.
    pub fn pending_of_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<(InvitationRow, String)>> {
        invitations::table
            .inner_join(organisations::table)
            .filter(invitations::invitee_user_id.eq(user_id))
            .filter(invitations::status.eq(shared::dto::InvitationStatus::Pending))
            .order(invitations::id.desc())
            .select((InvitationRow::as_select(), organisations::name))
            .load(conn)
    }

    /// Pending invitations sent by `org_id`, newest first.
    pub fn pending_of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<InvitationRow>> {
        invitations::table
            .filter(invitations::org_id.eq(org_id))
            .filter(invitations::status.eq(shared::dto::InvitationStatus::Pending))
            .order(invitations::id.desc())
            .select(InvitationRow::as_select())
            .load(conn)
    }

    /// An invitation of `org_id` by id.
    pub fn find_of_org(conn: &mut DbConn, org_id: &str, id: &str) -> QueryResult<Option<InvitationRow>> {
        invitations::table
            .find(id)
            .filter(invitations::org_id.eq(org_id))
            .select(InvitationRow::as_select())
            .first(conn)
            .optional()
    }

    /// Answers a pending invitation; `false` if it was no longer pending (double submit).
    pub fn decide(conn: &mut DbConn, id: &str, status: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            invitations::table
                .find(id)
                .filter(invitations::status.eq(shared::dto::InvitationStatus::Pending)),
        )
        .set((invitations::status.eq(status), invitations::decided_at.eq(at)))
        .execute(conn)?;
        Ok(n == 1)
    }
}

/// An invitation as addressed: to a phone number or e-mail, by an organisation (`kind` `org`,
/// `target_id` the organisation) or a group (`group`). Every invitation has one, so what the
/// inviter sees never depends on whether the contact has an account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contact_invitations)]
pub struct ContactInvitationRow {
    pub id: String,
    pub kind: ContactInvitationKind,
    pub target_id: String,
    /// The normalised phone number or e-mail address.
    pub contact: String,
    /// The role offered (`member` for groups).
    pub role: String,
    pub status: ContactInvitationStatus,
    pub invited_by: String,
    pub created_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
}

impl ContactInvitationRow {
    /// Inserts one.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(contact_invitations::table).values(self).execute(conn).map(drop)
    }

    /// An invitation by id for `target_id`.
    pub fn find_of(conn: &mut DbConn, target_id: &str, id: &str) -> QueryResult<Option<Self>> {
        contact_invitations::table
            .find(id)
            .filter(contact_invitations::target_id.eq(target_id))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Whether `target_id` has an unclaimed invitation to `contact`.
    pub fn pending_to(conn: &mut DbConn, target_id: &str, contact: &str) -> QueryResult<bool> {
        let n: i64 = contact_invitations::table
            .filter(contact_invitations::target_id.eq(target_id))
            .filter(contact_invitations::contact.eq(contact))
            .filter(contact_invitations::status.eq(ContactInvitationStatus::Pending))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }

    /// Invitations of `target_id` that are unclaimed or claimed (newest first).
    pub fn live_of(conn: &mut DbConn, target_id: &str) -> QueryResult<Vec<Self>> {
        contact_invitations::table
            .filter(contact_invitations::target_id.eq(target_id))
            .filter(
                contact_invitations::status
                    .eq_any([ContactInvitationStatus::Pending, ContactInvitationStatus::Claimed]),
            )
            .order(contact_invitations::id.desc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Unclaimed invitations to any of `contacts`, oldest first.
    pub fn pending_for_contacts(conn: &mut DbConn, contacts: &[String]) -> QueryResult<Vec<Self>> {
        contact_invitations::table
            .filter(contact_invitations::contact.eq_any(contacts))
            .filter(contact_invitations::status.eq(ContactInvitationStatus::Pending))
            .order(contact_invitations::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Moves an unclaimed invitation to `status`; `false` if it was no longer unclaimed.
    pub fn settle(
        conn: &mut DbConn,
        id: &str,
        status: ContactInvitationStatus,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            contact_invitations::table
                .find(id)
                .filter(contact_invitations::status.eq(ContactInvitationStatus::Pending)),
        )
        .set((contact_invitations::status.eq(status), contact_invitations::claimed_at.eq(at)))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// When `user_id`'s invitations sent since `since` were sent, oldest first (rate limit).
    pub fn sent_by_since(
        conn: &mut DbConn,
        user_id: &str,
        since: NaiveDateTime,
    ) -> QueryResult<Vec<NaiveDateTime>> {
        contact_invitations::table
            .filter(contact_invitations::invited_by.eq(user_id))
            .filter(contact_invitations::created_at.gt(since))
            .order(contact_invitations::created_at.asc())
            .select(contact_invitations::created_at)
            .load(conn)
    }
}
