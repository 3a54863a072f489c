//! The create-organisation wizard: identity (name, short name, USCC with instant checksum
//! feedback), business (roles, registered region), contact; then the caller owns the new
//! organisation and acts for it. Each step runs the request's check from `shared` (the API's
//! own) for its fields. Nothing typed is lost between steps or on a failed submit.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::dto::{BusinessRole, CreateOrganisationRequest, FieldIssue, Organisation};
use shared::validate::Check;

use super::fields::{RolePicker, UsccField};
use super::region::RegionPicker;
use crate::active_org::use_active_org;
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::session::{require_sign_in, use_session};
use crate::toast::use_toasts;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Step {
    Identity,
    Business,
    Contact,
}

impl Step {
    /// The step whose form holds an API field.
    fn of_field(field: &str) -> Step {
        match field {
            "name" | "short_name" | "uscc" => Step::Identity,
            "roles" | "region_code" => Step::Business,
            _ => Step::Contact,
        }
    }
}

fn optional(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The wizard page.
#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    require_sign_in();
    let i18n = use_i18n();
    let session = use_session();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let step = RwSignal::new(Step::Identity);
    let text = || RwSignal::new(String::new());
    let (name, short_name, uscc) = (text(), text(), text());
    let (address, contact_name, contact_phone, contact_email) = (text(), text(), text(), text());
    let roles = RwSignal::new(Vec::<BusinessRole>::new());
    let region = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    let body = move || CreateOrganisationRequest {
        name: name.get_untracked(),
        short_name: optional(short_name.get_untracked()),
        uscc: uscc.get_untracked(),
        roles: roles.get_untracked(),
        region_code: region.get_untracked().unwrap_or_default(),
        address: optional(address.get_untracked()),
        latitude: None,
        longitude: None,
        contact_name: optional(contact_name.get_untracked()),
        contact_phone: optional(contact_phone.get_untracked()),
        contact_email: optional(contact_email.get_untracked()),
        categories: None,
        regions_served: None,
        declared_capacity_fen: None,
    };
    // The request's own check, up to and including step `upto`; a region not chosen yet is
    // the picker's problem, not the check's.
    let check = move |body: &CreateOrganisationRequest, upto: Step| -> Vec<FieldIssue> {
        let mut parsed = Vec::new();
        if upto >= Step::Business && region.with_untracked(Option::is_none) {
            parsed.push(FieldIssue::new("region_code", "required"));
        }
        let mut issues = before_sending(parsed, body.check());
        issues.retain(|i| Step::of_field(&i.field) <= upto);
        issues
    };
    let show = move |issues: FormErrors| {
        if let Some(first) = issues.fields.iter().map(|i| Step::of_field(&i.field)).min() {
            step.set(first);
        }
        errors.set(issues);
    };
    let next = move |ev: SubmitEvent| {
        ev.prevent_default();
        let at = step.get_untracked();
        let issues = check(&body(), at);
        if !issues.is_empty() {
            show(FormErrors::local(issues));
            return;
        }
        errors.set(FormErrors::default());
        step.set(if at == Step::Identity { Step::Business } else { Step::Contact });
    };
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = body();
        let issues = check(&body, Step::Contact);
        if !issues.is_empty() {
            show(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<Organisation, Failure> = session.call("POST", "/orgs", Some(&body)).await;
            busy.set(false);
            match result {
                Ok(org) => {
                    let id = org.profile.id.clone();
                    orgs.mine.update(|mine| mine.get_or_insert_with(Vec::new).push(org));
                    orgs.select(Some(id.clone()));
                    toasts.success(Msg::OrgCreated);
                    navigate.with_value(|go| go(&format!("/orgs/{id}"), Default::default()));
                }
                Err(failure) => show(FormErrors::from_failure(failure)),
            }
        });
    };
    let step_class = move |s: Step| {
        if step.get() == s {
            "current"
        } else if step.get() > s {
            "done"
        } else {
            ""
        }
    };
    let back = move |_| {
        errors.update(|e| e.form = None);
        step.update(|s| *s = if *s == Step::Contact { Step::Business } else { Step::Identity });
    };
    view! {
        <section class="card wizard">
            <h1>{move || i18n.t(Msg::CreateOrg)}</h1>
            <ol class="wizard-steps" aria-label=move || i18n.t(Msg::Steps)>
                <li class=move || step_class(Step::Identity)>{move || i18n.t(Msg::StepIdentity)}</li>
                <li class=move || step_class(Step::Business)>{move || i18n.t(Msg::StepBusiness)}</li>
                <li class=move || step_class(Step::Contact)>{move || i18n.t(Msg::StepContact)}</li>
            </ol>
            {move || match step.get() {
                Step::Identity => view! {
                    <form id="org-step-identity" on:submit=next novalidate>
                        <TextField id="org-name" label=Msg::OrgName value=name errors=errors field="name" autocomplete="organization" hint=Msg::OrgNameHint/>
                        <TextField id="org-short-name" label=Msg::OrgShortName value=short_name errors=errors field="short_name"/>
                        <UsccField id="org-uscc" value=uscc errors=errors/>
                        <FormError errors=errors id="org-form-error"/>
                        <div class="actions"><button id="org-next" class="button primary" type="submit">{move || i18n.t(Msg::Next)}</button></div>
                    </form>
                }.into_any(),
                Step::Business => view! {
                    <form id="org-step-business" on:submit=next novalidate>
                        <RolePicker value=roles/>
                        <FieldError text=field_error(errors, "roles") id="org-roles-error"/>
                        <fieldset>
                            <legend>{move || i18n.t(Msg::RegisteredRegion)}</legend>
                            <RegionPicker id="org-region" value=region/>
                        </fieldset>
                        <FieldError text=field_error(errors, "region_code") id="org-region-error"/>
                        <FormError errors=errors id="org-form-error"/>
                        <div class="actions">
                            <button class="button" type="button" on:click=back>{move || i18n.t(Msg::Back)}</button>
                            <button id="org-next" class="button primary" type="submit">{move || i18n.t(Msg::Next)}</button>
                        </div>
                    </form>
                }.into_any(),
                Step::Contact => view! {
                    <form id="org-step-contact" on:submit=create novalidate>
                        <TextField id="org-address" label=Msg::Address value=address errors=errors field="address" autocomplete="street-address"/>
                        <TextField id="org-contact-name" label=Msg::ContactName value=contact_name errors=errors field="contact_name"/>
                        <TextField id="org-contact-phone" label=Msg::ContactPhone value=contact_phone errors=errors field="contact_phone" kind="tel" inputmode="tel"/>
                        <TextField id="org-contact-email" label=Msg::ContactEmail value=contact_email errors=errors field="contact_email" kind="email"/>
                        <FormError errors=errors id="org-form-error"/>
                        <div class="actions">
                            <button class="button" type="button" on:click=back>{move || i18n.t(Msg::Back)}</button>
                            <SubmitButton id="org-create" label=Msg::CreateOrg busy=busy/>
                        </div>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
