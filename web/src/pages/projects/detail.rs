//! A project's page (`/projects/{id}`): its facts, description and tender documents, the
//! clarification Q&A, and for its own organisation: edit, publish (draft → published) and
//! close (published → closed). Drafts are visible to their organisation only.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::dto::{Project, ProjectStatus};

use super::form::ProjectForm;
use super::questions::Questions;
use super::status_class;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::failure_text;
use crate::http::Failure;
use crate::i18n::{Msg, project_status_name, project_type_name, tr, use_i18n};
use crate::money::format_fen;
use crate::pages::library::attachments::AttachmentLinks;
use crate::pages::library::{acts_for, badge};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The project page.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let project = RwSignal::new(None::<Result<Project, Failure>>);
    let load = move || {
        let id = id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = orgs.call_acting::<(), Project>("GET", &format!("/projects/{id}"), None).await;
            project.set(Some(result));
        });
    };
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = (id.get(), orgs.acting());
            load();
        }
    });
    move || match project.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(failure)) => view! {
            <section class="card narrow">
                <h1 id="project-missing">{tr(Msg::ProjectNotFound)}</h1>
                <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
            </section>
        }
        .into_any(),
        Some(Ok(p)) => view! { <ProjectView project=p holder=project/> }.into_any(),
    }
}

#[component]
fn ProjectView(project: Project, holder: RwSignal<Option<Result<Project, Failure>>>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let p = project;
    let id = StoredValue::new(p.id.clone());
    let owner_org = StoredValue::new(p.org_id.clone());
    let owner = move || acts_for(&owner_org.get_value());
    let status = p.status;
    let editing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let confirm_close = RwSignal::new(false);
    let transition = move |step: &'static str, done: Msg| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/projects/{}/{step}", id.get_value());
            let result = orgs.call_acting::<(), Project>("POST", &path, None).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(done);
                    holder.set(Some(Ok(updated)));
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let saved = Callback::new(move |updated: Project| {
        editing.set(false);
        holder.set(Some(Ok(updated)));
    });
    let edit_copy = StoredValue::new(p.clone());
    view! {
        <div class="stack">
            <section class="card">
                <p class="eyebrow">{p.org_name.clone()}</p>
                <h1 id="project-title">{p.name.clone()}</h1>
                <p class="badges">
                    {badge(project_type_name(p.project_type), "")}
                    <span class=format!("badge {}", status_class(status)) id="project-status">{tr(project_status_name(status))}</span>
                    {p.tags.iter().map(|t| view! { <span class="badge tag">"#"{t.clone()}</span> }).collect_view()}
                </p>
                <dl class="facts">
                    <dt>{tr(Msg::Investment)}</dt><dd id="project-investment-shown">{format_fen(p.investment_fen)}</dd>
                    <dt>{tr(Msg::Region)}</dt>
                    <dd>{p.region_name.clone()}{p.address.clone().map(|a| format!(" · {a}"))}</dd>
                    {p.published_at.map(|at| view! { <dt>{tr(Msg::PublishedAt)}</dt><dd>{datetime::day(at)}</dd> })}
                </dl>
                <p class="prose">{p.description.clone()}</p>
                <h2>{tr(Msg::TenderDocuments)}</h2>
                <AttachmentLinks id="project-files" files=p.tender_files.clone()/>
                <Show when=owner>
                    <div class="actions">
                        <button class="button" type="button" id="project-edit" on:click=move |_| editing.update(|e| *e = !*e)>
                            {move || if editing.get() { i18n.t(Msg::Cancel) } else { i18n.t(Msg::Edit) }}
                        </button>
                        {(status == ProjectStatus::Draft).then(|| view! {
                            <button class="button primary" type="button" id="project-publish" disabled=move || busy.get()
                                on:click=move |_| transition("publication", Msg::ProjectPublished)>{tr(Msg::Publish)}</button>
                        })}
                        {(status == ProjectStatus::Published).then(|| view! {
                            <Show when=move || !confirm_close.get() fallback=move || view! {
                                <span class="confirm-text">{tr(Msg::CloseProjectConfirm)}</span>
                                <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get()
                                    on:click=move |_| transition("closure", Msg::ProjectClosed)>{tr(Msg::Confirm)}</button>
                                <button class="button small" type="button" on:click=move |_| confirm_close.set(false)>{tr(Msg::Cancel)}</button>
                            }>
                                <button class="button danger" type="button" id="project-close" on:click=move |_| confirm_close.set(true)>{tr(Msg::CloseProject)}</button>
                            </Show>
                        })}
                    </div>
                </Show>
            </section>
            <Show when=move || editing.get() && status != ProjectStatus::Closed>
                <section class="card">
                    <h2>{tr(Msg::Edit)}</h2>
                    <ProjectForm initial=Some(edit_copy.get_value()) on_saved=saved/>
                </section>
            </Show>
            {(status != ProjectStatus::Draft).then(|| view! {
                <Questions project_id=p.id.clone() owner_org=p.org_id.clone() open=status == ProjectStatus::Published/>
            })}
        </div>
    }
}
