//! The business calendar (`/staff/calendar`): the covered years (shipped and uploaded) and, for
//! platform admins, the form to upload or correct a year's official schedule. Pasted lines are
//! read and the schedule checked with the same `shared` rules the API applies, so the problems
//! show next to the field before anything is sent.

use crate::datetime::today;
use chrono::Datelike;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::domain::calendar::schedule::{LineIssue, check_calendar_year, format_day_lines, parse_day_lines};
use shared::dto::{
    CalendarDay, CalendarYear, CalendarYearList, CalendarYearSource, CalendarYearUpload, FieldIssue,
    StaffRole,
};

use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, failure_text};
use crate::http::Failure;
use crate::i18n::{Lang, Msg, issue_text, use_i18n};
use crate::session::use_session;
use crate::staff_standing::use_staff_standing;
use crate::toast::use_toasts;

/// The text of an issue code of the calendar's checks.
fn issue_msg(issue: &str) -> Option<Msg> {
    Some(match issue {
        "outside_year" => Msg::CalendarOutsideYear,
        "duplicate" => Msg::CalendarDuplicate,
        "not_a_weekend" => Msg::CalendarNotAWeekend,
        "also_a_holiday" => Msg::CalendarAlsoAHoliday,
        "shipped_year" => Msg::CalendarShippedYear,
        "too_early" => Msg::CalendarTooEarly,
        "too_far_ahead" => Msg::CalendarTooFarAhead,
        "too_few" => Msg::CalendarTooFew,
        "too_many" => Msg::CalendarTooMany,
        "invalid_date" => Msg::CalendarInvalidDate,
        "invalid_range" => Msg::CalendarInvalidRange,
        "missing_festival" => Msg::CalendarMissingFestival,
        "unknown_festival" => Msg::CalendarUnknownFestival,
        _ => return None,
    })
}

/// The problems of `field` (`holidays`, `make_up_workdays`, `year`, `reference`) as lines of
/// text: unreadable pasted lines first, then the schedule's issues naming the date at fault.
fn field_texts(lang: Lang, errors: &FormErrors, field: &str, days: &[CalendarDay]) -> Option<String> {
    let prefix = format!("{field}[");
    let texts: Vec<String> = errors
        .fields
        .iter()
        .filter(|i| i.field == field || i.field.starts_with(&prefix))
        .map(|i| {
            let text =
                issue_msg(&i.issue).map_or_else(|| issue_text(lang, &i.issue), |m| m.text(lang).to_owned());
            let index = i.field.strip_prefix(&prefix).and_then(|rest| rest.split(']').next());
            match index.and_then(|n| n.parse::<usize>().ok()).and_then(|n| days.get(n)) {
                Some(day) => format!("{}：{text}", day.date),
                None => text,
            }
        })
        .collect();
    (!texts.is_empty()).then(|| texts.join("；"))
}

fn line_label(lang: Lang, line: usize, text: &str) -> String {
    match lang {
        Lang::Zh => format!("第 {line} 行：{text}"),
        Lang::En => format!("line {line}: {text}"),
    }
}

