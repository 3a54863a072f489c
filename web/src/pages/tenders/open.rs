//! The tender box on a demand's page. A demand has at most one tender, named by
//! `DemandView.tender_id`: the box links to it, or — for the poster's owners and admins on a
//! published demand without one — shows the form that opens bidding: deadline (date and time,
//! Beijing time), open or invited tender, the four weights with their running sum, the technical criteria, and the evaluators
//! chosen from the organisation's members. The form runs the API's own check
//! (`OpenTenderRequest::check_at`) before sending.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::dto::{
    CriterionInput, FieldIssue, Member, MemberList, MemberRole, OpenTenderRequest, TenderView, WeightsInput,
};

use super::tt;
use crate::active_org::use_active_org;
use crate::datetime;
use crate::forms::{
    FieldError, FormError, FormErrors, SubmitButton, before_sending, field_error, row_error, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Msg, TenderMsg, member_role_name, tr};
use crate::toast::use_toasts;

/// The demand's tender (a link), or the form to open one (`may_open`: the demand is published
/// and the viewer acts for its poster), or a line saying there is none yet.
#[component]
pub fn DemandTender(
    demand_id: String,
    tender_id: Option<String>,
    #[prop(into)] may_open: Signal<bool>,
) -> impl IntoView {
    let orgs = use_active_org();
    let manager =
        move || orgs.current().is_some_and(|o| matches!(o.my_role, MemberRole::Owner | MemberRole::Admin));
    let opener = move || may_open.get() && manager();
    let demand_id = StoredValue::new(demand_id);
    match tender_id {
        Some(id) => view! {
            <section class="card" id="demand-tender">
                <h2>{tt(TenderMsg::Tendering)}</h2>
                <A href=format!("/tenders/{id}") attr:id="demand-tender-link" attr:class="button primary">{tt(TenderMsg::ViewTender)}</A>
            </section>
        }
        .into_any(),
        None => view! {
            <Show when=opener fallback=|| view! {
                <section class="card" id="demand-tender">
                    <h2>{tt(TenderMsg::Tendering)}</h2>
                    <p class="empty" id="demand-tender-none">{tt(TenderMsg::NoTenderYet)}</p>
                </section>
            }>
                <OpenTenderForm demand_id=demand_id.get_value()/>
            </Show>
        }
        .into_any(),
    }
}

/// A technical criterion being entered.
#[derive(Clone, Copy)]
struct CriterionDraft {
    key: u64,
    name: RwSignal<String>,
    max_mark: RwSignal<String>,
}

/// Parses a whole number typed in a form; the issue is `invalid` when it is not one.
fn whole(text: &str, field: &str, issues: &mut Vec<FieldIssue>) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) if text.trim().is_empty() => {
            issues.push(FieldIssue::new(field, "required"));
            0
        }
        Err(_) => {
            issues.push(FieldIssue::new(field, "invalid"));
            0
        }
    }
}

/// The running sum of the typed weights (unparsable ones count as 0).
fn weight_sum(typed: &[String]) -> i64 {
    typed.iter().map(|t| t.trim().parse::<i64>().unwrap_or(0)).sum()
}

