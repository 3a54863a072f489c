//! An organisation's public ratings (合作评价, `GET /orgs/{id}/ratings`): how many it received,
//! the mean of each dimension out of 5, and the ratings themselves (who rated, the scores, the
//! comment, when), newest first. Only ratings already shown (both parties rated, or 14 days after
//! completion) are public.

use leptos::prelude::*;
use shared::dto::OrgRatingsView;

use crate::forms::failure_text;
use crate::http::{Failure, request};
use crate::i18n::{Msg, tr, use_i18n};
use crate::pages::contracts::{DIMENSIONS, rating_facts, wt};

/// A mean score with one decimal, halves rounded up: `4.25` → `"4.3 / 5"`.
fn mean_text(mean: f64) -> String {
    format!("{:.1} / 5", (mean * 10.0).round() / 10.0)
}

/// The mean of one dimension.
fn mean_of(view: &OrgRatingsView, field: &str) -> f64 {
    match field {
        "quality" => view.quality,
        "timeliness" => view.timeliness,
        "communication" => view.communication,
        _ => view.payment,
    }
}

/// The ratings card of an organisation's public profile.
#[component]
pub fn OrgRatings(org_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let ratings = RwSignal::new(None::<Result<OrgRatingsView, Failure>>);
    let path = format!("/orgs/{org_id}/ratings");
    leptos::task::spawn_local(async move {
        let result = request::<(), OrgRatingsView>("GET", &path, None, None).await;
        let _ = ratings.try_set(Some(result));
    });
    view! {
        <section class="card" id="org-ratings">
            <h2>{tr(Msg::PublicRatings)}</h2>
            <p class="hint">{tr(Msg::PublicRatingsIntro)}</p>
            {move || match ratings.get() {
                None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert" id="org-ratings-error">{move || failure_text(i18n.0.get(), &failure)}</p>
                }.into_any(),
                Some(Ok(view)) if view.count == 0 => view! {
                    <p class="empty" id="org-ratings-empty">{tr(Msg::NoPublicRatings)}</p>
                }.into_any(),
                Some(Ok(view)) => view! {
                    <dl class="facts" id="org-ratings-means">
                        <dt>{tr(Msg::RatingsCount)}</dt><dd id="org-ratings-count">{view.count}</dd>
                        {DIMENSIONS.iter().map(|(field, label)| view! {
                            <dt>{wt(*label)}</dt><dd id=format!("org-ratings-{field}")>{mean_text(mean_of(&view, field))}</dd>
                        }).collect_view()}
                    </dl>
                    <ol class="rows" id="org-ratings-list">
                        {view.items.into_iter().map(|r| view! {
                            <li class="row item org-rating">
                                <div class="item-main">{rating_facts(r)}</div>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mean_shows_one_decimal_out_of_five_with_halves_rounded_up() {
        assert_eq!(mean_text(4.25), "4.3 / 5");
        assert_eq!(mean_text(4.0), "4.0 / 5");
        assert_eq!(mean_text(13.0 / 3.0), "4.3 / 5");
        assert_eq!(mean_text(4.75), "4.8 / 5");
        assert_eq!(mean_text(0.0), "0.0 / 5");
    }

    #[test]
    fn each_dimension_reads_its_own_mean() {
        let view = OrgRatingsView {
            org_id: "o".into(),
            count: 2,
            quality: 4.5,
            timeliness: 4.0,
            communication: 3.5,
            payment: 5.0,
            items: Vec::new(),
        };
        let means: Vec<f64> = DIMENSIONS.iter().map(|(field, _)| mean_of(&view, field)).collect();
        assert_eq!(means, [4.5, 4.0, 3.5, 5.0]);
    }
}
