//! Posting a project (a draft until published; verified organisations only) and editing one:
//! name, type, investment in yuan (sent as fen), region, address, tags, description and the
//! tender documents, uploaded as they are chosen.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{CreateProjectRequest, FieldIssue, Project, ProjectType, UpdateProjectRequest};
use shared::validate::Check;

use crate::forms::{
    FieldError, FormError, SubmitButton, TextField, before_sending, field_error, sendable_for,
};
use crate::i18n::{Msg, project_type_name, tr};
use crate::money::{parse_yuan, yuan_input};
use crate::pages::library::attachments::{Attachment, AttachmentsField};
use crate::pages::library::{ItemForm, TextArea, may_publish, optional, tags_from};
use crate::pages::orgs::region::RegionPicker;
use crate::session::require_sign_in;

/// The page to post a project (`/projects/new`).
#[component]
pub fn NewProjectPage() -> impl IntoView {
    require_sign_in();
    let navigate = StoredValue::new_local(use_navigate());
    let saved = Callback::new(move |p: Project| {
        navigate.with_value(|go| go(&format!("/projects/{}", p.id), Default::default()));
    });
    view! {
        <section class="card">
            <h1 id="project-form-title">{tr(Msg::PostProject)}</h1>
            <Show when=move || !may_publish()>
                <p class="notice" id="project-needs-verification">{tr(Msg::NeedsVerifiedOrg)}</p>
            </Show>
            <ProjectForm initial=None on_saved=saved/>
        </section>
    }
}

/// The project form: creates a draft when `initial` is `None`, else changes that project.
#[component]
pub fn ProjectForm(initial: Option<Project>, on_saved: Callback<Project>) -> impl IntoView {
    let form = ItemForm::new(on_saved);
    let ItemForm { orgs, busy, errors, .. } = form;
    let p = initial.as_ref();
    let editing = StoredValue::new(p.map(|p| p.id.clone()));
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let name = text(p.map(|p| p.name.clone()));
    let project_type = RwSignal::new(p.map(|p| p.project_type));
    let investment = text(p.map(|p| yuan_input(p.investment_fen)));
    let region = RwSignal::new(p.map(|p| p.region_code.clone()));
    let address = text(p.and_then(|p| p.address.clone()));
    let tags = text(p.map(|p| p.tags.join("，")));
    let description = text(p.map(|p| p.description.clone()));
    let files = RwSignal::<Vec<Attachment>>::new(
        p.map(|p| p.tender_files.iter().enumerate().map(|(i, f)| Attachment::saved(f, i)).collect())
            .unwrap_or_default(),
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // What the inputs cannot say as a request (no type chosen, an amount that is not a
        // number), then the API's own check of the request, from `shared` (same field codes).
        let mut issues = Vec::new();
        if project_type.get_untracked().is_none() {
            issues.push(FieldIssue::new("project_type", "required"));
        }
        let fen = parse_yuan(&investment.get_untracked());
        if let Err(e) = fen {
            issues.push(FieldIssue::new("investment_fen", e.code()));
        }
        let body = CreateProjectRequest {
            name: name.get_untracked(),
            project_type: project_type.get_untracked().unwrap_or(ProjectType::Other),
            investment_fen: fen.unwrap_or_default(),
            region_code: region.get_untracked().unwrap_or_default(),
            address: optional(&address.get_untracked()),
            latitude: None,
            longitude: None,
            tags: tags_from(&tags.get_untracked()),
            description: description.get_untracked(),
            tender_files: files.with_untracked(|f| f.iter().map(|a| a.sha256.clone()).collect()),
        };
        let issues = before_sending(issues, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else {
            return;
        };
        // A cleared address is sent as blank, which the API stores as none.
        let address = Some(body.address.clone().unwrap_or_default());
        let change = UpdateProjectRequest { address, ..UpdateProjectRequest::from(&body) };
        form.save(org, "/projects", editing.get_value(), body, change);
    };
    view! {
        <form id="project-form" on:submit=submit novalidate>
            <TextField id="project-name" label=Msg::ProjectName value=name errors=errors field="name" hint=Msg::ProjectNameHint/>
            <label for="project-type">{tr(Msg::ProjectType)}</label>
            <select id="project-type" on:change=move |ev| project_type.set(ProjectType::parse(&event_target_value(&ev)))>
                <option value="" selected=move || project_type.with(Option::is_none)>{tr(Msg::ChooseOne)}</option>
                {ProjectType::ALL.iter().copied().map(|t| view! {
                    <option value=t.as_str() selected=move || project_type.get() == Some(t)>{tr(project_type_name(t))}</option>
                }).collect_view()}
            </select>
            <FieldError text=field_error(errors, "project_type") id="project-type-error"/>
            <TextField id="project-investment" label=Msg::InvestmentYuan value=investment errors=errors field="investment_fen" inputmode="decimal" hint=Msg::YuanHint/>
            <fieldset>
                <legend>{tr(Msg::ProjectRegion)}</legend>
                <RegionPicker id="project-region" value=region/>
            </fieldset>
            <FieldError text=field_error(errors, "region_code") id="project-region-error"/>
            <TextField id="project-address" label=Msg::Address value=address errors=errors field="address"/>
            <TextField id="project-tags" label=Msg::Tags value=tags errors=errors field="tags" hint=Msg::TagsHint/>
            <TextArea id="project-description" label=Msg::Description value=description errors=errors field="description" rows=6/>
            <AttachmentsField id="project-files" label=Msg::TenderDocuments value=files errors=errors field="tender_files"/>
            <FormError errors=errors id="project-form-error"/>
            <SubmitButton id="project-submit" label=Msg::Save busy=busy/>
        </form>
    }
}