/// The calendar page.
#[component]
pub fn CalendarYears() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let standing = use_staff_standing();
    let list = RwSignal::new(None::<Result<CalendarYearList, Failure>>);
    let editing = RwSignal::new(None::<CalendarYear>);
    let load = move || {
        leptos::task::spawn_local(async move {
            let result: Result<CalendarYearList, Failure> =
                session.call("GET", "/staff/calendar-years", None::<&()>).await;
            list.set(Some(result));
        });
    };
    load();
    let is_admin =
        move || standing.profile.with(|p| p.as_ref().is_some_and(|p| p.roles.contains(&StaffRole::Admin)));
    view! {
        <section class="card">
            <h1 id="calendar-title">{move || i18n.t(Msg::StaffCalendar)}</h1>
            <p class="hint">{move || i18n.t(Msg::CalendarIntro)}</p>
            <h2>{move || i18n.t(Msg::CalendarYears)}</h2>
            {move || match list.get() {
                None => view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(Err(failure)) => view! {
                    <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &failure)}</p>
                    <button class="button" type="button" on:click=move |_| load()>{move || i18n.t(Msg::TryAgain)}</button>
                }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! {
                    <p class="empty">{move || i18n.t(Msg::CalendarNoYears)}</p>
                }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="rows" id="calendar-years">
                        {l.items.into_iter().map(|y| view! {
                            <YearRow item=y on_edit=move |y| editing.set(Some(y)) editable=is_admin()/>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        {move || if is_admin() {
            view! { <UploadForm editing=editing on_saved=load/> }.into_any()
        } else {
            view! { <p class="hint" id="calendar-admin-only">{move || i18n.t(Msg::CalendarAdminOnly)}</p> }.into_any()
        }}
    }
}

#[component]
fn YearRow(
    item: CalendarYear,
    on_edit: impl Fn(CalendarYear) + Copy + Send + Sync + 'static,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let uploaded = item.source == CalendarYearSource::Uploaded;
    let stored = StoredValue::new(item.clone());
    view! {
        <li class="row calendar-year" data-year=item.year.to_string()>
            <div class="row-main">
                <strong>{item.year}</strong>" "
                <span class="badge">{move || i18n.t(if uploaded { Msg::CalendarUploaded } else { Msg::CalendarShipped })}</span>
                <p class="hint">
                    {move || i18n.t(Msg::CalendarHolidayCount)}" "{item.holiday_count}" · "
                    {move || i18n.t(Msg::CalendarMakeUpCount)}" "{item.make_up_workday_count}
                </p>
                <p class="hint">{item.reference.clone()}</p>
                {item.uploaded_at.map(|at| view! {
                    <p class="hint">
                        {move || i18n.t(Msg::CalendarUploadedBy)}" "
                        {item.uploaded_by_name.clone().or(item.uploaded_by.clone()).unwrap_or_default()}" · "
                        {crate::datetime::minute(at)}" · "
                        {move || i18n.t(Msg::CalendarRevision)}" "{item.revision.unwrap_or(1)}
                    </p>
                })}
            </div>
            {(uploaded && editable).then(|| view! {
                <button class="button small" type="button" data-action="edit-year"
                    on:click=move |_| on_edit(stored.get_value())>{move || i18n.t(Msg::CalendarEdit)}</button>
            })}
        </li>
    }
}

/// Reads both text areas; unreadable lines become `holidays[n]` / `make_up_workdays[n]` issues
/// with the issue code and the line number in the field.
fn read_days(
    field: &str,
    text: &str,
    issues: &mut Vec<FieldIssue>,
    lines: &mut Vec<(String, LineIssue)>,
) -> Vec<CalendarDay> {
    match parse_day_lines(text) {
        Ok(days) => days,
        Err(problems) => {
            for problem in problems {
                issues.push(FieldIssue::new(field, problem.issue));
                lines.push((field.to_owned(), problem));
            }
            Vec::new()
        }
    }
}

#[component]
fn UploadForm(
    editing: RwSignal<Option<CalendarYear>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let year = RwSignal::new((today().year() + 1).to_string());
    let reference = RwSignal::new(String::new());
    let holidays = RwSignal::new(String::new());
    let make_up = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let line_issues = RwSignal::new(Vec::<(String, LineIssue)>::new());
    let parsed = RwSignal::new((Vec::<CalendarDay>::new(), Vec::<CalendarDay>::new()));
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(y) = editing.get() {
            year.set(y.year.to_string());
            reference.set(y.reference.clone());
            holidays.set(format_day_lines(&y.holidays));
            make_up.set(format_day_lines(&y.make_up_workdays));
            errors.set(FormErrors::default());
            line_issues.set(Vec::new());
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut issues = Vec::new();
        let mut lines = Vec::new();
        let holiday_days = read_days("holidays", &holidays.get_untracked(), &mut issues, &mut lines);
        let make_up_days = read_days("make_up_workdays", &make_up.get_untracked(), &mut issues, &mut lines);
        let Ok(year_number) = year.get_untracked().trim().parse::<i32>() else {
            issues.push(FieldIssue::new("year", "required"));
            errors.set(FormErrors::local(issues));
            line_issues.set(lines);
            return;
        };
        line_issues.set(lines);
        if !issues.is_empty() {
            errors.set(FormErrors::local(issues));
            return;
        }
        let body = CalendarYearUpload {
            reference: reference.get_untracked().trim().to_owned(),
            holidays: holiday_days.clone(),
            make_up_workdays: make_up_days.clone(),
        };
        parsed.set((holiday_days, make_up_days));
        if let Err(found) = check_calendar_year(year_number, &body, today()) {
            errors.set(FormErrors::local(found));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/staff/calendar-years/{year_number}");
            let result: Result<CalendarYear, Failure> = session.call("PUT", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    toasts.success(Msg::CalendarSaved);
                    on_saved();
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let problems = move |field: &'static str| {
        move || {
            let lang = i18n.0.get();
            let lines: Vec<String> = line_issues.with(|all| {
                all.iter()
                    .filter(|(f, _)| f == field)
                    .map(|(_, l)| {
                        line_label(lang, l.line, issue_msg(l.issue).map_or(l.issue, |m| m.text(lang)))
                    })
                    .collect()
            });
            if !lines.is_empty() {
                return Some(lines.join("；"));
            }
            let days = parsed.with(|(h, m)| if field == "holidays" { h.clone() } else { m.clone() });
            errors.with(|e| field_texts(lang, e, field, &days))
        }
    };
    let year_error = move || errors.with(|e| field_texts(i18n.0.get(), e, "year", &[]));
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::CalendarUploadTitle)}</h2>
            <form id="calendar-form" on:submit=submit novalidate>
                <label for="calendar-year">{move || i18n.t(Msg::CalendarYear)}</label>
                <input id="calendar-year" name="year" type="number" inputmode="numeric" prop:value=year
                    aria-invalid=move || if year_error().is_some() { "true" } else { "false" }
                    on:input=move |ev| year.set(event_target_value(&ev))/>
                <FieldError text=year_error id="calendar-year-error"/>
                <TextField id="calendar-reference" label=Msg::CalendarReference value=reference errors=errors field="reference"/>
                <label for="calendar-holidays">{move || i18n.t(Msg::CalendarHolidays)}</label>
                <textarea id="calendar-holidays" name="holidays" rows=8 prop:value=holidays
                    placeholder="2027-01-01..2027-01-03 元旦"
                    on:input=move |ev| holidays.set(event_target_value(&ev))></textarea>
                <p class="hint">{move || i18n.t(Msg::CalendarHolidaysHint)}</p>
                <FieldError text=problems("holidays") id="calendar-holidays-error"/>
                <label for="calendar-make-up">{move || i18n.t(Msg::CalendarMakeUpDays)}</label>
                <textarea id="calendar-make-up" name="make_up_workdays" rows=4 prop:value=make_up
                    placeholder="2027-02-20 春节"
                    on:input=move |ev| make_up.set(event_target_value(&ev))></textarea>
                <p class="hint">{move || i18n.t(Msg::CalendarMakeUpHint)}</p>
                <FieldError text=problems("make_up_workdays") id="calendar-make-up-error"/>
                <FormError errors=errors id="calendar-form-error"/>
                <SubmitButton id="calendar-submit" label=Msg::CalendarSubmit busy=busy/>
            </form>
        </section>
    }
}
