//! A group's shared resources (资源): the list with its category filter and order (newest or
//! best rated), each in the fixed format — name, source, scenario, category, sharer, rating,
//! link or file —, the share form for members and the monthly update log.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{GroupRole, ResourceCategory, SharedResource, SharedResourcePage};

use super::resource_log::ResourceLog;
use super::resource_share::ShareForm;
use super::{rows_of, tx};
use crate::download::save_url;
use crate::i18n::{EngagementMsg, Msg, tr};
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::stored_file;
use crate::toast::use_toasts;

/// A category's name.
pub fn category_name(category: ResourceCategory) -> EngagementMsg {
    match category {
        ResourceCategory::PolicyRegulation => EngagementMsg::CatPolicy,
        ResourceCategory::SoftwareTools => EngagementMsg::CatSoftware,
        ResourceCategory::CaseLibrary => EngagementMsg::CatCases,
        ResourceCategory::LearningMaterials => EngagementMsg::CatLearning,
    }
}

/// `★ 4.5 (3)`, or `None` before the first rating.
pub fn rating_text(rating: Option<f64>, count: i64) -> Option<String> {
    rating.map(|r| format!("★ {r:.1} ({count})"))
}

/// The resources section of a group page.
#[component]
pub fn ResourcesSection(group_id: String, role: Option<GroupRole>) -> impl IntoView {
    let session = use_session();
    let gid = StoredValue::new(group_id);
    let category = RwSignal::new(String::new());
    let by_rating = RwSignal::new(false);
    let list = Paged::<SharedResource>::new();
    let load = move |first: bool| {
        let path = with_query(
            &format!("/groups/{}/shared-resources", gid.get_value()),
            &[
                ("category", Some(category.get_untracked()).filter(|c| !c.is_empty())),
                ("sort", Some(if by_rating.get_untracked() { "rating" } else { "newest" }.to_owned())),
                ("limit", Some(PAGE_SIZE.to_owned())),
                ("cursor", list.cursor_for(first)),
            ],
        );
        list.load(first, async move {
            let page: SharedResourcePage = session.call("GET", &path, None::<&()>).await?;
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        let _ = (category.get(), by_rating.get());
        load(true);
    });
    let shared = Callback::new(move |_: SharedResource| load(true));
    view! {
        <div class="filters-row">
            <label for="resource-category">{tr(Msg::Category)}</label>
            <select id="resource-category" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">{tr(Msg::Any)}</option>
                {ResourceCategory::ALL.iter().copied().map(|c| view! { <option value=c.as_str()>{tx(category_name(c))}</option> }).collect_view()}
            </select>
            <label for="resource-sort">{tx(EngagementMsg::SortBy)}</label>
            <select id="resource-sort" on:change=move |ev| by_rating.set(event_target_value(&ev) == "rating")>
                <option value="newest">{tx(EngagementMsg::Newest)}</option>
                <option value="rating">{tx(EngagementMsg::BestRated)}</option>
            </select>
        </div>
        <ul class="rows" id="resources">{rows_of(list.items, resource_row)}</ul>
        <ListFooter state=list.state id="resources" empty=Msg::EngagementMsg(EngagementMsg::ResourcesEmpty) on_more=Callback::new(move |()| load(false))/>
        {role.is_some().then(|| view! { <ShareForm group_id=gid.get_value() on_shared=shared/> })}
        <ResourceLog group_id=gid.get_value()/>
    }
}

/// A resource in a list.
pub fn resource_row(r: SharedResource) -> AnyView {
    let (href, name) = (format!("/groups/{}/resources/{}", r.group_id, r.id), r.name.clone());
    view! {
        <li class="row item" data-resource=r.id.clone()>
            <div class="item-main">
                <A href=href attr:class="item-title">{name}</A>
                <p class="badges">
                    <span class="badge">{tx(category_name(r.category))}</span>
                    <span class="badge resource-rating">{rating_text(r.rating, r.rating_count).unwrap_or_else(|| "☆".into())}</span>
                </p>
                <ResourceFacts resource=r.clone()/>
            </div>
        </li>
    }
    .into_any()
}

/// The fixed-format lines of a resource: source, scenario, sharer, and its link or file.
#[component]
pub fn ResourceFacts(resource: SharedResource) -> impl IntoView {
    let r = resource;
    view! {
        <p class="hint">{tx(EngagementMsg::Source)}" "<span class="resource-source">{r.source.clone()}</span></p>
        {(!r.scenario.is_empty()).then(|| view! { <p class="hint">{tx(EngagementMsg::Scenario)}" "{r.scenario.clone()}</p> })}
        <p class="hint">{tx(EngagementMsg::Sharer)}" "<span class="resource-sharer">{r.sharer_nickname.clone()}</span></p>
        {r.link.clone().map(|l| view! { <p><a class="resource-link" href=l.clone() rel="noopener noreferrer" target="_blank">{l.clone()}</a></p> })}
        {r.file_id.clone().map(|sha| view! { <FileButton sha256=sha/> })}
    }
}

/// Downloads a resource's file (the API serves it with the bearer token only).
#[component]
fn FileButton(sha256: String) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let sha = StoredValue::new(sha256);
    let get = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = stored_file::load(session, &sha.get_value()).await;
            busy.set(false);
            match result {
                Ok(file) => {
                    let ext = file.content_type.rsplit(['/', '.']).next().unwrap_or("bin").to_owned();
                    save_url(
                        file.url,
                        &format!("{}.{ext}", &sha.get_value()[..12.min(sha.get_value().len())]),
                    );
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    view! {
        <button type="button" class="button small resource-file" disabled=move || busy.get() on:click=get>{tr(Msg::Download)}</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_shows_one_decimal_and_the_count_and_none_before_the_first() {
        assert_eq!(rating_text(Some(4.26), 3).as_deref(), Some("★ 4.3 (3)"));
        assert_eq!(rating_text(None, 0), None);
    }
}