#[component]
fn OpenTenderForm(demand_id: String) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let demand_id = StoredValue::new(demand_id);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let close_date = RwSignal::new(
        datetime::today().checked_add_days(chrono::Days::new(7)).map(|d| d.to_string()).unwrap_or_default(),
    );
    let close_time = RwSignal::new("17:00".to_owned());
    let open_to_all = RwSignal::new(false);
    let price = RwSignal::new("40".to_owned());
    let duration = RwSignal::new("20".to_owned());
    let credit = RwSignal::new("10".to_owned());
    let technical = RwSignal::new("30".to_owned());
    let next_key = StoredValue::new(0_u64);
    let new_row = move || {
        next_key.update_value(|k| *k += 1);
        CriterionDraft {
            key: next_key.get_value(),
            name: RwSignal::new(String::new()),
            max_mark: RwSignal::new(String::new()),
        }
    };
    let criteria = RwSignal::new(vec![new_row()]);
    let members = RwSignal::new(None::<Result<Vec<Member>, Failure>>);
    let chosen = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        let Some(org) = orgs.acting() else { return };
        leptos::task::spawn_local(async move {
            let path = format!("/orgs/{org}/members");
            let list = orgs.call::<(), MemberList>(&org, "GET", &path, None).await;
            let _ = members.try_set(Some(list.map(|l| l.items)));
        });
    });
    let sum = move || weight_sum(&[price.get(), duration.get(), credit.get(), technical.get()]);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut issues = Vec::new();
        let closes = datetime::shanghai_instant(&close_date.get_untracked(), &close_time.get_untracked());
        if closes.is_none() {
            issues.push(FieldIssue::new("bidding_closes_at", "required"));
        }
        let weights = WeightsInput {
            price: whole(&price.get_untracked(), "weights.price", &mut issues),
            duration: whole(&duration.get_untracked(), "weights.duration", &mut issues),
            credit: whole(&credit.get_untracked(), "weights.credit", &mut issues),
            technical: whole(&technical.get_untracked(), "weights.technical", &mut issues),
            criteria: criteria
                .get_untracked()
                .into_iter()
                .enumerate()
                .map(|(i, c)| CriterionInput {
                    name: c.name.get_untracked(),
                    max_mark: whole(
                        &c.max_mark.get_untracked(),
                        &format!("weights.criteria[{i}].max_mark"),
                        &mut issues,
                    ),
                })
                .collect(),
        };
        let now = datetime::now();
        let body = OpenTenderRequest {
            bidding_closes_at: closes.unwrap_or(now + chrono::Duration::days(7)),
            open_to_all: open_to_all.get_untracked(),
            weights,
            evaluators: chosen.get_untracked(),
        };
        let issues = before_sending(issues, body.check_at(now));
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/demands/{}/tender", demand_id.get_value());
            let result = orgs.call::<_, TenderView>(&org, "POST", &path, Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(t) => {
                    toasts.success(Msg::TenderMsg(TenderMsg::TenderOpened));
                    navigate.with_value(|go| go(&format!("/tenders/{}", t.id), Default::default()));
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let weight_input =
        move |id: &'static str, label: TenderMsg, value: RwSignal<String>, field: &'static str| {
            view! {
                <div>
                    <label for=id>{tt(label)}</label>
                    <input id=id type="number" min="0" max="100" step="1" inputmode="numeric" prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                    <FieldError text=field_error(errors, field) id=format!("{id}-error")/>
                </div>
            }
        };
    let numbered = move || criteria.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <section class="card" id="demand-tender">
            <h2>{tt(TenderMsg::OpenBidding)}</h2>
            <p class="hint">{tt(TenderMsg::OpenBiddingIntro)}</p>
            <form id="tender-open-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>{tt(TenderMsg::DeadlineBeijing)}</legend>
                    <div class="two-up">
                        <div>
                            <label for="tender-close-date">{tt(TenderMsg::Date)}</label>
                            <input id="tender-close-date" type="date" prop:value=close_date on:input=move |ev| close_date.set(event_target_value(&ev))/>
                        </div>
                        <div>
                            <label for="tender-close-time">{tt(TenderMsg::Time)}</label>
                            <input id="tender-close-time" type="time" prop:value=close_time on:input=move |ev| close_time.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <FieldError text=field_error(errors, "bidding_closes_at") id="tender-close-error"/>
                </fieldset>
                <label class="check">
                    <input type="checkbox" id="tender-open-to-all" prop:checked=open_to_all on:change=move |ev| open_to_all.set(event_target_checked(&ev))/>
                    <span>{tt(TenderMsg::OpenToAll)}<span class="hint">" "{tt(TenderMsg::OpenToAllHint)}</span></span>
                </label>
                <fieldset id="tender-weights-input">
                    <legend>{tt(TenderMsg::Weights)}</legend>
                    <div class="weights-grid">
                        {weight_input("tender-weight-price", TenderMsg::WeightPrice, price, "weights.price")}
                        {weight_input("tender-weight-duration", TenderMsg::WeightDuration, duration, "weights.duration")}
                        {weight_input("tender-weight-credit", TenderMsg::WeightCredit, credit, "weights.credit")}
                        {weight_input("tender-weight-technical", TenderMsg::WeightTechnical, technical, "weights.technical")}
                    </div>
                    <p id="tender-weight-sum" class=move || if sum() == 100 { "check-line ok" } else { "check-line bad" } aria-live="polite">
                        {tt(TenderMsg::WeightSum)}" "{sum}" / 100"
                    </p>
                    <FieldError text=field_error(errors, "weights.weights") id="tender-weights-error"/>
                </fieldset>
                <fieldset id="tender-criteria-input">
                    <legend>{tt(TenderMsg::TechnicalCriteria)}</legend>
                    <For each=numbered key=|(i, c)| (*i, c.key) let:row>
                        <CriterionRow index=row.0 draft=row.1 errors=errors
                            on_remove=move |key| criteria.update(|cs| cs.retain(|c| c.key != key))/>
                    </For>
                    <button class="button small" type="button" id="criterion-add"
                        on:click=move |_| criteria.update(|cs| cs.push(new_row()))>{tt(TenderMsg::AddCriterion)}</button>
                    <FieldError text=field_error(errors, "weights.criteria") id="tender-criteria-error"/>
                </fieldset>
                <fieldset id="tender-evaluators-input">
                    <legend>{tt(TenderMsg::Evaluators)}</legend>
                    <p class="hint">{tt(TenderMsg::EvaluatorsHint)}</p>
                    {move || match members.get() {
                        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                        Some(Err(_)) => view! { <p class="form-error">{tr(Msg::NetworkError)}</p> }.into_any(),
                        Some(Ok(list)) => list.into_iter().map(|m| {
                            let uid = StoredValue::new(m.user_id.clone());
                            view! {
                                <label class="check">
                                    <input type="checkbox" id=format!("evaluator-{}", m.user_id) data-evaluator=m.user_id.clone()
                                        prop:checked=move || chosen.with(|c| c.contains(&uid.get_value()))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                c.retain(|x| *x != uid.get_value());
                                                if on { c.push(uid.get_value()); }
                                            });
                                        }/>
                                    <span>{m.display_name.clone()}" "<span class="hint">{tr(member_role_name(m.role))}</span></span>
                                </label>
                            }
                        }).collect_view().into_any(),
                    }}
                    <FieldError text=row_error(errors, "evaluators", &[]) id="tender-evaluators-error"/>
                </fieldset>
                <FormError errors=errors id="tender-open-error"/>
                <SubmitButton id="tender-open-submit" label=Msg::TenderMsg(TenderMsg::OpenBidding) busy=busy/>
            </form>
        </section>
    }
}

