//! The public reading room (issue 24; docs/PRODUCT.md, "Reading room"): staff publish a
//! request's released records, never its requester; anyone searches, reads and downloads
//! them, and follows the feed; a withdrawn item is gone.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// A records request taken up by the clerk with a PDF attached: (app, clerk, filed, doc id).
async fn attached() -> (TestApp, String, Filed, i64) {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(&clerk)
        .multipart(form("incident-logs-march.pdf", PDF.to_vec(), &[]))
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let id = body["documents"][0]["id"].as_i64().unwrap();
    (app, clerk, filed, id)
}

/// Granted and its file released.
async fn released() -> (TestApp, String, Filed, i64) {
    let (app, clerk, filed, id) = attached().await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, grant("The logs are released in full."))
        .await;
    let release = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [id], "public": [id] }),
        )
        .await;
    assert_eq!(release.status, StatusCode::OK, "{:?}", release.body);
    (app, clerk, filed, id)
}

async fn decide(app: &TestApp, clerk: &str, tn: &str, body: Value) -> Reply {
    app.post(
        &format!("/api/v1/requests/{tn}/publication"),
        Some(clerk),
        &body,
    )
    .await
}

async fn published() -> (TestApp, String, Filed, i64) {
    let (app, clerk, filed, id) = released().await;
    let done = decide(
        &app,
        &clerk,
        &filed.tracking_number,
        json!({ "action": "publish" }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["status"], "published");
    (app, clerk, filed, id)
}

async fn text_of(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.client.get(app.url(path)).send().await.expect("GET");
    (response.status(), response.text().await.unwrap())
}

async fn search(app: &TestApp, query: &str) -> Reply {
    app.get(&format!("/api/v1/reading-room?{query}"), None)
        .await
}

#[tokio::test]
async fn publishing_before_the_records_are_released_is_refused_with_409() {
    let (app, clerk, filed, _) = attached().await;
    let tn = &filed.tracking_number;
    let refused = decide(&app, &clerk, tn, json!({ "action": "publish" })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "not_publishable");
    // Granted, but nothing released or produced yet: still refused.
    app.must_transition(tn, &clerk, grant("Granted.")).await;
    let refused = decide(&app, &clerk, tn, json!({ "action": "publish" })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    let (status, _) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_summary_with_the_requesters_email_or_phone_is_refused_with_422_naming_it() {
    let (app, clerk, filed, _) = released().await;
    let tn = &filed.tracking_number;
    let refused = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Logs asked for by JANE@example.com." }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.body["fields"]["summary"][0].as_str().unwrap();
    assert!(message.contains("JANE@example.com"), "{message}");
    let refused = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Call 925.555.0100 about the logs." }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.body["fields"]["summary"][0].as_str().unwrap();
    assert!(message.contains("phone number (925.555.0100)"), "{message}");
    // Any email-shaped text, not only the requester's.
    let refused = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Ask someone@else.org." }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was published.
    assert_eq!(search(&app, "").await.body["total"], 0);
}

#[tokio::test]
async fn a_published_request_is_listed_without_its_requester_and_its_file_downloads() {
    let (app, clerk, filed, id) = published().await;
    let tn = &filed.tracking_number;

    let (status, list) = text_of(&app, "/reading-room").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/reading-room/{tn}")), "{list}");

    let (status, page) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("All police incident logs for Todos Santos Plaza"));
    assert!(page.contains("The logs are released in full."));
    assert!(page.contains("incident-logs-march.pdf"));
    for private in ["Jane", "jane@example.com", "555-0100"] {
        assert!(!page.contains(private), "{private} is on the public page");
        assert!(!list.contains(private), "{private} is on the list");
    }

    let response = app
        .client
        .get(app.url(&format!("/reading-room/{tn}/documents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    // A document of the request that was never released is not served.
    let other = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(&clerk)
        .multipart(form("draft.pdf", PDF.to_vec(), &[]))
        .send()
        .await
        .unwrap();
    if other.status() == StatusCode::OK {
        let body: Value = other.json().await.unwrap();
        let draft = body["documents"][1]["id"].as_i64().unwrap();
        let (status, _) = text_of(&app, &format!("/reading-room/{tn}/documents/{draft}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    let found = search(&app, "").await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["total"], 1);
    let item = &found.body["items"][0];
    assert_eq!(item["tracking_number"], tn.as_str());
    assert_eq!(item["outcome"], "granted");
    assert!(!found.body.to_string().contains("jane"));
}

#[tokio::test]
async fn search_syntax_is_read_as_plain_words() {
    let (app, _, _, _) = published().await;
    let q = |words: &str| format!("q={}", urlencode(words));
    for hostile in ["\"permits\" OR -x*", "NEAR(a b)", "plaza:*", "(((", "AND"] {
        let reply = search(&app, &q(hostile)).await;
        assert_eq!(reply.status, StatusCode::OK, "{hostile}: {:?}", reply.body);
        let (status, _) = text_of(&app, &format!("/reading-room?{}", q(hostile))).await;
        assert_eq!(status, StatusCode::OK, "{hostile}");
    }
    assert_eq!(
        search(&app, &q("\"permits\" OR -x*")).await.body["total"],
        0
    );
    // Every word, in any case or accent, in the summary (here the description) or a title.
    assert_eq!(search(&app, &q("POLICE plaza")).await.body["total"], 1);
    assert_eq!(search(&app, &q("Tódos march")).await.body["total"], 1);
    assert_eq!(search(&app, &q("police permits")).await.body["total"], 0);
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).unwrap()[1..].to_string()
}

#[tokio::test]
async fn filters_narrow_by_department_year_and_outcome() {
    let (app, _, _, _) = published().await;
    let all = search(&app, "").await;
    let department = all.body["items"][0]["department"]
        .as_str()
        .unwrap()
        .to_string();
    let year = chrono::Utc::now().format("%Y").to_string();
    for (query, total) in [
        (format!("department={department}"), 1),
        ("department=no_such_department".to_string(), 0),
        (format!("year={year}"), 1),
        ("year=1999".to_string(), 0),
        ("outcome=granted".to_string(), 1),
        ("outcome=granted_in_part".to_string(), 0),
        // What the page's form sends for "any year" and "either outcome".
        ("year=&outcome=".to_string(), 1),
        (
            format!("outcome=granted&year={year}&department={department}&page=1"),
            1,
        ),
    ] {
        let reply = search(&app, &query).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}");
        assert_eq!(reply.body["total"], total, "{query}");
    }
    // A page comes from the page's own links, never blank; a year given is digits alone.
    for bad in [
        "outcome=denied",
        "year=soon",
        "year=%2B2026",
        "year=%202026",
        "page=0",
        "page=",
        "page=%201",
        "page=10001",
    ] {
        let reply = search(&app, bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let (status, _) = text_of(&app, "/reading-room?outcome=denied").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every tag opened is closed, in order: enough to tell a well-formed feed from a broken one.
fn well_formed(xml: &str) -> bool {
    let body = xml.trim_start();
    let Some(rest) = body.strip_prefix("<?xml") else {
        return false;
    };
    let Some(end) = rest.find("?>") else {
        return false;
    };
    let mut rest = &rest[end + 2..];
    let mut open: Vec<String> = Vec::new();
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        if text.contains('>')
            || text
                .replace("&amp;", "")
                .replace("&lt;", "")
                .replace("&gt;", "")
                .replace("&quot;", "")
                .replace("&apos;", "")
                .contains('&')
        {
            return false;
        }
        let Some(close) = rest[start..].find('>') else {
            return false;
        };
        let tag = &rest[start + 1..start + close];
        rest = &rest[start + close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop().as_deref() != Some(name.trim()) {
                return false;
            }
        } else if !tag.ends_with('/') {
            open.push(
                tag.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    open.is_empty() && rest.trim().is_empty()
}

#[tokio::test]
async fn the_feed_is_well_formed_atom_with_the_item_escaped() {
    let (app, clerk, filed, _) = released().await;
    let tn = &filed.tracking_number;
    let done = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Logs <March> & \"April\" for the plaza" }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let response = app
        .client
        .get(app.url("/reading-room/feed.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let feed = response.text().await.unwrap();
    assert!(well_formed(&feed), "{feed}");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(feed.contains(&format!("/reading-room/{tn}</id>")));
    assert!(feed.contains("Logs &lt;March&gt; &amp; &quot;April&quot; for the plaza"));
    assert!(!feed.contains("jane"));
}

#[tokio::test]
async fn a_withdrawn_item_is_gone_from_its_page_the_list_and_the_feed() {
    let (app, clerk, filed, id) = published().await;
    let tn = &filed.tracking_number;
    let refused = decide(&app, &clerk, tn, json!({ "action": "withdraw" })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_errors(), vec!["reason".to_string()]);
    let done = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "withdraw", "reason": "A name was found in the logs." }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["status"], "withdrawn");

    let (status, _) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::GONE);
    let (status, _) = text_of(&app, &format!("/reading-room/{tn}/documents/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(search(&app, "").await.body["total"], 0);
    let (_, list) = text_of(&app, "/reading-room").await;
    assert!(!list.contains(&format!("/reading-room/{tn}")));
    let (_, feed) = text_of(&app, "/reading-room/feed.atom").await;
    assert!(!feed.contains("<entry>"));
    assert!(well_formed(&feed), "{feed}");

    // Withdrawn twice is refused; the steps are in the request's audit log.
    let again = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "withdraw", "reason": "Again." }),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let actions: Vec<String> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert!(actions.contains(&"published".to_string()), "{actions:?}");
    assert!(actions.contains(&"publication_withdrawn".to_string()));
}

#[tokio::test]
async fn a_request_kept_out_with_a_reason_is_not_published() {
    let (app, clerk, filed, _) = released().await;
    let tn = &filed.tracking_number;
    let refused = decide(&app, &clerk, tn, json!({ "action": "keep_out" })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "keep_out", "reason": "Security camera footage of a facility." }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["status"], "kept_out");
    assert_eq!(
        done.body["reason"],
        "Security camera footage of a facility."
    );
    let (status, _) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(search(&app, "").await.body["total"], 0);

    // Staff see where it stands on the case page and the publication page.
    let browser = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&browser, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains("Kept out of the reading room."), "{case}");
    let page = page_text(
        &browser,
        app.url(&format!("/staff/requests/{tn}/publication")),
    )
    .await;
    assert!(page.contains("Security camera footage of a facility."));
}

#[tokio::test]
async fn staff_publish_from_the_publication_page() {
    let (app, _, filed, _) = released().await;
    let tn = &filed.tracking_number;
    let browser = app.signed_in_pages("clerk@city.test").await;
    let url = app.url(&format!("/staff/requests/{tn}/publication"));
    let page = page_text(&browser, url.clone()).await;
    let csrf = csrf_in(&page);
    let refused = browser
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "publish"),
            ("summary", "Call (925) 555-0100 for the logs."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("(925) 555-0100"));
    let done = browser
        .post(&url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "publish"),
            ("summary", "Police incident logs for the plaza, March 2026."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (status, public) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.contains("Police incident logs for the plaza, March 2026."));
}

#[tokio::test]
async fn requests_released_long_enough_ago_are_listed_for_review_never_published() {
    let app = spawn_app_with(|s| s.reading_room.publish_after_days = 0).await;
    app.staff("clerk@city.test", "clerk", None).await;
    let browser = app.signed_in_pages("clerk@city.test").await;
    let page = page_text(&browser, app.url("/staff/reading-room")).await;
    assert!(page.contains("never to suggest"), "{page}");

    let (app, _, filed, _) = released().await;
    let browser = app.signed_in_pages("clerk@city.test").await;
    // Released just now: not yet 30 days ago.
    let page = page_text(&browser, app.url("/staff/reading-room")).await;
    assert!(!page.contains(&filed.tracking_number));
    // Documents are fixed once attached; the production the release recorded is moved back.
    let back = match backend() {
        Backend::Sqlite => "datetime(produced_at, '-31 days')",
        Backend::Postgres => "produced_at - INTERVAL '31 days'",
    };
    app.sql(&format!(
        "UPDATE requests SET produced_at = {back} WHERE tracking_number = '{}'",
        filed.tracking_number
    ))
    .unwrap();
    let page = page_text(&browser, app.url("/staff/reading-room")).await;
    assert!(page.contains(&filed.tracking_number), "{page}");
    assert_eq!(search(&app, "").await.body["total"], 0);
}

/// The list of requests ready for review holds what each staff member may manage: the
/// requests assigned to them, the unassigned ones of the queues they serve, every one for an
/// admin (docs/PRODUCT.md, "Reading room"). The database is asked for those alone.
#[tokio::test]
async fn the_ready_list_holds_the_requests_each_staff_member_manages() {
    let (app, _, filed, _) = released().await;
    let tn = &filed.tracking_number;
    let back = |column: &str| match backend() {
        Backend::Sqlite => format!("datetime({column}, '-31 days')"),
        Backend::Postgres => format!("{column} - INTERVAL '31 days'"),
    };
    app.sql(&format!(
        "UPDATE requests SET produced_at = {} WHERE tracking_number = '{tn}'",
        back("produced_at")
    ))
    .unwrap();
    app.staff("admin@city.test", "admin", None).await;
    app.staff("other.clerk@city.test", "clerk", None).await;
    app.staff("reviewer@city.test", "reviewer", None).await;
    app.staff("steward@city.test", "steward", Some("Public Works"))
        .await;
    app.staff("clerks.steward@city.test", "steward", Some("City Clerk"))
        .await;
    app.staff("no.department@city.test", "steward", None).await;
    let lists = |who: &'static str| {
        let app = &app;
        async move {
            let browser = app.signed_in_pages(who).await;
            let page = page_text(&browser, app.url("/staff/reading-room")).await;
            assert!(
                page.contains("Requests you manage whose records were released"),
                "{page}"
            );
            page.contains(tn.as_str())
        }
    };
    let assigned: Option<i64> = app.with_conn(|conn| {
        use diesel::prelude::*;
        use recordsdesk::db::schema::requests;
        requests::table
            .filter(requests::tracking_number.eq(tn))
            .select(requests::assignee_id)
            .first::<Option<recordsdesk::domain::ids::StaffId>>(conn)
            .map(|id| id.map(|id| id.0))
    });
    assert!(assigned.is_some(), "the clerk who worked it has it");
    assert!(lists("clerk@city.test").await, "its assignee");
    assert!(lists("admin@city.test").await, "an admin");
    for other in [
        "other.clerk@city.test",
        "reviewer@city.test",
        "steward@city.test",
        "clerks.steward@city.test",
        "no.department@city.test",
    ] {
        assert!(
            !lists(other).await,
            "assigned to another, not listed for {other}"
        );
    }

    // Unassigned. (Its files' release cannot be moved back: a document is fixed once
    // attached. The files' branch of the query is narrowed by the same condition.)
    app.sql(&format!(
        "UPDATE requests SET assignee_id = NULL WHERE tracking_number = '{tn}'"
    ))
    .unwrap();
    for serves in [
        "clerk@city.test",
        "other.clerk@city.test",
        "clerks.steward@city.test",
        "admin@city.test",
    ] {
        assert!(lists(serves).await, "unassigned in a queue {serves} serves");
    }
    for not in [
        "reviewer@city.test",
        "steward@city.test",
        "no.department@city.test",
    ] {
        assert!(
            !lists(not).await,
            "unassigned in a queue {not} does not serve"
        );
    }
}

/// The tracking numbers a page of the ready list links to, in the page's order.
fn listed(page: &str) -> Vec<String> {
    let marker = "href=\"/staff/requests/";
    page.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &page[at + marker.len()..];
            rest.find("/publication\"")
                .map(|end| rest[..end].to_string())
        })
        .collect()
}

/// The link to the next page of the ready list, if the page has one.
fn next_page(page: &str) -> Option<String> {
    let marker = "<a href=\"/staff/reading-room?after=";
    let at = page.find(marker)? + "<a href=\"".len();
    let end = page[at..].find('"')?;
    Some(page[at..at + end].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_ready_list_is_read_a_page_at_a_time_oldest_first_and_each_request_once() {
    use recordsdesk::app::reading_room::READY_PAGE_SIZE;
    let (app, clerk, first, _) = released().await;
    let mut filed = vec![first.tracking_number.clone()];
    // Granted and produced by a link to the records, one after another: the list's order.
    while filed.len() < READY_PAGE_SIZE + 2 {
        let tn = app.submit_records_request().await.tracking_number;
        app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
            .await;
        app.must_transition(&tn, &clerk, grant("Released in full."))
            .await;
        let link = app
            .post(
                &format!("/api/v1/requests/{tn}/links"),
                Some(&clerk),
                &json!({ "title": "The logs", "url": "https://records.example.gov/logs.pdf" }),
            )
            .await;
        assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
        let release = app
            .post(
                &format!("/api/v1/requests/{tn}/release"),
                Some(&clerk),
                &json!({ "documents": [link.body["documents"][0]["id"]] }),
            )
            .await;
        assert_eq!(release.status, StatusCode::OK, "{:?}", release.body);
        filed.push(tn);
    }
    // On SQLite too the times keep fractions of a second, which the cursor carries.
    let back = match backend() {
        Backend::Sqlite => "strftime('%Y-%m-%d %H:%M:%f000', produced_at, '-31 days')",
        Backend::Postgres => "produced_at - INTERVAL '31 days'",
    };
    app.sql(&format!(
        "UPDATE requests SET produced_at = {back} WHERE produced_at IS NOT NULL"
    ))
    .unwrap();

    let browser = app.signed_in_pages("clerk@city.test").await;
    let first_page = page_text(&browser, app.url("/staff/reading-room")).await;
    let on_first = listed(&first_page);
    assert_eq!(on_first.len(), READY_PAGE_SIZE, "{first_page}");
    assert!(!first_page.contains(">First page<"), "{first_page}");
    let next = next_page(&first_page).expect("a link to the next page");
    let second_page = page_text(&browser, app.url(&next)).await;
    let on_second = listed(&second_page);
    assert_eq!(on_second.len(), 2, "{second_page}");
    assert!(next_page(&second_page).is_none(), "{second_page}");
    assert!(second_page.contains(">First page<"), "{second_page}");
    // Every request once, oldest release first: the order they were produced in.
    let mut seen = on_first.clone();
    seen.extend(on_second);
    assert_eq!(seen, filed);

    // Another clerk sees none of them: each is assigned to the clerk who worked it.
    app.staff("other.clerk@city.test", "clerk", None).await;
    let other = app.signed_in_pages("other.clerk@city.test").await;
    let theirs = page_text(&other, app.url("/staff/reading-room")).await;
    assert!(listed(&theirs).is_empty() && theirs.contains("None at the moment."));

    // A link cut short (to part of its time), or made up, is refused, and lists nothing.
    let cut = next.find("after=").unwrap() + "after=".len() + 8;
    for broken in [&next[..cut], "/staff/reading-room?after=bm9uc2Vuc2U"] {
        let reply = browser.get(app.url(broken)).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "{broken}");
        let page = reply.text().await.unwrap();
        assert!(listed(&page).is_empty(), "{page}");
        assert!(
            page.contains("does not lead to a page of this list"),
            "{page}"
        );
    }
    // A decision takes a request off the list; the next page starts after the cursor's
    // request all the same.
    let done = decide(&app, &clerk, &on_first[0], json!({ "action": "publish" })).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let again = page_text(&browser, app.url("/staff/reading-room")).await;
    assert_eq!(listed(&again), filed[1..=READY_PAGE_SIZE].to_vec());
    let after = page_text(&browser, app.url(&next)).await;
    assert_eq!(listed(&after), filed[READY_PAGE_SIZE..].to_vec());
    // So does a decision on the request the cursor names.
    let named = &on_first[READY_PAGE_SIZE - 1];
    let done = decide(
        &app,
        &clerk,
        named,
        json!({ "action": "keep_out", "reason": "Personnel records." }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let after = page_text(&browser, app.url(&next)).await;
    assert_eq!(listed(&after), filed[READY_PAGE_SIZE..].to_vec());
}

#[tokio::test]
async fn the_requesters_name_is_refused_in_a_summary_and_a_decision_naming_them_is_left_out() {
    let (app, clerk, filed, _) = attached().await;
    let tn = &filed.tracking_number;
    app.must_transition(
        tn,
        &clerk,
        grant("Dear Jane Q. Public, the logs you asked for are attached."),
    )
    .await;
    let ids: Vec<i64> = app.case(tn, &clerk).await["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let release = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": ids, "confirm_findings": true }),
        )
        .await;
    assert_eq!(release.status, StatusCode::OK, "{:?}", release.body);
    let refused = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Logs asked for by jane q. public." }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.body["fields"]["summary"][0].as_str().unwrap();
    assert!(
        message.contains("the requester's name (jane q. public)"),
        "{message}"
    );

    let done = decide(
        &app,
        &clerk,
        tn,
        json!({ "action": "publish", "summary": "Incident logs for the plaza." }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let (status, item) = text_of(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(item.contains("Incident logs for the plaza."), "{item}");
    assert!(!item.contains("Jane"), "{item}");
    let (_, export) = text_of(&app, "/reading-room/export.json").await;
    assert!(!export.contains("Jane"), "{export}");
    // Staff are told why the decision is not shown.
    let browser = app.signed_in_pages("clerk@city.test").await;
    let page = page_text(
        &browser,
        app.url(&format!("/staff/requests/{tn}/publication")),
    )
    .await;
    assert!(page.contains("text is not published:"), "{page}");
    assert!(page.contains("name (Jane Q. Public)"), "{page}");
}

/// The ready list finds the produced requests by the index that holds only them, whoever asks:
/// an admin's list read every request, a clerk's every unassigned one of any status
/// (docs/PERFORMANCE.md, "The ready list in pages").
#[tokio::test]
async fn the_produced_requests_are_read_from_their_own_index_on_sqlite() {
    if !matches!(backend(), Backend::Sqlite) {
        return;
    }
    let (app, _, _, _) = released().await;
    let produced = |whose: &str| {
        format!(
            "SELECT requests.tracking_number, requests.produced_at FROM requests \
             WHERE requests.produced_at < '2026-11-07 00:00:00' AND requests.id NOT IN \
             (SELECT publications.request_id FROM publications){whose}"
        )
    };
    for sql in [
        produced(""),
        produced(" AND (requests.assignee_id = 3)"),
        produced(" AND ((requests.assignee_id = 3) OR (requests.assignee_id IS NULL))"),
    ] {
        app.assert_sqlite_reads(&sql, "requests", "COVERING INDEX requests_produced");
    }
}
