//! A group's weekly digest (`/groups/{id}/digest`, 本周精选): the week's featured posts, the
//! resources shared in it and the events coming up, with a switch to the week before or after.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::GroupDigest;

use super::events::EventRow;
use super::resources::resource_row;
use super::{Loaded, failure_line, load_into, loading, tx};
use crate::i18n::EngagementMsg;
use crate::query::with_query;
use crate::session::use_session;

/// The Monday `weeks` weeks from `week`'s.
fn shift_week(week: NaiveDate, weeks: i64) -> NaiveDate {
    week + Duration::days(7 * weeks)
}

/// The digest page.
#[component]
pub fn DigestPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let gid = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let week = RwSignal::new(None::<NaiveDate>);
    let digest: Loaded<GroupDigest> = RwSignal::new(None);
    Effect::new(move |_| {
        if session.ready.get() {
            let path = with_query(
                &format!("/groups/{}/digest", gid.get()),
                &[("week", week.get().map(|w| w.to_string()))],
            );
            load_into(session, digest, path);
        }
    });
    let go = move |weeks: i64| {
        if let Some(Some(Ok(d))) = digest.try_get_untracked() {
            digest.set(None);
            week.set(Some(shift_week(d.week, weeks)));
        }
    };
    move || {
        match digest.get() {
        None => loading().into_any(),
        Some(Err(failure)) => view! { <section class="card narrow">{failure_line(failure)}</section> }.into_any(),
        Some(Ok(d)) => view! {
            <div class="stack">
                <section class="card">
                    <p class="eyebrow"><A href=format!("/groups/{}", d.group_id)>{d.group_name.clone()}</A></p>
                    <h1 id="digest-title">{tx(EngagementMsg::Digest)}</h1>
                    <nav class="row-actions">
                        <button type="button" class="button small" id="digest-prev" on:click=move |_| go(-1)>{tx(EngagementMsg::PrevWeek)}</button>
                        <strong id="digest-week">{d.week.to_string()}</strong>
                        <button type="button" class="button small" id="digest-next" on:click=move |_| go(1)>{tx(EngagementMsg::NextWeek)}</button>
                    </nav>
                </section>
                <section class="card">
                    <h2>{tx(EngagementMsg::FeaturedPosts)}</h2>
                    <ul class="rows" id="digest-posts">
                        {d.featured_posts.iter().map(|p| {
                            let (href, title) = (format!("/groups/{}/posts/{}", p.group_id, p.id), p.title.clone());
                            view! { <li class="row"><A href=href attr:class="item-title">{title}</A><span class="hint">{p.author_nickname.clone()}</span></li> }
                        }).collect_view()}
                    </ul>
                    {d.featured_posts.is_empty().then(nothing)}
                </section>
                <section class="card">
                    <h2>{tx(EngagementMsg::NewResources)}</h2>
                    <ul class="rows" id="digest-resources">{d.new_resources.iter().cloned().map(resource_row).collect_view()}</ul>
                    {d.new_resources.is_empty().then(nothing)}
                </section>
                <section class="card">
                    <h2>{tx(EngagementMsg::ComingEvents)}</h2>
                    <ul class="rows" id="digest-events">{d.coming_events.iter().cloned().map(|e| view! { <EventRow event=e/> }).collect_view()}</ul>
                    {d.coming_events.is_empty().then(nothing)}
                </section>
            </div>
        }
        .into_any(),
    }
    }
}

/// The empty state of a digest section.
fn nothing() -> impl IntoView {
    view! { <p class="empty">{tx(EngagementMsg::NothingThisWeek)}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_weeks_moves_seven_days_across_month_and_year_ends() {
        let monday = NaiveDate::from_ymd_opt(2026, 12, 28).expect("date");
        assert_eq!(shift_week(monday, 1).to_string(), "2027-01-04");
        assert_eq!(shift_week(monday, -1).to_string(), "2026-12-21");
    }
}
