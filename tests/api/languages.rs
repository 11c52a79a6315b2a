//! English and Spanish (docs/PRODUCT.md, "Languages"): the requester's language is chosen on
//! the form (the switch on every public page) or with the API call, stored with the request,
//! and used for every letter to them; staff read English.

use reqwest::StatusCode;
use serde_json::json;

use recordsdesk::wording::Language;

use crate::helpers::*;

fn stored_language(app: &TestApp, tn: &str) -> String {
    use diesel::prelude::*;
    use recordsdesk::db::schema::requests;
    let tn = tn.to_string();
    app.with_conn(move |conn| {
        requests::table
            .filter(requests::tracking_number.eq(&tn))
            .select(requests::language)
            .first(conn)
    })
}

/// The one request filed so far, checked to be Spanish and acknowledged in Spanish.
fn filed_in_spanish_and_acknowledged_so(app: &TestApp) -> String {
    let tn = app.with_conn(|conn| {
        use diesel::prelude::*;
        use recordsdesk::db::schema::requests;
        requests::table
            .select(requests::tracking_number)
            .first::<String>(conn)
    });
    assert_eq!(stored_language(app, &tn), "es");
    let text = app.notices(&tn)[0].2["text"].as_str().unwrap().to_string();
    assert!(text.contains("Recibimos su solicitud"), "{text}");
    tn
}

async fn file(app: &TestApp, body: serde_json::Value, accept: Option<&str>) -> Reply {
    let mut request = app.client.post(app.url("/api/v1/requests")).json(&body);
    if let Some(accept) = accept {
        request = request.header("accept-language", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    }
}

#[tokio::test]
async fn a_request_filed_in_spanish_gets_spanish_letters_and_staff_still_read_english() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let mut body = records_request();
    body["language"] = json!("es");
    let filed = file(&app, body, None).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.body);
    let tn = filed.body["tracking_number"].as_str().unwrap();
    assert_eq!(stored_language(&app, tn), "es");

    let notices = app.notices(tn);
    let to_requester = &notices
        .iter()
        .find(|(kind, _, _)| kind == "acknowledgement")
        .expect("an acknowledgement")
        .2;
    let text = to_requester["text"].as_str().unwrap();
    assert!(text.contains("Recibimos su solicitud"), "{text}");
    assert!(
        text.contains(&format!("Su número de seguimiento es {tn}")),
        "{text}"
    );
    // The due date as a Spanish reader writes it, and the legal original named.
    let due = chrono::NaiveDate::parse_from_str(
        filed.body["determination_due"].as_str().unwrap(),
        "%Y-%m-%d",
    )
    .unwrap();
    let spanish_due = recordsdesk::notify::render::long_date_in(Language::Spanish, due);
    assert!(text.contains(&spanish_due), "{spanish_due} in {text}");
    assert!(
        text.contains("el original en inglés es el texto con validez legal"),
        "{text}"
    );
    assert!(to_requester["html"]
        .as_str()
        .unwrap()
        .contains("lang=\"es\""));

    let to_staff = &notices
        .iter()
        .find(|(kind, _, _)| kind == "new_request")
        .expect("a new-request notice")
        .2;
    let staff_text = to_staff["text"].as_str().unwrap();
    assert!(!staff_text.contains("Recibimos"), "{staff_text}");
    assert!(
        !staff_text.contains(&spanish_due),
        "staff read English: {staff_text}"
    );
    assert!(
        staff_text.contains(&recordsdesk::notify::render::long_date(due)),
        "{staff_text}"
    );
}

#[tokio::test]
async fn an_api_call_without_a_language_takes_its_accept_language_and_else_english() {
    let app = spawn_app().await;
    let spanish = file(&app, records_request(), Some("es-MX,es;q=0.9,en;q=0.5")).await;
    assert_eq!(spanish.status, StatusCode::CREATED);
    let tn = spanish.body["tracking_number"].as_str().unwrap();
    assert_eq!(stored_language(&app, tn), "es");

    let plain = file(&app, records_request(), None).await;
    let tn = plain.body["tracking_number"].as_str().unwrap();
    assert_eq!(stored_language(&app, tn), "en");
    let text = app.notices(tn)[0].2["text"].as_str().unwrap().to_string();
    assert!(text.contains("We received your"), "{text}");
    assert!(!text.contains("traducción"), "{text}");

    // Said in the body, the body wins.
    let mut body = records_request();
    body["language"] = json!("en");
    let said = file(&app, body, Some("es")).await;
    let tn = said.body["tracking_number"].as_str().unwrap();
    assert_eq!(stored_language(&app, tn), "en");
}

