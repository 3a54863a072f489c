//! Organisations, their members and invitations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::credit::CreditGrade;

crate::stored_enum! {
    /// What an organisation does on the platform (it may hold several).
    #[derive(Ord, PartialOrd)]
    pub enum BusinessRole in "users.view_role" {
        /// General contractor (施工企业).
        Contractor = "contractor",
        /// Subcontractor (分包商).
        Subcontractor = "subcontractor",
        /// Material supplier (材料供应商).
        Supplier = "supplier",
        /// Design institute (设计单位).
        Designer = "designer",
        /// Financial institution (金融机构).
        Financier = "financier",
    }
}

crate::stored_enum! {
    /// A person's role in an organisation.
    #[derive(Ord, PartialOrd)]
    pub enum MemberRole in "memberships.role / invitations.role" {
        /// Full control, including ownership transfer. At least one per organisation.
        Owner = "owner",
        /// Manages the profile, members and invitations.
        Admin = "admin",
        /// Acts for the organisation in its daily work.
        Member = "member",
    }
}

impl MemberRole {
    /// Owners and admins manage the organisation.
    pub fn can_manage(self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }
}

/// Create an organisation; the caller becomes its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateOrganisationRequest {
    /// Registered name (as on the business licence), 2–100 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub name: String,
    /// Short name (简称), searchable, up to 20 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 60)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Unified social credit code (18 characters, GB 32100 checksum).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub uscc: String,
    /// Business roles, at least one.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 5)))]
    pub roles: Vec<BusinessRole>,
    /// Registered region: a GB/T 2260 six-digit code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    pub region_code: String,
    /// Street address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude (WGS-84 degrees), with `longitude`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude (WGS-84 degrees), with `latitude`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Contact person.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 50)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact mobile number.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Contact e-mail address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Categories of work or materials offered (taxonomy codes).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 50)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Regions served (GB/T 2260 codes; a province serves all its cities and districts).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 100)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_served: Option<Vec<String>>,
    /// Declared capacity: contract value it can carry at once, in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_capacity_fen: Option<i64>,
}

/// Change an organisation's profile (owners and admins). Absent fields stay as they are. The
/// USCC can be changed only while the organisation is unverified.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateOrganisationRequest {
    /// Registered name.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Short name (简称).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 60)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Unified social credit code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    /// Business roles.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 5)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<BusinessRole>>,
    /// Registered region code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Street address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Contact person.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 50)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact mobile number.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Contact e-mail address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Categories offered.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 50)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Regions served.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 100)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_served: Option<Vec<String>>,
    /// Declared capacity in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_capacity_fen: Option<i64>,
}

crate::stored_enum! {
    /// Where an organisation stands in real-name verification.
    pub enum VerificationStatus in "organisations.verification_status / verification_submissions.status" {
        /// Nothing submitted yet.
        Unverified = "unverified",
        /// Submitted, waiting for a reviewer.
        Pending = "pending",
        /// Approved by a reviewer.
        Verified = "verified",
        /// Rejected with a reason; may resubmit.
        Rejected = "rejected",
    }
}

/// The public profile of an organisation (what anyone may see).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OrganisationPublic {
    /// Organisation id.
    pub id: String,
    /// Registered name.
    pub name: String,
    /// Short name (简称).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Unified social credit code (public registry data).
    pub uscc: String,
    /// Business roles.
    pub roles: Vec<BusinessRole>,
    /// Registered region code.
    pub region_code: String,
    /// Registered region, full name (e.g. `广东省 深圳市 南山区`).
    pub region_name: String,
    /// Categories offered.
    pub categories: Vec<String>,
    /// Regions served.
    pub regions_served: Vec<String>,
    /// Real-name verification status.
    pub verification_status: VerificationStatus,
    /// Whether platform staff have suspended the organisation.
    pub suspended: bool,
    /// When it joined the platform.
    pub created_at: DateTime<Utc>,
    /// The published credit grade (after a staff override, if any); none while it is not rated
    /// yet or has too little data (`GET /orgs/{id}/credit` says which).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_grade: Option<CreditGrade>,
    /// The membership tier (`GET /orgs/{id}/membership` shows its members what the next needs).
    #[serde(default = "new_tier")]
    pub membership_tier: crate::domain::membership::MembershipTier,
}

fn new_tier() -> crate::domain::membership::MembershipTier {
    crate::domain::membership::MembershipTier::New
}

