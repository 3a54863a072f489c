//! A bidder's side of a tender (any organisation other than the poster): its prequalification
//! report (each item pass / fail / info in the interface language, whether it may bid and is
//! eligible), the sealed bid form (price in yuan sent as fen, duration, proposal, validity,
//! checked with the API's `BidRequest` check), and its own bid — revise, withdraw and files
//! (PDF, DOCX, XLSX) while bidding is open, status and rank after the award.

use leptos::prelude::*;
use shared::dto::{
    BidFileView, BidRequest, BidState, BidView, FieldIssue, PrequalificationView, TenderState, TenderView,
};
use shared::validate::Check;
use wasm_bindgen::JsCast;

use super::evaluation::outcome_badge;
use super::{bid_state_class, bid_state_name, tt};
use crate::active_org::use_active_org;
use crate::datetime;
use crate::download::save_url;
use crate::forms::{
    FormError, FormErrors, SubmitButton, TextField, before_sending, failure_text, sendable_for,
};
use crate::http::Failure;
use crate::i18n::{Msg, TenderMsg, pick, tr, use_i18n};
use crate::money::{format_fen, parse_yuan, yuan_input};
use crate::pages::library::TextArea;
use crate::session::use_session;
use crate::stored_file::load_path;
use crate::toast::use_toasts;
use crate::upload::upload_to;

/// What a bidding organisation sees and does.
#[component]
pub fn BidderPanel(tender: TenderView, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let i18n = use_i18n();
    let report = RwSignal::new(None::<Result<PrequalificationView, Failure>>);
    let id = StoredValue::new(tender.id.clone());
    let open = tender.status == TenderState::Open;
    Effect::new(move |_| {
        if !open {
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/tenders/{}/prequalification", id.get_value());
            let _ =
                report.try_set(Some(orgs.call_acting::<(), PrequalificationView>("GET", &path, None).await));
        });
    });
    let own = tender.own_bid_id.clone();
    let may_bid = move || report.with(|r| matches!(r, Some(Ok(r)) if r.may_bid && r.eligible));
    view! {
        {open.then(|| view! {
            <section class="card" id="prequalification-card">
                <h2>{tt(TenderMsg::YourPrequalification)}</h2>
                {move || match report.get() {
                    None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
                    Some(Err(f)) => view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }.into_any(),
                    Some(Ok(r)) => view! { <PrequalificationReport report=r/> }.into_any(),
                }}
            </section>
        })}
        {match own {
            Some(bid_id) => view! { <OwnBid bid_id=bid_id open=open changed=changed/> }.into_any(),
            None if open => view! {
                <Show when=may_bid>
                    <section class="card" id="bid-card">
                        <h2>{tt(TenderMsg::SubmitBid)}</h2>
                        <p class="hint">{tt(TenderMsg::SealedHint)}</p>
                        <BidForm tender_id=id.get_value() initial=None on_saved=Callback::new(move |_| changed.run(()))/>
                    </section>
                </Show>
            }.into_any(),
            None => view! { <section class="card"><p class="notice" id="bid-closed">{tt(TenderMsg::BiddingClosedNoBid)}</p></section> }.into_any(),
        }}
    }
}

