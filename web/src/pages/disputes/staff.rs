//! The staff side of a dispute on its page (operators, mediators, admins): the step the case's
//! state allows — assign a mediator (operators and admins, picking from `GET /staff/mediators`),
//! open mediation, record an agreement or the failure, register the arbitration, record the
//! decision with its document, close. Each body is checked with the API's own rules before
//! sending; the server decides who may fire what (a mediator not assigned gets its 403).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::domain::dispute::{DisputeParty, DisputeState};
use shared::dto::{
    AssignMediatorRequest, DisputeText, DisputeView, EscrowMovementInput, FieldIssue, MediatorList,
    RecordAgreementRequest, RecordDecisionRequest, RegisterArbitrationRequest, StaffRole,
};
use shared::validate::Check;

use super::dt;
use crate::forms::{FieldError, FormError, FormErrors, SubmitButton, TextField, before_sending, field_error};
use crate::i18n::{DisputeMsg, Msg};
use crate::money::parse_yuan;
use crate::pages::verification::file_field::{FileField, UploadedFile};
use crate::session::use_session;
use crate::staff_standing::use_staff_standing;
use crate::toast::use_toasts;

/// Whether the signed-in person handles disputes (operator, mediator or admin).
pub fn handles_disputes() -> bool {
    use_staff_standing().profile.get().is_some_and(|p| {
        p.roles.iter().any(|r| matches!(r, StaffRole::Operator | StaffRole::Mediator | StaffRole::Admin))
    })
}

/// What a step's form sends with: the session, the toasts, its busy flag and errors, and what
/// to do after.
#[derive(Clone, Copy)]
struct Sender {
    session: crate::session::Session,
    toasts: crate::toast::Toasts,
    busy: RwSignal<bool>,
    errors: RwSignal<FormErrors>,
    changed: Callback<()>,
}

impl Sender {
    /// In a component: takes the session and the toasts from the context.
    fn new(changed: Callback<()>) -> Self {
        Self {
            session: use_session(),
            toasts: use_toasts(),
            busy: RwSignal::new(false),
            errors: RwSignal::new(FormErrors::default()),
            changed,
        }
    }

    /// Sends a step's body to `path`, or shows the problems found before sending.
    fn send<B: serde::Serialize + 'static>(self, path: String, made: Result<B, Vec<FieldIssue>>) {
        if self.busy.get_untracked() {
            return;
        }
        let body = match made {
            Ok(body) => body,
            Err(fields) => {
                self.errors.set(FormErrors { fields, form: None });
                return;
            }
        };
        self.errors.set(FormErrors::default());
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = self.session.call::<_, DisputeView>("POST", &path, Some(&body)).await;
            let _ = self.busy.try_set(false);
            match result {
                Ok(_) => {
                    self.toasts.success(Msg::DisputeMsg(DisputeMsg::Done));
                    self.changed.run(());
                }
                Err(failure) => {
                    let _ = self.errors.try_set(FormErrors::from_failure(failure));
                }
            }
        });
    }
}

fn checked<B: Check>(parsed: Vec<FieldIssue>, body: B) -> Result<B, Vec<FieldIssue>> {
    let problems = before_sending(parsed, body.check().map(drop));
    if problems.is_empty() { Ok(body) } else { Err(problems) }
}

fn yuan(field: &str, text: &str, parsed: &mut Vec<FieldIssue>) -> i64 {
    if text.trim().is_empty() {
        return 0;
    }
    parse_yuan(text).unwrap_or_else(|e| {
        parsed.push(FieldIssue::new(field, e.code()));
        0
    })
}

fn party(choice: &str) -> Option<DisputeParty> {
    match choice {
        "complainant" => Some(DisputeParty::Complainant),
        "respondent" => Some(DisputeParty::Respondent),
        _ => None,
    }
}

/// The party-at-fault picker.
#[component]
fn AtFault(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label for=id>{dt(DisputeMsg::AtFault)}</label>
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="">{dt(DisputeMsg::NoOneAtFault)}</option>
            <option value="complainant">{dt(DisputeMsg::Complainant)}</option>
            <option value="respondent">{dt(DisputeMsg::Respondent)}</option>
        </select>
    }
}

