//! Search (`/search?q=…`): one box across projects, listings and organisations, with filters
//! (kind, type, region prefix, amount range) and sort; the URL holds the query, so a search can
//! be linked and the header's box leads here. Matched words are highlighted; "show more" follows
//! the cursor. Organisation hits carry their credit grade.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::dto::{ProjectType, ResourceKind, SearchHit, SearchKind, SearchPage};

use crate::forms::{FieldError, FormErrors, field_error};
use crate::http::request;
use crate::i18n::{
    Lang, Msg, project_type_name, resource_kind_name, role_name, search_kind_name, tr, use_i18n,
};
use crate::money::{format_fen, parse_optional_yuan, yuan_input};
use crate::pages::library::badge;
use crate::pages::orgs::credit::GradeBadge;
use crate::pages::orgs::fields::ALL_ROLES;
use crate::pages::orgs::region::RegionPicker;
use crate::paging::{ListFooter, PAGE_SIZE, Paged};
use crate::query::with_query;

/// The query parameters the page passes on to `GET /search` (amounts in fen).
const PARAMS: [&str; 7] = ["q", "kind", "type", "region", "min_amount", "max_amount", "sort"];

const SORTS: [(&str, Msg); 4] = [
    ("relevance", Msg::SortRelevance),
    ("newest", Msg::SortNewest),
    ("amount_asc", Msg::SortAmountAsc),
    ("amount_desc", Msg::SortAmountDesc),
];

/// Splits `text` into runs, marking those that match one of `terms` (longest match first,
/// ASCII case ignored); neighbouring runs of the same kind are joined.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let mut terms: Vec<&str> = terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, marked: bool| match runs.last_mut() {
        Some((text, m)) if *m == marked => text.push_str(piece),
        _ => runs.push((piece.to_owned(), marked)),
    };
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let hit = terms.iter().find(|t| rest.get(..t.len()).is_some_and(|head| head.eq_ignore_ascii_case(t)));
        let len = match hit {
            Some(t) => t.len(),
            None => rest.chars().next().map_or(1, char::len_utf8),
        };
        push(&rest[..len], hit.is_some());
        at += len;
    }
    runs
}

/// The subtypes a kind of hit can be filtered by (none when all kinds are searched).
fn type_options(kind: &str) -> Vec<(&'static str, Msg)> {
    match kind {
        "project" => ProjectType::ALL.iter().map(|t| (t.as_str(), project_type_name(*t))).collect(),
        "resource" => ResourceKind::ALL.iter().map(|k| (k.as_str(), resource_kind_name(*k))).collect(),
        "organisation" => ALL_ROLES.iter().map(|r| (r.as_str(), role_name(*r))).collect(),
        _ => Vec::new(),
    }
}

