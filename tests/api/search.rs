//! Search (issue 20; docs/PRODUCT.md, "Search"): staff find any request by its number, its
//! requester's name or email, or words in it and its messages, on either database; search
//! syntax is read as words; stewards find only what they may see; one action on several
//! results is a step per request.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

fn found(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["tracking_number"].as_str().unwrap().to_string())
        .collect()
}

fn request(name: &str, email: &str, description: &str) -> Value {
    json!({
        "kind": "public_records",
        "requester": { "name": name, "email": email },
        "description": description,
    })
}

async fn search(app: &TestApp, token: &str, query: &str) -> Reply {
    let q = serde_urlencoded::to_string([("q", query)]).unwrap();
    app.get(&format!("/api/v1/search?{q}"), Some(token)).await
}

#[tokio::test]
async fn words_names_addresses_and_numbers_find_requests_whatever_the_accents_and_case() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let sidewalk = app
        .submit(&request(
            "José Núñez",
            "Jose.Nunez@Example.org",
            "Repair records for the sidewalk on Willow Pass Road near the library.",
        ))
        .await;
    let brien = app
        .submit(&request(
            "Siobhán O'Brien",
            "siobhan@example.net",
            "Emails about the café permit at 1950 Parkside Drive.",
        ))
        .await;
    let other = app
        .submit(&request(
            "Pat Lee",
            "pat@example.com",
            "Budget of the Willow Pass Community Center, 2025.",
        ))
        .await;
    let (s, b, o) = (
        sidewalk.tracking_number.clone(),
        brien.tracking_number.clone(),
        other.tracking_number.clone(),
    );

    // Words: every one must match; capitals and accents do not matter.
    assert_eq!(
        found(&search(&app, &clerk, "willow pass sidewalk").await),
        [s.as_str()]
    );
    let both = found(&search(&app, &clerk, "WILLOW páss").await);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&s) && both.contains(&o));
    assert_eq!(found(&search(&app, &clerk, "cafe").await), [b.as_str()]);
    assert_eq!(
        found(&search(&app, &clerk, "CAFÉ permit").await),
        [b.as_str()]
    );
    assert_eq!(
        found(&search(&app, &clerk, "jose nunez").await),
        [s.as_str()]
    );
    assert_eq!(found(&search(&app, &clerk, "Núñez").await), [s.as_str()]);
    // Apostrophes, straight or curly, or none.
    for name in ["O'Brien", "o’brien", "obrien", "Siobhan O`Brien"] {
        assert_eq!(
            found(&search(&app, &clerk, name).await),
            [b.as_str()],
            "{name}"
        );
    }
    // An address, exactly and without regard to case; a number, in any case.
    assert_eq!(
        found(&search(&app, &clerk, "jose.nunez@example.ORG").await),
        [s.as_str()]
    );
    assert_eq!(
        found(&search(&app, &clerk, "nobody@example.org").await),
        Vec::<String>::new()
    );
    assert_eq!(
        found(&search(&app, &clerk, &s.to_lowercase()).await),
        [s.as_str()]
    );
    let reply = search(&app, &clerk, &o).await;
    assert_eq!(found(&reply), [o.as_str()]);
    assert_eq!(reply.body["words"], json!([]), "a number is not words");
    assert_eq!(reply.body["total"], 1);
    // Closed requests are found too.
    app.must_transition(&o, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&o, &clerk, denial()).await;
    assert_eq!(found(&search(&app, &clerk, "budget").await), [o.as_str()]);
}

