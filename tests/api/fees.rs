//! Fees (issue 23, docs/PRODUCT.md "Fees"): an estimate priced from the schedule, the
//! requester's answer, payments, waivers and refunds, each a step with its letter; bad money
//! refused with 422 and nothing changed; a fee only on a grant awaiting production.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// A granted public records request awaiting production: (app, clerk token, filed).
async fn granted_with(
    tweak: impl FnOnce(&mut recordsdesk::config::Settings),
) -> (TestApp, String, Filed) {
    let app = spawn_app_with(tweak).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&tn, &clerk, grant("The permit files are released."))
        .await;
    (app, clerk, filed)
}

async fn granted() -> (TestApp, String, Filed) {
    granted_with(|_| {}).await
}

fn fees_path(tn: &str, what: &str) -> String {
    format!("/api/v1/requests/{tn}/fees/{what}")
}

impl TestApp {
    async fn version(&self, tn: &str, token: &str) -> i64 {
        self.case(tn, token).await["version"].as_i64().unwrap()
    }

    /// Posts a fee step on the version the caller sees now.
    async fn fee(&self, tn: &str, token: &str, what: &str, mut body: Value) -> Reply {
        body["version"] = json!(self.version(tn, token).await);
        self.post(&fees_path(tn, what), Some(token), &body).await
    }

    async fn must_fee(&self, tn: &str, token: &str, what: &str, body: Value) -> Value {
        let reply = self.fee(tn, token, what, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{what} {body}: {:?}",
            reply.body
        );
        reply.body
    }

    fn fee_rows(&self) -> (i64, i64) {
        use diesel::prelude::*;
        use recordsdesk::db::schema::{fee_entries, fee_estimates};
        self.with_conn(|conn| {
            Ok((
                fee_estimates::table.count().get_result(conn)?,
                fee_entries::table.count().get_result(conn)?,
            ))
        })
    }
}

fn pages_and_drive() -> Value {
    json!({ "lines": [
        { "item": "letter_page", "quantity": 120 },
        { "item": "usb_drive", "quantity": 1 }
    ]})
}

