//! Organisation rules at the API edge: checking a profile (USCC checksum, real GB/T 2260 region,
//! contacts, coordinates) with every problem named, mapping rows to DTOs, and resolving the
//! caller's active organisation from `X-Org-Id` (non-members get 404, never a hint).

use shared::account::{normalize_email, normalize_phone};
use shared::domain::identity::Uscc;
use shared::dto::{
    BusinessRole, CreateOrganisationRequest, FieldIssue, MemberRole, Organisation, OrganisationPublic,
    UpdateOrganisationRequest, VerificationStatus,
};
use shared::error::ErrorCode;

use crate::db::DbConn;
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::error::ApiError;

/// 404 for an organisation the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "organisation not found")
}

/// The caller's role in `org_id`, which must also be the `X-Org-Id` they act with.
pub fn acting_role(
    conn: &mut DbConn,
    header_org: &str,
    org_id: &str,
    user_id: &str,
) -> Result<MemberRole, ApiError> {
    if header_org != org_id {
        return Err(not_found());
    }
    MembershipRow::role_of(conn, org_id, user_id)?.and_then(|r| MemberRole::parse(&r)).ok_or_else(not_found)
}

/// Like [`acting_role`], and the role must manage the organisation (owner or admin), which
/// must not be suspended: a suspended organisation is frozen until staff lift the suspension.
pub fn managing_role(
    conn: &mut DbConn,
    header_org: &str,
    org_id: &str,
    user_id: &str,
) -> Result<MemberRole, ApiError> {
    let role = acting_role(conn, header_org, org_id, user_id)?;
    if !role.can_manage() {
        return Err(ApiError::new(ErrorCode::Forbidden, "only owners and admins can do this"));
    }
    ensure_not_suspended(conn, org_id)?;
    Ok(role)
}

/// 403 while platform staff have the organisation suspended: it is frozen — no profile changes,
/// invitations, new members, removals or ownership transfers — until the suspension is lifted.
/// Members may still leave.
pub fn ensure_not_suspended(conn: &mut DbConn, org_id: &str) -> Result<(), ApiError> {
    if OrganisationRow::find(conn, org_id)?.is_some_and(|o| o.suspended_at.is_some()) {
        return Err(ApiError::new(ErrorCode::Forbidden, "the organisation is suspended by the platform"));
    }
    Ok(())
}

/// Who acts for an organisation: a member (by bearer token and `X-Org-Id`) or an API key.
#[derive(Debug, Clone)]
pub enum OrgActor {
    /// A person with their role.
    Member { user_id: String, role: MemberRole },
    /// An integration key.
    Key(crate::auth::api_key::KeyPrincipal),
}

/// Resolves who acts on `org_id` and checks they may use `scope`: members need `X-Org-Id`
/// naming the organisation (and, for writes, a managing role); keys need the scope and must
/// belong to the organisation. Others get 404; a suspended organisation is refused writes.
pub fn resolve_actor(
    conn: &mut DbConn,
    auth: &crate::auth::api_key::OrgAuth,
    header_org: Option<&str>,
    org_id: &str,
    scope: shared::dto::ApiKeyScope,
) -> Result<OrgActor, ApiError> {
    use crate::auth::api_key::OrgAuth;
    let writes = scope == shared::dto::ApiKeyScope::OrgWrite;
    let actor = match auth {
        OrgAuth::Bearer(bearer) => {
            let header = header_org.ok_or_else(|| ApiError::missing("X-Org-Id"))?;
            let user_id = bearer.0.user_id.clone();
            let role = if writes {
                managing_role(conn, header, org_id, &user_id)?
            } else {
                acting_role(conn, header, org_id, &user_id)?
            };
            OrgActor::Member { user_id, role }
        }
        OrgAuth::ApiKey(key) => {
            if key.0.org_id != org_id || header_org.is_some_and(|h| h != org_id) {
                return Err(not_found());
            }
            if !key.0.scopes.contains(&scope) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("this API key lacks the {} scope", scope.as_str()),
                ));
            }
            if writes && OrganisationRow::find(conn, org_id)?.is_some_and(|o| o.suspended_at.is_some()) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "the organisation is suspended by the platform",
                ));
            }
            OrgActor::Key(key.0.clone())
        }
    };
    Ok(actor)
}

/// The profile fields after checking, ready to store.
pub struct CheckedProfile<'a> {
    row: &'a mut OrganisationRow,
    issues: Vec<FieldIssue>,
}

impl<'a> CheckedProfile<'a> {
    /// Starts checking changes into `row`.
    pub fn new(row: &'a mut OrganisationRow) -> Self {
        Self { row, issues: Vec::new() }
    }

    fn issue(&mut self, field: &str, issue: &str) {
        self.issues.push(FieldIssue::new(field, issue));
    }

    fn name(&mut self, name: &str) {
        let name = name.trim();
        if (2..=100).contains(&name.chars().count()) {
            self.row.name = name.to_owned();
        } else {
            self.issue("name", "invalid_length");
        }
    }

