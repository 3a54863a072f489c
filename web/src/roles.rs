//! What the business-role view puts first: the cards of the signed-in person's home page and the
//! order of the information centre's navigation, for the roles in focus (the chosen view role,
//! or every role of the active organisation). Pure, so the rules are tested on the host.

use shared::dto::{BusinessRole, DemandStatus, DemandView};

/// A card of the signed-in home page.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum HomeCard {
    /// The organisation's newest projects.
    MyProjects,
    /// The organisation's newest demands, drafts and reviews included.
    MyDemands,
    /// Recommended organisations for the organisation's published demands.
    Recommendations,
    /// Demand invitations the organisation received.
    ReceivedInvitations,
    /// The organisation's newest resource listings.
    MyListings,
    /// Newest published demands in the categories the organisation offers.
    MatchingDemands,
    /// Supply-chain finance: a placeholder until the feature exists.
    Finance,
    /// The directory of verified organisations.
    Directory,
    /// Search over projects, listings and organisations.
    Search,
    /// Unread notifications.
    Notifications,
    /// The person's community groups.
    Community,
    /// No organisation yet: create or join one.
    NoOrganisation,
}

impl HomeCard {
    /// The stable name used as the card's `data-card` and element id suffix.
    pub fn slug(self) -> &'static str {
        match self {
            HomeCard::MyProjects => "my-projects",
            HomeCard::MyDemands => "my-demands",
            HomeCard::Recommendations => "recommendations",
            HomeCard::ReceivedInvitations => "received-invitations",
            HomeCard::MyListings => "my-listings",
            HomeCard::MatchingDemands => "matching-demands",
            HomeCard::Finance => "finance",
            HomeCard::Directory => "directory",
            HomeCard::Search => "search",
            HomeCard::Notifications => "notifications",
            HomeCard::Community => "community",
            HomeCard::NoOrganisation => "no-organisation",
        }
    }
}

/// An entry of the information centre's navigation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum NavEntry {
    /// `/projects`.
    Projects,
    /// `/demands`.
    Demands,
    /// `/resources`.
    Resources,
    /// `/demand-invitations`: invitations the organisation received.
    DemandInvitations,
    /// `/bids`: the organisation's own bids on tenders.
    MyBids,
    /// `/contracts`: the organisation's contracts, as payer, performer or supervisor.
    MyContracts,
    /// `/groups`.
    Groups,
}

/// The navigation when no role is in focus (signed out, no organisation): the sections every
/// visitor can read.
const NEUTRAL_NAV: [NavEntry; 4] =
    [NavEntry::Projects, NavEntry::Resources, NavEntry::Demands, NavEntry::Groups];

/// The roles whose work comes first: the view role when the organisation has it, else all of the
/// organisation's roles (a stale view role from another organisation counts as "all").
pub fn focus_roles(view: Option<BusinessRole>, org_roles: &[BusinessRole]) -> Vec<BusinessRole> {
    match view {
        Some(role) if org_roles.contains(&role) => vec![role],
        _ => org_roles.to_vec(),
    }
}

/// A role's own cards, most pressing first.
fn role_cards(role: BusinessRole) -> &'static [HomeCard] {
    match role {
        BusinessRole::Contractor => &[HomeCard::MyProjects, HomeCard::MyDemands, HomeCard::Recommendations],
        BusinessRole::Subcontractor | BusinessRole::Supplier | BusinessRole::Designer => {
            &[HomeCard::ReceivedInvitations, HomeCard::MyListings, HomeCard::MatchingDemands]
        }
        BusinessRole::Financier => &[HomeCard::Finance, HomeCard::Directory, HomeCard::Search],
    }
}

/// A role's navigation, its own sections first.
fn role_nav(role: BusinessRole) -> &'static [NavEntry] {
    match role {
        BusinessRole::Contractor => {
            &[NavEntry::Projects, NavEntry::Demands, NavEntry::MyContracts, NavEntry::Resources]
        }
        BusinessRole::Subcontractor | BusinessRole::Supplier | BusinessRole::Designer => &[
            NavEntry::DemandInvitations,
            NavEntry::MyBids,
            NavEntry::MyContracts,
            NavEntry::Demands,
            NavEntry::Resources,
        ],
        BusinessRole::Financier => &[NavEntry::Projects, NavEntry::Resources, NavEntry::Demands],
    }
}