#[tokio::test]
async fn an_estimate_is_accepted_paid_and_the_paper_copies_handed_over() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    let case = app
        .must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    let fees = &case["fees"];
    assert_eq!(fees["total_cents"], 1_700);
    assert_eq!(fees["balance_cents"], 1_700);
    assert_eq!(fees["awaiting_answer"], true);
    let estimate = &fees["estimates"][0];
    assert_eq!(estimate["status"], "awaiting");
    assert_eq!(estimate["lines"][0]["amount_cents"], 1_200);
    assert_eq!(estimate["lines"][0]["citation"], "Gov. Code §7922.530(a)");
    assert_eq!(estimate["lines"][1]["rule"], "electronic_copy");
    assert_eq!(estimate["lines"][1]["citation"], "Gov. Code §7922.575(a)");

    // The requester is sent the estimate, with the rule of each line and the deadline.
    let notices = app.notices(tn);
    let (kind, to, letter) = notices.last().unwrap();
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("fee_estimate", "jane@example.com")
    );
    let text = letter["text"].as_str().unwrap();
    assert!(
        text.contains("120 × $0.10 = $12.00 (Gov. Code §7922.530(a))"),
        "{text}"
    );
    assert!(text.contains("Total: $17.00"), "{text}");
    assert!(text.contains("A fee never extends the deadline"), "{text}");
    assert!(
        text.contains("Nothing is charged for searching for, reviewing or redacting"),
        "{text}"
    );

    // The requester sees it and accepts; staff are told.
    let seen = app.case(tn, &filed.token).await;
    assert_eq!(seen["fees"]["balance_cents"], 1_700);
    let accepted = app
        .must_fee(tn, &filed.token, "answer", json!({ "answer": "accept" }))
        .await;
    assert_eq!(accepted["fees"]["estimates"][0]["status"], "accepted");
    assert_eq!(accepted["fees"]["awaiting_answer"], false);
    assert_eq!(app.notices(tn).last().unwrap().0, "fee_answered");

    // Paper copies wait for the fee.
    let early = app
        .post(
            &format!("/api/v1/requests/{tn}/production"),
            Some(&clerk),
            &json!({ "how": "paper", "note": "Handed over at the counter." }),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
    assert_eq!(early.body["error"], "fee_unpaid");
    assert!(early.body["message"].as_str().unwrap().contains("$17.00"));

    let paid = app
        .must_fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 1_000, "method": "cash" }),
        )
        .await;
    assert_eq!(paid["fees"]["paid_cents"], 1_000);
    assert_eq!(paid["fees"]["balance_cents"], 700);
    let receipt = app.notices(tn).last().unwrap().clone();
    assert_eq!(receipt.0, "fee_receipt");
    let text = receipt.2["text"].as_str().unwrap();
    assert!(text.contains("payment of $10.00"), "{text}");
    assert!(text.contains("Still to pay: $7.00."), "{text}");

    // More than is owed, and a card payment without its reference: 422, nothing changed.
    let before = (app.counts(), app.fee_rows());
    let over = app
        .fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 701, "method": "cash" }),
        )
        .await;
    assert_eq!(
        over.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        over.body
    );
    assert!(over.body["fields"]["amount_cents"][0]
        .as_str()
        .unwrap()
        .contains("more than the $7.00 still owed"));
    let card = app
        .fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 700, "method": "card" }),
        )
        .await;
    assert_eq!(card.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(card.field_errors(), vec!["reference"]);
    assert_eq!((app.counts(), app.fee_rows()), before);

    let settled = app
        .must_fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 700, "method": "card", "reference": "AUTH 55120" }),
        )
        .await;
    assert_eq!(settled["fees"]["balance_cents"], 0);
    assert_eq!(settled["fees"]["entries"][1]["reference"], "AUTH 55120");
    let produced = app
        .post(
            &format!("/api/v1/requests/{tn}/production"),
            Some(&clerk),
            &json!({ "how": "paper", "note": "Handed over at the counter." }),
        )
        .await;
    assert_eq!(produced.status, StatusCode::OK, "{:?}", produced.body);

    // Every fee step is in the chain, and the chain (and each row it makes) still checks.
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let actions: Vec<&str> = audit.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("fee_"))
        .collect();
    assert_eq!(
        actions,
        [
            "fee_estimated",
            "fee_answered",
            "fee_recorded",
            "fee_recorded"
        ]
    );
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(verified.status.success(), "{verified:?}");
}

