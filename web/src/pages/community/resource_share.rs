//! The form to share a resource in the fixed format: name, source (required), applicable
//! scenario, category, and a link or an uploaded file. Sharing earns +10 points.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{FieldIssue, ResourceCategory, ShareResourceRequest, SharedResource};
use shared::validate::Check;

use super::resources::category_name;
use super::{form_errors, tx};
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error};
use crate::i18n::{EngagementMsg, Msg, tr};
use crate::pages::library::TextArea;
use crate::pages::library::attachments::{Attachment, AttachmentsField};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The form's fields as the request to send, trimmed by the API's own check of a shared resource;
/// or every problem, with an unchosen category (which the request cannot express) among them.
fn share_request(
    texts: [String; 4],
    category: &str,
    file_id: Option<String>,
) -> Result<ShareResourceRequest, Vec<FieldIssue>> {
    let [name, source, scenario, link] = texts;
    let chosen = ResourceCategory::parse(category);
    let request = ShareResourceRequest {
        name,
        source,
        scenario,
        // A stand-in while none is chosen: the check does not look at the category.
        category: chosen.unwrap_or(ResourceCategory::PolicyRegulation),
        link: Some(link),
        file_id,
    };
    let checked = request.check();
    let mut issues = checked.as_ref().err().map(|i| i.0.clone()).unwrap_or_default();
    if chosen.is_none() {
        issues.push(FieldIssue::new("category", "required"));
    }
    match checked {
        Ok(valid) if issues.is_empty() => Ok(ShareResourceRequest {
            name: valid.name,
            source: valid.source,
            scenario: valid.scenario,
            category: valid.category,
            link: valid.link,
            file_id: valid.file_id,
        }),
        _ => Err(issues),
    }
}

/// The share form.
#[component]
pub fn ShareForm(group_id: String, on_shared: Callback<SharedResource>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let (name, source, scenario, category, link) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let files = RwSignal::new(Vec::<Attachment>::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let file_id = files.with_untracked(|f| f.first().map(|a| a.sha256.clone()));
        let texts = [name, source, scenario, link].map(|s| s.get_untracked());
        let body = match share_request(texts, &category.get_untracked(), file_id) {
            Ok(body) => body,
            Err(issues) => {
                errors.set(FormErrors::local(issues));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/shared-resources", gid.get_value());
            let result = session.call::<_, SharedResource>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(resource) => {
                    errors.set(FormErrors::default());
                    for s in [name, source, scenario, link] {
                        s.set(String::new());
                    }
                    files.set(Vec::new());
                    toasts.success(Msg::EngagementMsg(EngagementMsg::ResourceShared));
                    on_shared.run(resource);
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <details class="subsection" id="share-resource">
            <summary>{tx(EngagementMsg::ShareResource)}</summary>
            <form id="resource-form" on:submit=submit novalidate>
                <TextField id="resource-name" label=Msg::EngagementMsg(EngagementMsg::ResourceName) value=name errors=errors field="name"/>
                <TextField id="resource-source" label=Msg::EngagementMsg(EngagementMsg::Source) value=source errors=errors field="source"/>
                <TextArea id="resource-scenario" label=Msg::EngagementMsg(EngagementMsg::Scenario) value=scenario errors=errors field="scenario" rows=2/>
                <label for="resource-form-category">{tr(Msg::Category)}</label>
                <select id="resource-form-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{tr(Msg::ChooseOne)}</option>
                    {ResourceCategory::ALL.iter().copied().map(|c| view! { <option value=c.as_str()>{tx(category_name(c))}</option> }).collect_view()}
                </select>
                <FieldError text=field_error(errors, "category") id="resource-form-category-error"/>
                <TextField id="resource-link" label=Msg::EngagementMsg(EngagementMsg::Link) value=link errors=errors field="link" kind="url" hint=Msg::EngagementMsg(EngagementMsg::LinkOrFile)/>
                <AttachmentsField id="resource-file" label=Msg::Files value=files errors=errors field="file_id"/>
                <FormError errors=errors id="resource-form-error"/>
                <SubmitButton id="resource-submit" label=Msg::EngagementMsg(EngagementMsg::Share) busy=busy/>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_a_category_and_a_link_or_file_are_required() {
        let texts = |source: &str, link: &str| ["规则".into(), source.into(), String::new(), link.into()];
        let fields = |v: Vec<FieldIssue>| v.into_iter().map(|i| (i.field, i.issue)).collect::<Vec<_>>();
        assert_eq!(
            fields(share_request(texts(" ", ""), "", None).expect_err("refused")),
            [("source", "required"), ("link", "link_or_file_required"), ("category", "required")]
                .map(|(f, i)| (f.to_owned(), i.to_owned()))
        );
        assert!(share_request(texts("住建部", ""), "case_library", Some("abc".into())).is_ok());
        let body = share_request(texts(" 住建部 ", " https://x.cn "), "case_library", None).expect("valid");
        assert_eq!((body.source.as_str(), body.link.as_deref()), ("住建部", Some("https://x.cn")));
    }
}
