//! The signed-in person's platform-staff standing (`GET /staff/me`): their staff roles and
//! whether TOTP is on. Loaded on sign-in; the header shows the staff console only to staff.

use leptos::prelude::*;
use shared::dto::StaffProfile;

use crate::session::{Session, use_session};

/// The staff standing, provided at the root.
#[derive(Clone, Copy)]
pub struct StaffStanding {
    /// `None` until loaded (and while signed out).
    pub profile: RwSignal<Option<StaffProfile>>,
    session: Session,
}

impl StaffStanding {
    /// Creates and provides the context; loads the standing whenever someone signs in.
    pub fn provide() -> Self {
        let session = use_session();
        let this = StaffStanding { profile: RwSignal::new(None), session };
        provide_context(this);
        let user_id = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.id.clone())));
        Effect::new(move |_| {
            this.profile.set(None);
            if user_id.with(Option::is_some) {
                this.reload();
            }
        });
        this
    }

    /// Loads the standing again (after TOTP was switched on or off).
    pub fn reload(self) {
        let session = self.session;
        leptos::task::spawn_local(async move {
            if let Ok(profile) = session.call::<(), StaffProfile>("GET", "/staff/me", None).await {
                self.profile.set(Some(profile));
            }
        });
    }

    /// Whether the person holds any staff role (reactive).
    pub fn is_staff(self) -> bool {
        self.profile.with(|p| p.as_ref().is_some_and(|p| !p.roles.is_empty()))
    }
}

/// The provided staff standing.
pub fn use_staff_standing() -> StaffStanding {
    expect_context::<StaffStanding>()
}