#[tokio::test]
async fn bad_lines_are_refused_each_with_its_message_and_nothing_is_estimated() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    let before = (app.counts(), app.fee_rows());
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!([{ "item": "letter_page", "quantity": 0 }]),
            "lines[0].quantity",
            "from 1 to",
        ),
        (
            json!([{ "item": "letter_page", "quantity": -4 }]),
            "lines[0].quantity",
            "from 1 to",
        ),
        (
            json!([{ "item": "letter_page", "quantity": 3, "unit_cents": 1 }]),
            "lines[0].unit_cents",
            "the fee schedule sets",
        ),
        (
            json!([{ "item": "direct_cost", "quantity": 1, "unit_cents": 0, "form": "paper", "description": "Map" }]),
            "lines[0].unit_cents",
            "from 1 to",
        ),
        (
            json!([{ "item": "direct_cost", "quantity": 1, "unit_cents": -250, "form": "paper", "description": "Map" }]),
            "lines[0].unit_cents",
            "from 1 to",
        ),
        (
            json!([{ "item": "search", "quantity": 2 }]),
            "lines[0].item",
            "searching for, reviewing or redacting",
        ),
        (
            json!([{ "item": "redaction", "quantity": 2 }]),
            "lines[0].item",
            "searching for, reviewing or redacting",
        ),
        (
            json!([{ "item": "programming", "quantity": 60, "basis": "compilation" }]),
            "lines[0].reason",
            "what work the request needs",
        ),
        (
            json!([{ "item": "programming", "quantity": 60, "reason": "A query." }]),
            "lines[0].basis",
            "why §7922.575(b) applies",
        ),
        (
            json!([{ "item": "programming", "quantity": 60, "basis": "compilation", "reason": "A query.", "form": "paper" }]),
            "lines[0].form",
            "never for paper records",
        ),
        (
            json!([{ "item": "photocopier_rental", "quantity": 1 }]),
            "lines[0].item",
            "not in the fee schedule",
        ),
        // $5.00 × 100,000 is over the $10,000.00 most one estimate may be.
        (
            json!([{ "item": "usb_drive", "quantity": 100000 }]),
            "lines[0].quantity",
            "more than the most",
        ),
        // Each line under the maximum, the sum over it.
        (
            json!([
                { "item": "direct_cost", "quantity": 1, "unit_cents": 600000, "form": "paper", "description": "Plans" },
                { "item": "direct_cost", "quantity": 1, "unit_cents": 600000, "form": "paper", "description": "Maps" }
            ]),
            "lines",
            "the total is more than",
        ),
        // A price near i64's end would overflow: refused the same way.
        (
            json!([{ "item": "direct_cost", "quantity": 100000, "unit_cents": 9223372036854775807i64, "form": "electronic", "description": "Tape" }]),
            "lines[0].unit_cents",
            "from 1 to",
        ),
        (json!([]), "lines", "at least one line"),
    ];
    for (lines, field, words) in cases {
        let reply = app
            .fee(tn, &clerk, "estimate", json!({ "lines": lines }))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{lines}: {:?}",
            reply.body
        );
        let message = reply.body["fields"][field][0].as_str().unwrap_or_default();
        assert!(
            message.contains(words),
            "{lines}: {field}: {:?}",
            reply.body
        );
        assert_eq!(
            (app.counts(), app.fee_rows()),
            before,
            "{lines} changed something"
        );
    }
    // A good programming line is priced by the minute at the hourly rate.
    let case = app
        .must_fee(
            tn,
            &clerk,
            "estimate",
            json!({ "lines": [{ "item": "programming", "quantity": 90, "basis": "compilation",
                                "reason": "A query joining two systems.", "form": "electronic" }] }),
        )
        .await;
    assert_eq!(case["fees"]["total_cents"], 13_500);
    assert_eq!(
        case["fees"]["estimates"][0]["lines"][0]["citation"],
        "Gov. Code §7922.575(b)"
    );
}

#[tokio::test]
async fn a_fee_is_only_for_a_grant_awaiting_production() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let estimate = |tn: String| {
        let app = &app;
        let clerk = clerk.clone();
        async move {
            app.post(
                &fees_path(&tn, "estimate"),
                Some(&clerk),
                &pages_and_drive(),
            )
            .await
        }
    };
    // Not yet decided, denied, withdrawn: 409, nothing stored.
    let open = app.submit_records_request().await;
    let reply = estimate(open.tracking_number.clone()).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["error"], "no_fee_here");
    app.must_transition(
        &open.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    app.must_transition(&open.tracking_number, &clerk, denial())
        .await;
    assert_eq!(
        estimate(open.tracking_number.clone()).await.status,
        StatusCode::CONFLICT
    );
    let withdrawn = app.submit_records_request().await;
    let w = app
        .post(
            &format!("/api/v1/requests/{}/withdraw", withdrawn.tracking_number),
            Some(&withdrawn.token),
            &json!({}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK);
    let reply = estimate(withdrawn.tracking_number.clone()).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("withdrawn"));
    // Payments need an estimate, and an accepted one.
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    let none = app
        .fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 100, "method": "cash" }),
        )
        .await;
    assert_eq!(none.body["error"], "no_fee_estimate");
    app.must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    let early = app
        .fee(
            tn,
            &clerk,
            "payments",
            json!({ "amount_cents": 100, "method": "cash" }),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["error"], "fee_not_accepted");
    // Staff do not answer for the requester; the requester does not estimate.
    let staff_answer = app
        .fee(tn, &clerk, "answer", json!({ "answer": "accept" }))
        .await;
    assert_eq!(staff_answer.status, StatusCode::FORBIDDEN);
    let requester_estimate = app
        .post(
            &fees_path(tn, "estimate"),
            Some(&filed.token),
            &pages_and_drive(),
        )
        .await;
    assert!(requester_estimate.status.is_client_error());
    assert_ne!(requester_estimate.status, StatusCode::OK);
    // Once produced, no new estimate.
    app.post(
        &format!("/api/v1/requests/{tn}/production"),
        Some(&clerk),
        &json!({ "how": "inspection", "note": "Inspected at the counter." }),
    )
    .await;
    let late = app.fee(tn, &clerk, "estimate", pages_and_drive()).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body["message"]
        .as_str()
        .unwrap()
        .contains("already produced"));
}

