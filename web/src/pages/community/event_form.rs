//! Creating an event (topic hosts and admins): title, kind, start and end (Shanghai time), an
//! online link and/or a venue, capacity and description.

use chrono::{DateTime, Utc};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::dto::{CreateEventRequest, Event, EventKind, FieldIssue};

use super::{form_errors, local_time, tc};
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, field_error};
use crate::i18n::{CommunityMsg, Msg};
use crate::pages::library::{TextArea, optional};
use crate::session::use_session;
use crate::toast::use_toasts;

/// The typed times and capacity, parsed; a box that does not parse is the form's own problem
/// (what the request cannot express). The rules about them are the API's check.
fn parse_boxes(
    starts: &str,
    ends: &str,
    capacity: &str,
) -> Result<(DateTime<Utc>, DateTime<Utc>, i64), Vec<FieldIssue>> {
    let start = local_time::parse(starts);
    let end = local_time::parse(ends);
    let places = capacity.trim().parse::<i64>().ok();
    match (start, end, places) {
        (Some(start), Some(end), Some(places)) => Ok((start, end, places)),
        _ => {
            let mut issues = Vec::new();
            if start.is_none() {
                issues.push(FieldIssue::new("starts_at", "required"));
            }
            if end.is_none() {
                issues.push(FieldIssue::new("ends_at", "required"));
            }
            if places.is_none() {
                issues.push(FieldIssue::new("capacity", "capacity_range"));
            }
            Err(issues)
        }
    }
}

/// The event creation form.
#[component]
pub fn EventForm(group_id: String, on_created: Callback<Event>) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let gid = StoredValue::new(group_id);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(EventKind::SharingSession);
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let venue = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::from("30"));
    let description = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (starts_at, ends_at, places) =
            match parse_boxes(&starts.get_untracked(), &ends.get_untracked(), &capacity.get_untracked()) {
                Ok(parsed) => parsed,
                Err(issues) => {
                    errors.set(FormErrors::local(issues));
                    return;
                }
            };
        let request = CreateEventRequest {
            title: title.get_untracked(),
            description: description.get_untracked(),
            kind: kind.get_untracked(),
            starts_at,
            ends_at,
            online_link: optional(&link.get_untracked()),
            venue: optional(&venue.get_untracked()),
            capacity: places,
            host_user_id: None,
        };
        let body = match request.check_at(local_time::now()) {
            Ok(valid) => CreateEventRequest {
                title: valid.title,
                description: valid.description,
                online_link: valid.online_link,
                venue: valid.venue,
                ..request
            },
            Err(invalid) => {
                errors.set(FormErrors::local(invalid.0));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/groups/{}/events", gid.get_value());
            let result = session.call::<_, Event>("POST", &path, Some(&body)).await;
            busy.set(false);
            match result {
                Ok(event) => {
                    errors.set(FormErrors::default());
                    title.set(String::new());
                    toasts.success(Msg::CommunityMsg(CommunityMsg::EventCreated));
                    on_created.run(event);
                }
                Err(failure) => errors.set(form_errors(failure)),
            }
        });
    };
    view! {
        <form id="event-form" class="subsection" on:submit=submit novalidate>
            <h2>{tc(CommunityMsg::NewEvent)}</h2>
            <TextField id="event-title" label=Msg::CommunityMsg(CommunityMsg::EventTitle) value=title errors=errors field="title"/>
            <label for="event-kind">{tc(CommunityMsg::EventKind)}</label>
            <select id="event-kind" on:change=move |ev| kind.set(EventKind::parse(&event_target_value(&ev)).unwrap_or(EventKind::SharingSession))>
                <option value="sharing_session">{tc(CommunityMsg::SharingSession)}</option>
                <option value="workshop">{tc(CommunityMsg::Workshop)}</option>
            </select>
            <div class="two-up">
                <div>
                    <label for="event-starts">{tc(CommunityMsg::StartsAt)}</label>
                    <input id="event-starts" type="datetime-local" prop:value=starts on:input=move |ev| starts.set(event_target_value(&ev))/>
                    <FieldError text=field_error(errors, "starts_at") id="event-starts-error"/>
                </div>
                <div>
                    <label for="event-ends">{tc(CommunityMsg::EndsAt)}</label>
                    <input id="event-ends" type="datetime-local" prop:value=ends on:input=move |ev| ends.set(event_target_value(&ev))/>
                    <FieldError text=field_error(errors, "ends_at") id="event-ends-error"/>
                </div>
            </div>
            <TextField id="event-link" label=Msg::CommunityMsg(CommunityMsg::OnlineLink) value=link errors=errors field="online_link" kind="url"/>
            <TextField id="event-venue" label=Msg::CommunityMsg(CommunityMsg::Venue) value=venue errors=errors field="venue"/>
            <TextField id="event-capacity" label=Msg::CommunityMsg(CommunityMsg::Capacity) value=capacity errors=errors field="capacity" inputmode="numeric"/>
            <TextArea id="event-description" label=Msg::Description value=description errors=errors field="description" rows=3/>
            <FormError errors=errors id="event-form-error"/>
            <SubmitButton id="event-submit" label=Msg::CommunityMsg(CommunityMsg::CreateEvent) busy=busy/>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_times_and_the_capacity_must_parse() {
        let (start, end, places) =
            parse_boxes("2026-12-05T14:00", "2026-12-05T16:00", " 30 ").expect("parsed");
        assert_eq!((end - start, places), (chrono::Duration::hours(2), 30));
        let issues = parse_boxes("", "2026-12-05T16:00", "两个").expect_err("refused");
        let want =
            vec![FieldIssue::new("starts_at", "required"), FieldIssue::new("capacity", "capacity_range")];
        assert_eq!(issues, want);
    }
}
