//! The signed-in person's home: cards for the work of the business roles in focus (see
//! [`crate::roles`]), each with the newest few items from the API, a loading and an empty state,
//! and a link into the full page. Switching the view role reorders the cards at once.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::{
    DemandInvitationPage, DemandPage, DemandRecommendations, DemandStatus, GroupPage, InvitationAnswer,
    ProjectPage, ResourcePage,
};

use super::directory::Directory;
use crate::active_org::use_active_org;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, answer_name, demand_status_name, project_status_name, role_name, tr, use_i18n};
use crate::money::format_fen;
use crate::notices::use_notices;
use crate::query::with_query;
use crate::roles::{HomeCard, home_cards, matching_demands};
use crate::session::use_session;

/// Items shown per card.
const LATEST: usize = 3;

/// One item of a card's list.
#[derive(Clone)]
struct Line {
    title: String,
    href: String,
    detail: String,
    badge: Option<(Msg, &'static str)>,
    count: Option<(Msg, i64)>,
}

impl Line {
    fn new(title: String, href: String, detail: String) -> Self {
        Line { title, href, detail, badge: None, count: None }
    }
}

/// A card's items: `None` while loading.
type Fetched = Option<Result<Vec<Line>, Failure>>;

/// The home page for a signed-in person.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let focus = move || orgs.focus();
    let focus_names = move || {
        let names: Vec<&str> = focus().into_iter().map(|r| i18n.t(role_name(r))).collect();
        if names.is_empty() || orgs.view_role.with(Option::is_none) && names.len() > 1 {
            i18n.t(Msg::AllRoles).to_owned()
        } else {
            names.join(" · ")
        }
    };
    let focus_attr = move || orgs.view_role.get().map(|r| r.as_str()).unwrap_or("all");
    view! {
        <section class="home" id="home" data-focus=focus_attr>
            <div class="title-row">
                <h1 id="home-title">{tr(Msg::HomeTitle)}</h1>
                <Show when=move || !focus().is_empty()>
                    <p class="hint" id="home-focus">{tr(Msg::HomeViewingAs)}": "{focus_names}</p>
                </Show>
            </div>
            <Show when=move || orgs.mine.with(Option::is_some) fallback=|| view! { <p class="loading">{tr(Msg::Loading)}</p> }>
                <div class="home-grid" id="home-cards">
                    <For each=move || home_cards(&focus()) key=|card| *card let:card>
                        {card_view(card)}
                    </For>
                </div>
            </Show>
        </section>
    }
}

fn card_view(card: HomeCard) -> AnyView {
    match card {
        HomeCard::MyProjects => MyProjects().into_any(),
        HomeCard::MyDemands => MyDemands().into_any(),
        HomeCard::Recommendations => Recommendations().into_any(),
        HomeCard::ReceivedInvitations => ReceivedInvitations().into_any(),
        HomeCard::MyListings => MyListings().into_any(),
        HomeCard::MatchingDemands => MatchingDemands().into_any(),
        HomeCard::Finance => Finance().into_any(),
        HomeCard::Directory => {
            view! { <div class="home-wide" data-card="directory"><Directory/></div> }.into_any()
        }
        HomeCard::Search => SearchCard().into_any(),
        HomeCard::Notifications => NotificationsCard().into_any(),
        HomeCard::Community => Community().into_any(),
        HomeCard::NoOrganisation => NoOrganisation().into_any(),
    }
}

/// Loads a card's items for the acting organisation, again whenever it changes; an older answer
/// never replaces a newer one.
fn latest<Fut>(fetch: impl Fn(String) -> Fut + Copy + 'static) -> RwSignal<Fetched>
where
    Fut: Future<Output = Result<Vec<Line>, Failure>> + 'static,
{
    let orgs = use_active_org();
    let state = RwSignal::new(None);
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let Some(org) = orgs.acting() else { return };
        state.set(None);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        leptos::task::spawn_local(async move {
            // Signed out meanwhile (the sign-out leaves for this page first).
            if orgs.acting_untracked().is_none() {
                return;
            }
            let result = fetch(org).await;
            if generation.try_get_value() == Some(mine) {
                state.try_set(Some(result));
            }
        });
    });
    state
}

/// A card: title, optional hint and "see all" link, then its body.
fn shell(
    card: HomeCard,
    title: Msg,
    hint: Option<Msg>,
    all: Option<&'static str>,
    body: AnyView,
) -> impl IntoView {
    let slug = card.slug();
    view! {
        <section class="card home-card" data-card=slug id=format!("home-{slug}")>
            <div class="title-row">
                <h2>{tr(title)}</h2>
                {all.map(|href| view! { <A href=href attr:class="see-all" attr:id=format!("home-{slug}-all")>{tr(Msg::HomeSeeAll)}</A> })}
            </div>
            {hint.map(|h| view! { <p class="hint">{tr(h)}</p> })}
            {body}
        </section>
    }
}