#[tokio::test]
async fn a_language_we_do_not_write_is_refused_and_files_nothing() {
    let app = spawn_app().await;
    for wrong in [
        json!("fr"),
        json!(""),
        json!("ES"),
        json!("es-MX"),
        json!(7),
    ] {
        let mut body = records_request();
        body["language"] = wrong.clone();
        let refused = file(&app, body, None).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{wrong}: {:?}",
            refused.body
        );
    }
    let mut body = records_request();
    body["language"] = json!("fr");
    let refused = file(&app, body, None).await;
    assert_eq!(refused.field_errors(), vec!["language".to_string()]);
    assert_eq!(app.counts().requests, 0);
}

#[tokio::test]
async fn public_pages_follow_the_browser_then_the_switch_and_staff_pages_stay_english() {
    let app = spawn_app().await;
    let client = page_client();
    let get = |path: &str, accept: &str| {
        client
            .get(app.url(path))
            .header("accept-language", accept)
            .send()
    };
    let home = get("/", "es-MX,es;q=0.9")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("<html lang=\"es\">"), "{home}");
    assert!(home.contains("Solicitudes de registros públicos y de datos"));
    assert!(
        home.contains("hreflang=\"en\""),
        "the switch offers English"
    );

    let english = get("/", "en-US").await.unwrap().text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("Public records and data requests"));
    assert!(
        english.contains("hreflang=\"es\""),
        "the switch offers Spanish"
    );

    // The switch: remembered in a cookie, then back to the page it was used on.
    let switched = client
        .get(app.url("/language/en?back=/requests/new"))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/requests/new");
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("rd_lang=en"), "{cookie}");
    let chosen = client
        .get(app.url("/"))
        .header("accept-language", "es")
        .header("cookie", "rd_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(chosen.contains("<html lang=\"en\">"), "the switch wins");

    // Never back to another site.
    let away = client
        .get(app.url("/language/es?back=//evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(away.headers()["location"], "/");

    let staff = get("/staff/login", "es")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        staff.contains("<html lang=\"en\">"),
        "staff pages are English"
    );
    assert!(!staff.contains("hreflang"), "and have no switch");
}