fn marked(text: &str, terms: &[String]) -> impl IntoView + use<> {
    highlight(text, terms)
        .into_iter()
        .map(|(run, hit)| if hit { view! { <mark>{run}</mark> }.into_any() } else { run.into_any() })
        .collect_view()
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let text = || RwSignal::new(String::new());
    let (q, kind, subtype, sort, min, max) = (text(), text(), text(), text(), text(), text());
    let region = RwSignal::new(None::<String>);
    // Bumped when the URL sets the region, so the picker starts again from it.
    let region_key = RwSignal::new(0_u32);
    let errors = RwSignal::new(FormErrors::default());
    let total = RwSignal::new(None::<i64>);
    let terms = RwSignal::new(Vec::<String>::new());
    let list = Paged::<SearchHit>::new();
    let load = move |first: bool| {
        let mut pairs: Vec<(&str, Option<String>)> =
            PARAMS.iter().map(|k| (*k, query.with_untracked(|m| m.get(k)))).collect();
        pairs.push(("limit", Some(PAGE_SIZE.to_owned())));
        pairs.push(("cursor", list.cursor_for(first)));
        let path = with_query("/search", &pairs);
        list.load(first, async move {
            let page: SearchPage = request("GET", &path, None::<&()>, None).await?;
            total.set(Some(page.total));
            terms.set(page.terms);
            Ok((page.items, page.next_cursor))
        });
    };
    Effect::new(move |_| {
        let get = |k: &str| query.with(|m| m.get(k)).unwrap_or_default();
        q.set(get("q"));
        kind.set(get("kind"));
        subtype.set(get("type"));
        sort.set(get("sort"));
        let amount = |k: &str| get(k).parse::<i64>().map(yuan_input).unwrap_or_default();
        min.set(amount("min_amount"));
        max.set(amount("max_amount"));
        let wanted = query.with(|m| m.get("region")).filter(|r| !r.is_empty());
        if wanted != region.get_untracked() {
            region.set(wanted);
            region_key.update(|k| *k += 1);
        }
        total.set(None);
        load(true);
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (lo, hi) = (parse_optional_yuan(&min.get_untracked()), parse_optional_yuan(&max.get_untracked()));
        let mut issues = Vec::new();
        if let Err(e) = lo {
            issues.push(shared::dto::FieldIssue::new("min_amount", e.code()));
        }
        if let Err(e) = hi {
            issues.push(shared::dto::FieldIssue::new("max_amount", e.code()));
        }
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        errors.set(FormErrors::default());
        let url = with_query(
            "/search",
            &[
                ("q", Some(q.get_untracked().trim().to_owned())),
                ("kind", Some(kind.get_untracked())),
                // A type of another kind than the one now chosen is dropped.
                (
                    "type",
                    Some(subtype.get_untracked())
                        .filter(|t| type_options(&kind.get_untracked()).iter().any(|(v, _)| v == t)),
                ),
                ("region", region.get_untracked()),
                ("min_amount", lo.ok().flatten().map(|f| f.to_string())),
                ("max_amount", hi.ok().flatten().map(|f| f.to_string())),
                ("sort", Some(sort.get_untracked()).filter(|s| s != "relevance")),
            ],
        );
        navigate.with_value(|go| go(&url, Default::default()));
    };
    let types = move || type_options(&kind.get());
    let select = move |id: &'static str,
                       label: Msg,
                       value: RwSignal<String>,
                       options: Vec<(&'static str, Msg)>,
                       any: Msg| {
        view! {
            <div>
                <label for=id>{tr(label)}</label>
                <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="" selected=move || value.with(String::is_empty)>{tr(any)}</option>
                    {options.into_iter().map(|(v, m)| view! { <option value=v selected=move || value.with(|x| x == v)>{tr(m)}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let kinds = vec![
        ("project", search_kind_name(SearchKind::Project)),
        ("resource", search_kind_name(SearchKind::Resource)),
        ("organisation", search_kind_name(SearchKind::Organisation)),
    ];
    view! {
        <section class="card">
            <h1 id="search-title">{tr(Msg::Search)}</h1>
            <form id="search-form" role="search" on:submit=submit novalidate>
                <label for="search-q" class="sr-only">{tr(Msg::SearchPlaceholder)}</label>
                <div class="search-line">
                    <input id="search-q" type="search" placeholder=tr(Msg::SearchPlaceholder) prop:value=q
                        on:input=move |ev| q.set(event_target_value(&ev))/>
                    <button class="button primary" type="submit" id="search-submit">{tr(Msg::Search)}</button>
                </div>
                <details class="filters" open=move || query.with(|m| PARAMS[1..].iter().any(|k| m.get(k).is_some()))>
                    <summary>{tr(Msg::Filters)}</summary>
                    <div class="filter-grid">
                        {select("search-kind", Msg::SearchKindLabel, kind, kinds, Msg::Any)}
                        {move || {
                            let options = types();
                            (!options.is_empty()).then(|| select("search-type", Msg::SearchTypeLabel, subtype, options, Msg::Any))
                        }}
                        <div>
                            <label for="search-min">{tr(Msg::MinAmountYuan)}</label>
                            <input id="search-min" inputmode="decimal" prop:value=min on:input=move |ev| min.set(event_target_value(&ev))/>
                            <FieldError text=field_error(errors, "min_amount") id="search-min-error"/>
                        </div>
                        <div>
                            <label for="search-max">{tr(Msg::MaxAmountYuan)}</label>
                            <input id="search-max" inputmode="decimal" prop:value=max on:input=move |ev| max.set(event_target_value(&ev))/>
                            <FieldError text=field_error(errors, "max_amount") id="search-max-error"/>
                        </div>
                        {select("search-sort", Msg::SortBy, sort, SORTS[1..].to_vec(), Msg::SortRelevance)}
                    </div>
                    {move || { region_key.track(); view! { <RegionPicker id="search-region" value=region/> } }}
                </details>
            </form>
            {move || total.get().map(|n| view! {
                <p class="hint" id="search-total">
                    {move || match i18n.0.get() { Lang::Zh => format!("共 {n} 条结果"), Lang::En => format!("{n} results") }}
                    {move || terms.with(|words| (!words.is_empty()).then(|| format!(" · {}: {}", i18n.t(Msg::SearchTerms), words.join(" / "))))}
                </p>
            })}
            <ul class="rows" id="search-results">
                <For each=move || list.items.get() key=|h| (h.kind, h.id.clone()) let:hit>
                    <HitRow hit=hit terms=terms/>
                </For>
            </ul>
            <ListFooter state=list.state id="search" empty=Msg::NoResults on_more=Callback::new(move |()| load(false))/>
        </section>
    }
}

#[component]
fn HitRow(hit: SearchHit, terms: RwSignal<Vec<String>>) -> impl IntoView {
    let h = hit;
    let mut words = h.matched_terms.clone();
    words.extend(terms.get_untracked());
    let title = marked(&h.title, &words);
    let title = match h.kind {
        SearchKind::Project => {
            view! { <A href=format!("/projects/{}", h.id) attr:class="item-title">{title}</A> }.into_any()
        }
        SearchKind::Resource => {
            view! { <A href=format!("/resources/{}", h.id) attr:class="item-title">{title}</A> }.into_any()
        }
        SearchKind::Organisation => {
            view! { <A href=format!("/directory/{}", h.id) attr:class="item-title">{title}</A> }.into_any()
        }
    };
    let distance = h.distance_km;
    view! {
        <li class="row item hit" data-kind=h.kind.as_str()>
            <div class="item-main">
                {title}
                <p class="badges">
                    {badge(search_kind_name(h.kind), "")}
                    {h.tags.iter().map(|t| view! { <span class="badge tag">"#"{t.clone()}</span> }).collect_view()}
                    {(h.kind == SearchKind::Organisation).then(|| view! { <GradeBadge grade=h.credit_grade/> })}
                </p>
                <p class="snippet">{marked(&h.snippet, &words)}</p>
                <p class="hint hit-region">
                    {h.region_name.clone()}
                    {h.org_name.clone().map(|o| format!(" · {o}"))}
                    {distance.map(|d| format!(" · {d:.1} km"))}
                </p>
            </div>
            {h.amount_fen.map(|f| view! { <strong class="amount">{format_fen(f)}</strong> })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn matched_chinese_words_are_marked_and_neighbours_joined() {
        let runs = highlight("某市市政道路改造工程", &words(&["市政", "道路"]));
        assert_eq!(runs, vec![("某市".into(), false), ("市政道路".into(), true), ("改造工程".into(), false)]);
    }

    #[test]
    fn the_longest_term_wins_and_ascii_case_is_ignored() {
        let runs = highlight("PO 42.5 水泥 po", &words(&["po 42.5", "po"]));
        assert_eq!(runs, vec![("PO 42.5".into(), true), (" 水泥 ".into(), false), ("po".into(), true)]);
    }

    #[test]
    fn no_terms_leave_the_text_as_it_is() {
        assert_eq!(highlight("道路", &[]), vec![("道路".into(), false)]);
        assert_eq!(highlight("道路", &words(&[" "])), vec![("道路".into(), false)]);
        assert!(highlight("", &words(&["a"])).is_empty());
    }
}
