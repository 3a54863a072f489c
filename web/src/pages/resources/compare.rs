//! The comparison table (资源对比表, `/resources/compare?ids=a,b,c`): 2–5 listings side by
//! side, parameters aligned by name, the best value of each row marked (ties all marked).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::dto::ResourceComparison;
use shared::gb2260;

use crate::forms::failure_text;
use crate::http::{Failure, request};
use crate::i18n::{Msg, tr, use_i18n};
use crate::query::with_query;

/// The comparison page.
#[component]
pub fn ComparePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ids = Memo::new(move |_| query.with(|q| q.get("ids").unwrap_or_default()));
    let table = RwSignal::new(None::<Result<ResourceComparison, Failure>>);
    Effect::new(move |_| {
        let ids = ids.get();
        table.set(None);
        leptos::task::spawn_local(async move {
            let path = with_query("/resources/comparison", &[("ids", Some(ids))]);
            table.set(Some(request("GET", &path, None::<&()>, None).await));
        });
    });
    view! {
        <section class="card">
            <h1 id="compare-title">{tr(Msg::ComparisonTitle)}</h1>
            <p class="hint">{tr(Msg::ComparisonIntro)}</p>
            {move || match table.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert" id="compare-error">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(c)) => view! { <ComparisonTable comparison=c/> }.into_any(),
            }}
            <p><A href="/resources">{tr(Msg::BackToResources)}</A></p>
        </section>
    }
}

/// A cell listing region codes (`330000、340000`) shows their names; other cells stay.
fn region_names(cell: &str) -> String {
    let parts: Vec<&str> = cell.split('、').map(str::trim).collect();
    let named: Option<Vec<String>> = parts
        .iter()
        .map(|c| {
            (c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())).then(|| gb2260::full_name(c)).flatten()
        })
        .collect();
    named.map_or_else(|| cell.to_owned(), |names| names.join("、"))
}

#[component]
fn ComparisonTable(comparison: ResourceComparison) -> impl IntoView {
    let c = comparison;
    view! {
        <div class="table-scroll">
            <table class="data compare" id="comparison">
                <thead>
                    <tr>
                        <th scope="col"><span class="sr-only">{tr(Msg::Parameters)}</span></th>
                        {c.listings.into_iter().map(|l| view! {
                            <th scope="col">
                                <A href=format!("/resources/{}", l.id)>{l.name.clone()}</A>
                                <span class="hint">{l.org_name.clone()}</span>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {c.rows.into_iter().map(|row| {
                        let unit = row.unit.clone();
                        view! {
                            <tr>
                                <th scope="row">{row.label.clone()}{unit.map(|u| format!(" ({u})"))}</th>
                                {row.values.iter().enumerate().map(|(i, v)| {
                                    let best = i32::try_from(i).is_ok_and(|i| row.best.contains(&i));
                                    view! {
                                        <td class:best=best data-best=best.then_some("true")>
                                            {v.as_deref().map_or_else(|| "—".to_owned(), region_names)}
                                            {best.then(|| view! { <span class="best-mark" title=tr(Msg::BestValue)>" ★"<span class="sr-only">{tr(Msg::BestValue)}</span></span> })}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
