//! Letters by post (issue 18; docs/PRODUCT.md, "Letters by post"): a request recorded from a
//! letter, with a postal address and no email, has every letter to its requester listed for
//! staff to print and post; each print carries its own private link, and posting is logged.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const ADDRESS: &str = "Pat Writer\n2974 Salvio Street, Apt 3\nConcord, CA 94519";

fn mailed() -> Value {
    let received = (chrono::Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%dT09:30")
        .to_string();
    json!({
        "channel": "mail",
        "received_at": received,
        "postal_address": ADDRESS,
        "request": {
            "kind": "public_records",
            "requester": { "name": "Pat Writer" },
            "description": "Minutes of the Planning Commission, January 2026."
        }
    })
}

/// The "Letters to post" page, as text, and its CSRF token.
async fn post_page(staff: &reqwest::Client, app: &TestApp) -> (String, String) {
    let page = page_text(staff, app.url("/staff/post")).await;
    let csrf = csrf_in(&page);
    (page, csrf)
}

/// The action of the first form on the page whose path starts with `prefix`.
fn form_action(page: &str, prefix: &str) -> String {
    let at = page.find(&format!("action=\"{prefix}")).expect("a form") + "action=\"".len();
    page[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_mailed_request_gets_its_letters_printed_with_a_link_and_marked_posted() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let recorded = app.post("/api/v1/intake", Some(&clerk), &mailed()).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    let tn = recorded.body["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        app.notices(&tn)
            .iter()
            .all(|(kind, ..)| kind != "acknowledgement"),
        "nothing is emailed to a requester without email"
    );

    let staff = app.signed_in_pages("clerk@city.test").await;
    let (page, csrf) = post_page(&staff, &app).await;
    assert!(page.contains(&tn) && page.contains("Pat Writer"), "{page}");
    assert!(
        page.contains("We received your public records request"),
        "{page}"
    );

    // Printing shows the address and the letter with a private link of its own.
    let print = form_action(&page, &format!("/staff/post/{tn}/"));
    let printed = staff
        .post(app.url(&print))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(printed.status(), StatusCode::OK);
    let letter = printed.text().await.unwrap();
    assert!(letter.contains("2974 Salvio Street, Apt 3"), "{letter}");
    assert!(letter.contains("Dear Pat Writer"), "{letter}");
    let link_at = letter
        .find("?token=")
        .expect("a private link in the letter");
    let token: String = letter[link_at + "?token=".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    assert!(token.starts_with("rdr_"), "{token}");
    let theirs = app.case(&tn, &token).await;
    assert_eq!(
        theirs["tracking_number"], tn,
        "the printed link opens the request"
    );

    // Marked posted, it leaves the list; the log has both.
    let posted = staff
        .post(app.url(&format!("{print}/posted")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let (page, csrf) = post_page(&staff, &app).await;
    assert!(page.contains("There are no letters to post."), "{page}");
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let actions: Vec<&str> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"letter_posted"), "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| **a == "link_issued").count(),
        2,
        "one link given on recording, one printed: {actions:?}"
    );

    // The next step's letter joins the list.
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let (page, _) = post_page(&staff, &app).await;
    assert!(page.contains("Your request is under review"), "{page}");
    // Posting the same letter twice is posting it once.
    let again = staff
        .post(app.url(&format!("{print}/posted")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER);

    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[tokio::test]
async fn only_letters_of_postal_requesters_staff_can_see_are_listed_or_printed() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.staff("parks@city.test", "steward", Some("Parks")).await;
    let recorded = app.post("/api/v1/intake", Some(&clerk), &mailed()).await;
    let tn = recorded.body["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    let by_email = app.submit_records_request().await;

    // A steward of another department sees no letter, and cannot print one.
    let steward = app.signed_in_pages("parks@city.test").await;
    let page = page_text(&steward, app.url("/staff/post")).await;
    assert!(page.contains("There are no letters to post."), "{page}");
    let csrf = csrf_in(&page);
    let before = app.counts();
    for path in [
        format!("/staff/post/{tn}/1/acknowledgement"),
        // A requester with email gets emails, not letters.
        format!("/staff/post/{}/1/acknowledgement", by_email.tracking_number),
    ] {
        let refused = steward
            .post(app.url(&path))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let clerk_pages = app.signed_in_pages("clerk@city.test").await;
    let csrf = csrf_in(&page_text(&clerk_pages, app.url("/staff/post")).await);
    for path in [
        format!("/staff/post/{}/1/acknowledgement", by_email.tracking_number),
        format!("/staff/post/{tn}/1/no_such_letter"),
        format!("/staff/post/{tn}/99/acknowledgement"),
        format!("/staff/post/{tn}/1/granted"),
    ] {
        let refused = clerk_pages
            .post(app.url(&path))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.counts(), before, "nothing was printed or posted");

    // A postal address that is too long is refused, and nothing is filed.
    let mut long = mailed();
    long["postal_address"] = json!("x".repeat(501));
    let refused = app.post("/api/v1/intake", Some(&clerk), &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_errors(), ["postal_address"]);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_letter_recorded_on_the_page_keeps_its_scan_and_says_where_the_acknowledgement_waits() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let staff = app.signed_in_pages("clerk@city.test").await;
    let form = page_text(&staff, app.url("/staff/intake")).await;
    let csrf = csrf_in(&form);
    let now = chrono::Utc::now().with_timezone(&chrono_tz::America::Los_Angeles);
    let recorded = staff
        .post(app.url("/staff/intake"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("channel", "mail"),
            ("received_date", &now.format("%Y-%m-%d").to_string()),
            ("received_time", &now.format("%H:%M").to_string()),
            ("kind", "public_records"),
            (
                "description",
                "Minutes of the Planning Commission, January 2026.",
            ),
            ("name", "Pat Writer"),
            ("postal_address", "2974 Salvio Street\nConcord, CA 94519"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status(), StatusCode::OK);
    let page = recorded.text().await.unwrap();
    assert!(page.contains("href=\"/staff/post\""), "{page}");
    let at = page.find("<strong>RR-").unwrap() + "<strong>".len();
    let tn: String = page[at..].chars().take_while(|c| *c != '<').collect();

    // The scan of the letter goes with the request, from the same page.
    let scan = b"%PDF-1.7\n% the letter, scanned\n%%EOF\n".to_vec();
    let attached = staff
        .post(app.url(&format!("/staff/requests/{tn}/documents")))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(scan).file_name("letter.pdf"),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status(), StatusCode::SEE_OTHER);
    let case = app.case(&tn, &clerk).await;
    assert_eq!(case["documents"][0]["title"], "letter.pdf");
    assert_eq!(case["documents"][0]["released"], false);
    assert_eq!(
        case["requester"]["postal_address"],
        "2974 Salvio Street\nConcord, CA 94519"
    );
}

/// The page of letters to post starts from the requesters whose letters go by post, by the
/// index that holds only them, then reads each one's requests by their own index: it read
/// every request (one join, which SQLite walked from `requests`) to find the few
/// (docs/PERFORMANCE.md, "Letters to post"). The plans are of the page's own queries.
#[tokio::test]
async fn the_postal_requesters_and_their_requests_are_read_by_their_own_indexes_on_sqlite() {
    use diesel::prelude::*;
    use recordsdesk::db::models::{RequestRow, RequesterRow};
    use recordsdesk::db::requests::{of_requesters, writing_by_post};
    use recordsdesk::domain::ids::RequesterId;

    if !matches!(backend(), Backend::Sqlite) {
        return;
    }
    let app = spawn_app().await;
    app.submit_records_request().await;
    // diesel's SQL, its parameters left as `?`, which `EXPLAIN QUERY PLAN` accepts.
    let sql_of = |query: &dyn std::fmt::Display| {
        let text = query.to_string();
        text.split(" -- binds:").next().unwrap().to_string()
    };
    let requesters = writing_by_post().select(RequesterRow::as_select());
    let requests = of_requesters(vec![RequesterId(1), RequesterId(2), RequesterId(3)])
        .select(RequestRow::as_select());
    let cases = [
        (
            sql_of(&diesel::debug_query::<diesel::sqlite::Sqlite, _>(
                &requesters,
            )),
            "requesters",
            " INDEX requesters_by_post",
        ),
        (
            sql_of(&diesel::debug_query::<diesel::sqlite::Sqlite, _>(&requests)),
            "requests",
            " INDEX requests_by_requester ",
        ),
    ];
    for (sql, table, index) in cases {
        app.assert_sqlite_reads(&sql, table, index);
    }
}