#[tokio::test]
async fn search_syntax_is_read_as_plain_words_and_never_refused() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app
        .submit(&request(
            "Ana Ruiz",
            "ana@example.org",
            "Inspection reports and photos for the Willow Pass culvert (2024).",
        ))
        .await;
    let tn = filed.tracking_number;
    // Each of these is an operator or a syntax error to FTS5 or to tsquery when passed
    // through; read as words, those whose words are all in the text find it.
    for (query, hits) in [
        ("\"willow pass\"", true),
        ("willow*", true),
        ("willow AND culvert", true),
        ("culvert OR nothingelse", false),
        ("NEAR(willow culvert)", false),
        ("-culvert", true),
        ("culvert^2", false),
        ("title:culvert", false),
        ("(2024)", true),
        ("willow & !pass | culvert", true),
        ("'", false),
        ("\"", false),
        ("*", false),
        ("\\", false),
        ("%_ ;--", false),
        ("{willow} [pass]", true),
    ] {
        let reply = search(&app, &clerk, query).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
        let expected: Vec<&str> = if hits { vec![tn.as_str()] } else { vec![] };
        assert_eq!(found(&reply), expected, "{query}");
    }
    let reply = search(&app, &clerk, "willow AND culvert").await;
    assert_eq!(reply.body["words"], json!(["willow", "and", "culvert"]));
}

#[tokio::test]
async fn messages_are_found_from_the_moment_they_are_written() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    assert!(found(&search(&app, &clerk, "streetlight").await).is_empty());
    let sent = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "Please include the streetlight outage tickets too." }),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(
        found(&search(&app, &clerk, "streetlight tickets").await),
        [tn]
    );
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": "Noted: the Public Works ledger is included." }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    assert_eq!(found(&search(&app, &clerk, "ledger").await), [tn]);
    // The description's words are still there beside the messages'.
    assert_eq!(
        found(&search(&app, &clerk, "todos santos ledger").await),
        [tn]
    );
}

#[tokio::test]
async fn filters_order_and_pages_hold() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    // One says the word three times in few words: it is the most relevant.
    let once = app
        .submit(&request(
            "A",
            "a@example.org",
            "Records of meetings about the hydrant program, its budget, contractors, schedules, inspections and complaints from residents across the city in 2025.",
        ))
        .await
        .tracking_number;
    let thrice = app
        .submit(&request(
            "B",
            "b@example.org",
            "Hydrant hydrant hydrant logs.",
        ))
        .await
        .tracking_number;
    app.add_dataset("hydrants", "Hydrants", None, None);
    let access = app
        .submit(&json!({
            "kind": "api_access",
            "requester": { "name": "C", "email": "c@example.org" },
            "description": "Hydrant inspection data by API.",
            "dataset_id": "hydrants",
            "intended_use": "A map of hydrants for residents",
        }))
        .await
        .tracking_number;

    let all = found(&search(&app, &clerk, "hydrant").await);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], thrice, "the most relevant first: {all:?}");

    let q = "/api/v1/search?q=hydrant";
    let kind = found(&app.get(&format!("{q}&kind=api_access"), Some(&clerk)).await);
    assert_eq!(kind, [access.as_str()]);
    app.must_transition(&once, &clerk, json!({ "to": "under_review" }))
        .await;
    let reviewing = found(
        &app.get(&format!("{q}&status=under_review"), Some(&clerk))
            .await,
    );
    assert_eq!(reviewing, [once.as_str()]);
    let either = found(
        &app.get(
            &format!("{q}&status=under_review,submitted&kind=public_records"),
            Some(&clerk),
        )
        .await,
    );
    assert_eq!(either.len(), 2);

    // "Received" dates are the city's days, not UTC's.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let received_today = found(
        &app.get(
            &format!("{q}&received_from={today}&received_to={today}"),
            Some(&clerk),
        )
        .await,
    );
    assert_eq!(received_today.len(), 3);
    let none = found(
        &app.get(&format!("{q}&received_from={tomorrow}"), Some(&clerk))
            .await,
    );
    assert!(none.is_empty());

    // Pages of one: each request once, then no next page.
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let reply = app
            .get(&format!("{q}&limit=1&page={page}"), Some(&clerk))
            .await;
        seen.extend(found(&reply));
        assert_eq!(reply.body["total"], 3);
        match reply.body["next_page"].as_i64() {
            Some(next) => page = next,
            None => break,
        }
    }
    assert_eq!(seen, all);
}