/// One prequalification report.
#[component]
fn PrequalificationReport(report: PrequalificationView) -> impl IntoView {
    let i18n = use_i18n();
    let r = report;
    view! {
        <p class="badges">
            <span id="pq-may-bid" class=if r.may_bid { "badge badge-ok" } else { "badge badge-bad" }>
                {tt(if r.may_bid { TenderMsg::MayBid } else { TenderMsg::MayNotBid })}
            </span>
            <span id="pq-eligible" class=if r.eligible { "badge badge-ok" } else { "badge badge-bad" }>
                {tt(if r.eligible { TenderMsg::Eligible } else { TenderMsg::NotEligible })}
            </span>
        </p>
        <ul class="plain pq-items" id="prequalification">
            {r.items.into_iter().map(|item| {
                let (zh, en) = (item.zh.clone(), item.en.clone());
                view! {
                    <li class=format!("pq-item pq-{}", item.outcome) data-code=item.code.clone() data-outcome=item.outcome.clone()>
                        {outcome_badge(&item.outcome)}" "{move || pick(i18n.0.get(), &zh, &en)}
                        {item.certificate_expires_on.map(|d| view! { " "<span class="hint">{tt(TenderMsg::ExpiresOn)}" "{d.to_string()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="hint">{tt(TenderMsg::GeneratedAt)}" "{datetime::minute(r.generated_at)}</p>
    }
}

/// The bid form: a new bid on `tender_id`, or a revision of `initial`.
#[component]
fn BidForm(tender_id: String, initial: Option<BidView>, on_saved: Callback<BidView>) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let b = initial.as_ref();
    let price = RwSignal::new(b.map(|b| yuan_input(b.price_fen)).unwrap_or_default());
    let duration = RwSignal::new(b.map(|b| b.duration_days.to_string()).unwrap_or_default());
    let proposal = RwSignal::new(b.map(|b| b.proposal.clone()).unwrap_or_default());
    let validity = RwSignal::new(b.map(|b| b.validity_days.to_string()).unwrap_or_else(|| "90".into()));
    let revising = StoredValue::new(b.map(|b| b.id.clone()));
    let tender_id = StoredValue::new(tender_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut issues = Vec::new();
        let fen = parse_yuan(&price.get_untracked()).unwrap_or_else(|e| {
            issues.push(FieldIssue::new("price_fen", e.code()));
            1
        });
        let mut days = |text: String, field: &str| {
            text.trim().parse::<i64>().unwrap_or_else(|_| {
                issues.push(FieldIssue::new(
                    field,
                    if text.trim().is_empty() { "required" } else { "invalid" },
                ));
                1
            })
        };
        let duration_days = days(duration.get_untracked(), "duration_days");
        let validity_days = days(validity.get_untracked(), "validity_days");
        let body =
            BidRequest { price_fen: fen, duration_days, proposal: proposal.get_untracked(), validity_days };
        let issues = before_sending(issues, body.check());
        let Some(org) = sendable_for(errors, orgs.acting_untracked(), issues) else { return };
        errors.set(FormErrors::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let (method, path) = match revising.get_value() {
                Some(bid) => ("PUT", format!("/bids/{bid}")),
                None => ("POST", format!("/tenders/{}/bids", tender_id.get_value())),
            };
            let result = orgs.call::<_, BidView>(&org, method, &path, Some(&body)).await;
            let _ = busy.try_set(false);
            match result {
                Ok(bid) => {
                    toasts.success(Msg::TenderMsg(if method == "PUT" {
                        TenderMsg::BidRevised
                    } else {
                        TenderMsg::BidSent
                    }));
                    on_saved.run(bid);
                }
                Err(failure) => errors.set(FormErrors::from_failure(failure)),
            }
        });
    };
    let label =
        if revising.with_value(Option::is_some) { TenderMsg::SaveRevision } else { TenderMsg::SubmitBid };
    view! {
        <form id="bid-form" on:submit=submit novalidate>
            <div class="two-up">
                <div><TextField id="bid-price" label=Msg::TenderMsg(TenderMsg::PriceYuan) value=price errors=errors field="price_fen" inputmode="decimal"/></div>
                <div><TextField id="bid-duration" label=Msg::TenderMsg(TenderMsg::DurationDays) value=duration errors=errors field="duration_days" inputmode="numeric"/></div>
            </div>
            <TextArea id="bid-proposal" label=Msg::TenderMsg(TenderMsg::Proposal) value=proposal errors=errors field="proposal" rows=6/>
            <TextField id="bid-validity" label=Msg::TenderMsg(TenderMsg::ValidityDays) value=validity errors=errors field="validity_days" inputmode="numeric" hint=Msg::TenderMsg(TenderMsg::ValidityHint)/>
            <FormError errors=errors id="bid-form-error"/>
            <SubmitButton id="bid-submit" label=Msg::TenderMsg(label) busy=busy/>
        </form>
    }
}

/// The organisation's own bid on the tender.
#[component]
fn OwnBid(bid_id: String, open: bool, changed: Callback<()>) -> impl IntoView {
    let orgs = use_active_org();
    let i18n = use_i18n();
    let bid = RwSignal::new(None::<Result<BidView, Failure>>);
    let id = StoredValue::new(bid_id);
    let load = move || {
        leptos::task::spawn_local(async move {
            let path = format!("/bids/{}", id.get_value());
            let _ = bid.try_set(Some(orgs.call_acting::<(), BidView>("GET", &path, None).await));
        });
    };
    load();
    move || match bid.get() {
        None => view! { <p class="loading">{tr(Msg::Loading)}</p> }.into_any(),
        Some(Err(f)) => {
            view! { <p class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</p> }
                .into_any()
        }
        Some(Ok(b)) => view! { <OwnBidCard bid=b open=open holder=bid changed=changed/> }.into_any(),
    }
}

#[component]
fn OwnBidCard(
    bid: BidView,
    open: bool,
    holder: RwSignal<Option<Result<BidView, Failure>>>,
    changed: Callback<()>,
) -> impl IntoView {
    let orgs = use_active_org();
    let toasts = use_toasts();
    let b = bid;
    let changeable = open && b.status == BidState::Submitted;
    let editing = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(b.id.clone());
    let copy = StoredValue::new(b.clone());
    let withdraw = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/bids/{}/withdraw", id.get_value());
            let result = orgs.call_acting::<(), BidView>("POST", &path, None).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    toasts.success(Msg::TenderMsg(TenderMsg::BidWithdrawnToast));
                    changed.run(());
                }
                Err(failure) => toasts.failure(failure),
            }
        });
    };
    let revised = Callback::new(move |updated: BidView| {
        editing.set(false);
        holder.set(Some(Ok(updated)));
    });
    let files_changed = Callback::new(move |files: Vec<BidFileView>| {
        holder.update(|h| {
            if let Some(Ok(b)) = h {
                b.files = files;
            }
        });
    });
    let won = b.status == BidState::Awarded;
    view! {
        <section class="card" id="own-bid">
            <h2>{tt(TenderMsg::YourBid)}</h2>
            <p class="badges">
                <span id="bid-status" class=format!("badge {}", bid_state_class(b.status))>{tt(bid_state_name(b.status))}</span>
                {b.rank.map(|r| view! { <span class="badge" id="bid-rank">{tt(TenderMsg::Rank)}" "{r}</span> })}
            </p>
            {won.then(|| view! { <p class="notice notice-ok" id="bid-won">{tt(TenderMsg::WonNotice)}</p> })}
            <dl class="facts">
                <dt>{tt(TenderMsg::Price)}</dt><dd class="amount" id="bid-price-shown">{format_fen(b.price_fen)}</dd>
                <dt>{tt(TenderMsg::DurationDays)}</dt><dd id="bid-duration-shown">{b.duration_days}</dd>
                <dt>{tt(TenderMsg::ValidityDays)}</dt><dd>{b.validity_days}</dd>
                <dt>{tt(TenderMsg::SubmittedAt)}</dt><dd>{datetime::minute(b.submitted_at)}" · "{tt(TenderMsg::Revision)}" "<span id="bid-revision">{b.revision}</span></dd>
            </dl>
            <details>
                <summary>{tt(TenderMsg::Proposal)}</summary>
                <p class="prose" id="bid-proposal-shown">{b.proposal.clone()}</p>
            </details>
            <h3>{tt(TenderMsg::BidFiles)}</h3>
            <BidFileLinks files=b.files.clone() removable=changeable.then_some((b.id.clone(), files_changed))/>
            {changeable.then(|| view! {
                <BidFileUpload bid_id=b.id.clone() files=b.files.clone() on_change=files_changed/>
                <div class="row-actions">
                    <button class="button" type="button" id="bid-revise" on:click=move |_| editing.update(|e| *e = !*e)>{tt(TenderMsg::Revise)}</button>
                    <Show when=move || asking.get() fallback=move || view! {
                        <button class="button danger" type="button" id="bid-withdraw" on:click=move |_| asking.set(true)>{tt(TenderMsg::Withdraw)}</button>
                    }>
                        <span class="confirm-text">{tt(TenderMsg::WithdrawConfirm)}</span>
                        <button class="button small danger" type="button" data-action="confirm" disabled=move || busy.get() on:click=withdraw>{tr(Msg::Confirm)}</button>
                        <button class="button small" type="button" on:click=move |_| asking.set(false)>{tr(Msg::Cancel)}</button>
                    </Show>
                </div>
                <Show when=move || editing.get()>
                    <BidForm tender_id=copy.with_value(|b| b.tender_id.clone()) initial=Some(copy.get_value()) on_saved=revised/>
                </Show>
            })}
        </section>
    }
}

/// A bid's files, each with a download button (`bid-file-{n}`) and, while the bid may change, a
/// remove button.
#[component]
pub fn BidFileLinks(
    files: Vec<BidFileView>,
    removable: Option<(String, Callback<Vec<BidFileView>>)>,
) -> impl IntoView {
    let session = use_session();
    let orgs = use_active_org();
    let i18n = use_i18n();
    let failed = RwSignal::new(None::<Failure>);
    if files.is_empty() {
        return view! { <p class="hint bid-files-none">{tt(TenderMsg::NoBidFiles)}</p> }.into_any();
    }
    let all = StoredValue::new(files.clone());
    view! {
        <ul class="plain attachments bid-files">
            {files.into_iter().enumerate().map(|(i, f)| {
                let (path, name) = (f.download_path.clone(), f.name.clone());
                let get = move |_| {
                    let (path, name) = (path.clone(), name.clone());
                    leptos::task::spawn_local(async move {
                        let org = orgs.acting_untracked();
                        match load_path(session, org.as_deref(), &path).await {
                            Ok(file) => {
                                let _ = failed.try_set(None);
                                save_url(file.url, &name);
                            }
                            Err(failure) => failed.set(Some(failure)),
                        }
                    });
                };
                let remove = removable.clone().map(|(bid_id, on_change)| {
                    let file_id = f.id.clone();
                    view! {
                        <button type="button" class="link" data-action="remove-file" on:click=move |_| {
                            let (bid_id, file_id) = (bid_id.clone(), file_id.clone());
                            leptos::task::spawn_local(async move {
                                let path = format!("/bids/{bid_id}/files/{file_id}");
                                match orgs.call_acting::<(), ()>("DELETE", &path, None).await {
                                    Ok(()) => on_change.run(all.with_value(|a| a.iter().filter(|x| x.id != file_id).cloned().collect())),
                                    Err(failure) => failed.set(Some(failure)),
                                }
                            });
                        }>{tr(Msg::Remove)}</button>
                    }
                });
                view! {
                    <li>
                        <span class="bid-file-name">{f.name.clone()}</span>" "<span class="hint">{format!("{} KB", (f.size + 1023) / 1024)}</span>" "
                        <button type="button" class="button small" id=format!("bid-file-{i}") on:click=get>{tr(Msg::Download)}</button>" "
                        {remove}
                    </li>
                }
            }).collect_view()}
            {move || failed.get().map(|f| view! { <li class="form-error" role="alert">{move || failure_text(i18n.0.get(), &f)}</li> })}
        </ul>
    }
    .into_any()
}

/// Uploading a file to the bid, with progress.
#[component]
fn BidFileUpload(
    bid_id: String,
    files: Vec<BidFileView>,
    on_change: Callback<Vec<BidFileView>>,
) -> impl IntoView {
    let session = use_session();
    let orgs = use_active_org();
    let i18n = use_i18n();
    let percent = RwSignal::new(0_u32);
    let uploading = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let bid_id = StoredValue::new(bid_id);
    let files = StoredValue::new(files);
    let pick = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|list| list.get(0)) else { return };
        if let Some(input) = input {
            input.set_value("");
        }
        uploading.set(true);
        leptos::task::spawn_local(async move {
            let org = orgs.acting_untracked();
            let path = format!("/bids/{}/files", bid_id.get_value());
            let result = upload_to::<BidFileView>(session, &path, org.as_deref(), file, percent).await;
            let _ = uploading.try_set(false);
            match result {
                Ok(added) => {
                    let _ = failed.try_set(None);
                    files.update_value(|f| f.push(added));
                    on_change.run(files.get_value());
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    view! {
        <div class="bid-upload">
            <label for="bid-file-input">{tt(TenderMsg::AddBidFile)}</label>
            <input id="bid-file-input" type="file" accept=".pdf,.docx,.xlsx" on:change=pick/>
            <p class="hint">{tt(TenderMsg::BidFileHint)}</p>
            <Show when=move || uploading.get()>
                <div class="upload-progress">
                    <progress max="100" value=move || percent.get()></progress>
                    <span>{move || format!("{}%", percent.get())}</span>
                </div>
            </Show>
            {move || failed.get().map(|f| view! { <p class="form-error" role="alert" id="bid-file-error">{move || failure_text(i18n.0.get(), &f)}</p> })}
        </div>
    }
}
