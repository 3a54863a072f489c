//! Editing an organisation's profile (owners and admins). The USCC can be changed only while
//! the organisation is unverified; absent fields stay as they are. The update is checked with
//! `shared`'s check (the API's own) before it is sent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{Organisation, UpdateOrganisationRequest, VerificationStatus};
use shared::validate::orgs::OrganisationFields;

use super::fields::{RolePicker, UsccField};
use super::region::RegionPicker;
use crate::active_org::use_active_org;
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::toast::use_toasts;

/// The profile editor.
#[component]
pub fn ProfileCard(org: Organisation) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = use_active_org();
    let toasts = use_toasts();
    let p = &org.profile;
    let id = StoredValue::new(p.id.clone());
    let original_uscc = StoredValue::new(p.uscc.clone());
    let uscc_open = p.verification_status == VerificationStatus::Unverified;
    let text = |v: Option<&String>| RwSignal::new(v.cloned().unwrap_or_default());
    let name = text(Some(&p.name));
    let short_name = text(p.short_name.as_ref());
    let uscc = text(Some(&p.uscc));
    let address = text(org.address.as_ref());
    let contact_name = text(org.contact_name.as_ref());
    let contact_phone = text(org.contact_phone.as_ref());
    let contact_email = text(org.contact_email.as_ref());
    let roles = RwSignal::new(p.roles.clone());
    let region = RwSignal::new(Some(p.region_code.clone()));
    let current = StoredValue::new(OrganisationFields::from(&org));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let uscc_now = uscc.get_untracked().trim().to_ascii_uppercase();
        let body = UpdateOrganisationRequest {
            name: Some(name.get_untracked().trim().to_owned()),
            short_name: Some(short_name.get_untracked().trim().to_owned()),
            uscc: (uscc_now != original_uscc.get_value()).then_some(uscc_now),
            roles: Some(roles.get_untracked()),
            region_code: region.get_untracked(),
            address: Some(address.get_untracked().trim().to_owned()),
            contact_name: Some(contact_name.get_untracked().trim().to_owned()),
            contact_phone: Some(contact_phone.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            contact_email: Some(contact_email.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            ..UpdateOrganisationRequest::default()
        };
        let issues = current.with_value(|now| before_sending(Vec::new(), body.apply(now.clone())));
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let org_id = id.get_value();
            let result: Result<Organisation, Failure> =
                orgs.call(&org_id, "PATCH", &format!("/orgs/{org_id}"), Some(&body)).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    errors.set(FormErrors::default());
                    current.set_value(OrganisationFields::from(&updated));
                    orgs.mine.update(|mine| {
                        if let Some(slot) = mine.iter_mut().flatten().find(|o| o.profile.id == org_id) {
                            *slot = updated;
                        }
                    });
                    toasts.success(Msg::Saved);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::EditProfile)}</h2>
            <form id="org-profile-form" on:submit=submit novalidate>
                <TextField id="profile-name" label=Msg::OrgName value=name errors=errors field="name"/>
                <TextField id="profile-short-name" label=Msg::OrgShortName value=short_name errors=errors field="short_name"/>
                {if uscc_open {
                    view! { <UsccField id="profile-uscc" value=uscc errors=errors/> }.into_any()
                } else {
                    view! { <p class="hint">{move || i18n.t(Msg::UsccLocked)}</p> }.into_any()
                }}
                <RolePicker value=roles/>
                <FieldError text=field_error(errors, "roles") id="profile-roles-error"/>
                <fieldset>
                    <legend>{move || i18n.t(Msg::RegisteredRegion)}</legend>
                    <RegionPicker id="profile-region" value=region/>
                </fieldset>
                <FieldError text=field_error(errors, "region_code") id="profile-region-error"/>
                <TextField id="profile-address" label=Msg::Address value=address errors=errors field="address"/>
                <TextField id="profile-contact-name" label=Msg::ContactName value=contact_name errors=errors field="contact_name"/>
                <TextField id="profile-contact-phone" label=Msg::ContactPhone value=contact_phone errors=errors field="contact_phone" kind="tel"/>
                <TextField id="profile-contact-email" label=Msg::ContactEmail value=contact_email errors=errors field="contact_email" kind="email"/>
                <FormError errors=errors id="profile-form-error"/>
                <SubmitButton id="profile-submit" label=Msg::Save busy=busy/>
            </form>
        </section>
    }
}