/// A card whose body is the newest few items.
fn list_card(
    card: HomeCard,
    title: Msg,
    hint: Option<Msg>,
    all: &'static str,
    empty: Msg,
    state: RwSignal<Fetched>,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = card.slug();
    let body = move || match state.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
        }
        .into_any(),
        Some(Ok(lines)) if lines.is_empty() => {
            view! { <p class="empty" id=format!("home-{slug}-empty")>{tr(empty)}</p> }.into_any()
        }
        Some(Ok(lines)) => view! {
            <ul class="home-lines" id=format!("home-{slug}-items")>
                {lines.into_iter().map(line_view).collect_view()}
            </ul>
        }
        .into_any(),
    };
    shell(card, title, hint, Some(all), view! { <div class="home-body">{body}</div> }.into_any())
}

fn line_view(line: Line) -> impl IntoView {
    view! {
        <li>
            <A href=line.href attr:class="item-title">{line.title}</A>
            {line.badge.map(|(label, class)| view! { <span class=format!("badge {class}")>{tr(label)}</span> })}
            <p class="hint">
                {line.detail}
                {line.count.map(|(label, n)| view! { <span class="home-count">{tr(label)}": "<strong>{n}</strong></span> })}
            </p>
        </li>
    }
}

#[component]
fn MyProjects() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let path = format!("/orgs/{org}/projects?limit={LATEST}");
        let page: ProjectPage = orgs.call(&org, "GET", &path, None::<&()>).await?;
        Ok(page
            .items
            .into_iter()
            .map(|p| Line {
                badge: Some((project_status_name(p.status), "")),
                ..Line::new(p.name, format!("/projects/{}", p.id), p.region_name)
            })
            .collect())
    });
    list_card(HomeCard::MyProjects, Msg::HomeMyProjects, None, "/projects", Msg::HomeNoProjects, state)
}

#[component]
fn MyDemands() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let path = format!("/orgs/{org}/demands?limit={LATEST}");
        let page: DemandPage = orgs.call(&org, "GET", &path, None::<&()>).await?;
        Ok(page
            .items
            .into_iter()
            .map(|d| Line {
                badge: Some((demand_status_name(d.status), "")),
                ..Line::new(
                    d.title,
                    format!("/demands/{}", d.id),
                    format!("{} · {}", d.region_name, d.deadline),
                )
            })
            .collect())
    });
    list_card(HomeCard::MyDemands, Msg::HomeMyDemands, None, "/demands", Msg::HomeNoDemands, state)
}

#[component]
fn Recommendations() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let page: DemandPage =
            orgs.call(&org, "GET", &format!("/orgs/{org}/demands?limit=20"), None::<&()>).await?;
        let mut lines = Vec::new();
        for d in page.items.into_iter().filter(|d| d.status == DemandStatus::Published).take(LATEST) {
            let path = format!("/demands/{}/recommendations", d.id);
            let recommended: DemandRecommendations = orgs.call(&org, "GET", &path, None::<&()>).await?;
            let count = i64::try_from(recommended.items.len()).unwrap_or(i64::MAX);
            lines.push(Line {
                count: Some((Msg::HomeRecommendedCount, count)),
                ..Line::new(d.title, format!("/demands/{}", d.id), d.region_name)
            });
        }
        Ok(lines)
    });
    list_card(
        HomeCard::Recommendations,
        Msg::HomeRecommendations,
        Some(Msg::HomeRecommendationsHint),
        "/demands",
        Msg::HomeNoRecommendations,
        state,
    )
}

#[component]
fn ReceivedInvitations() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let path = format!("/demand-invitations?limit={LATEST}");
        let page: DemandInvitationPage = orgs.call(&org, "GET", &path, None::<&()>).await?;
        Ok(page
            .items
            .into_iter()
            .map(|i| {
                let class = if i.answer == InvitationAnswer::Pending { "badge-warn" } else { "" };
                Line {
                    badge: Some((answer_name(i.answer), class)),
                    ..Line::new(i.demand_title, format!("/demands/{}", i.demand_id), i.poster_org_name)
                }
            })
            .collect())
    });
    list_card(
        HomeCard::ReceivedInvitations,
        Msg::ReceivedInvitations,
        Some(Msg::HomeInvitationsHint),
        "/demand-invitations",
        Msg::NoDemandInvitations,
        state,
    )
}

