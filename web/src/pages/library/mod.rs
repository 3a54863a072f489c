//! Pieces shared by the information centre's libraries (projects, resources, demands): the
//! "all / my organisation" switch, the category and region choices, tags, multi-line text
//! fields, attachments, and who may act on an item.

pub mod attachments;

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::domain::standing::may_transact;
use shared::taxonomy::categories;

use crate::active_org::{ActiveOrg, use_active_org};
use crate::forms::{FieldError, FormErrors, field_error};
use crate::http::Failure;
use crate::i18n::{Msg, pick, tr, use_i18n};
use crate::paging::{PAGE_SIZE, Paged};
use crate::query::with_query;
use crate::session::use_session;
use crate::toast::{Toasts, use_toasts};

/// How a library form sends: as the active organisation, saying "saved" on success and showing
/// the API's problems on the form otherwise.
pub struct ItemForm<T: Send + Sync + 'static> {
    pub orgs: ActiveOrg,
    pub toasts: Toasts,
    pub busy: RwSignal<bool>,
    pub errors: RwSignal<FormErrors>,
    pub on_saved: Callback<T>,
}

impl<T: Send + Sync + 'static> Clone for ItemForm<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for ItemForm<T> {}

impl<T: DeserializeOwned + Send + Sync + 'static> ItemForm<T> {
    /// The form's plumbing (call in the component).
    pub fn new(on_saved: Callback<T>) -> Self {
        let errors = RwSignal::new(FormErrors::default());
        Self { orgs: use_active_org(), toasts: use_toasts(), busy: RwSignal::new(false), errors, on_saved }
    }

    /// Saves for `org`: a new item (`POST {path}` with `create`) or, when `editing` one, that
    /// item (`PATCH {path}/{id}` with `change`); the answer goes to `on_saved`.
    pub fn save<C, U>(self, org: String, path: &'static str, editing: Option<String>, create: C, change: U)
    where
        C: Serialize + 'static,
        U: Serialize + 'static,
    {
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result: Result<T, Failure> = match editing {
                None => self.orgs.call(&org, "POST", path, Some(&create)).await,
                Some(id) => self.orgs.call(&org, "PATCH", &format!("{path}/{id}"), Some(&change)).await,
            };
            self.busy.set(false);
            match result {
                Ok(saved) => {
                    self.errors.set(FormErrors::default());
                    self.toasts.success(Msg::Saved);
                    self.on_saved.run(saved);
                }
                Err(failure) => self.errors.set(FormErrors::from_failure(failure)),
            }
        });
    }
}

/// Loads a library's list into `list` page by page — the public `/{what}`, or on the "mine"
/// tab the active organisation's own `/orgs/{org}/{what}`, drafts included — and starts over
/// when the tab or the organisation changes. `split` takes a page into items and next cursor.
/// Gives the loader (`false`: the next page).
pub fn library_pages<T, P>(
    list: Paged<T>,
    mine: RwSignal<bool>,
    what: &'static str,
    split: fn(P) -> (Vec<T>, Option<String>),
) -> impl Fn(bool) + Copy + 'static
where
    T: Send + Sync + 'static,
    P: DeserializeOwned + 'static,
{
    let session = use_session();
    let orgs = use_active_org();
    let load = move |first: bool| {
        let page = [("limit", Some(PAGE_SIZE.to_owned())), ("cursor", list.cursor_for(first))];
        let org = orgs.acting_untracked().filter(|_| mine.get_untracked());
        let path = match &org {
            Some(org) => with_query(&format!("/orgs/{org}/{what}"), &page),
            None => with_query(&format!("/{what}"), &page),
        };
        list.load(first, async move {
            let page: P = session.call_as(org.as_deref(), "GET", &path, None::<&()>).await?;
            Ok(split(page))
        });
    };
    Effect::new(move |_| {
        if session.ready.get() {
            let _ = (mine.get(), orgs.acting());
            load(true);
        }
    });
    load
}

/// Splits typed tags on commas (ASCII, full-width, 、), trimming and dropping empty ones.
pub fn tags_from(text: &str) -> Vec<String> {
    text.split([',', '，', '、']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Trimmed text, `None` when empty.
pub fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Whether the active organisation is `org_id` (its members may manage the item; reactive).
pub fn acts_for(org_id: &str) -> bool {
    use_active_org().acting().is_some_and(|a| a == org_id)
}

/// Whether the active organisation is verified, so it may publish (reactive).
pub fn may_publish() -> bool {
    use_active_org()
        .current()
        .is_some_and(|o| may_transact(o.profile.verification_status, o.profile.suspended).is_ok())
}

/// Tabs "all" / "my organisation"; the second only for people acting for an organisation.
#[component]
pub fn ScopeTabs(mine: RwSignal<bool>, id: &'static str) -> impl IntoView {
    let orgs = use_active_org();
    let tab = move |this: bool, label: Msg, suffix: &'static str| {
        view! {
            <button type="button" class="tab" id=format!("{id}-{suffix}")
                aria-current=move || (mine.get() == this).then_some("page")
                on:click=move |_| mine.set(this)>{tr(label)}</button>
        }
    };
    view! {
        <Show when=move || orgs.acting().is_some()>
            <nav class="tabs">
                {tab(false, Msg::ScopeAll, "all")}
                {tab(true, Msg::ScopeMine, "mine")}
            </nav>
        </Show>
    }
}

/// A select over the shipped categories; `""` is "choose" (or "any" with `any`).
#[component]
pub fn CategorySelect(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] any: bool,
    #[prop(optional)] errors: Option<RwSignal<FormErrors>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{tr(Msg::Category)}</label>
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" selected=move || value.with(String::is_empty)>
                {move || if any { i18n.t(Msg::Any) } else { i18n.t(Msg::ChooseOne) }}
            </option>
            {move || {
                let lang = i18n.0.get();
                categories().iter().map(|c| {
                    let selected = value.with_untracked(|v| *v == c.code);
                    view! { <option value=c.code.clone() selected=selected>{pick(lang, &c.zh, &c.en)}</option> }
                }).collect_view()
            }}
        </select>
        {errors.map(|errors| view! { <FieldError text=field_error(errors, "category") id=format!("{id}-error")/> })}
    }
}

/// A labelled multi-line field bound to `value`, with the API field `field`'s error under it.
#[component]
pub fn TextArea(
    id: &'static str,
    label: Msg,
    value: RwSignal<String>,
    errors: RwSignal<FormErrors>,
    field: &'static str,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <label for=id>{tr(label)}</label>
        <textarea id=id name=field rows=rows aria-describedby=error_id.clone() prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        <FieldError text=field_error(errors, field) id=error_id/>
    }
}

/// A status or kind badge.
pub fn badge(label: Msg, class: &'static str) -> impl IntoView {
    view! { <span class=format!("badge {class}")>{tr(label)}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_any_comma_and_drop_blanks() {
        assert_eq!(tags_from("市政, 道路，改造、 "), vec!["市政", "道路", "改造"]);
        assert!(tags_from(" , ").is_empty());
    }
}