#[tokio::test]
async fn stewards_find_only_what_they_may_see() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let steward = app
        .staff("steward@city.test", "steward", Some("Police"))
        .await;
    let clerks = app
        .submit(&request(
            "D",
            "d@example.org",
            "Parade permits on Galindo Street.",
        ))
        .await
        .tracking_number;
    app.add_dataset(
        "collisions",
        "Collisions",
        Some("steward@city.test"),
        Some("Police"),
    );
    let police = app
        .submit(&json!({
            "kind": "dataset_access",
            "requester": { "name": "E", "email": "e@example.org" },
            "description": "Galindo Street collision data.",
            "dataset_id": "collisions",
            "intended_use": "A safety study",
        }))
        .await
        .tracking_number;

    assert_eq!(found(&search(&app, &clerk, "galindo").await).len(), 2);
    assert_eq!(
        found(&search(&app, &steward, "galindo").await),
        [police.as_str()]
    );
    // Not by number or address either: out of sight is not found, not refused.
    assert!(found(&search(&app, &steward, &clerks).await).is_empty());
    assert!(found(&search(&app, &steward, "d@example.org").await).is_empty());

    // Assigned to the steward, the Clerk's request is in sight.
    let assigned = app
        .post(
            &format!("/api/v1/requests/{clerks}/assign"),
            Some(&clerk),
            &json!({ "assignee": "steward@city.test" }),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(found(&search(&app, &steward, "galindo").await).len(), 2);
}

#[tokio::test]
async fn a_search_that_is_not_valid_is_refused_and_requesters_cannot_search() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    for (path, field) in [
        ("/api/v1/search", "q"),
        ("/api/v1/search?q=%20%20", "q"),
        ("/api/v1/search?q=a%00b", "q"),
        ("/api/v1/search?q=permit&status=lost", "status"),
        ("/api/v1/search?q=permit&kind=other", "kind"),
        (
            "/api/v1/search?q=permit&received_from=2026-02-30",
            "received_from",
        ),
        (
            "/api/v1/search?q=permit&received_from=yesterday",
            "received_from",
        ),
        (
            "/api/v1/search?q=permit&received_from=2026-03-02&received_to=2026-03-01",
            "received_to",
        ),
        ("/api/v1/search?q=permit&page=0", "page"),
        ("/api/v1/search?q=permit&page=201", "page"),
        ("/api/v1/search?q=permit&limit=201", "limit"),
    ] {
        let reply = app.get(path, Some(&clerk)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {:?}",
            reply.body
        );
        assert_eq!(reply.field_errors(), [field], "{path}");
    }
    let long = "a".repeat(501);
    assert_eq!(search(&app, &clerk, &long).await.field_errors(), ["q"]);
    assert_eq!(
        search(&app, &clerk, &"a ".repeat(250)).await.status,
        StatusCode::OK
    );

    assert_eq!(
        search(&app, &filed.token, "police").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/search?q=police", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn selected(items: &[(&str, i64)]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|(tn, v)| json!({ "tracking_number": tn, "version": v }))
            .collect(),
    )
}

async fn version(app: &TestApp, tn: &str, token: &str) -> i64 {
    app.case(tn, token).await["version"].as_i64().unwrap()
}

