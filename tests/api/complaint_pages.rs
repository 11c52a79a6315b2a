//! The complaint form's pages over plain HTTP, as a browser without JavaScript walks them (the
//! walk in a real browser is tests/browser/complaints.rs): the questions, "Check your
//! answers", the confirmation and the tracking page. Nothing is filed before "Send complaint".

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::plain_words::{check, visible};

/// Filed Monday 2 March 2026 at 10 AM in Concord: the target, thirty days on, is Wednesday
/// 1 April 2026.
async fn spawn_on_a_monday() -> TestApp {
    spawn_app_with(|s| {
        s.fixed_clock = Some(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap(),
        )
    })
    .await
}

/// An anonymous complaint's answers, as the questions page sends them.
const ANONYMOUS: [(&str, &str); 7] = [
    ("department", "code_enforcement"),
    ("subject", "Blocked sidewalk"),
    (
        "description",
        "A construction fence has blocked the sidewalk for three weeks.",
    ),
    ("location", "1800 Galindo Street"),
    ("month", "2"),
    ("day", "27"),
    ("year", "2026"),
];

/// Posts the form with this browser's CSRF token.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let csrf = csrf_in(&page_text(client, app.url("/complaints/new")).await);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    send(app, client, &fields).await
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let response = client
        .post(app.url("/complaints/new"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (response.status(), response.text().await.unwrap(), location)
}

/// The hidden fields a page's form carries, as (name, value).
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    let unescape = |v: &str| {
        v.replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let attribute = |tag: &str, name: &str| {
        let marker = format!("{name}=\"");
        let at = tag.find(&marker)? + marker.len();
        Some(unescape(&tag[at..at + tag[at..].find('"')?]))
    };
    page.split("<input type=\"hidden\"")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            Some((attribute(tag, "name")?, attribute(tag, "value")?))
        })
        .collect()
}

/// Sends "Check your answers" as it is: its hidden fields, with `step=send`.
async fn send_checked(app: &TestApp, client: &reqwest::Client, check_page: &str) -> String {
    let carried = hidden_fields(check_page);
    assert!(
        carried.iter().any(|(n, v)| n == "step" && v == "send"),
        "{carried:?}"
    );
    let fields: Vec<(&str, &str)> = carried
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, page, location) = send(app, client, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let location = location.expect("a redirect says where");
    let tn = location
        .strip_prefix("/requests/")
        .and_then(|rest| rest.strip_suffix("/filed"))
        .unwrap_or_else(|| panic!("to the confirmation: {location}"));
    tn.to_string()
}