/// The staff card: the steps the case's state allows.
#[component]
pub fn StaffSteps(d: DisputeView, changed: Callback<()>) -> impl IntoView {
    let base = StoredValue::new(format!("/disputes/{}", d.id));
    let path = move |what: &str| format!("{}/{what}", base.get_value());
    let registered = d.arbitration.is_some();
    let steps = match d.state {
        DisputeState::AwaitingAssignment => view! { <Assign path=path("assignment") changed=changed/> }.into_any(),
        DisputeState::AwaitingMediation => view! { <Button id="staff-open-mediation" path=path("mediation") label=DisputeMsg::OpenMediation changed=changed/> }.into_any(),
        DisputeState::InMediation => view! {
            <Agreement path=path("agreement") changed=changed/>
            <Failure path=path("failure") changed=changed/>
        }
        .into_any(),
        DisputeState::InArbitration if !registered => view! { <Register path=path("arbitration") changed=changed/> }.into_any(),
        DisputeState::InArbitration => view! { <Decision path=path("decision") changed=changed/> }.into_any(),
        DisputeState::Resolved | DisputeState::Decided => view! { <Button id="staff-close" path=path("closure") label=DisputeMsg::CloseCase changed=changed/> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card" id="dispute-staff">
            <h2>{dt(DisputeMsg::StaffSteps)}</h2>
            {steps}
        </section>
    }
}

/// A step without a body: open mediation, close.
#[component]
fn Button(id: &'static str, path: String, label: DisputeMsg, changed: Callback<()>) -> impl IntoView {
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        sender.send(path.get_value(), Ok(serde_json::json!({})));
    };
    view! {
        <form class="stack-form" on:submit=submit novalidate>
            <FormError errors=errors id=format!("{id}-error")/>
            <SubmitButton id=id label=Msg::DisputeMsg(label) busy=busy/>
        </form>
    }
}

#[component]
fn Assign(path: String, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let mediators = RwSignal::new(Vec::new());
    let chosen = RwSignal::new(String::new());
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = session.call::<(), MediatorList>("GET", "/staff/mediators", None).await {
                if let Some(first) = list.items.first() {
                    let _ = chosen.try_set(first.user_id.clone());
                }
                let _ = mediators.try_set(list.items);
            }
        });
    });
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = AssignMediatorRequest { mediator_id: chosen.get_untracked() };
        sender.send(path.get_value(), checked(Vec::new(), body));
    };
    view! {
        <form id="staff-assign-form" class="stack-form" on:submit=submit novalidate>
            <label for="staff-mediator">{dt(DisputeMsg::Mediator)}</label>
            <select id="staff-mediator" on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || mediators.get().into_iter().map(|m| view! {
                    <option value=m.user_id.clone() selected=chosen.get_untracked() == m.user_id>
                        {format!("{}（{}）", m.display_name, m.open_cases)}
                    </option>
                }).collect_view()}
            </select>
            <FieldError text=field_error(errors, "mediator_id") id="staff-mediator-error"/>
            <FormError errors=errors id="staff-assign-error"/>
            <SubmitButton id="staff-assign-submit" label=Msg::DisputeMsg(DisputeMsg::AssignMediator) busy=busy/>
        </form>
    }
}

#[component]
fn Agreement(path: String, changed: Callback<()>) -> impl IntoView {
    let terms = RwSignal::new(String::new());
    let (to_complainant, to_respondent) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let at_fault = RwSignal::new(String::new());
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let mut escrow_movements = Vec::new();
        for (field, to, text) in [
            ("escrow_movements[0].amount_fen", DisputeParty::Complainant, to_complainant.get_untracked()),
            ("escrow_movements[1].amount_fen", DisputeParty::Respondent, to_respondent.get_untracked()),
        ] {
            let amount_fen = yuan(field, &text, &mut parsed);
            if amount_fen > 0 {
                escrow_movements.push(EscrowMovementInput { to, amount_fen });
            }
        }
        let body = RecordAgreementRequest {
            terms: terms.get_untracked(),
            escrow_movements,
            at_fault: party(&at_fault.get_untracked()),
        };
        sender.send(path.get_value(), checked(parsed, body));
    };
    view! {
        <form id="staff-agreement-form" class="stack-form" on:submit=submit novalidate>
            <h3>{dt(DisputeMsg::RecordAgreement)}</h3>
            <label for="staff-terms">{dt(DisputeMsg::Terms)}</label>
            <textarea id="staff-terms" maxlength="4000" prop:value=terms on:input=move |ev| terms.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "terms") id="staff-terms-error"/>
            <TextField id="staff-to-complainant" label=Msg::DisputeMsg(DisputeMsg::ToComplainant) value=to_complainant errors=errors field="escrow_movements[0].amount_fen" inputmode="decimal"/>
            <TextField id="staff-to-respondent" label=Msg::DisputeMsg(DisputeMsg::ToRespondent) value=to_respondent errors=errors field="escrow_movements[1].amount_fen" inputmode="decimal"/>
            <AtFault id="staff-agreement-fault" value=at_fault/>
            <FieldError text=field_error(errors, "escrow_movements") id="staff-movements-error"/>
            <FormError errors=errors id="staff-agreement-error"/>
            <SubmitButton id="staff-agreement-submit" label=Msg::DisputeMsg(DisputeMsg::RecordAgreement) busy=busy/>
        </form>
    }
}