#[tokio::test]
async fn the_form_filled_in_spanish_files_a_request_whose_letters_are_spanish() {
    let app = spawn_app().await;
    let client = page_client();
    // The switch, as a reader uses it: the cookie is this browser's from now on.
    let switched = client
        .get(app.url("/language/es?back=/requests/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.headers()["location"], "/requests/new");
    let form = client
        .get(app.url("/requests/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("<html lang=\"es\">"), "{form}");
    let csrf = csrf_in(&form);
    let filed = client
        .post(app.url("/requests/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "send"),
            ("kind", "public_records"),
            ("name", "Juana Pública"),
            ("email", "juana@example.com"),
            (
                "description",
                "Los registros de incidentes de la policía en la Plaza Todos Santos, marzo de 2026.",
            ),
        ])
        .send()
        .await
        .unwrap();
    let status = filed.status();
    let page = filed.text().await.unwrap();
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {page}"
    );
    filed_in_spanish_and_acknowledged_so(&app);
}

#[tokio::test]
async fn a_spanish_requests_decisions_are_spanish_letters_and_its_appeal_tells_the_reviewer_in_english(
) {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    app.staff("reviewer@city.test", "reviewer", None).await;
    let mut body = records_request();
    body["language"] = json!("es");
    let filed = file(&app, body, None).await;
    let tn = filed.body["tracking_number"].as_str().unwrap().to_string();
    let token = filed.body["access_token"].as_str().unwrap().to_string();
    app.must_transition(&tn, &admin, json!({ "to": "under_review" }))
        .await;
    let denied = app.must_transition(&tn, &admin, denial()).await;
    let window =
        chrono::NaiveDate::parse_from_str(denied["appeal_deadline"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();

    let letter = |kind: &str| {
        app.notices(&tn)
            .into_iter()
            .find(|(n, _, _)| n == kind)
            .unwrap_or_else(|| panic!("no {kind} notice"))
    };
    let (_, to, denial_email) = letter("denied");
    assert_eq!(to, "jane@example.com");
    let text = denial_email["text"].as_str().unwrap();
    for needed in [
        // What staff wrote and the citation stay as written; the letter around them is Spanish.
        "The records are investigative files of an ongoing case.",
        "Gov. Code §7923.600",
        "Pat Records, Deputy City Clerk",
        &recordsdesk::notify::render::long_date_in(Language::Spanish, window),
        "el original en inglés es el texto con validez legal",
    ] {
        assert!(text.contains(needed), "the denial lacks {needed:?}: {text}");
    }
    assert!(!text.contains("Dear "), "{text}");

    let appeal = app
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(&token),
            &json!({ "grounds": "El caso se cerró en 2025." }),
        )
        .await;
    assert_eq!(appeal.status, StatusCode::OK, "{:?}", appeal.body);
    let (_, to, to_reviewer) = letter("appeal_filed");
    assert_eq!(to, "reviewer@city.test");
    let staff_text = to_reviewer["text"].as_str().unwrap();
    assert!(!staff_text.contains("traducción"), "{staff_text}");
    assert!(
        !staff_text.contains(" de 20"),
        "staff dates in English: {staff_text}"
    );
    let (_, _, received) = letter("appeal_received");
    let text = received["text"].as_str().unwrap();
    assert!(
        text.contains("el original en inglés es el texto con validez legal"),
        "{text}"
    );
}

#[tokio::test]
async fn staff_record_a_spanish_speakers_request_and_see_its_language_everywhere() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let clerk = app.staff("admin@city.test", "admin", None).await;
    let staff = app.signed_in_pages("clerk@city.test").await;
    let form = page_text(&staff, app.url("/staff/intake")).await;
    assert!(
        form.contains("Which language should letters to the requester be in?"),
        "{form}"
    );
    assert!(
        form.contains("value=\"en\" checked"),
        "English unless asked: {form}"
    );
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    // A phoned request, received today, with what the clerk typed besides.
    let csrf = csrf_in(&form);
    let record = |typed: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("channel", "phone".into()),
            ("received_date", today.clone()),
            ("received_time", "00:00".into()),
            ("kind", "public_records".into()),
        ];
        fields.extend(typed.into_iter().map(|(k, v)| (k, v.to_string())));
        staff.post(app.url("/staff/intake")).form(&fields).send()
    };
    let recorded = record(vec![
        ("description", "Los planos del parque Todos Santos."),
        ("name", "Juana Pública"),
        ("email", "juana@example.com"),
        ("language", "es"),
    ])
    .await
    .unwrap();
    let page = recorded.text().await.unwrap();
    assert!(page.contains("Request recorded"), "{page}");
    let tn = filed_in_spanish_and_acknowledged_so(&app);

    // Staff see it on the case page and in the API, in English.
    let case_page = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        case_page.contains("<dt>Letters to the requester in</dt><dd>Spanish</dd>"),
        "{case_page}"
    );
    assert!(case_page.contains("Ten calendar days later"), "{case_page}");
    let case = app.case(&tn, &clerk).await;
    assert_eq!(case["language"], "es");
    assert!(
        case["due_reckoning"][0]
            .as_str()
            .unwrap()
            .contains("calendar days"),
        "{case}"
    );

    // A value the form does not offer files nothing and says so.
    let before = app.counts();
    let refused = record(vec![("description", "Otra cosa."), ("language", "fr")])
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn the_tracking_page_in_spanish_counts_the_days_says_the_time_and_refuses_in_spanish() {
    let app = spawn_app().await;
    let mut body = records_request();
    body["language"] = json!("es");
    let filed = app.submit(&body).await;
    let tn = filed.tracking_number.clone();
    let requester = requester_browser(&app, &filed).await;
    let page = page_text(&requester, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains("<html lang=\"es\">"), "{page}");
    // How the due date was counted, in Spanish, and the time it arrived as Spanish writes it.
    assert!(page.contains("días calendario"), "{page}");
    assert!(!page.contains("calendar days"), "{page}");
    assert!(
        page.contains(" a. m. P") || page.contains(" p. m. P"),
        "a Spanish time: {page}"
    );
    assert!(!page.contains(" AM P") && !page.contains(" PM P"), "{page}");

    // An empty message is refused in Spanish, beside the field and in the summary.
    let csrf = csrf_in(&page);
    let refused = requester
        .post(app.url(&format!("/requests/{tn}/messages")))
        .form(&[("csrf", csrf.as_str()), ("body", "   ")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Escriba algo aquí."), "{page}");
    assert!(!page.contains("must not be empty"), "{page}");
}
