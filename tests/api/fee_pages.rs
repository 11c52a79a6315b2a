//! The fee pages over plain HTTP, as a browser without JavaScript walks them (docs/PRODUCT.md,
//! "Fees"; the walk in a real browser is tests/browser/fees.rs): the estimate form and its
//! mistakes, line by line; the estimate on the case page and on the requester's tracking page;
//! the requester's answer; a payment; the invoice and receipt to print.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::plain_words::{check, visible};

const CLERK: &str = "clerk@city.test";

/// A records request granted by the clerk, who manages it: its records await production.
async fn granted(app: &TestApp) -> Filed {
    let clerk = app.staff(CLERK, "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &clerk, grant("The logs are released on paper."))
        .await;
    filed
}

/// A hidden field's value on a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} on the page:\n{page}"))
        + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// Opens a form page and sends it with `fields`, its CSRF token and version: (status, page
/// or where it went).
async fn send_form(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let page = page_text(client, app.url(form_page)).await;
    let csrf = csrf_in(&page);
    let version = hidden(&page, "version");
    let mut form = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    let response = client
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (status, response.text().await.unwrap(), location)
}

/// The clerk sends a step form of the request: (status, page, redirect).
async fn step(
    app: &TestApp,
    clerk: &reqwest::Client,
    tn: &str,
    slug: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let at = format!("/staff/requests/{tn}/steps/{slug}");
    send_form(app, clerk, &at, &at, fields).await
}

/// Three lines: 120 letter pages ($12.00), a USB drive ($5.00) and 90 minutes of programming
/// at $90.00 an hour ($135.00): $152.00 in all.
const GOOD_ESTIMATE: [(&str, &str); 9] = [
    ("lines[0].item", "letter_page"),
    ("lines[0].quantity", "120"),
    ("lines[2].item", "usb_drive"),
    ("lines[2].quantity", "1"),
    ("lines[3].item", "programming"),
    ("lines[3].quantity", "90"),
    ("lines[3].basis", "compilation"),
    (
        "lines[3].reason",
        "A query joining the dispatch and records systems for March 2026.",
    ),
    ("note", "The copies will be ready a week after you accept."),
];

/// A grant with the good estimate sent: the clerk's browser and the requester's.
async fn estimated(app: &TestApp) -> (Filed, reqwest::Client, reqwest::Client) {
    let filed = granted(app).await;
    let clerk = app.signed_in_pages(CLERK).await;
    let (status, page, location) = step(
        app,
        &clerk,
        &filed.tracking_number,
        "fee-estimate",
        &GOOD_ESTIMATE,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        location.as_deref(),
        Some(format!("/staff/requests/{}", filed.tracking_number).as_str())
    );
    let requester = requester_browser(app, &filed).await;
    (filed, clerk, requester)
}

#[tokio::test]
async fn the_estimate_form_shows_each_mistake_beside_its_line_and_charges_nothing() {
    let app = spawn_app().await;
    let filed = granted(&app).await;
    let tn = &filed.tracking_number;
    let clerk = app.signed_in_pages(CLERK).await;

    // The case page offers the step; its page has five lines, or as many as asked for.
    let case = page_text(&clerk, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains(r#"<h2 id="fees">Fees</h2>"#), "{case}");
    assert!(
        case.contains(&format!(
            r#"<a href="/staff/requests/{tn}/steps/fee-estimate">Estimate the fee for copies</a>"#
        )),
        "{case}"
    );
    let form = page_text(
        &clerk,
        app.url(&format!("/staff/requests/{tn}/steps/fee-estimate")),
    )
    .await;
    assert!(
        form.contains("<h1>Estimate the fee for copies</h1>"),
        "{form}"
    );
    assert!(form.contains(r#"id="lines-4-item""#) && !form.contains(r#"id="lines-5-item""#));
    assert!(
        form.contains("Paper copy, letter size (8½ × 11 in), per page: $0.10"),
        "{form}"
    );
    assert!(form.contains("Programming or data work (Gov. Code §7922.575(b)): $90.00 per hour"));
    let longer = page_text(
        &clerk,
        app.url(&format!("/staff/requests/{tn}/steps/fee-estimate?lines=8")),
    )
    .await;
    assert!(longer.contains(r#"id="lines-7-item""#), "{longer}");

    // No pages, a charge for searching, and programming work without its reasons.
    let before = app.counts();
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-estimate",
        &[
            ("lines[0].item", "letter_page"),
            ("lines[0].quantity", "0"),
            ("lines[2].item", "search"),
            ("lines[2].quantity", "3"),
            ("lines[3].item", "programming"),
            ("lines[3].quantity", "60"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("<title>Error: Estimate the fee"), "{page}");
    for (id, message) in [
        ("lines-0-quantity", "give a whole number from 1 to 100000"),
        (
            "lines-2-item",
            "nothing may be charged for time spent searching for, reviewing or redacting records",
        ),
        (
            "lines-3-basis",
            "choose one of the two reasons the law allows this charge",
        ),
        ("lines-3-reason", "say what work the request needs and why"),
    ] {
        let error = format!(r#"id="{id}-error">{message}"#);
        assert!(page.contains(&error), "{id} beside its field: {page}");
        assert!(
            page.contains(&format!(r##"<a href="#{id}">"##)),
            "{id} in the summary: {page}"
        );
    }
    // The summary names the line each mistake is on; the second line, empty, has none.
    assert!(
        page.contains("Line 1, how many: give a whole number"),
        "{page}"
    );
    assert!(!page.contains(r#"id="lines-1-item-error""#));
    // What was typed is kept, and the folded parts with mistakes are open.
    assert!(
        page.contains(r#"name="lines[3].quantity" value="60""#),
        "{page}"
    );
    assert!(page.contains(r#"<details class="fee-part" open><summary>Programming"#));
    assert_eq!(app.counts(), before, "nothing is estimated or sent");

    // Another direct cost needs its price in dollars, its form and what it is.
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-estimate",
        &[
            ("lines[0].item", "direct_cost"),
            ("lines[0].quantity", "1"),
            ("lines[0].price", "twelve dollars"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["lines-0-price", "lines-0-form", "lines-0-description"] {
        assert!(
            page.contains(&format!(r#"id="{id}-error""#)),
            "{id}: {page}"
        );
    }
    assert!(page.contains("give an amount in dollars and cents, like 12.50"));

    // Nothing on any line.
    let (status, page, _) = step(&app, &clerk, tn, "fee-estimate", &[("note", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("give at least one line: what is charged for"),
        "{page}"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_good_estimate_shows_on_the_case_page_and_the_requesters_page_in_plain_words() {
    let app = spawn_app().await;
    let (filed, clerk, requester) = estimated(&app).await;
    let tn = &filed.tracking_number;

    let case = page_text(&clerk, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        case.contains("Estimate 1 for $152.00 was sent to the requester to accept or decline."),
        "{case}"
    );
    assert!(
        case.contains("Estimate 1: Sent; waiting for the requester to accept or decline it."),
        "{case}"
    );
    for fact in [
        "Paper copy, letter size (8½ × 11 in), per page",
        "Direct cost of duplication, Gov. Code §7922.530(a)",
        "Direct cost of an electronic copy, Gov. Code §7922.575(a)",
        "Programming or data work, Gov. Code §7922.575(b)",
        "90 minutes",
        "$90.00 per hour",
        "$135.00",
        "<strong>$152.00</strong>",
        "A query joining the dispatch and records systems for March 2026.",
        "Print invoice",
        "Make a new fee estimate",
        "Waive all or part of the fee",
    ] {
        assert!(case.contains(fact), "{fact}: {case}");
    }
    // Nothing is paid before the requester accepts.
    assert!(!case.contains("Record a payment"), "{case}");

    let tracking = page_text(&requester, app.url(&format!("/requests/{tn}"))).await;
    for fact in [
        "The fee for your copies",
        "Estimate 1: Waiting for your answer",
        "$0.10 each",
        "90 minutes",
        "$90.00 an hour",
        "$152.00",
        "The direct cost of making the copy (Gov. Code §7922.530(a))",
        "your request needs data to be compiled or extracted",
        "The copies will be ready a week after you accept.",
        "Do you accept this estimate?",
        "Accept the estimate",
        "Decline the estimate",
        "If you decline it, nothing is charged",
        "you may inspect the records in person free of charge",
        "A fee never extends the deadline for our determination",
        "How to pay",
        "Pay at the City Clerk",
        "Print the invoice",
    ] {
        assert!(tracking.contains(fact), "{fact}: {tracking}");
    }
    let text = visible(&tracking);
    check("the tracking page with a fee", &text);
    for code in [
        "letter_page",
        "usb_drive",
        "direct_cost",
        "compilation",
        "statutory_fee",
        "electronic_copy",
        "awaiting",
    ] {
        assert!(!text.contains(code), "the page shows {code:?}: {text}");
    }
}

#[tokio::test]
async fn the_requester_accepts_on_their_page_and_a_payment_over_what_is_owed_is_refused() {
    let app = spawn_app().await;
    let (filed, clerk, requester) = estimated(&app).await;
    let tn = &filed.tracking_number;
    let tracking = format!("/requests/{tn}");
    let answer = format!("/requests/{tn}/fees/answer");

    // No answer chosen: asked again, beside the question.
    let (status, page, _) = send_form(&app, &requester, &tracking, &answer, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(r#"id="answer-error">Choose whether you accept or decline the estimate</p>"#),
        "{page}"
    );
    assert!(page.contains(r##"<a href="#f-answer">"##), "{page}");

    let (status, _, location) = send_form(
        &app,
        &requester,
        &tracking,
        &answer,
        &[("answer", "accept")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(tracking.as_str()));
    let page = page_text(&requester, app.url(&tracking)).await;
    assert!(page.contains("You accepted the fee estimate."), "{page}");
    assert!(page.contains("Estimate 1: Accepted"), "{page}");
    assert!(page.contains("Please pay $152.00."), "{page}");
    assert!(!page.contains("Do you accept this estimate?"), "{page}");
    assert!(
        page.contains("We hand over paper copies once they are paid for."),
        "{page}"
    );
    check("the tracking page once accepted", &visible(&page));

    // Sent twice (a second tab): the page says where it stands, in plain words.
    let csrf = csrf_in(&page);
    let again = requester
        .post(app.url(&answer))
        .form(&[("csrf", csrf.as_str()), ("answer", "decline")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.text().await.unwrap();
    assert!(
        again.contains("This estimate was already answered"),
        "{again}"
    );
    check("a second answer", &visible(&again));

    // The clerk may now record a payment; more than is owed is refused, beside the amount.
    let case = page_text(&clerk, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains("Record a payment"), "{case}");
    let before = app.counts();
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-payment",
        &[("amount", "200.00"), ("method", "cash")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(r#"id="amount-error">the payment is more than the $152.00 still owed</p>"#),
        "{page}"
    );
    assert!(page.contains(r#"name="amount" value="200.00""#), "{page}");
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-payment",
        &[("amount", "100"), ("method", "check")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("give the check number or the card payment"),
        "{page}"
    );
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-payment",
        &[("amount", "ten"), ("method", "")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="amount-error""#) && page.contains(r#"id="method-error""#));
    assert_eq!(app.counts(), before, "nothing is recorded");

    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-payment",
        &[
            ("amount", "$100.00"),
            ("method", "check"),
            ("reference", "1042"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let case = page_text(&clerk, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        case.contains("Payment of $100.00 recorded: receipt number"),
        "{case}"
    );
    assert!(case.contains("<strong>$52.00</strong>"), "{case}");
    assert!(case.contains("Check (1042)"), "{case}");
    assert!(case.contains("Print receipt"), "{case}");

    let page = page_text(&requester, app.url(&tracking)).await;
    assert!(page.contains("Please pay $52.00."), "{page}");
    assert!(page.contains("Print a receipt"), "{page}");
}

#[tokio::test]
async fn the_invoice_and_receipt_show_the_lines_the_money_and_the_law() {
    let app = spawn_app().await;
    let (filed, clerk, requester) = estimated(&app).await;
    let tn = &filed.tracking_number;
    let tracking = format!("/requests/{tn}");
    let (status, _, _) = send_form(
        &app,
        &requester,
        &tracking,
        &format!("/requests/{tn}/fees/answer"),
        &[("answer", "accept")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-payment",
        &[("amount", "100"), ("method", "cash")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, page, _) = step(
        &app,
        &clerk,
        tn,
        "fee-waiver",
        &[("amount", "2.00"), ("reason", "Two pages were blank.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let receipt_number = {
        let case = app.case(tn, &filed.token).await;
        case["fees"]["entries"][0]["id"].to_string()
    };

    for (who, client, base) in [
        ("staff", &clerk, format!("/staff/requests/{tn}")),
        ("requester", &requester, tracking.clone()),
    ] {
        let response = client
            .get(app.url(&format!("{base}/fees/invoice")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{who}");
        let invoice = response.text().await.unwrap();
        for fact in [
            format!("<h1>Invoice for request {tn}</h1>"),
            "Office of the City Clerk".to_string(),
            "Jane Q. Public".to_string(),
            "Paper copy, letter size (8½ × 11 in), per page".to_string(),
            "The direct cost of making the copy (Gov. Code §7922.530(a))".to_string(),
            "$152.00".to_string(),
            "$100.00".to_string(),
            "$2.00".to_string(),
            "<strong>$50.00</strong>".to_string(),
            "Two pages were blank.".to_string(),
            "How to pay".to_string(),
            "Government Code section 7922.530".to_string(),
            "Nothing is charged for searching for, reviewing or redacting records".to_string(),
            "A fee never extends the deadline".to_string(),
        ] {
            assert!(invoice.contains(&fact), "{who}: {fact}: {invoice}");
        }
        check(&format!("the {who} invoice"), &visible(&invoice));

        let receipt = page_text(client, app.url(&format!("{base}/fees/receipt"))).await;
        for fact in [
            format!("<h1>Receipt for request {tn}</h1>"),
            format!(r#"data-label="Receipt number">{receipt_number}</td>"#),
            "Cash".to_string(),
            "$100.00".to_string(),
            "Waiver".to_string(),
            "<strong>$50.00</strong>".to_string(),
        ] {
            assert!(receipt.contains(&fact), "{who}: {fact}: {receipt}");
        }
        assert!(!receipt.contains("How to pay"), "{receipt}");
    }

    // Someone else's browser gets nothing.
    let stranger = page_client();
    let response = stranger
        .get(app.url(&format!("/requests/{tn}/fees/invoice")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