#[component]
fn CriterionRow(
    index: usize,
    draft: CriterionDraft,
    errors: RwSignal<FormErrors>,
    on_remove: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = move |name: &str| format!("criterion-{index}-{name}");
    view! {
        <div class="parameter-row criterion-row">
            <div>
                <label for=id("name")>{tt(TenderMsg::CriterionName)}</label>
                <input id=id("name") type="text" prop:value=draft.name on:input=move |ev| draft.name.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for=id("max")>{tt(TenderMsg::MaxMark)}</label>
                <input id=id("max") type="number" min="1" max="100" step="1" inputmode="numeric" prop:value=draft.max_mark
                    on:input=move |ev| draft.max_mark.set(event_target_value(&ev))/>
            </div>
            <button class="button small danger" type="button" id=id("remove") on:click=move |_| on_remove(draft.key)>{tr(Msg::Remove)}</button>
            <FieldError text=row_error(errors, &format!("weights.criteria[{index}]"), &["name", "max_mark"]) id=id("error")/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_sum_counts_what_parses() {
        assert_eq!(weight_sum(&["40".into(), "20".into(), "10".into(), "30".into()]), 100);
        assert_eq!(weight_sum(&["40".into(), "".into(), "x".into(), " 5 ".into()]), 45);
    }
}