#[tokio::test]
async fn the_form_asks_for_a_department_and_refuses_a_complaint_without_subject_or_description() {
    let app = spawn_on_a_monday().await;
    let client = page_client();
    let before = app.counts();

    let form = page_text(&client, app.url("/complaints/new")).await;
    assert!(form.contains("<h1>Make a complaint</h1>"), "{form}");
    assert!(
        form.contains(r#"value="code_enforcement""#) && form.contains("Code Enforcement"),
        "{form}"
    );
    assert!(form.contains("Your contact details (optional)"), "{form}");
    for part in ["month", "day", "year"] {
        assert!(form.contains(&format!(r#"id="f-{part}""#)), "{form}");
    }

    // A department alone: the subject and what happened are asked for, in plain words, at
    // the top and beside each question.
    let (status, page, _) = post(
        &app,
        &client,
        &[("step", "complaint"), ("department", "code_enforcement")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("<title>Error: Make a complaint"), "{page}");
    for (id, message) in [
        ("f-subject", "Enter what your complaint is about"),
        ("f-description", "Enter what happened"),
    ] {
        assert!(
            page.contains(&format!(r##"<a href="#{id}">{message}</a>"##)),
            "{id}: {page}"
        );
        assert!(
            page.contains(&format!(r#"id="{id}-error">{message}</p>"#)),
            "{id}: {page}"
        );
    }
    assert!(
        page.contains(r#"value="code_enforcement" checked"#),
        "the answer is kept: {page}"
    );

    // Nothing at all, sent straight away: refused too.
    let (status, page, _) = post(&app, &client, &[("step", "send")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Select the department your complaint is for"),
        "{page}"
    );

    // A date with its day left out, one in the future, and an unknown department.
    let mut partial = ANONYMOUS.to_vec();
    partial.retain(|(n, _)| *n != "day");
    partial.push(("step", "complaint"));
    let (status, page, _) = post(&app, &client, &partial).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(r##"<a href="#f-day">The date must include a day</a>"##),
        "{page}"
    );
    assert!(
        page.contains(r#"id="f-day" name="day" value="" size="2" aria-invalid="true""#),
        "only the empty box is marked: {page}"
    );
    let mut later = ANONYMOUS.to_vec();
    later.retain(|(n, _)| *n != "year");
    later.extend([("year", "2027"), ("step", "complaint")]);
    let (status, page, _) = post(&app, &client, &later).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("The date must be today or in the past"),
        "{page}"
    );
    let mut elsewhere = ANONYMOUS.to_vec();
    elsewhere.retain(|(n, _)| *n != "department");
    elsewhere.extend([("department", "no_such_department"), ("step", "send")]);
    let (status, page, _) = post(&app, &client, &elsewhere).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Select one of the departments in the list"),
        "{page}"
    );
    assert_eq!(app.counts(), before, "nothing is filed from a refused form");
}

#[tokio::test]
async fn an_anonymous_complaint_is_checked_sent_and_followed_with_its_private_link() {
    let app = spawn_on_a_monday().await;
    let client = page_client();
    let before = app.counts();

    let mut answers = ANONYMOUS.to_vec();
    answers.push(("step", "complaint"));
    let (status, check_page, _) = post(&app, &client, &answers).await;
    assert_eq!(status, StatusCode::OK, "{check_page}");
    assert!(
        check_page.contains("Check your answers before sending your complaint"),
        "{check_page}"
    );
    let shown = visible(&check_page);
    for answer in [
        "Code Enforcement",
        "Blocked sidewalk",
        "1800 Galindo Street",
        "Friday, February 27, 2026",
        "You gave no email address",
    ] {
        assert!(shown.contains(answer), "{answer}: {shown}");
    }
    assert_eq!(
        app.counts(),
        before,
        "nothing is filed before Send complaint"
    );

    // "Change" goes back to the questions, with every answer in its place.
    let mut change: Vec<(String, String)> = hidden_fields(&check_page);
    change.retain(|(n, _)| n != "step");
    change.push(("change".into(), "subject".into()));
    let fields: Vec<(&str, &str)> = change
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, questions, _) = send(&app, &client, &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        questions.contains(r#"name="subject" value="Blocked sidewalk""#)
            && questions.contains(r#"name="day" value="27""#),
        "{questions}"
    );

    let tn = send_checked(&app, &client, &check_page).await;
    assert_eq!(app.counts().requests, before.requests + 1);

    // The confirmation speaks of a complaint, its target and its private link.
    let filed = page_text(&client, app.url(&format!("/requests/{tn}/filed"))).await;
    let said = visible(&filed);
    assert!(said.contains("Complaint sent"), "{said}");
    assert!(!said.contains("Request received"), "{said}");
    assert!(
        said.contains("We aim to close it by") && said.contains("Wednesday, April 1, 2026"),
        "{said}"
    );
    assert!(
        said.contains("The private link below is the only way to follow your complaint"),
        "{said}"
    );
    assert!(
        filed.contains(&format!("/requests/{tn}?token=")),
        "the private link: {filed}"
    );

    // The tracking page: where it stands and what it is about, in plain words.
    let tracking = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    let said = visible(&tracking);
    assert!(said.contains(&format!("Complaint {tn}")), "{said}");
    assert!(tracking.contains(r#"<p class="outcome-status">Received</p>"#));
    for fact in [
        "Blocked sidewalk",
        "1800 Galindo Street",
        "Friday, February 27, 2026",
        "Code Enforcement",
        "We aim to close it by",
        "Withdraw this complaint",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    assert!(!said.contains("Ask for a review"), "{said}");
    check("the complaint's tracking page", &said);

    // Once resolved, the page says what the department found and did.
    let inspector = app
        .staff("inspector@city.test", "steward", Some("Code Enforcement"))
        .await;
    app.must_transition(&tn, &inspector, json!({ "to": "investigating" }))
        .await;
    app.must_transition(
        &tn,
        &inspector,
        json!({ "to": "resolved", "decision": "The contractor moved the fence and was cited." }),
    )
    .await;
    let tracking = visible(&page_text(&client, app.url(&format!("/requests/{tn}"))).await);
    assert!(
        tracking.contains("What the department found and did")
            && tracking.contains("The contractor moved the fence and was cited."),
        "{tracking}"
    );
    assert!(!tracking.contains("Withdraw this complaint"), "{tracking}");
    check("the resolved complaint's tracking page", &tracking);
}

#[tokio::test]
async fn a_named_complaint_says_where_its_letters_go_and_a_referral_names_the_agency() {
    let app = spawn_on_a_monday().await;
    let client = page_client();
    let mut answers = ANONYMOUS.to_vec();
    answers.retain(|(n, _)| !["month", "day", "year"].contains(n));
    answers.extend([
        ("name", "Rosa Díaz"),
        ("email", "rosa@example.com"),
        ("step", "complaint"),
    ]);
    let (status, check_page, _) = post(&app, &client, &answers).await;
    assert_eq!(status, StatusCode::OK, "{check_page}");
    assert!(
        check_page.contains("<strong>rosa@example.com</strong>"),
        "{check_page}"
    );
    assert!(!check_page.contains("You gave no email address"));

    let tn = send_checked(&app, &client, &check_page).await;
    let filed = visible(&page_text(&client, app.url(&format!("/requests/{tn}/filed"))).await);
    assert!(
        filed.contains("We have emailed you the same link as below"),
        "{filed}"
    );
    let (kind, to, _) = app.notices(&tn).into_iter().next().expect("a letter");
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("complaint_received", "rosa@example.com")
    );

    let admin = app.staff("admin@city.test", "admin", None).await;
    app.must_transition(
        &tn,
        &admin,
        json!({ "to": "referred", "referred_to": "Contra Costa County Environmental Health" }),
    )
    .await;
    let tracking = visible(&page_text(&client, app.url(&format!("/requests/{tn}"))).await);
    assert!(
        tracking.contains("Referred to another agency")
            && tracking
                .contains("We sent your complaint to Contra Costa County Environmental Health"),
        "{tracking}"
    );
    assert!(!tracking.contains("Withdraw this complaint"), "{tracking}");
    check("the referred complaint's tracking page", &tracking);
}
