//! A region picker over the shipped GB/T 2260 divisions: province, then prefecture, then county.
//! The chosen code is the deepest level picked.

use leptos::prelude::*;
use shared::gb2260;

use crate::i18n::{Msg, use_i18n};

/// One level's select box.
#[component]
fn Level(
    id: String,
    label: Msg,
    parent: Signal<Option<Option<String>>>,
    chosen: RwSignal<Option<String>>,
    on_pick: impl Fn(Option<String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = move || parent.get().map(|p| gb2260::children(p.as_deref())).unwrap_or_default();
    let label_id = id.clone();
    view! {
        <Show when=move || !options().is_empty()>
            <div class="region-level">
                <label for=label_id.clone()>{move || i18n.t(label)}</label>
                <select id=id.clone() on:change=move |ev| {
                    let code = event_target_value(&ev);
                    on_pick((!code.is_empty()).then_some(code));
                }>
                    <option value="" selected=move || chosen.with(Option::is_none)>{move || i18n.t(Msg::ChooseOne)}</option>
                    {move || options().into_iter().map(|(code, name)| {
                        let selected = chosen.with(|c| c.as_deref() == Some(code.as_str()));
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
        </Show>
    }
}

/// Picks a region into `value`; `id` prefixes the select boxes' ids (`-province`, `-city`,
/// `-county`). Starts from the code already in `value`.
#[component]
pub fn RegionPicker(id: &'static str, value: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let initial = value.get_untracked().unwrap_or_default();
    let prefix_of = |len: usize| (initial.len() == 6).then(|| initial[..len].to_owned());
    let province = RwSignal::new(prefix_of(2).map(|p| format!("{p}0000")));
    let city = RwSignal::new(
        prefix_of(4)
            .map(|p| format!("{p}00"))
            .filter(|c| Some(c) != province.get_untracked().as_ref() && gb2260::exists(c)),
    );
    let county = RwSignal::new(Some(initial.clone()).filter(|c| {
        c.len() == 6
            && Some(c) != province.get_untracked().as_ref()
            && Some(c) != city.get_untracked().as_ref()
    }));
    // A county directly below a province (municipal districts) sits at the second level.
    if city.get_untracked().is_none() && county.get_untracked().is_some() {
        city.set(county.get_untracked());
        county.set(None);
    }
    let sync =
        move || value.set(county.get_untracked().or(city.get_untracked()).or(province.get_untracked()));
    let top = Signal::derive(|| Some(None));
    let below_province = Signal::derive(move || province.get().map(Some));
    let below_city = Signal::derive(move || city.get().map(Some));
    view! {
        <div class="region-picker">
            <Level id=format!("{id}-province") label=Msg::Province parent=top chosen=province on_pick=move |code| {
                province.set(code);
                city.set(None);
                county.set(None);
                sync();
            }/>
            <Level id=format!("{id}-city") label=Msg::City parent=below_province chosen=city on_pick=move |code| {
                city.set(code);
                county.set(None);
                sync();
            }/>
            <Level id=format!("{id}-county") label=Msg::County parent=below_city chosen=county on_pick=move |code| {
                county.set(code);
                sync();
            }/>
            <p class="hint" id=format!("{id}-full")>
                {move || value.get().and_then(|c| gb2260::full_name(&c)).unwrap_or_else(|| i18n.t(Msg::NoRegionChosen).to_owned())}
            </p>
        </div>
    }
}