fn push_new<T: PartialEq + Copy>(list: &mut Vec<T>, items: &[T]) {
    for item in items {
        if !list.contains(item) {
            list.push(*item);
        }
    }
}

/// The home page's cards for the roles in focus, in order: each role's own cards (in the order of
/// `focus`, without repeats), then what everyone has — notifications, the community, the
/// directory. Without any role (no organisation yet) the first card asks to create or join one.
pub fn home_cards(focus: &[BusinessRole]) -> Vec<HomeCard> {
    let mut cards = Vec::new();
    if focus.is_empty() {
        cards.push(HomeCard::NoOrganisation);
    }
    for role in focus {
        push_new(&mut cards, role_cards(*role));
    }
    push_new(&mut cards, &[HomeCard::Notifications, HomeCard::Community, HomeCard::Directory]);
    cards
}

/// The information centre's entries for the roles in focus: each role's own sections first, then
/// the rest of the neutral ones. Received invitations and own bids appear only for roles that get
/// invited and bid.
pub fn nav_entries(focus: &[BusinessRole]) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    for role in focus {
        push_new(&mut entries, role_nav(*role));
    }
    push_new(&mut entries, &NEUTRAL_NAV);
    entries
}

/// Up to `limit` published demands of other organisations than `own_org` in one of `categories`
/// (any category when the organisation offers none), in the order given (newest first).
pub fn matching_demands(
    demands: Vec<DemandView>,
    own_org: &str,
    categories: &[String],
    limit: usize,
) -> Vec<DemandView> {
    demands
        .into_iter()
        .filter(|d| d.status == DemandStatus::Published && d.org_id != own_org)
        .filter(|d| categories.is_empty() || categories.contains(&d.category))
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use BusinessRole::*;

    #[test]
    fn the_view_role_is_the_focus_when_the_organisation_has_it() {
        assert_eq!(focus_roles(Some(Supplier), &[Contractor, Supplier]), vec![Supplier]);
    }

    #[test]
    fn all_roles_or_a_role_the_organisation_lacks_focuses_on_every_role() {
        assert_eq!(focus_roles(None, &[Contractor, Supplier]), vec![Contractor, Supplier]);
        assert_eq!(focus_roles(Some(Financier), &[Contractor]), vec![Contractor]);
        assert!(focus_roles(Some(Contractor), &[]).is_empty());
    }

    #[test]
    fn a_contractor_sees_projects_demands_and_recommendations_first() {
        assert_eq!(
            home_cards(&[Contractor]),
            vec![
                HomeCard::MyProjects,
                HomeCard::MyDemands,
                HomeCard::Recommendations,
                HomeCard::Notifications,
                HomeCard::Community,
                HomeCard::Directory,
            ]
        );
    }

    #[test]
    fn subcontractors_suppliers_and_designers_see_invitations_first() {
        for role in [Subcontractor, Supplier, Designer] {
            let cards = home_cards(&[role]);
            assert_eq!(
                cards[..3],
                [HomeCard::ReceivedInvitations, HomeCard::MyListings, HomeCard::MatchingDemands],
                "{role:?}"
            );
            assert!(!cards.contains(&HomeCard::MyDemands), "{role:?}");
        }
    }

    #[test]
    fn a_financier_sees_the_finance_placeholder_then_directory_and_search() {
        assert_eq!(
            home_cards(&[Financier]),
            vec![
                HomeCard::Finance,
                HomeCard::Directory,
                HomeCard::Search,
                HomeCard::Notifications,
                HomeCard::Community,
            ]
        );
    }

    #[test]
    fn everyone_gets_notifications_and_the_community() {
        for focus in [vec![], vec![Contractor], vec![Supplier], vec![Financier], vec![Contractor, Designer]] {
            let cards = home_cards(&focus);
            assert!(cards.contains(&HomeCard::Notifications), "{focus:?}");
            assert!(cards.contains(&HomeCard::Community), "{focus:?}");
        }
    }

    #[test]
    fn several_roles_list_each_roles_cards_once_in_role_order() {
        let cards = home_cards(&[Contractor, Supplier, Designer]);
        assert_eq!(cards[0], HomeCard::MyProjects);
        assert_eq!(cards[3], HomeCard::ReceivedInvitations);
        let unique: std::collections::HashSet<_> = cards.iter().collect();
        assert_eq!(unique.len(), cards.len(), "no card twice: {cards:?}");
    }

    #[test]
    fn without_an_organisation_the_first_card_asks_for_one() {
        assert_eq!(home_cards(&[])[0], HomeCard::NoOrganisation);
        assert!(!home_cards(&[Contractor]).contains(&HomeCard::NoOrganisation));
    }

    #[test]
    fn the_navigation_puts_the_roles_sections_first_and_keeps_every_section() {
        assert_eq!(
            nav_entries(&[Contractor]),
            vec![
                NavEntry::Projects,
                NavEntry::Demands,
                NavEntry::MyContracts,
                NavEntry::Resources,
                NavEntry::Groups
            ]
        );
        assert_eq!(
            nav_entries(&[Supplier]),
            vec![
                NavEntry::DemandInvitations,
                NavEntry::MyBids,
                NavEntry::MyContracts,
                NavEntry::Demands,
                NavEntry::Resources,
                NavEntry::Projects,
                NavEntry::Groups,
            ]
        );
        assert_eq!(nav_entries(&[]), NEUTRAL_NAV.to_vec());
        for focus in [vec![], vec![Contractor], vec![Designer], vec![Financier]] {
            let entries = nav_entries(&focus);
            for entry in NEUTRAL_NAV {
                assert!(entries.contains(&entry), "{focus:?} lacks {entry:?}");
            }
        }
    }

    #[test]
    fn received_invitations_are_in_the_navigation_only_for_invited_roles() {
        assert!(!nav_entries(&[Contractor]).contains(&NavEntry::DemandInvitations));
        assert!(!nav_entries(&[Financier]).contains(&NavEntry::DemandInvitations));
        assert!(nav_entries(&[Contractor, Subcontractor]).contains(&NavEntry::DemandInvitations));
    }

    #[test]
    fn my_bids_are_in_the_navigation_for_roles_that_bid() {
        assert!(nav_entries(&[Supplier]).contains(&NavEntry::MyBids));
        assert!(nav_entries(&[Subcontractor]).contains(&NavEntry::MyBids));
        assert!(!nav_entries(&[Contractor]).contains(&NavEntry::MyBids));
    }

    fn demand(id: &str, org: &str, category: &str, status: DemandStatus) -> DemandView {
        serde_json::from_value(serde_json::json!({
            "id": id, "org_id": org, "org_name": "甲", "kind": "procurement", "title": id,
            "category": category, "category_name": category, "scope": "范围",
            "budget_min_fen": 0, "budget_max_fen": 0, "region_code": "330000", "region_name": "浙江",
            "required_qualifications": [], "deadline": "2030-01-01", "files": [],
            "status": status, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        }))
        .expect("a demand")
    }

    #[test]
    fn matching_demands_are_published_others_in_the_offered_categories() {
        let all = vec![
            demand("a", "other", "steel_structure", DemandStatus::Published),
            demand("b", "mine", "steel_structure", DemandStatus::Published),
            demand("c", "other", "concrete", DemandStatus::Published),
            demand("d", "other", "steel_structure", DemandStatus::Closed),
            demand("e", "other", "steel_structure", DemandStatus::Published),
            demand("f", "other", "steel_structure", DemandStatus::Published),
        ];
        let ids = |list: Vec<DemandView>| list.into_iter().map(|d| d.id).collect::<Vec<_>>();
        let offered = ["steel_structure".to_owned()];
        assert_eq!(ids(matching_demands(all.clone(), "mine", &offered, 2)), ["a", "e"]);
        assert_eq!(ids(matching_demands(all, "mine", &[], 3)), ["a", "c", "e"]);
    }
}