#[component]
fn MyListings() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let path = format!("/orgs/{org}/resources?limit={LATEST}");
        let page: ResourcePage = orgs.call(&org, "GET", &path, None::<&()>).await?;
        Ok(page
            .items
            .into_iter()
            .map(|r| Line {
                badge: (!r.listed).then_some((Msg::Withdrawn, "badge-muted")),
                ..Line::new(
                    r.name,
                    format!("/resources/{}", r.id),
                    format!("{} / {}", format_fen(r.unit_price_fen), r.unit),
                )
            })
            .collect())
    });
    list_card(HomeCard::MyListings, Msg::HomeMyListings, None, "/resources", Msg::HomeNoListings, state)
}

#[component]
fn MatchingDemands() -> impl IntoView {
    let orgs = use_active_org();
    let state = latest(move |org| async move {
        let categories = orgs
            .mine
            .with_untracked(|m| {
                m.iter().flatten().find(|o| o.profile.id == org).map(|o| o.profile.categories.clone())
            })
            .unwrap_or_default();
        let page: DemandPage = orgs.call(&org, "GET", "/demands?limit=50", None::<&()>).await?;
        Ok(matching_demands(page.items, &org, &categories, LATEST)
            .into_iter()
            .map(|d| {
                let detail = format!("{} · {} · {}", d.org_name, d.region_name, d.deadline);
                Line::new(d.title, format!("/demands/{}", d.id), detail)
            })
            .collect())
    });
    list_card(
        HomeCard::MatchingDemands,
        Msg::HomeMatchingDemands,
        Some(Msg::HomeMatchingHint),
        "/demands",
        Msg::HomeNoMatching,
        state,
    )
}

#[component]
fn Community() -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(None::<Result<Vec<Line>, Failure>>);
    leptos::task::spawn_local(async move {
        if session.token.with_untracked(Option::is_none) {
            return;
        }
        let result =
            session.call::<(), GroupPage>("GET", &format!("/groups?mine=true&limit={LATEST}"), None).await;
        let lines = result.map(|page| {
            page.items
                .into_iter()
                .map(|g| Line {
                    count: Some((Msg::HomeMembers, g.member_count)),
                    ..Line::new(g.name, format!("/groups/{}", g.id), String::new())
                })
                .collect()
        });
        state.try_set(Some(lines));
    });
    list_card(
        HomeCard::Community,
        Msg::HomeCommunity,
        Some(Msg::HomeCommunityHint),
        "/groups",
        Msg::HomeNoGroups,
        state,
    )
}

#[component]
fn NotificationsCard() -> impl IntoView {
    let notices = use_notices();
    let body = view! {
        <p class="home-count">
            <strong id="home-unread">{move || notices.unread.get()}</strong>" "{tr(Msg::HomeUnreadNotifications)}
        </p>
    };
    shell(HomeCard::Notifications, Msg::Notifications, None, Some("/notifications"), body.into_any())
}

#[component]
fn Finance() -> impl IntoView {
    let body = view! {
        <p><span class="badge badge-warn" id="home-finance-soon">{tr(Msg::HomeFinanceSoon)}</span></p>
        <p id="home-finance-text">{tr(Msg::HomeFinancePlaceholder)}</p>
        <p class="links">
            <a href="#directory-title">{tr(Msg::HomeDirectoryJump)}</a>
            " · "
            <A href="/search">{tr(Msg::Search)}</A>
        </p>
    };
    shell(HomeCard::Finance, Msg::HomeFinanceTitle, None, None, body.into_any())
}

#[component]
fn SearchCard() -> impl IntoView {
    let navigate = StoredValue::new_local(use_navigate());
    let text = RwSignal::new(String::new());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = with_query("/search", &[("q", Some(text.get_untracked().trim().to_owned()))]);
        navigate.with_value(|go| go(&url, Default::default()));
    };
    let body = view! {
        <form class="home-search" role="search" on:submit=search>
            <label for="home-search-input" class="sr-only">{tr(Msg::SearchPlaceholder)}</label>
            <input id="home-search-input" type="search" placeholder=tr(Msg::SearchPlaceholder) prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))/>
            <button class="button small" type="submit">{tr(Msg::Search)}</button>
        </form>
    };
    shell(HomeCard::Search, Msg::Search, Some(Msg::HomeSearchHint), None, body.into_any())
}

#[component]
fn NoOrganisation() -> impl IntoView {
    let body = view! {
        <p>{tr(Msg::HomeNoOrgText)}</p>
        <p class="actions">
            <A href="/orgs/new" attr:class="button primary" attr:id="home-create-org">{tr(Msg::CreateOrg)}</A>
            <A href="/invitations" attr:class="button">{tr(Msg::Invitations)}</A>
        </p>
    };
    shell(HomeCard::NoOrganisation, Msg::HomeNoOrgTitle, None, None, body.into_any())
}
