//! The project list: published and closed projects for everyone; the active organisation's own
//! (drafts too) on the second tab. Verified organisations get the "post a project" button.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dto::{Project, ProjectPage};

use super::status_class;
use crate::i18n::{Msg, project_status_name, project_type_name, tr};
use crate::money::format_fen;
use crate::pages::library::{ScopeTabs, badge, library_pages, may_publish};
use crate::paging::{ListFooter, Paged};

/// The project list page (`/projects`).
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let mine = RwSignal::new(false);
    let list = Paged::<Project>::new();
    let load = library_pages(list, mine, "projects", |page: ProjectPage| (page.items, page.next_cursor));
    view! {
        <section class="card">
            <div class="title-row">
                <h1 id="projects-title">{tr(Msg::ProjectLibrary)}</h1>
                <Show when=may_publish>
                    <A href="/projects/new" attr:class="button primary" attr:id="project-new">{tr(Msg::PostProject)}</A>
                </Show>
            </div>
            <p class="hint">{tr(Msg::ProjectLibraryIntro)}</p>
            <ScopeTabs mine=mine id="projects-scope"/>
            <ul class="rows" id="projects">
                <For each=move || list.items.get() key=|p| (p.id.clone(), p.updated_at) let:p>
                    <ProjectRow project=p/>
                </For>
            </ul>
            <ListFooter state=list.state id="projects" empty=Msg::ProjectsEmpty on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

#[component]
fn ProjectRow(project: Project) -> impl IntoView {
    let p = project;
    view! {
        <li class="row item">
            <div class="item-main">
                <A href=format!("/projects/{}", p.id) attr:class="item-title">{p.name.clone()}</A>
                <p class="badges">
                    {badge(project_type_name(p.project_type), "")}
                    {badge(project_status_name(p.status), status_class(p.status))}
                </p>
                <p class="hint">{p.org_name.clone()}" · "{p.region_name.clone()}</p>
            </div>
            <strong class="amount">{format_fen(p.investment_fen)}</strong>
        </li>
    }
}
