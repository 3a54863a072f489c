//! The staff console (`/staff…`), shown only to platform staff with TOTP on: the verification
//! review queue, the demand review queue, the dual-control inbox (with organisation
//! suspension), the audit log, the business calendar's years, and for finance officers the
//! finance console (statement import and reconciliation, see [`finance`]; withdrawals, see
//! [`payouts`]).

mod audit;
mod awards;
mod calendar;
mod demand_reviews;
mod document;
mod finance;
mod inbox;
mod payouts;
mod queue;
mod review;
mod risk;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use shared::dto::StaffRole;

use crate::i18n::{EscrowMsg, Msg, use_i18n};
use crate::session::require_sign_in;
use crate::staff_standing::use_staff_standing;

/// A part of the console.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Queue,
    Demands,
    Inbox,
    Audit,
    Calendar,
    Disputes,
    Finance,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::Queue => "/staff",
            Section::Demands => "/staff/demand-reviews",
            Section::Inbox => "/staff/requests",
            Section::Audit => "/staff/audit",
            Section::Calendar => "/staff/calendar",
            Section::Disputes => "/staff/disputes",
            Section::Finance => "/staff/finance",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Section::Queue => "staff-tab-queue",
            Section::Demands => "staff-tab-demands",
            Section::Inbox => "staff-tab-inbox",
            Section::Audit => "staff-tab-audit",
            Section::Calendar => "staff-tab-calendar",
            Section::Disputes => "staff-tab-disputes",
            Section::Finance => "staff-tab-finance",
        }
    }

    fn label(self) -> Msg {
        match self {
            Section::Queue => Msg::StaffQueue,
            Section::Demands => Msg::DemandReviews,
            Section::Inbox => Msg::StaffInbox,
            Section::Audit => Msg::StaffAudit,
            Section::Calendar => Msg::StaffCalendar,
            Section::Disputes => Msg::DisputeMsg(crate::i18n::DisputeMsg::OpenCases),
            Section::Finance => Msg::EscrowMsg(EscrowMsg::Finance),
        }
    }
}

/// The review queue page (`/staff`).
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    view! { <Console section=Section::Queue/> }
}

/// The demand review queue page (`/staff/demand-reviews`).
#[component]
pub fn StaffDemandReviewsPage() -> impl IntoView {
    view! { <Console section=Section::Demands/> }
}

/// The dual-control inbox page (`/staff/requests`).
#[component]
pub fn StaffInboxPage() -> impl IntoView {
    view! { <Console section=Section::Inbox/> }
}

/// The audit log page (`/staff/audit`).
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    view! { <Console section=Section::Audit/> }
}

/// The business calendar page (`/staff/calendar`).
#[component]
pub fn StaffCalendarPage() -> impl IntoView {
    view! { <Console section=Section::Calendar/> }
}

/// The open disputes (`/staff/disputes`).
#[component]
pub fn StaffDisputesPage() -> impl IntoView {
    view! { <Console section=Section::Disputes/> }
}

/// The finance console page (`/staff/finance`).
#[component]
pub fn StaffFinancePage() -> impl IntoView {
    view! { <Console section=Section::Finance/> }
}

/// The console frame: who may see it, the section tabs, and the section.
#[component]
fn Console(section: Section) -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let standing = use_staff_standing();
    let location = use_location();
    move || {
        match standing.profile.get() {
        None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Some(p) if p.roles.is_empty() => view! {
            <section class="card narrow"><h1 id="staff-denied">{move || i18n.t(Msg::StaffOnly)}</h1></section>
        }
        .into_any(),
        Some(p) if !p.totp_enabled => view! {
            <section class="card narrow">
                <h1>{move || i18n.t(Msg::StaffConsole)}</h1>
                <p class="form-error" role="alert" id="staff-needs-totp">{move || i18n.t(Msg::StaffNeedsTotp)}</p>
                <a href="/account#totp" class="button primary">{move || i18n.t(Msg::TotpStart)}</a>
            </section>
        }
        .into_any(),
        Some(p) => {
            let finance = p.roles.contains(&StaffRole::FinanceOfficer);
            let mut sections = vec![Section::Queue, Section::Demands, Section::Inbox, Section::Audit, Section::Calendar, Section::Disputes];
            if finance {
                sections.push(Section::Finance);
            }
            view! {
            <div class="stack">
                <nav class="tabs" aria-label=move || i18n.t(Msg::StaffConsole)>
                    {sections.into_iter().map(|s| view! {
                        <A href=s.path() attr:class="tab" attr:id=s.id()
                            attr:aria-current=move || (location.pathname.get() == s.path()).then_some("page")>
                            {move || i18n.t(s.label())}
                        </A>
                    }).collect_view()}
                </nav>
                {match section {
                    Section::Queue => view! { <queue::Queue/> }.into_any(),
                    Section::Demands => view! { <demand_reviews::DemandReviews/> }.into_any(),
                    Section::Inbox => view! { <inbox::Inbox/> }.into_any(),
                    Section::Audit => view! { <audit::AuditLog/> }.into_any(),
                    Section::Calendar => view! { <calendar::CalendarYears/> }.into_any(),
                    Section::Disputes => view! { <OpenDisputes/> }.into_any(),
                    Section::Finance if finance => view! { <finance::Finance/> }.into_any(),
                    Section::Finance => view! {
                        <section class="card narrow"><h1 id="finance-denied">{move || i18n.t(Msg::EscrowMsg(EscrowMsg::FinanceOnly))}</h1></section>
                    }.into_any(),
                }}
            </div>
            }
            .into_any()
        }
    }
    }
}

/// The open disputes, oldest first, each linking to its page (where the staff steps are).
#[component]
fn OpenDisputes() -> impl IntoView {
    use crate::i18n::DisputeMsg;
    let i18n = use_i18n();
    let session = crate::session::use_session();
    let list = RwSignal::new(None::<Result<Vec<shared::dto::DisputeView>, crate::http::Failure>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let result = session.call::<(), shared::dto::DisputeList>("GET", "/staff/disputes", None).await;
            let _ = list.try_set(Some(result.map(|l| l.items)));
        });
    });
    let t = move |m: DisputeMsg| i18n.t(Msg::DisputeMsg(m));
    view! {
        <section class="card" id="staff-disputes">
            <h2>{move || t(DisputeMsg::OpenCases)}</h2>
            {move || match list.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{move || crate::forms::failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty" id="staff-disputes-empty">{move || t(DisputeMsg::NoOpenCases)}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="rows" id="staff-dispute-list">
                        {items.into_iter().map(|d| {
                            let state = d.state;
                            view! {
                                <li class="row staff-dispute" data-state=state.as_str()>
                                    <A href=format!("/disputes/{}", d.id)>{move || crate::pages::disputes::state_text(i18n.0.get(), state)}</A>
                                    " · " {crate::money::format_fen(d.amount_fen)} " · " {crate::datetime::minute(d.filed_at)}
                                    {d.deadline.map(|dl| view! { " · " {move || t(DisputeMsg::Deadline)} " " {crate::datetime::minute(dl.due_at)} })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