#[tokio::test]
async fn two_payments_on_one_version_one_is_taken() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    app.must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    app.must_fee(tn, &filed.token, "answer", json!({ "answer": "accept" }))
        .await;
    let version = app.version(tn, &clerk).await;
    let body = json!({ "amount_cents": 500, "method": "cash", "version": version });
    let path = fees_path(tn, "payments");
    let (a, b) = tokio::join!(
        app.post(&path, Some(&clerk), &body),
        app.post(&path, Some(&clerk), &body)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let case = app.case(tn, &clerk).await;
    assert_eq!(case["fees"]["paid_cents"], 500);
    assert_eq!(case["fees"]["entries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_declined_estimate_charges_nothing_and_production_goes_on() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    app.must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    let declined = app
        .must_fee(tn, &filed.token, "answer", json!({ "answer": "decline" }))
        .await;
    assert_eq!(declined["fees"]["estimates"][0]["status"], "declined");
    let again = app
        .fee(tn, &filed.token, "answer", json!({ "answer": "accept" }))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"], "fee_answered");
    for (what, body) in [
        ("payments", json!({ "amount_cents": 100, "method": "cash" })),
        (
            "waivers",
            json!({ "amount_cents": 100, "reason": "Goodwill." }),
        ),
    ] {
        let reply = app.fee(tn, &clerk, what, body).await;
        assert_eq!(
            reply.status,
            StatusCode::CONFLICT,
            "{what}: {:?}",
            reply.body
        );
    }
    // Declined, paper does not wait: nothing is owed.
    let produced = app
        .post(
            &format!("/api/v1/requests/{tn}/production"),
            Some(&clerk),
            &json!({ "how": "inspection", "note": "Inspected at the counter, free of charge." }),
        )
        .await;
    assert_eq!(produced.status, StatusCode::OK, "{:?}", produced.body);
    let case = app.case(tn, &filed.token).await;
    assert_eq!(case["fees"]["paid_cents"], 0);
}

#[tokio::test]
async fn waivers_and_refunds_balance_and_are_told_to_the_requester() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    app.must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    // Waived in part before the answer, then accepted at the lower balance.
    let waived = app
        .must_fee(
            tn,
            &clerk,
            "waivers",
            json!({ "amount_cents": 500, "reason": "The drive is on us." }),
        )
        .await;
    assert_eq!(waived["fees"]["balance_cents"], 1_200);
    let letter = app.notices(tn).last().unwrap().clone();
    assert_eq!(letter.0, "fee_waived");
    assert!(letter.2["text"]
        .as_str()
        .unwrap()
        .contains("The drive is on us."));
    app.must_fee(tn, &filed.token, "answer", json!({ "answer": "accept" }))
        .await;
    app.must_fee(
        tn,
        &clerk,
        "payments",
        json!({ "amount_cents": 1_200, "method": "check", "reference": "No. 88" }),
    )
    .await;
    // A waiver after payment leaves money owed back; a refund pays it.
    let credit = app
        .must_fee(
            tn,
            &clerk,
            "waivers",
            json!({ "amount_cents": 300, "reason": "Fewer pages than estimated." }),
        )
        .await;
    assert_eq!(credit["fees"]["balance_cents"], -300);
    let no_reason = app
        .fee(tn, &clerk, "refunds", json!({ "amount_cents": 300 }))
        .await;
    assert_eq!(no_reason.field_errors(), vec!["reason"]);
    let over = app
        .fee(
            tn,
            &clerk,
            "refunds",
            json!({ "amount_cents": 1_201, "reason": "Too much." }),
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body["fields"]["amount_cents"][0]
        .as_str()
        .unwrap()
        .contains("no more than the $12.00 paid"));
    let over_waiver = app
        .fee(
            tn,
            &clerk,
            "waivers",
            json!({ "amount_cents": 1_401, "reason": "All of it." }),
        )
        .await;
    assert_eq!(over_waiver.status, StatusCode::UNPROCESSABLE_ENTITY);
    // On the wire a method is one of its words or null: a blank or padded one is not read as
    // "not given" or as the word (the pages send blanks; the API does not).
    for method in ["", " ", " cash"] {
        let blank = app
            .fee(
                tn,
                &clerk,
                "refunds",
                json!({ "amount_cents": 300, "reason": "Fewer pages.", "method": method }),
            )
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{method:?}");
        assert_eq!(blank.body["error"], "invalid_body", "{method:?}");
    }
    let refunded = app
        .must_fee(tn, &clerk, "refunds", json!({ "amount_cents": 300, "reason": "Fewer pages than estimated.", "method": "cash" }))
        .await;
    let fees = &refunded["fees"];
    assert_eq!(fees["balance_cents"], 0);
    assert_eq!(
        fees["total_cents"].as_i64().unwrap(),
        fees["waived_cents"].as_i64().unwrap() + fees["paid_cents"].as_i64().unwrap()
            - fees["refunded_cents"].as_i64().unwrap()
    );
    assert_eq!(app.notices(tn).last().unwrap().0, "fee_refunded");
    // Money was paid: a new estimate must wait for the refund of it.
    let replace = app.fee(tn, &clerk, "estimate", pages_and_drive()).await;
    assert_eq!(replace.status, StatusCode::CONFLICT);
    assert_eq!(replace.body["error"], "fee_paid");
}

#[tokio::test]
async fn a_new_estimate_replaces_the_one_unanswered() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    app.must_fee(tn, &clerk, "estimate", pages_and_drive())
        .await;
    let second = app
        .must_fee(
            tn,
            &clerk,
            "estimate",
            json!({ "lines": [{ "item": "letter_page", "quantity": 50 }], "note": "Fewer pages." }),
        )
        .await;
    let estimates = second["fees"]["estimates"].as_array().unwrap();
    assert_eq!(estimates[0]["status"], "replaced");
    assert_eq!(estimates[1]["status"], "awaiting");
    assert_eq!(estimates[1]["number"], 2);
    assert_eq!(second["fees"]["total_cents"], 500);
}