#[component]
fn Failure(path: String, changed: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = DisputeText { text: reason.get_untracked() };
        sender.send(path.get_value(), checked(Vec::new(), body));
    };
    view! {
        <form id="staff-failure-form" class="stack-form" on:submit=submit novalidate>
            <h3>{dt(DisputeMsg::MediationFailed)}</h3>
            <label for="staff-failure-text">{dt(DisputeMsg::Reason)}</label>
            <textarea id="staff-failure-text" maxlength="2000" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "text") id="staff-failure-text-error"/>
            <FormError errors=errors id="staff-failure-error"/>
            <SubmitButton id="staff-failure-submit" label=Msg::DisputeMsg(DisputeMsg::MediationFailed) busy=busy/>
        </form>
    }
}

#[component]
fn Register(path: String, changed: Callback<()>) -> impl IntoView {
    let (institution, case_number) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = RegisterArbitrationRequest {
            institution: institution.get_untracked(),
            case_number: case_number.get_untracked(),
        };
        sender.send(path.get_value(), checked(Vec::new(), body));
    };
    view! {
        <form id="staff-arbitration-form" class="stack-form" on:submit=submit novalidate>
            <h3>{dt(DisputeMsg::RegisterArbitration)}</h3>
            <TextField id="staff-institution" label=Msg::DisputeMsg(DisputeMsg::Institution) value=institution errors=errors field="institution"/>
            <TextField id="staff-case-number" label=Msg::DisputeMsg(DisputeMsg::CaseNumber) value=case_number errors=errors field="case_number"/>
            <FormError errors=errors id="staff-arbitration-error"/>
            <SubmitButton id="staff-arbitration-submit" label=Msg::DisputeMsg(DisputeMsg::RegisterArbitration) busy=busy/>
        </form>
    }
}

#[component]
fn Decision(path: String, changed: Callback<()>) -> impl IntoView {
    let (summary, award) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let at_fault = RwSignal::new(String::new());
    let document = RwSignal::new(None::<UploadedFile>);
    let sender = Sender::new(changed);
    let (busy, errors) = (sender.busy, sender.errors);
    let path = StoredValue::new(path);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parsed = Vec::new();
        let award_fen = yuan("award_fen", &award.get_untracked(), &mut parsed);
        let body = RecordDecisionRequest {
            summary: summary.get_untracked(),
            at_fault: party(&at_fault.get_untracked()),
            award_fen,
            document_sha256: document.get_untracked().map(|f| f.sha256).unwrap_or_default(),
        };
        sender.send(path.get_value(), checked(parsed, body));
    };
    view! {
        <form id="staff-decision-form" class="stack-form" on:submit=submit novalidate>
            <h3>{dt(DisputeMsg::RecordDecision)}</h3>
            <label for="staff-summary">{dt(DisputeMsg::Summary)}</label>
            <textarea id="staff-summary" maxlength="4000" prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            <FieldError text=field_error(errors, "summary") id="staff-summary-error"/>
            <TextField id="staff-award" label=Msg::DisputeMsg(DisputeMsg::AwardYuan) value=award errors=errors field="award_fen" inputmode="decimal"/>
            <AtFault id="staff-decision-fault" value=at_fault/>
            <FieldError text=field_error(errors, "at_fault") id="staff-decision-fault-error"/>
            <FileField id="staff-decision-document" label=Msg::DisputeMsg(DisputeMsg::DecisionDocument) value=document errors=errors field="document_sha256"/>
            <FormError errors=errors id="staff-decision-error"/>
            <SubmitButton id="staff-decision-submit" label=Msg::DisputeMsg(DisputeMsg::RecordDecision) busy=busy/>
        </form>
    }
}
