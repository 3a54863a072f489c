//! Organisation form fields used by the wizard and the profile editor: the USCC with instant
//! checksum feedback, and the business-role checkboxes.

use leptos::prelude::*;
use shared::domain::identity::Uscc;
use shared::dto::BusinessRole;

use crate::forms::{FormErrors, TextField};
use crate::i18n::{Msg, role_name, uscc_problem, use_i18n};

/// Every business role, in display order.
pub const ALL_ROLES: [BusinessRole; 5] = [
    BusinessRole::Contractor,
    BusinessRole::Subcontractor,
    BusinessRole::Supplier,
    BusinessRole::Designer,
    BusinessRole::Financier,
];

/// The USCC input; says as the person types whether the code is well-formed and, if not, why.
#[component]
pub fn UsccField(id: &'static str, value: RwSignal<String>, errors: RwSignal<FormErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let verdict = move || {
        let text = value.get();
        (!text.trim().is_empty()).then(|| Uscc::parse(&text))
    };
    view! {
        <TextField id=id label=Msg::Uscc value=value errors=errors field="uscc" hint=Msg::UsccHint/>
        {move || verdict().map(|v| {
            let ok = v.is_ok();
            let text = match &v {
                Ok(_) => i18n.t(Msg::UsccLooksRight).to_owned(),
                Err(e) => uscc_problem(i18n.0.get(), e),
            };
            view! { <p id=format!("{id}-check") class="check-line" class:ok=ok class:bad=!ok aria-live="polite">{text}</p> }
        })}
    }
}

/// Checkboxes for the business roles.
#[component]
pub fn RolePicker(value: RwSignal<Vec<BusinessRole>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="role-picker">
            <legend>{move || i18n.t(Msg::BusinessRoles)}</legend>
            {ALL_ROLES.into_iter().map(|role| {
                let checked = move || value.with(|v| v.contains(&role));
                view! {
                    <label class="chip">
                        <input type="checkbox" id=format!("role-{}", role.as_str()) prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            value.update(|v| {
                                v.retain(|r| *r != role);
                                if on {
                                    v.push(role);
                                    v.sort();
                                }
                            });
                        }/>
                        {move || i18n.t(role_name(role))}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