#[tokio::test]
async fn one_action_on_several_requests_is_a_step_each_and_one_refused_leaves_the_others_done() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_staff("other@city.test", "Robin Other", "clerk", None);
    let a = app.submit_records_request().await.tracking_number;
    let b = app.submit_records_request().await.tracking_number;
    let c = app.submit_records_request().await.tracking_number;
    let (va, vb, vc) = (
        version(&app, &a, &clerk).await,
        version(&app, &b, &clerk).await,
        version(&app, &c, &clerk).await,
    );
    // Someone takes B up after the search showed it.
    app.must_transition(&b, &clerk, json!({ "to": "under_review" }))
        .await;
    let before = app.counts();

    let reply = app
        .post(
            "/api/v1/bulk-actions",
            Some(&clerk),
            &json!({
                "action": "assign",
                "assignee": "other@city.test",
                "requests": selected(&[(&a, va), (&b, vb), (&c, vc)]),
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["done"], 2);
    assert_eq!(reply.body["refused"], 1);
    let results = reply.body["results"].as_array().unwrap();
    assert_eq!(results[0]["outcome"], "done");
    assert_eq!(results[0]["version"], va + 1);
    assert_eq!(results[1]["outcome"], "refused");
    assert_eq!(results[1]["error"]["error"], "stale_version");
    assert_eq!(results[2]["outcome"], "done");
    for tn in [&a, &c] {
        let case = app.case(tn, &clerk).await;
        assert_eq!(case["assignee"]["email"], "other@city.test", "{tn}");
        let log = app
            .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
            .await;
        let assigned = log.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "assigned")
            .count();
        assert_eq!(assigned, 1, "{tn}: one audited step");
    }
    assert!(app.case(&b, &clerk).await["assignee"]["email"] != "other@city.test");
    // Each assignment told the assignee, as one made alone does; none for the refused.
    assert_eq!(app.counts().outbox, before.outbox + 2);

    // Repeats of one of them: the others close, the original stays as it was.
    let (va, vb, vc) = (
        version(&app, &a, &clerk).await,
        version(&app, &b, &clerk).await,
        version(&app, &c, &clerk).await,
    );
    let reply = app
        .post(
            "/api/v1/bulk-actions",
            Some(&clerk),
            &json!({
                "action": "close_as_duplicate",
                "duplicate_of": b,
                "requests": selected(&[(&a, va), (&b, vb), (&c, vc)]),
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["done"], 2);
    assert_eq!(reply.body["results"][1]["outcome"], "original");
    for tn in [&a, &c] {
        let case = app.case(tn, &clerk).await;
        assert_eq!(case["status"], "duplicate");
        assert_eq!(case["duplicate_of"], b.as_str());
    }
    let original = app.case(&b, &clerk).await;
    assert_eq!(original["status"], "under_review");
    assert_eq!(original["version"], vb);

    // A note on each, version-checked like any step.
    let vb = version(&app, &b, &clerk).await;
    let va = version(&app, &a, &clerk).await;
    let reply = app
        .post(
            "/api/v1/bulk-actions",
            Some(&clerk),
            &json!({
                "action": "note",
                "note": "Same request sent to three departments.",
                "requests": selected(&[(&a, va), (&b, vb - 1)]),
            }),
        )
        .await;
    assert_eq!(reply.body["done"], 1, "{:?}", reply.body);
    assert_eq!(reply.body["results"][1]["error"]["error"], "stale_version");
    let log = app
        .get(&format!("/api/v1/requests/{a}/audit"), Some(&clerk))
        .await;
    assert!(log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "note"
            && e["content"]["body"] == "Same request sent to three departments."));
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(verified.status.success(), "{verified:?}");
}

#[tokio::test]
async fn a_bulk_action_that_is_not_valid_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let a = filed.tracking_number.as_str();
    let before = app.counts();
    for (body, field) in [
        (
            json!({ "action": "assign", "assignee": "clerk@city.test", "requests": [] }),
            "requests",
        ),
        (
            json!({ "action": "assign", "requests": selected(&[(a, 1)]) }),
            "assignee",
        ),
        (
            json!({ "action": "note", "note": " ", "requests": selected(&[(a, 1)]) }),
            "note",
        ),
        (
            json!({ "action": "erase", "requests": selected(&[(a, 1)]) }),
            "action",
        ),
        (
            json!({ "action": "close_as_duplicate", "duplicate_of": "RR-2026-99999", "requests": selected(&[(a, 1)]) }),
            "duplicate_of",
        ),
        (
            json!({ "action": "note", "note": "x", "requests": selected(&[(a, 1), (a, 1)]) }),
            "requests[1].tracking_number",
        ),
        (
            json!({ "action": "note", "note": "x", "requests": selected(&[(a, 0)]) }),
            "requests[0].version",
        ),
        (
            json!({ "action": "note", "note": "x", "assignee": "not an email", "requests": selected(&[(a, 1)]) }),
            "assignee",
        ),
    ] {
        let reply = app.post("/api/v1/bulk-actions", Some(&clerk), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.field_errors(), [field], "{body}");
    }
    let reply = app
        .post(
            "/api/v1/bulk-actions",
            Some(&filed.token),
            &json!({ "action": "note", "note": "x", "requests": selected(&[(a, 1)]) }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn the_search_page_finds_and_acts_on_ticked_results() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    app.add_staff("other@city.test", "Robin Other", "clerk", None);
    let a = app
        .submit(&request(
            "Zoë Adams",
            "zoe@example.org",
            "Tree removal permits on Clayton Road.",
        ))
        .await
        .tracking_number;
    let b = app
        .submit(&request(
            "Sam Bell",
            "sam@example.org",
            "Clayton Road tree survey.",
        ))
        .await
        .tracking_number;
    let client = app.signed_in_pages("clerk@city.test").await;

    let queue = page_text(&client, app.url("/staff/queue")).await;
    assert!(
        queue.contains("Find a request"),
        "the queue has a search box"
    );
    let page = page_text(&client, app.url("/staff/search?q=Clayton+tree")).await;
    assert!(page.contains("2 requests found."), "{page}");
    assert!(page.contains(&a) && page.contains(&b));
    assert!(page.contains("Zoë Adams"));
    let none = page_text(&client, app.url("/staff/search?q=%22%2A%22")).await;
    assert!(none.contains("No requests found."), "{none}");

    let blank = client
        .get(app.url("/staff/search?q="))
        .send()
        .await
        .unwrap();
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank
        .text()
        .await
        .unwrap()
        .contains("enter a tracking number, a name"));

    let csrf = csrf_in(&page);
    let back = "q=Clayton+tree&status=&kind=&queue=&received_from=&received_to=";
    // Nothing ticked: the page again, with the error, and nothing changed.
    let refused = client
        .post(app.url("/staff/search/bulk"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("back", back),
            ("action", "note"),
            ("note", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("Tick at least one request in the results"),
        "{text}"
    );
    assert!(
        text.contains("2 requests found."),
        "the results are shown again"
    );

    let done = client
        .post(app.url("/staff/search/bulk"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("back", back),
            (&format!("select.{a}"), "1"),
            (&format!("select.{b}"), "1"),
            ("action", "assign"),
            ("assignee", "other@city.test"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let text = done.text().await.unwrap();
    assert!(text.contains("2 requests changed"), "{text}");
    assert!(text.contains("Assigned to Robin Other"));
    assert!(text.contains("Back to your search"));

    // Shown at version 1, both have moved on: a second try changes nothing, and says why.
    let again = client
        .post(app.url("/staff/search/bulk"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("back", back),
            (&format!("select.{a}"), "1"),
            ("action", "note"),
            ("note", "Checked with Public Works."),
        ])
        .send()
        .await
        .unwrap();
    let text = again.text().await.unwrap();
    assert!(text.contains("Nothing was changed"), "{text}");
    assert!(text.contains("Someone changed it after you searched"));
}

#[tokio::test]
async fn requests_stored_before_the_index_are_indexed_once_at_start() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app
        .submit(&request(
            "Kim Vo",
            "kim@example.org",
            "Noise complaints near the Pavilion.",
        ))
        .await
        .tracking_number;
    // As an install from before search: no entries, and the index not marked filled.
    let id: i64 = app.with_conn(|conn| {
        use recordsdesk::db::schema::requests;
        requests::table
            .filter(requests::tracking_number.eq(&filed))
            .select(requests::id)
            .first(conn)
    });
    let forget = match backend() {
        Backend::Sqlite => format!("DELETE FROM request_words WHERE rowid = {id}"),
        Backend::Postgres => "DELETE FROM request_words".to_string(),
    };
    app.sql(&format!("{forget}; DELETE FROM search_indexes;"))
        .unwrap();
    assert!(found(&search(&app, &clerk, "pavilion").await).is_empty());

    let filled = app.with_conn(recordsdesk::db::search::fill_missing);
    assert_eq!(filled, Some(1));
    assert_eq!(
        found(&search(&app, &clerk, "pavilion noise").await),
        [filed.as_str()]
    );
    assert_eq!(
        app.with_conn(recordsdesk::db::search::fill_missing),
        None,
        "once"
    );
}
