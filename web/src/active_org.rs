//! The signed-in person's organisations and the one they act for. The active organisation and
//! the business-role view filter are remembered in `localStorage`; requests that act for an
//! organisation send its id as `X-Org-Id`. The view role decides which work the home page and
//! the navigation put first ([`crate::roles`]).

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::{BusinessRole, MyOrganisations, Organisation};

use crate::http::Failure;
use crate::roles::focus_roles;
use crate::session::{Session, use_session};

const ORG_KEY: &str = "gz_org";
const ROLE_KEY: &str = "gz_view_role";

/// The caller's organisations, provided at the root.
#[derive(Clone, Copy)]
pub struct ActiveOrg {
    /// The caller's organisations; `None` until loaded.
    pub mine: RwSignal<Option<Vec<Organisation>>>,
    /// The organisation the person acts for.
    pub active: RwSignal<Option<String>>,
    /// The business role the views are filtered to (`None`: all of the organisation's roles).
    pub view_role: RwSignal<Option<BusinessRole>>,
    session: Session,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn remember(key: &str, value: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

impl ActiveOrg {
    /// Creates and provides the context; loads the organisations whenever someone signs in.
    pub fn provide() -> Self {
        let session = use_session();
        let stored = |key| storage().and_then(|s| s.get_item(key).ok().flatten());
        let this = ActiveOrg {
            mine: RwSignal::new(None),
            active: RwSignal::new(stored(ORG_KEY)),
            view_role: RwSignal::new(stored(ROLE_KEY).as_deref().and_then(BusinessRole::parse)),
            session,
        };
        provide_context(this);
        let signed_in = Memo::new(move |_| session.user.with(Option::is_some));
        Effect::new(move |_| {
            if signed_in.get() {
                this.reload();
            } else {
                this.mine.set(None);
            }
        });
        this
    }

    /// Loads the caller's organisations again (after creating, joining or leaving one).
    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = self.session.call::<(), MyOrganisations>("GET", "/me/orgs", None).await {
                let keep = self.active.with_untracked(|a| {
                    a.as_ref().is_some_and(|a| list.items.iter().any(|o| &o.profile.id == a))
                });
                let first = list.items.first().map(|o| o.profile.id.clone());
                self.mine.set(Some(list.items));
                if !keep {
                    self.select(first);
                }
            }
        });
    }

    /// Acts for organisation `id` from now on.
    pub fn select(self, id: Option<String>) {
        remember(ORG_KEY, id.as_deref());
        self.active.set(id);
        let roles = self.current().map(|o| o.profile.roles).unwrap_or_default();
        if self.view_role.get_untracked().is_some_and(|r| !roles.contains(&r)) {
            self.set_view_role(None);
        }
    }

    /// Filters the views to one business role (`None`: all).
    pub fn set_view_role(self, role: Option<BusinessRole>) {
        remember(ROLE_KEY, role.map(BusinessRole::as_str));
        self.view_role.set(role);
    }

    /// The business roles whose work the views put first (reactive): the view role, or all of the
    /// active organisation's roles; none while signed out or without an organisation.
    pub fn focus(self) -> Vec<BusinessRole> {
        if self.acting().is_none() {
            return Vec::new();
        }
        let roles = self.current().map(|o| o.profile.roles).unwrap_or_default();
        focus_roles(self.view_role.get(), &roles)
    }

    /// The active organisation (reactive).
    pub fn current(self) -> Option<Organisation> {
        let active = self.active.get();
        self.mine.with(|mine| {
            mine.as_ref()
                .and_then(|list| list.iter().find(|o| Some(&o.profile.id) == active.as_ref()).cloned())
        })
    }

    /// One of the caller's organisations by id (reactive).
    pub fn find(self, id: &str) -> Option<Organisation> {
        self.mine
            .with(|mine| mine.as_ref().and_then(|list| list.iter().find(|o| o.profile.id == id).cloned()))
    }

    /// The organisation to send as `X-Org-Id`: the active one while someone is signed in
    /// (reactive).
    pub fn acting(self) -> Option<String> {
        if self.session.token.with(Option::is_some) { self.active.get() } else { None }
    }

    /// [`Self::acting`], without tracking.
    pub fn acting_untracked(self) -> Option<String> {
        if self.session.token.with_untracked(Option::is_some) { self.active.get_untracked() } else { None }
    }

    /// A request as the signed-in person acting for the active organisation; without either
    /// when signed out (public reads).
    pub async fn call_acting<B: Serialize, T: DeserializeOwned>(
        self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        let org = self.acting_untracked();
        self.session.call_as(org.as_deref(), method, path, body).await
    }

    /// A request acting for organisation `org`.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        self,
        org: &str,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        self.session.call_as(Some(org), method, path, body).await
    }
}

/// The provided organisation context.
pub fn use_active_org() -> ActiveOrg {
    expect_context::<ActiveOrg>()
}