#[tokio::test]
async fn an_estimate_under_the_threshold_is_waived_whole() {
    let (app, clerk, filed) = granted_with(|s| s.fees.waive_under_cents = 500).await;
    let tn = filed.tracking_number.as_str();
    let case = app
        .must_fee(
            tn,
            &clerk,
            "estimate",
            json!({ "lines": [{ "item": "letter_page", "quantity": 30 }] }),
        )
        .await;
    let fees = &case["fees"];
    assert_eq!(fees["estimates"][0]["status"], "waived");
    assert_eq!(fees["balance_cents"], 0);
    assert_eq!(fees["entries"][0]["automatic"], true);
    assert_eq!(fees["paper_waits_for_payment"], false);
    let letter = app.notices(tn).last().unwrap().clone();
    assert_eq!(letter.0, "fee_estimate");
    assert!(letter.2["text"]
        .as_str()
        .unwrap()
        .contains("you have nothing to pay"));
    let answer = app
        .fee(tn, &filed.token, "answer", json!({ "answer": "accept" }))
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_fee_schedule_is_public() {
    let app = spawn_app().await;
    let schedule = app.get("/api/v1/fee-schedule", None).await;
    assert_eq!(schedule.status, StatusCode::OK);
    let items = schedule.body["items"].as_array().unwrap();
    let page = items.iter().find(|i| i["key"] == "letter_page").unwrap();
    assert_eq!(page["price_cents"], 10);
    assert_eq!(page["citation"], "Gov. Code §7922.530(a)");
    assert_eq!(schedule.body["programming_hourly_cents"], 9_000);
}

#[tokio::test]
async fn two_estimates_at_once_without_a_version_are_taken_one_after_the_other() {
    let (app, clerk, filed) = granted().await;
    let tn = filed.tracking_number.as_str();
    let path = fees_path(tn, "estimate");
    let body = pages_and_drive();
    let (a, b) = tokio::join!(
        app.post(&path, Some(&clerk), &body),
        app.post(&path, Some(&clerk), &body)
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::OK, StatusCode::OK),
        "{a:?} {b:?}"
    );
    let case = app.case(tn, &clerk).await;
    let statuses: Vec<&str> = case["fees"]["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["replaced", "awaiting"]);
}