/// An organisation as its own members see it: the public profile plus contact details,
/// capacity, and the caller's role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Organisation {
    /// The public profile.
    pub profile: OrganisationPublic,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact mobile number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Contact e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Declared capacity in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_capacity_fen: Option<i64>,
    /// The caller's role in it.
    pub my_role: MemberRole,
}

/// A page of public organisation profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct OrganisationPage {
    /// The organisations on this page.
    pub items: Vec<OrganisationPublic>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The caller's organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MyOrganisations {
    /// Each organisation with the caller's role.
    pub items: Vec<Organisation>,
}

/// A member of an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Member {
    /// The member's account id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Role in the organisation.
    pub role: MemberRole,
    /// May sign contracts for the organisation: owners and admins always, members when granted
    /// (`PUT /orgs/{id}/members/{user_id}/signing-authority`).
    #[serde(default)]
    pub signing_authority: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// Grant or revoke a member's authority to sign contracts for the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SigningAuthorityRequest {
    /// `true` to grant, `false` to revoke.
    pub granted: bool,
}

/// The members of an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MemberList {
    /// Members, owners first.
    pub items: Vec<Member>,
}

/// Invite an existing account to the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateInvitationRequest {
    /// The invitee's e-mail address or mobile number.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    pub login: String,
    /// The role offered (`admin` or `member`; ownership moves only by transfer).
    pub role: MemberRole,
}

crate::stored_enum! {
    /// Who sent an invitation addressed to a phone number or e-mail.
    pub enum ContactInvitationKind in "contact_invitations.kind" {
        /// An organisation (`target_id` is the organisation).
        Organisation = "org",
        /// A community group (`target_id` is the group).
        Group = "group",
    }
}

crate::stored_enum! {
    /// Where an invitation addressed to a phone number or e-mail stands.
    pub enum ContactInvitationStatus in "contact_invitations.status" {
        /// Waiting for a contact that has no account yet.
        Pending = "pending",
        /// Handed to the account with that contact (an `invitations` or `group_invitations` row
        /// with the same id carries it on).
        Claimed = "claimed",
        /// Withdrawn before anyone claimed it.
        Withdrawn = "withdrawn",
    }
}

crate::stored_enum! {
    /// Where an invitation stands.
    pub enum InvitationStatus in "invitations.status" {
        /// Waiting for the invitee.
        Pending = "pending",
        /// The invitee joined.
        Accepted = "accepted",
        /// The invitee said no.
        Declined = "declined",
        /// The organisation took it back before it was answered.
        Withdrawn = "withdrawn",
    }
}

/// An invitation to join an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Invitation {
    /// Invitation id.
    pub id: String,
    /// The organisation.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// The invitee's account id: only in the invitee's own list (`/me/invitations`). The
    /// inviting organisation never learns whether the contact has an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitee_user_id: Option<String>,
    /// The phone number or e-mail address invited, masked (`138****5678`, `z***@example.com`):
    /// only in the inviting organisation's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_masked: Option<String>,
    /// The role offered.
    pub role: MemberRole,
    /// Status.
    pub status: InvitationStatus,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When it was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Invitations: addressed to the caller (`/me/invitations`) or sent by an organisation
/// (`/orgs/{id}/invitations`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InvitationList {
    /// Pending invitations, newest first.
    pub items: Vec<Invitation>,
}

/// Hand ownership to another member; the current owner becomes an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct OwnershipTransferRequest {
    /// The member who becomes owner.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub user_id: String,
}

/// What an integrator API key may do for its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyScope {
    /// Read the member list.
    MembersRead,
    /// Change the organisation's profile.
    OrgWrite,
}

impl ApiKeyScope {
    /// Stored / wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MembersRead => "members_read",
            Self::OrgWrite => "org_write",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::MembersRead, Self::OrgWrite].into_iter().find(|x| x.as_str() == s)
    }
}

/// Create an API key (owners and admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateApiKeyRequest {
    /// A name to recognise the integration by (1–50 characters).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub name: String,
    /// What the key may do, at least one.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 10)))]
    pub scopes: Vec<ApiKeyScope>,
}

/// An API key as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ApiKeyInfo {
    /// Key id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<ApiKeyScope>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked key authenticates nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new API key: the secret is shown this once and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CreatedApiKey {
    /// The key's details.
    pub info: ApiKeyInfo,
    /// Send as `X-API-Key`. Not retrievable later.
    pub secret: String,
}

/// An organisation's API keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ApiKeyList {
    /// Newest first, revoked ones included.
    pub items: Vec<ApiKeyInfo>,
}