    fn short_name(&mut self, short: Option<&str>) {
        match short.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > 20 => self.issue("short_name", "invalid_length"),
            other => self.row.short_name = other.map(str::to_owned),
        }
    }

    fn uscc(&mut self, uscc: &str) {
        match Uscc::parse(uscc) {
            Ok(parsed) => self.row.uscc = parsed.as_str().to_owned(),
            Err(_) => self.issue("uscc", "invalid_uscc"),
        }
    }

    fn roles(&mut self, roles: &[BusinessRole]) {
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            self.issue("roles", "required");
        } else {
            self.row.roles = json_list(roles.iter().map(|r| r.as_str()));
        }
    }

    fn region(&mut self, code: &str) {
        if shared::gb2260::exists(code) {
            self.row.region_code = code.to_owned();
        } else {
            self.issue("region_code", "unknown_region");
        }
    }

    fn coordinates(&mut self, latitude: Option<f64>, longitude: Option<f64>) {
        match (latitude, longitude) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                self.row.latitude = Some(lat);
                self.row.longitude = Some(lon);
            }
            (None, None) => {}
            _ => self.issue("latitude", "invalid_coordinates"),
        }
    }

    fn contacts(&mut self, name: Option<&str>, phone: Option<&str>, email: Option<&str>) {
        if let Some(name) = name {
            self.row.contact_name = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
        }
        if let Some(phone) = phone {
            match normalize_phone(phone) {
                Ok(p) => self.row.contact_phone = Some(p),
                Err(e) => self.issue("contact_phone", e.as_str()),
            }
        }
        if let Some(email) = email {
            match normalize_email(email) {
                Ok(e) => self.row.contact_email = Some(e),
                Err(e) => self.issue("contact_email", e.as_str()),
            }
        }
    }

    fn categories(&mut self, categories: &[String]) {
        let mut codes: Vec<&str> = categories.iter().map(|c| c.trim()).collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.iter().all(|c| shared::taxonomy::category(c).is_some()) {
            self.row.categories = json_list(codes);
        } else {
            self.issue("categories", "unknown_category");
        }
    }

    fn regions_served(&mut self, regions: &[String]) {
        if regions.iter().all(|r| shared::gb2260::exists(r)) {
            self.row.regions_served = json_list(regions.iter().map(String::as_str));
        } else {
            self.issue("regions_served", "unknown_region");
        }
    }

    fn capacity(&mut self, fen: Option<i64>) {
        match fen {
            Some(v) if v < 0 => self.issue("declared_capacity_fen", "negative"),
            Some(v) => self.row.declared_capacity_fen = Some(v),
            None => {}
        }
    }

    /// Applies a creation request.
    pub fn create(mut self, req: &CreateOrganisationRequest) -> Result<(), ApiError> {
        self.name(&req.name);
        self.short_name(req.short_name.as_deref());
        self.uscc(&req.uscc);
        self.roles(&req.roles);
        self.region(&req.region_code);
        self.row.address = req.address.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned);
        self.coordinates(req.latitude, req.longitude);
        self.contacts(
            req.contact_name.as_deref(),
            req.contact_phone.as_deref(),
            req.contact_email.as_deref(),
        );
        self.categories(req.categories.as_deref().unwrap_or_default());
        self.regions_served(req.regions_served.as_deref().unwrap_or_default());
        self.capacity(req.declared_capacity_fen);
        self.finish()
    }

    /// Applies a partial update; the USCC may change only before verification.
    pub fn update(mut self, req: &UpdateOrganisationRequest) -> Result<(), ApiError> {
        if let Some(name) = &req.name {
            self.name(name);
        }
        if req.short_name.is_some() {
            self.short_name(req.short_name.as_deref());
        }
        if let Some(uscc) = &req.uscc {
            let status = VerificationStatus::parse(&self.row.verification_status);
            if matches!(status, VerificationStatus::Unverified | VerificationStatus::Rejected) {
                self.uscc(uscc);
            } else if Uscc::parse(uscc).map(|u| u.as_str() != self.row.uscc).unwrap_or(true) {
                self.issue("uscc", "locked_after_verification");
            }
        }
        if let Some(roles) = &req.roles {
            self.roles(roles);
        }
        if let Some(code) = &req.region_code {
            self.region(code);
        }
        if let Some(address) = &req.address {
            self.row.address = Some(address.trim().to_owned()).filter(|a| !a.is_empty());
        }
        if req.latitude.is_some() || req.longitude.is_some() {
            self.coordinates(req.latitude, req.longitude);
        }
        self.contacts(
            req.contact_name.as_deref(),
            req.contact_phone.as_deref(),
            req.contact_email.as_deref(),
        );
        if let Some(categories) = &req.categories {
            self.categories(categories);
        }
        if let Some(regions) = &req.regions_served {
            self.regions_served(regions);
        }
        self.capacity(req.declared_capacity_fen);
        self.finish()
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation("the organisation profile is invalid", self.issues))
        }
    }
}

fn json_list<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    serde_json::to_string(&items.into_iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn parse_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The public profile of a row.
pub fn public(row: &OrganisationRow) -> OrganisationPublic {
    OrganisationPublic {
        id: row.id.clone(),
        name: row.name.clone(),
        short_name: row.short_name.clone(),
        uscc: row.uscc.clone(),
        roles: parse_list(&row.roles).iter().filter_map(|r| BusinessRole::parse(r)).collect(),
        region_code: row.region_code.clone(),
        region_name: shared::gb2260::full_name(&row.region_code).unwrap_or_default(),
        categories: parse_list(&row.categories),
        regions_served: parse_list(&row.regions_served),
        verification_status: VerificationStatus::parse(&row.verification_status),
        suspended: row.suspended_at.is_some(),
        created_at: row.created_at.and_utc(),
    }
}

/// The members' view of a row.
pub fn private(row: &OrganisationRow, my_role: MemberRole) -> Organisation {
    Organisation {
        profile: public(row),
        address: row.address.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        contact_email: row.contact_email.clone(),
        declared_capacity_fen: row.declared_capacity_fen,
        my_role,
    }
}
