//! A fee for copies, walked in browsers that run no page scripts (docs/PRODUCT.md, "Fees"):
//! the clerk estimates the fee for a grant's copies after a round of mistakes, the requester
//! accepts it on their tracking page, paper copies wait until the clerk records the payment,
//! the invoice prints, and production is recorded. Each page is checked with axe-core and at a
//! phone's width.

use super::steps::{open_case, open_step};
use super::*;

const LETTER_PAGE: &str = "Paper copy, letter size (8½ × 11 in), per page: $0.10";
const USB_DRIVE: &str = "USB drive: $5.00 each";
const PROGRAMMING: &str = "Programming or data work (Gov. Code §7922.575(b)): $90.00 per hour";

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_estimates_a_fee_the_requester_accepts_and_pays_and_the_records_are_produced() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;
    app.must_transition(
        &tn,
        &token,
        crate::helpers::grant("The logs are released on paper at the Clerk's counter."),
    )
    .await;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    assert!(text_of(&clerk, "#fees").await == "Fees");
    open_step(&clerk, "Estimate the fee for copies").await;

    // A line with no pages, and programming work without its reasons.
    select(&clerk, "#lines-0-item", LETTER_PAGE).await;
    fill(&clerk, "#lines-0-quantity", "0").await;
    select(&clerk, "#lines-1-item", PROGRAMMING).await;
    fill(&clerk, "#lines-1-quantity", "90").await;
    press(&clerk, "Send the estimate").await;
    let summary = text_of(&clerk, "#error-summary").await;
    for message in [
        "Line 1, how many: give a whole number from 1 to 100000",
        "Line 2, why the law allows charging for this work: choose one of the two reasons",
        "Line 2, what the work is, and why the request needs it: say what work the request needs",
    ] {
        assert!(summary.contains(message), "{message}: {summary}");
    }
    assert!(text_of(&clerk, "#lines-0-quantity-error")
        .await
        .contains("give a whole number"));
    assert!(text_of(&clerk, "#lines-1-reason-error")
        .await
        .contains("say what work the request needs"));
    assert_eq!(value_of(&clerk, "#lines-1-quantity").await, "90");
    assert_accessible(&clerk, "estimate with errors").await;
    fits_a_phone(&clerk, "estimate with errors").await;
    screenshot_at(&clerk, "fee-estimate-errors", DESKTOP.0).await;
    screenshot_at(&clerk, "fee-estimate-errors", PHONE_WIDTH).await;

    // Put right, with a USB drive added: $12.00 + $135.00 + $5.00.
    fill(&clerk, "#lines-0-quantity", "120").await;
    // Every line has these choices (folded away on the others): this line's, by its id.
    clerk
        .find(Locator::Css("#lines-1-basis"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(
        &clerk,
        "#lines-1-reason",
        "A query joining the dispatch and records systems for March 2026.",
    )
    .await;
    select(&clerk, "#lines-2-item", USB_DRIVE).await;
    fill(&clerk, "#lines-2-quantity", "1").await;
    fill(
        &clerk,
        "#note",
        "The copies will be ready a week after you accept.",
    )
    .await;
    press(&clerk, "Send the estimate").await;
    assert_eq!(text_of(&clerk, "h1").await, format!("{tn}: Granted"));
    assert_eq!(
        text_of(&clerk, ".success").await,
        "Estimate 1 for $152.00 was sent to the requester to accept or decline."
    );
    let fees = text_of(&clerk, "table.fee-lines").await;
    for fact in [
        "Programming or data work, Gov. Code §7922.575(b)",
        "90 minutes",
        "$135.00",
        "$152.00",
    ] {
        assert!(fees.contains(fact), "{fact}: {fees}");
    }
    assert_accessible(&clerk, "case page with a fee").await;
    fits_a_phone(&clerk, "case page with a fee").await;

    // The requester reads the estimate and answers it; nothing chosen first.
    let profile = tempfile::tempdir().unwrap();
    let requester = driver.browser_without_javascript(&profile).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    assert_eq!(
        text_of(&requester, ".fee-standing").await,
        "Estimate 1: Waiting for your answer"
    );
    let page = page_text(&requester).await;
    for fact in [
        "The fee for your copies",
        "$152.00",
        "If you decline it, nothing is charged",
        "A fee never extends the deadline for our determination",
        "How to pay",
    ] {
        assert!(page.contains(fact), "{fact}: {page}");
    }
    assert_accessible(&requester, "tracking page with a fee").await;
    fits_a_phone(&requester, "tracking page with a fee").await;
    screenshot_at(&requester, "fee-tracking", DESKTOP.0).await;
    screenshot_at(&requester, "fee-tracking", PHONE_WIDTH).await;
    press(&requester, "Send your answer").await;
    assert!(text_of(&requester, "#error-summary")
        .await
        .contains("Choose whether you accept or decline the estimate"));
    assert_eq!(
        text_of(&requester, "#answer-error").await,
        "Choose whether you accept or decline the estimate"
    );
    assert_accessible(&requester, "tracking page with an unanswered estimate").await;
    choose(&requester, "Accept the estimate").await;
    press(&requester, "Send your answer").await;
    assert_eq!(
        text_of(&requester, ".success").await,
        "You accepted the fee estimate. We have told the staff handling your request."
    );
    assert_eq!(
        text_of(&requester, ".fee-standing").await,
        "Estimate 1: Accepted"
    );
    assert!(page_text(&requester)
        .await
        .contains("You accepted this estimate. Please pay $152.00."));

    // Paper copies wait for the fee.
    open_case(&clerk, &app, &tn).await;
    assert!(text_of(&clerk, ".notice.fee-waits")
        .await
        .contains("$152.00 is still owed"));
    open_step(
        &clerk,
        "Record that the records were delivered or inspected",
    )
    .await;
    choose(&clerk, "Delivered on paper or other media").await;
    fill(&clerk, "#note", "Copies handed over at the counter.").await;
    press(&clerk, "Record production").await;
    assert!(text_of(&clerk, ".alert-error")
        .await
        .contains("paper copies are handed over once their fee is paid: $152.00 is still owed"));
    follow(&clerk, "Cancel").await;

    // The clerk records the payment, then prints the invoice.
    open_step(&clerk, "Record a payment").await;
    fill(&clerk, "#amount", "152.00").await;
    choose(&clerk, "Card").await;
    fill(&clerk, "#reference", "AUTH 55821").await;
    press(&clerk, "Record the payment").await;
    assert!(text_of(&clerk, ".success")
        .await
        .starts_with("Payment of $152.00 recorded: receipt number"));
    let account = text_of(&clerk, "dl.fee-account").await;
    assert!(account.contains("Still owed\n$0.00"), "{account}");
    follow(&clerk, "Print invoice").await;
    assert_eq!(
        text_of(&clerk, "h1").await,
        format!("Invoice for request {tn}")
    );
    let invoice = page_text(&clerk).await;
    for fact in [
        "Office of the City Clerk, City of Concord",
        "Jane Q. Public",
        "$152.00",
        "Card (AUTH 55821)",
        "A fee never extends the deadline",
    ] {
        assert!(invoice.contains(fact), "{fact}: {invoice}");
    }
    assert_accessible(&clerk, "invoice").await;
    fits_a_phone(&clerk, "invoice").await;
    screenshot_at(&clerk, "fee-invoice", DESKTOP.0).await;
    screenshot_at(&clerk, "fee-invoice", PHONE_WIDTH).await;
    follow(&clerk, &format!("Back to request {tn}")).await;
    screenshot_at(&clerk, "fee-case", DESKTOP.0).await;
    screenshot_at(&clerk, "fee-case", PHONE_WIDTH).await;

    // Paid: the copies are handed over and production recorded.
    open_step(
        &clerk,
        "Record that the records were delivered or inspected",
    )
    .await;
    choose(&clerk, "Delivered on paper or other media").await;
    fill(&clerk, "#note", "Copies handed over at the counter.").await;
    press(&clerk, "Record production").await;
    assert_eq!(
        text_of(&clerk, ".success").await,
        "Production is recorded and the requester has been told."
    );

    // The requester sees the records produced, the fee paid, and a receipt to print.
    requester.refresh().await.unwrap();
    let page = page_text(&requester).await;
    assert!(page.contains("Records produced"), "{page}");
    assert!(
        page.contains("You accepted this estimate, and it is paid in full."),
        "{page}"
    );
    follow(&requester, "Print a receipt").await;
    assert_eq!(
        text_of(&requester, "h1").await,
        format!("Receipt for request {tn}")
    );
    assert!(page_text(&requester).await.contains("Card (AUTH 55821)"));
    assert_accessible(&requester, "receipt").await;
    fits_a_phone(&requester, "receipt").await;
}
