//! The reports of issue 8: a known history made through the real API (then moved back in
//! time on the requests rows, since the workflow always uses "now"), and every figure of
//! the CSV checked against it; the pages, their refusals, and the public page's silence about
//! people.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use recordsdesk::db::schema::requests;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// What happens to one request of the history. Every request is determined (if at all)
/// today, so its days to determination are the days since it was received.
#[derive(Debug, Clone, Copy)]
enum Fate {
    /// Granted at the first determination.
    Granted,
    /// Extended (voluminous records), then granted.
    ExtendedGranted,
    /// Denied on these grounds, then maybe appealed.
    Denied(&'static [Basis], Appeal),
    /// Accepted for review, not determined yet.
    UnderReview,
    /// Received, nothing more.
    Submitted,
}

#[derive(Debug, Clone, Copy)]
enum Appeal {
    No,
    Pending,
    Upheld,
    Overturned,
    Withdrawn,
}

/// One case: its fate, how many days ago it was received, its due date relative to today,
/// and whether it goes to the Public Works queue (an API access request) or the Clerk's.
struct Case {
    name: &'static str,
    fate: Fate,
    received_days_ago: u64,
    due_in_days: i64,
    public_works: bool,
}

/// The exemptions of the history: the catalogue section a denial chooses, and the citation
/// the reports group by.
type Basis = (&'static str, &'static str);
const BASIS_A: Basis = ("7923.600", "Gov. Code §7923.600 (former §6254(f))");
const BASIS_B: Basis = ("7922.000", "Gov. Code §7922.000 (former §6255(a))");
const BASIS_C: Basis = ("7927.705", "Gov. Code §7927.705 (former §6254(k))");

/// A denial withholding one item under each exemption.
fn denial_citing(basis: &[Basis]) -> serde_json::Value {
    let mut body = denial();
    body["withheld"] = basis
        .iter()
        .map(|(section, _)| {
            json!({
                "item": format!("Records exempt under §{section}"),
                "exemption": section,
                "reason": "The exemption applies to these records.",
                "justification": "Withholding serves the public interest more than disclosure.",
            })
        })
        .collect();
    body
}

fn history() -> Vec<Case> {
    use Appeal::*;
    use Fate::*;
    let case = |name, fate, received_days_ago, due_in_days| Case {
        name,
        fate,
        received_days_ago,
        due_in_days,
        public_works: false,
    };
    vec![
        // on time, 5 days
        case("A", Granted, 5, 5),
        // late, 20 days
        case("B", Granted, 20, -10),
        // extended: on time by the extended date, 18 days
        case("C", ExtendedGranted, 18, 2),
        // on time, 8 days; appeal upheld
        case("D", Denied(&[BASIS_A], Upheld), 8, 2),
        // late, 12 days; appeal overturned
        case("E", Denied(&[BASIS_B, BASIS_A], Overturned), 12, -2),
        // on time, 3 days; appeal pending
        case("F", Denied(&[BASIS_C], Pending), 3, 7),
        // on time, 4 days; appeal withdrawn
        case("G", Denied(&[BASIS_B], Withdrawn), 4, 6),
        // open, past due: overdue
        case("H", UnderReview, 30, -20),
        // open, not yet due
        case("I", Submitted, 1, 9),
        // another queue: on time, 2 days
        Case {
            public_works: true,
            ..case("J", Granted, 2, 8)
        },
        // received before the period: in no figure
        case("K", Granted, 100, -90),
        // Denied but not appealed, received before the period too
        case("L", Denied(&[BASIS_C], No), 75, -65),
    ]
}

/// The period every figure below is about: the last 60 days.
const PERIOD_DAYS: u64 = 60;

struct Seeded {
    today: NaiveDate,
    filed: Vec<(&'static str, Filed)>,
    queue: String,
}

async fn seed(app: &TestApp) -> Seeded {
    let admin = app.staff("admin@city.test", "admin", None).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    app.add_dataset("permits", "Building permits", None, Some("Public Works"));
    let tz = app.settings.time_zone().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let mut filed = Vec::new();
    let mut queue = String::new();
    for case in history() {
        let body = if case.public_works {
            access_request("permits")
        } else {
            records_request()
        };
        let f = app.submit(&body).await;
        let tn = f.tracking_number.clone();
        if case.public_works {
            queue = app.case(&tn, &admin).await["queue"]
                .as_str()
                .unwrap()
                .to_string();
        }
        if !matches!(case.fate, Fate::Submitted) {
            app.must_transition(&tn, &admin, json!({ "to": "under_review" }))
                .await;
        }
        match case.fate {
            Fate::Granted | Fate::ExtendedGranted => {
                if matches!(case.fate, Fate::ExtendedGranted) {
                    let extended = app
                        .post(
                            &format!("/api/v1/requests/{tn}/extension"),
                            Some(&admin),
                            &json!({ "days": 14, "circumstance": "voluminous_records", "reason": "Years of logs." }),
                        )
                        .await;
                    assert_eq!(extended.status, StatusCode::OK, "{:?}", extended.body);
                }
                app.must_transition(&tn, &admin, grant("Attached.")).await;
            }
            Fate::Denied(basis, appeal) => {
                app.must_transition(&tn, &admin, denial_citing(basis)).await;
                if !matches!(appeal, Appeal::No) {
                    let appealed = app
                        .post(
                            &format!("/api/v1/requests/{tn}/appeal"),
                            Some(&f.token),
                            &json!({ "grounds": "The case is closed." }),
                        )
                        .await;
                    assert_eq!(appealed.status, StatusCode::OK, "{:?}", appealed.body);
                }
                match appeal {
                    Appeal::Upheld | Appeal::Overturned => {
                        app.must_transition(
                            &tn,
                            &reviewer,
                            json!({ "to": "administrative_review" }),
                        )
                        .await;
                        let decision = if matches!(appeal, Appeal::Upheld) {
                            let mut upheld = denial_citing(&[BASIS_A]);
                            upheld["decision"] = json!("It stands.");
                            upheld
                        } else {
                            grant("Released.")
                        };
                        app.must_transition(&tn, &reviewer, decision).await;
                    }
                    Appeal::Withdrawn => {
                        let withdrawn = app
                            .post(
                                &format!("/api/v1/requests/{tn}/withdraw"),
                                Some(&f.token),
                                &json!({ "reason": "No longer needed." }),
                            )
                            .await;
                        assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
                    }
                    Appeal::No | Appeal::Pending => {}
                }
            }
            Fate::UnderReview | Fate::Submitted => {}
        }
        // Back in time: received at noon (local) so many days ago, due as the case says.
        let received_on = today - Days::new(case.received_days_ago);
        let received_at = tz
            .from_local_datetime(&received_on.and_hms_opt(12, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .naive_utc();
        let due = today + chrono::Duration::days(case.due_in_days);
        app.with_conn(|conn| {
            diesel::update(requests::table.filter(requests::tracking_number.eq(&tn)))
                .set((
                    requests::received_at.eq(received_at),
                    requests::determination_due.eq(due),
                ))
                .execute(conn)
        });
        filed.push((case.name, f));
    }
    Seeded {
        today,
        filed,
        queue,
    }
}

fn period_query(today: NaiveDate) -> String {
    format!("from={}&to={today}", today - Days::new(PERIOD_DAYS))
}

/// The CSV as (figure, group) → value.
fn parse_csv(body: &str) -> BTreeMap<(String, String), String> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["figure", "group", "value"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ((r[0].to_string(), r[1].to_string()), r[2].to_string())
        })
        .collect()
}

fn expect(figures: &BTreeMap<(String, String), String>, figure: &str, group: &str, value: &str) {
    assert_eq!(
        figures
            .get(&(figure.to_string(), group.to_string()))
            .map(String::as_str),
        Some(value),
        "{figure} / {group} in {figures:#?}"
    );
}

#[tokio::test]
async fn every_figure_of_a_known_history_is_reported() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let today = seeded.today;
    let client = app.signed_in_pages("admin@city.test").await;
    let query = period_query(today);
    let reply = client
        .get(app.url(&format!("/staff/reports.csv?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert!(reply.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = reply.text().await.unwrap();
    let f = parse_csv(&csv);

    expect(
        &f,
        "period",
        "from",
        &(today - Days::new(PERIOD_DAYS)).to_string(),
    );
    expect(&f, "period", "to", &today.to_string());
    // A to J; K and L were received before the period.
    expect(&f, "received", "all", "10");
    expect(&f, "received_by_kind", "public_records", "9");
    expect(&f, "received_by_kind", "api_access", "1");
    expect(&f, "received_by_kind", "dataset_access", "0");
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    for case in history()
        .iter()
        .filter(|c| c.received_days_ago <= PERIOD_DAYS)
    {
        let month = (today - Days::new(case.received_days_ago))
            .format("%Y-%m")
            .to_string();
        *months.entry(month).or_default() += 1;
    }
    let reported: usize = f
        .iter()
        .filter(|((figure, _), _)| figure == "received_by_month")
        .map(|(_, v)| v.parse::<usize>().unwrap())
        .sum();
    assert_eq!(reported, 10);
    for (month, n) in months {
        expect(&f, "received_by_month", &month, &n.to_string());
    }

    // I submitted, H under review, F appealed.
    expect(&f, "open_by_status", "submitted", "1");
    expect(&f, "open_by_status", "under_review", "1");
    expect(&f, "open_by_status", "appealed", "1");
    expect(&f, "open_by_status", "administrative_review", "0");

    // Determined: A5 B20 C18 D8 E12 F3 G4 J2 → 2 3 4 5 8 12 18 20; late: B and E.
    expect(&f, "timeliness", "determined", "8");
    expect(&f, "timeliness", "on_time", "6");
    expect(&f, "timeliness", "late", "2");
    expect(&f, "timeliness", "on_time_share", "75.0%");
    expect(&f, "timeliness", "median_days", "5");
    expect(&f, "timeliness", "p90_days", "20");
    expect(&f, "timeliness", "overdue_open", "1");

    expect(&f, "extensions", "all", "1");
    expect(&f, "extensions_by_circumstance", "voluminous_records", "1");
    expect(&f, "extensions_by_circumstance", "consultation", "0");

    // D, E, F, G denied at first; E cites two exemptions.
    expect(&f, "denials", "all", "4");
    expect(&f, "withholdings_by_exemption", BASIS_A.1, "2");
    expect(&f, "withholdings_by_exemption", BASIS_B.1, "2");
    expect(&f, "withholdings_by_exemption", BASIS_C.1, "1");

    expect(&f, "appeals", "filed", "4");
    expect(&f, "appeals", "pending", "1");
    expect(&f, "appeals", "overturned", "1");
    expect(&f, "appeals", "upheld", "1");
    expect(&f, "appeals", "withdrawn", "1");

    // The Clerk's queue: A–I; days 5 20 18 8 12 3 4 → 3 4 5 8 12 18 20.
    expect(&f, "queue_received", "city_clerk", "9");
    expect(&f, "queue_open", "city_clerk", "3");
    expect(&f, "queue_determined", "city_clerk", "7");
    expect(&f, "queue_on_time", "city_clerk", "5");
    expect(&f, "queue_late", "city_clerk", "2");
    expect(&f, "queue_median_days", "city_clerk", "8");
    expect(&f, "queue_p90_days", "city_clerk", "20");
    expect(&f, "queue_overdue_open", "city_clerk", "1");
    let pw = seeded.queue.as_str();
    assert_ne!(pw, "city_clerk");
    expect(&f, "queue_received", pw, "1");
    expect(&f, "queue_determined", pw, "1");
    expect(&f, "queue_median_days", pw, "2");

    // The page shows the same figures, each chart labelled and beside its table.
    let page = client
        .get(app.url(&format!("/staff/reports?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for needed in [
        "<svg role=\"img\" aria-label=\"Bar chart: Records withheld, by exemption.",
        "<caption>Determinations on time</caption>",
        "<th scope=\"row\">Share on time</th><td class=\"number\" data-label=\"Value\">75.0%</td>",
        "<th scope=\"row\">Median days to determination</th><td class=\"number\" data-label=\"Value\">5</td>",
        BASIS_A.1,
        "/staff/reports.csv?",
    ] {
        assert!(html.contains(needed), "the page lacks {needed:?}");
    }

    // The public CSV is the same but for the fees (staff only); one queue alone has only its
    // own requests.
    let public = app
        .client
        .get(app.url(&format!("/reports.csv?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    let without_fees: Vec<&str> = csv.lines().filter(|l| !is_fee_line(l)).collect();
    assert_eq!(
        public.text().await.unwrap().lines().collect::<Vec<_>>(),
        without_fees
    );
    let clerk_only = client
        .get(app.url(&format!("/staff/reports.csv?{query}&queue=city_clerk")))
        .send()
        .await
        .unwrap();
    let clerk = parse_csv(&clerk_only.text().await.unwrap());
    expect(&clerk, "received", "all", "9");
    expect(&clerk, "timeliness", "median_days", "8");

    // The page names the period and the queue in bold, in one sentence of the wording.
    let clerk_page = page_text(
        &client,
        app.url(&format!("/staff/reports?{query}&queue=city_clerk")),
    )
    .await;
    let from = seeded.today - Days::new(PERIOD_DAYS);
    let sentence = format!(
        "Requests received from <strong>{} to {}</strong> in the queue <strong>city_clerk</strong>, as they stand today.",
        from.format("%b %-d, %Y"),
        seeded.today.format("%b %-d, %Y")
    );
    assert!(
        clerk_page.contains(&sentence),
        "the page lacks {sentence:?}"
    );
}

#[tokio::test]
async fn the_public_page_shows_the_figures_and_nobody_in_them() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let query = period_query(seeded.today);
    let reply = app
        .client
        .get(app.url(&format!("/reports?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let html = reply.text().await.unwrap();
    assert!(html.contains(
        "<th scope=\"row\">Share on time</th><td class=\"number\" data-label=\"Value\">75.0%</td>"
    ));
    assert!(html.contains(BASIS_B.1));
    let requests = [records_request(), access_request("permits")];
    let mut secrets: Vec<String> = Vec::new();
    for r in &requests {
        for key in ["name", "email", "phone", "organization"] {
            if let Some(v) = r["requester"][key].as_str() {
                secrets.push(v.to_string());
            }
        }
        for key in ["description", "fields_needed", "intended_use"] {
            if let Some(v) = r[key].as_str() {
                secrets.push(v.to_string());
            }
        }
    }
    secrets.extend(seeded.filed.iter().map(|(_, f)| f.tracking_number.clone()));
    secrets.extend(seeded.filed.iter().map(|(_, f)| f.token.clone()));
    for words in [
        "Pat Records",
        "Deputy City Clerk",
        "Records exempt under",
        "nothing can be separated",
        "The case is closed.",
        "Attached.",
        "Released.",
        "It stands.",
        "Years of logs.",
        "admin@city.test",
        "reviewer@city.test",
    ] {
        secrets.push(words.to_string());
    }
    let csv = page_text(&app.client, app.url(&format!("/reports.csv?{query}"))).await;
    for secret in &secrets {
        assert!(
            !html.contains(secret.as_str()),
            "the public page shows {secret:?}"
        );
        assert!(
            !csv.contains(secret.as_str()),
            "the public CSV shows {secret:?}"
        );
    }
    // The home page links to it.
    let home = page_text(&app.client, app.url("/")).await;
    assert!(home.contains("href=\"/reports\""));
}

#[tokio::test]
async fn an_inverted_or_absurd_period_is_refused_with_422_beside_the_dates() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let client = app.signed_in_pages("clerk@city.test").await;
    let before = app.counts();
    let long_queue = format!("queue={}", "q".repeat(101));
    for (query, field, words) in [
        (
            "from=2026-05-02&to=2026-05-01",
            "to",
            "on or after the start date",
        ),
        ("from=1990-01-01&to=2026-05-01", "from", "before 2000-01-01"),
        (
            "from=2026-01-01&to=2999-12-31",
            "to",
            "more than a year from today",
        ),
        ("from=2026-02-30&to=2026-05-01", "from", "YYYY-MM-DD"),
        (long_queue.as_str(), "queue", "at most 100 characters"),
    ] {
        for path in ["/staff/reports", "/reports"] {
            let reply = client
                .get(app.url(&format!("{path}?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(
                reply.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}"
            );
            let html = reply.text().await.unwrap();
            let error = format!("<p class=\"error-message\" id=\"f-{field}-error\">");
            let at = html
                .find(&error)
                .unwrap_or_else(|| panic!("{path}?{query}: no error beside {field}"));
            assert!(html[at..].contains(words), "{path}?{query}: {words:?}");
            assert!(html.contains("There is a problem"));
            assert!(!html.contains("<svg"), "no figures on a refused period");
        }
        for path in ["/staff/reports.csv", "/reports.csv"] {
            let reply = client
                .get(app.url(&format!("{path}?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(
                reply.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}"
            );
        }
    }
    assert_eq!(app.counts(), before, "nothing else happens");
}

#[tokio::test]
async fn the_staff_reports_need_sign_in_and_the_default_period_is_a_year() {
    let app = spawn_app().await;
    let anonymous = page_client();
    for path in ["/staff/reports", "/staff/reports.csv"] {
        let reply = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.headers()["location"], "/staff/login");
    }
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let client = app.signed_in_pages("clerk@city.test").await;
    let html = page_text(&client, app.url("/staff/reports")).await;
    assert!(
        html.contains("href=\"/staff/reports\""),
        "the staff navigation links to it"
    );
    assert!(html.contains("Requests received by month"));
    let csv = page_text(&client, app.url("/staff/reports.csv")).await;
    let months = parse_csv(&csv)
        .keys()
        .filter(|(figure, _)| figure == "received_by_month")
        .count();
    assert_eq!(months, 12);
}

/// What happens to one complaint: filed to a department's queue so many days ago, with its
/// target so many days from today, then moved.
struct ComplaintCase {
    department: &'static str,
    received_days_ago: u64,
    target_in_days: i64,
    fate: ComplaintFate,
}

#[derive(Debug, Clone, Copy)]
enum ComplaintFate {
    Received,
    Investigating,
    Resolved,
    Referred,
    Dismissed,
    Withdrawn,
}

const CODE_ENFORCEMENT: &str = "code_enforcement";
const PARKS: &str = "parks_and_recreation";

fn complaints_history() -> Vec<ComplaintCase> {
    use ComplaintFate::*;
    let case = |department, received_days_ago, target_in_days, fate| ComplaintCase {
        department,
        received_days_ago,
        target_in_days,
        fate,
    };
    vec![
        // Code Enforcement: resolved on target in 12 days; referred on target in 5; open and
        // past its target; resolved late, received before the period, in 100 days.
        case(CODE_ENFORCEMENT, 12, 18, Resolved),
        case(CODE_ENFORCEMENT, 5, 25, Referred),
        case(CODE_ENFORCEMENT, 45, -15, Investigating),
        case(CODE_ENFORCEMENT, 100, -70, Resolved),
        // Parks and Recreation: dismissed on target in 2 days; withdrawn; waiting; resolved
        // late in 40 days.
        case(PARKS, 2, 28, Dismissed),
        case(PARKS, 3, 27, Withdrawn),
        case(PARKS, 1, 29, Received),
        case(PARKS, 40, -10, Resolved),
    ]
}

fn complaint_body(department: &str) -> serde_json::Value {
    json!({
        "subject": "Overgrown lot on Galindo Street",
        "description": "The lot behind the library has not been mowed since spring.",
        "location": "1800 Galindo Street",
        "department": department,
        "complainant": { "name": "Rosa Díaz", "email": "rosa@example.com" }
    })
}

/// Files and moves the complaints of `complaints_history` (closing them today), then moves
/// each back in time as its case says.
async fn file_complaints(app: &TestApp, today: NaiveDate) -> Vec<Filed> {
    let admin = app.login("admin@city.test").await;
    let tz = app.settings.time_zone().unwrap();
    let mut filed = Vec::new();
    for case in complaints_history() {
        let reply = app
            .post("/api/v1/complaints", None, &complaint_body(case.department))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let f = Filed {
            tracking_number: reply.body["tracking_number"].as_str().unwrap().into(),
            token: reply.body["access_token"].as_str().unwrap().into(),
        };
        let tn = f.tracking_number.clone();
        use ComplaintFate::*;
        if matches!(case.fate, Investigating | Resolved) {
            app.must_transition(&tn, &admin, json!({ "to": "investigating" }))
                .await;
        }
        match case.fate {
            Resolved => {
                app.must_transition(
                    &tn,
                    &admin,
                    json!({ "to": "resolved", "decision": "The lot was mowed and the owner cited." }),
                )
                .await;
            }
            Referred => {
                app.must_transition(
                    &tn,
                    &admin,
                    json!({ "to": "referred", "referred_to": "Contra Costa County Vector Control" }),
                )
                .await;
            }
            Dismissed => {
                app.must_transition(
                    &tn,
                    &admin,
                    json!({ "to": "dismissed", "reason": "The lot belongs to the school district." }),
                )
                .await;
            }
            Withdrawn => {
                let withdrawn = app
                    .post(
                        &format!("/api/v1/requests/{tn}/withdraw"),
                        Some(&f.token),
                        &json!({}),
                    )
                    .await;
                assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
            }
            Received | Investigating => {}
        }
        let received_on = today - Days::new(case.received_days_ago);
        let received_at = tz
            .from_local_datetime(&received_on.and_hms_opt(12, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .naive_utc();
        let target = today + chrono::Duration::days(case.target_in_days);
        app.with_conn(|conn| {
            diesel::update(requests::table.filter(requests::tracking_number.eq(&tn)))
                .set((
                    requests::received_at.eq(received_at),
                    requests::determination_due.eq(target),
                    requests::due_on.eq(target),
                ))
                .execute(conn)
        });
        filed.push(f);
    }
    filed
}

fn is_complaint_figure(figure: &str) -> bool {
    figure.starts_with("complaint") || figure.starts_with("department_complaints")
}

#[tokio::test]
async fn complaints_filed_and_closed_leave_every_request_figure_as_it_was() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let client = app.signed_in_pages("admin@city.test").await;
    let query = period_query(seeded.today);
    let requests_only = |csv: &str| -> BTreeMap<(String, String), String> {
        parse_csv(csv)
            .into_iter()
            .filter(|((figure, _), _)| !is_complaint_figure(figure))
            .collect()
    };
    let url = app.url(&format!("/staff/reports.csv?{query}"));
    let before = page_text(&client, url.clone()).await;
    let clerk_url = app.url(&format!("/staff/reports.csv?{query}&queue=city_clerk"));
    let clerk_before = page_text(&client, clerk_url.clone()).await;

    // Complaints of every state, one to the Clerk's own queue.
    file_complaints(&app, seeded.today).await;
    let to_clerk = app
        .post("/api/v1/complaints", None, &complaint_body("city_clerk"))
        .await;
    assert_eq!(to_clerk.status, StatusCode::CREATED, "{:?}", to_clerk.body);

    let after = page_text(&client, url).await;
    assert_eq!(requests_only(&after), requests_only(&before));
    let clerk_after = page_text(&client, clerk_url).await;
    assert_eq!(requests_only(&clerk_after), requests_only(&clerk_before));
    let f = parse_csv(&after);
    expect(&f, "received", "all", "10");
    expect(&f, "queue_received", "city_clerk", "9");
    for (figure, group) in f.keys() {
        let of_complaints = match figure.as_str() {
            "received_by_kind" => group == "complaint",
            "open_by_status" => group == "received" || group == "investigating",
            queue if queue.starts_with("queue_") => group == CODE_ENFORCEMENT || group == PARKS,
            _ => false,
        };
        assert!(!of_complaints, "a complaint counts in {figure} / {group}");
    }
    // The complaints are there, apart: seven received in the period, and the Clerk's one.
    expect(&f, "complaints", "received", "8");

    // The page's request figures read the same.
    let page = page_text(&client, app.url(&format!("/staff/reports?{query}"))).await;
    for needed in [
        "Requests received in the period: 10.",
        "<th scope=\"row\">Share on time</th><td class=\"number\" data-label=\"Value\">75.0%</td>",
        "<th scope=\"row\">city clerk</th><td class=\"number\" data-label=\"Received\">9</td>",
    ] {
        assert!(page.contains(needed), "the page lacks {needed:?}");
    }
    assert!(
        !page.contains("code enforcement</th>"),
        "no complaint queue among the requests'"
    );
}

#[tokio::test]
async fn complaints_are_reported_received_open_closed_on_target_and_by_department() {
    let app = spawn_app().await;
    app.add_staff("admin@city.test", "Avery Admin", "admin", None);
    let tz = app.settings.time_zone().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let filed = file_complaints(&app, today).await;
    let client = app.signed_in_pages("admin@city.test").await;
    let query = period_query(today);

    let staff_csv = page_text(&client, app.url(&format!("/staff/reports.csv?{query}"))).await;
    let f = parse_csv(&staff_csv);
    // Received in the last 60 days: all but the one received 100 days ago; two still open.
    expect(&f, "complaints", "received", "7");
    expect(&f, "complaints", "open", "2");
    // Closed today, whenever received.
    expect(&f, "complaints_closed", "resolved", "3");
    expect(&f, "complaints_closed", "referred", "1");
    expect(&f, "complaints_closed", "dismissed", "1");
    expect(&f, "complaints_closed", "withdrawn", "1");
    // Closed by the City in 12, 5, 100, 2 and 40 days → 2 5 12 40 100; late: 100 and 40.
    expect(&f, "complaint_timeliness", "closed", "5");
    expect(&f, "complaint_timeliness", "on_target", "3");
    expect(&f, "complaint_timeliness", "late", "2");
    expect(&f, "complaint_timeliness", "on_target_share", "60.0%");
    expect(&f, "complaint_timeliness", "median_days", "12");
    expect(&f, "complaint_timeliness", "p90_days", "100");
    expect(&f, "complaint_timeliness", "overdue_open", "1");
    for (department, figures) in [
        ("Code Enforcement", [3, 1, 2, 1, 0, 0]),
        ("Parks and Recreation", [4, 1, 1, 0, 1, 1]),
    ] {
        for (figure, n) in [
            "department_complaints_received",
            "department_complaints_open",
            "department_complaints_resolved",
            "department_complaints_referred",
            "department_complaints_dismissed",
            "department_complaints_withdrawn",
        ]
        .into_iter()
        .zip(figures)
        {
            expect(&f, figure, department, &n.to_string());
        }
    }
    let departments: Vec<&str> = f
        .keys()
        .filter(|(figure, _)| figure == "department_complaints_received")
        .map(|(_, group)| group.as_str())
        .collect();
    assert_eq!(departments, ["Code Enforcement", "Parks and Recreation"]);
    // Not a request among them.
    expect(&f, "received", "all", "0");
    expect(&f, "timeliness", "determined", "0");

    // The staff page: the totals, and a row for each department, each cell labelled.
    let page = page_text(&client, app.url(&format!("/staff/reports?{query}"))).await;
    for needed in [
        "<h2 id=\"complaints-title\">Complaints</h2>",
        "own, 30 calendar days after receipt (moved to the next business day).",
        "<th scope=\"row\">Received in the period</th><td class=\"number\" data-label=\"Complaints\">7</td>",
        "<th scope=\"row\">Of those, still open today</th><td class=\"number\" data-label=\"Complaints\">2</td>",
        "Complaints closed in the period: 6.",
        "<th scope=\"row\">Referred to another agency</th><td class=\"number\" data-label=\"Complaints\">1</td>",
        "<th scope=\"row\">Closed without action</th><td class=\"number\" data-label=\"Complaints\">1</td>",
        "<th scope=\"row\">Withdrawn by the complainant</th><td class=\"number\" data-label=\"Complaints\">1</td>",
        "<th scope=\"row\">Share on target</th><td class=\"number\" data-label=\"Value\">60.0%</td>",
        "<th scope=\"row\">Median days to close</th><td class=\"number\" data-label=\"Value\">12</td>",
        "<svg role=\"img\" aria-label=\"Bar chart: Complaints closed, by outcome.",
        "<h3 id=\"complaints-by-department-title\">Complaints by department</h3>",
        "<tr><th scope=\"row\">Code Enforcement</th><td class=\"number\" data-label=\"Received\">3</td><td class=\"number\" data-label=\"Open\">1</td><td class=\"number\" data-label=\"Resolved\">2</td><td class=\"number\" data-label=\"Referred\">1</td><td class=\"number\" data-label=\"Closed without action\">0</td><td class=\"number\" data-label=\"Withdrawn\">0</td></tr>",
        "<tr><th scope=\"row\">Parks and Recreation</th><td class=\"number\" data-label=\"Received\">4</td><td class=\"number\" data-label=\"Open\">1</td><td class=\"number\" data-label=\"Resolved\">1</td><td class=\"number\" data-label=\"Referred\">0</td><td class=\"number\" data-label=\"Closed without action\">1</td><td class=\"number\" data-label=\"Withdrawn\">1</td></tr>",
    ] {
        assert!(page.contains(needed), "the staff page lacks {needed:?}");
    }

    // One department alone: its complaints only.
    let parks = parse_csv(
        &page_text(
            &client,
            app.url(&format!("/staff/reports.csv?{query}&queue={PARKS}")),
        )
        .await,
    );
    expect(&parks, "complaints", "received", "4");
    expect(&parks, "complaints_closed", "resolved", "1");
    assert!(!parks.contains_key(&(
        "department_complaints_received".to_string(),
        "Code Enforcement".to_string()
    )));

    // The public page and CSV: the same totals, no department, nothing a complainant wrote.
    let public_page = page_text(&app.client, app.url(&format!("/reports?{query}"))).await;
    let public_csv = page_text(&app.client, app.url(&format!("/reports.csv?{query}"))).await;
    for needed in [
        "<th scope=\"row\">Received in the period</th><td class=\"number\" data-label=\"Complaints\">7</td>",
        "<th scope=\"row\">Share on target</th><td class=\"number\" data-label=\"Value\">60.0%</td>",
    ] {
        assert!(public_page.contains(needed), "the public page lacks {needed:?}");
    }
    let without_departments: Vec<&str> = staff_csv
        .lines()
        .filter(|line| !line.starts_with("department_complaints") && !is_fee_line(line))
        .collect();
    assert_eq!(public_csv.lines().collect::<Vec<_>>(), without_departments);
    let mut secrets = vec![
        "Code Enforcement".to_string(),
        "Parks and Recreation".to_string(),
        "Complaints by department".to_string(),
        "Overgrown lot".to_string(),
        "not been mowed".to_string(),
        "Galindo".to_string(),
        "Rosa".to_string(),
        "rosa@example.com".to_string(),
        "owner cited".to_string(),
        "Vector Control".to_string(),
        "school district".to_string(),
    ];
    secrets.extend(filed.iter().map(|f| f.tracking_number.clone()));
    secrets.extend(filed.iter().map(|f| f.token.clone()));
    for secret in &secrets {
        assert!(
            !public_page.contains(secret.as_str()),
            "the public page shows {secret:?}"
        );
        assert!(
            !public_csv.contains(secret.as_str()),
            "the public CSV shows {secret:?}"
        );
    }
}

/// Takes a fee step (`estimate`, `answer`, `payments`, `waivers`, `refunds`) on the version
/// the caller sees now.
async fn fee_step(app: &TestApp, tn: &str, token: &str, what: &str, mut body: Value) -> Value {
    body["version"] = app.case(tn, token).await["version"].clone();
    let reply = app
        .post(
            &format!("/api/v1/requests/{tn}/fees/{what}"),
            Some(token),
            &body,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{what} {body}: {:?}",
        reply.body
    );
    reply.body
}

fn pages(quantity: i64) -> Value {
    json!({ "lines": [{ "item": "letter_page", "quantity": quantity }] })
}

/// A request filed and granted by `admin`, awaiting production.
async fn granted_request(app: &TestApp, admin: &str, body: &Value) -> Filed {
    let f = app.submit(body).await;
    app.must_transition(&f.tracking_number, admin, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&f.tracking_number, admin, grant("Attached."))
        .await;
    f
}

/// The UTC instant of a local time in the city.
fn city_time(app: &TestApp, day: NaiveDate, hour: u32, minute: u32) -> chrono::NaiveDateTime {
    let tz = app.settings.time_zone().unwrap();
    tz.from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .earliest()
        .unwrap()
        .naive_utc()
}

/// Moves a request's estimates, or one of its fee entries (of `kind` and amount), to `at`, as
/// someone with the database could: the service itself never changes when money moved.
fn move_fees(app: &TestApp, tn: &str, entry: Option<(&str, i64)>, at: chrono::NaiveDateTime) {
    use recordsdesk::db::schema::{fee_entries, fee_estimates};
    let id: i64 = app.with_conn(|conn| {
        requests::table
            .filter(requests::tracking_number.eq(tn))
            .select(requests::id)
            .first(conn)
    });
    let moved = app.with_conn(|conn| match entry {
        None => diesel::update(fee_estimates::table.filter(fee_estimates::request_id.eq(id)))
            .set(fee_estimates::issued_at.eq(at))
            .execute(conn),
        Some((kind, cents)) => diesel::update(
            fee_entries::table
                .filter(fee_entries::request_id.eq(id))
                .filter(fee_entries::kind.eq(kind))
                .filter(fee_entries::amount_cents.eq(cents)),
        )
        .set(fee_entries::recorded_at.eq(at))
        .execute(conn),
    });
    assert!(moved >= 1, "{tn}: nothing to move for {entry:?}");
}

/// The fee figures of the staff CSV: the lines whose figure is a fee's.
fn is_fee_line(line: &str) -> bool {
    line.starts_with("fees_") || line.starts_with("queue_fees_")
}

#[tokio::test]
async fn fees_are_reported_to_staff_by_the_citys_months_and_by_queue_and_never_in_public() {
    // Estimates under $5.00 are waived whole when they are made.
    let app = spawn_app_with(|s| s.fees.waive_under_cents = 500).await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    app.add_dataset("permits", "Building permits", None, Some("Public Works"));
    let tz = app.settings.time_zone().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    // Three months: two calendar months ago (M0, from its first day), last month (M1) and
    // this one (M2), where everything happens before some of it is moved back in time.
    let m2 = today.with_day(1).unwrap();
    let m1 = m2 - Months::new(1);
    let m0 = m2 - Months::new(2);

    // R1 (Clerk): $12.00 estimated and paid last month; $3.00 of it refunded this month.
    let r1 = granted_request(&app, &admin, &records_request()).await;
    let r1 = r1_steps(&app, &admin, &r1).await;
    // R2 (Clerk): a $12.00 estimate replaced by a $20.00 one (only the second counts), $4.00
    // waived and $16.00 paid, all this month.
    let r2 = granted_request(&app, &admin, &records_request()).await;
    let tn2 = r2.tracking_number.as_str();
    fee_step(&app, tn2, &admin, "estimate", pages(120)).await;
    fee_step(&app, tn2, &admin, "estimate", pages(200)).await;
    fee_step(
        &app,
        tn2,
        &r2.token,
        "answer",
        json!({ "answer": "accept" }),
    )
    .await;
    fee_step(
        &app,
        tn2,
        &admin,
        "waivers",
        json!({ "amount_cents": 400, "reason": "Some pages were duplicates." }),
    )
    .await;
    let paid = fee_step(
        &app,
        tn2,
        &admin,
        "payments",
        json!({ "amount_cents": 1_600, "method": "cash" }),
    )
    .await;
    assert_eq!(paid["fees"]["balance_cents"], 0, "{paid}");
    // R3 (Public Works): $3.00, waived whole by the schedule when estimated, this month.
    let mut dataset_access = access_request("permits");
    dataset_access["kind"] = json!("dataset_access");
    let r3 = granted_request(&app, &admin, &dataset_access).await;
    let public_works = app.case(&r3.tracking_number, &admin).await["queue"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(public_works, "city_clerk");
    let waived = fee_step(&app, &r3.tracking_number, &admin, "estimate", pages(30)).await;
    assert_eq!(
        waived["fees"]["estimates"][0]["status"], "waived",
        "{waived}"
    );
    // R4 (Clerk): $12.00 estimated in M0, paid $5.00 at 23:30 on M0's last evening and $7.00
    // at 00:30 on M1's first morning, city time: the same UTC day, different city months.
    let r4 = granted_request(&app, &admin, &records_request()).await;
    let tn4 = r4.tracking_number.as_str();
    fee_step(&app, tn4, &admin, "estimate", pages(120)).await;
    fee_step(
        &app,
        tn4,
        &r4.token,
        "answer",
        json!({ "answer": "accept" }),
    )
    .await;
    for cents in [500, 700] {
        fee_step(
            &app,
            tn4,
            &admin,
            "payments",
            json!({ "amount_cents": cents, "method": "cash" }),
        )
        .await;
    }
    // R5 (Clerk): estimated and paid before the period (the payment at 23:59 the evening
    // before it starts, city time): in no figure.
    let r5 = granted_request(&app, &admin, &records_request()).await;
    let tn5 = r5.tracking_number.as_str();
    fee_step(&app, tn5, &admin, "estimate", pages(120)).await;
    fee_step(
        &app,
        tn5,
        &r5.token,
        "answer",
        json!({ "answer": "accept" }),
    )
    .await;
    fee_step(
        &app,
        tn5,
        &admin,
        "payments",
        json!({ "amount_cents": 1_200, "method": "cash" }),
    )
    .await;

    // Back in time. A fee entry stays as recorded: its guard is lifted for the test.
    let lift = match backend() {
        Backend::Sqlite => "DROP TRIGGER fee_entries_fixed;",
        Backend::Postgres => "ALTER TABLE fee_entries DISABLE TRIGGER fee_entries_fixed;",
    };
    app.sql(lift).expect("lift the guard on fee entries");
    move_fees(&app, &r1, None, city_time(&app, m1 + Days::new(4), 10, 0));
    move_fees(
        &app,
        &r1,
        Some(("payment", 1_200)),
        city_time(&app, m1 + Days::new(5), 10, 0),
    );
    move_fees(&app, tn4, None, city_time(&app, m0 + Days::new(9), 12, 0));
    let m0_last = m1 - Days::new(1);
    move_fees(
        &app,
        tn4,
        Some(("payment", 500)),
        city_time(&app, m0_last, 23, 30),
    );
    move_fees(
        &app,
        tn4,
        Some(("payment", 700)),
        city_time(&app, m1, 0, 30),
    );
    move_fees(&app, tn5, None, city_time(&app, m0 - Days::new(40), 12, 0));
    move_fees(
        &app,
        tn5,
        Some(("payment", 1_200)),
        city_time(&app, m0 - Days::new(1), 23, 59),
    );

    let client = app.signed_in_pages("admin@city.test").await;
    let query = format!("from={m0}&to={today}");
    let staff_csv = page_text(&client, app.url(&format!("/staff/reports.csv?{query}"))).await;
    let f = parse_csv(&staff_csv);
    // The period: estimated R4 12 + R1 12 + R2 20 + R3 3; collected R4 5 + 7, R1 12, R2 16;
    // waived R2 4 + R3 3; refunded R1 3.
    for (measure, dollars) in [
        ("estimated", "47.00"),
        ("collected", "40.00"),
        ("waived", "7.00"),
        ("refunded", "3.00"),
        ("net_collected", "37.00"),
    ] {
        expect(&f, "fees_usd", measure, dollars);
    }
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    for (m, sums) in [
        (m0, ["12.00", "5.00", "0.00", "0.00", "5.00"]),
        (m1, ["12.00", "19.00", "0.00", "0.00", "19.00"]),
        (m2, ["23.00", "16.00", "7.00", "3.00", "13.00"]),
    ] {
        for (measure, dollars) in [
            "fees_estimated_by_month_usd",
            "fees_collected_by_month_usd",
            "fees_waived_by_month_usd",
            "fees_refunded_by_month_usd",
            "fees_net_collected_by_month_usd",
        ]
        .into_iter()
        .zip(sums)
        {
            expect(&f, measure, &month(m), dollars);
        }
    }
    let months = f
        .keys()
        .filter(|(figure, _)| figure == "fees_collected_by_month_usd")
        .count();
    assert_eq!(months, 3, "every month of the period, and only those");
    for (queue, sums) in [
        ("city_clerk", ["44.00", "40.00", "4.00", "3.00", "37.00"]),
        (
            public_works.as_str(),
            ["3.00", "0.00", "3.00", "0.00", "0.00"],
        ),
    ] {
        for (figure, dollars) in [
            "queue_fees_estimated_usd",
            "queue_fees_collected_usd",
            "queue_fees_waived_usd",
            "queue_fees_refunded_usd",
            "queue_fees_net_collected_usd",
        ]
        .into_iter()
        .zip(sums)
        {
            expect(&f, figure, queue, dollars);
        }
    }

    // One queue alone: its own money only.
    let clerk = parse_csv(
        &page_text(
            &client,
            app.url(&format!("/staff/reports.csv?{query}&queue=city_clerk")),
        )
        .await,
    );
    expect(&clerk, "fees_usd", "estimated", "44.00");
    expect(&clerk, "fees_usd", "waived", "4.00");
    expect(&clerk, "fees_waived_by_month_usd", &month(m2), "4.00");
    assert!(!clerk.contains_key(&("queue_fees_estimated_usd".to_string(), public_works.clone())));

    // The staff page: the sums in dollars, by the city's months and by queue, each cell
    // labelled.
    let page = page_text(&client, app.url(&format!("/staff/reports?{query}"))).await;
    let row = |label: &str, sums: [&str; 5]| {
        format!(
            "<tr><th scope=\"row\">{label}</th><td class=\"number\" data-label=\"Estimated\">{}</td><td class=\"number\" data-label=\"Collected\">{}</td><td class=\"number\" data-label=\"Waived\">{}</td><td class=\"number\" data-label=\"Refunded\">{}</td><td class=\"number\" data-label=\"Net collected\">{}</td></tr>",
            sums[0], sums[1], sums[2], sums[3], sums[4]
        )
    };
    let month_name = |d: NaiveDate| d.format("%B %Y").to_string();
    for needed in [
        "<h2 id=\"fees-title\">Fees</h2>".to_string(),
        "in US dollars".to_string(),
        "<caption>Fees in the period</caption>".to_string(),
        "<th scope=\"row\">Estimated</th><td class=\"number\" data-label=\"Amount (US dollars)\">$47.00</td>".to_string(),
        "<th scope=\"row\">Net collected</th><td class=\"number\" data-label=\"Amount (US dollars)\">$37.00</td>".to_string(),
        "<caption>Fees by month (US dollars)</caption>".to_string(),
        row(&month_name(m0), ["$12.00", "$5.00", "$0.00", "$0.00", "$5.00"]),
        row(&month_name(m1), ["$12.00", "$19.00", "$0.00", "$0.00", "$19.00"]),
        row(&month_name(m2), ["$23.00", "$16.00", "$7.00", "$3.00", "$13.00"]),
        "<caption>Fees by queue (US dollars)</caption>".to_string(),
        row("city clerk", ["$44.00", "$40.00", "$4.00", "$3.00", "$37.00"]),
        row(
            &public_works.replace('_', " "),
            ["$3.00", "$0.00", "$3.00", "$0.00", "$0.00"],
        ),
    ] {
        assert!(page.contains(&needed), "the staff page lacks {needed:?}");
    }

    // The public page and CSV: no fee figure, no sum of money. The CSV is the staff one
    // without its fee lines.
    let public_page = page_text(&app.client, app.url(&format!("/reports?{query}"))).await;
    let public_csv = page_text(&app.client, app.url(&format!("/reports.csv?{query}"))).await;
    let without_fees: Vec<&str> = staff_csv.lines().filter(|l| !is_fee_line(l)).collect();
    assert!(without_fees.len() < staff_csv.lines().count());
    assert_eq!(public_csv.lines().collect::<Vec<_>>(), without_fees);
    for secret in [
        "fees-title",
        "Fees in the period",
        "Net collected",
        "US dollars",
        "$",
        "fees_",
        "usd",
        "47.00",
        "40.00",
    ] {
        assert!(
            !public_page.contains(secret),
            "the public page shows {secret:?}"
        );
        assert!(
            !public_csv.contains(secret),
            "the public CSV shows {secret:?}"
        );
    }
}

/// R1's steps: a $12.00 estimate, accepted, paid in full, $3.00 refunded.
async fn r1_steps(app: &TestApp, admin: &str, r1: &Filed) -> String {
    let tn = r1.tracking_number.as_str();
    fee_step(app, tn, admin, "estimate", pages(120)).await;
    fee_step(app, tn, &r1.token, "answer", json!({ "answer": "accept" })).await;
    fee_step(
        app,
        tn,
        admin,
        "payments",
        json!({ "amount_cents": 1_200, "method": "cash" }),
    )
    .await;
    let refunded = fee_step(
        app,
        tn,
        admin,
        "refunds",
        json!({ "amount_cents": 300, "reason": "Forty pages were not needed after all." }),
    )
    .await;
    assert_eq!(refunded["fees"]["refunded_cents"], 300, "{refunded}");
    tn.to_string()
}

/// A report reads its slices through `Db::read_parts`: on several connections at once where
/// the machine has the cores and the pool has connections to spare, every part once, the
/// results in the parts' order; of failures the first in that order, and no part started after
/// a failure is known.
#[tokio::test]
async fn parts_are_read_on_several_connections_in_order_and_the_first_failure_is_told() {
    use diesel::connection::SimpleConnection;
    use recordsdesk::db::{Db, DbError};
    use std::collections::HashSet;
    use std::sync::{Barrier, Mutex};
    use std::time::{Duration, Instant};

    /// Releases the connections held elsewhere however the reading ends, a failed assertion
    /// included, so that a failure is told rather than waited on for ever.
    struct Release<'a>(&'a Barrier);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            self.0.wait();
        }
    }

    let app = spawn_app().await;
    app.submit_records_request().await;
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // How many threads read the 8 parts; with `together`, the first part waits (5 s at
        // most) until another reader has started, so that the count does not hang on timing.
        let readers = |db: &Db, together: bool| {
            let threads = Mutex::new(HashSet::new());
            let read = db
                .read_parts((0..8).collect(), |conn, n: i64| -> Result<_, DbError> {
                    threads.lock().unwrap().insert(std::thread::current().id());
                    let since = Instant::now();
                    while together
                        && n == 0
                        && threads.lock().unwrap().len() < 2
                        && since.elapsed() < Duration::from_secs(5)
                    {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    let count = requests::table.count().get_result::<i64>(conn)?;
                    Ok((n, count))
                })
                .expect("every part read");
            assert_eq!(read, (0..8).map(|n| (n, 1)).collect::<Vec<_>>());
            let readers = threads.lock().unwrap().len();
            readers
        };
        let several = readers(&db, cores > 1);
        assert!(
            several <= cores && (cores == 1 || several >= 2),
            "{several} readers on {cores} cores: a connection, on a thread of its own, per core"
        );

        // The test pool holds 4. With 2 busy elsewhere, a second reader would leave none to
        // spare: one reads every part, and a failure stops it.
        let (busy, done) = (Barrier::new(3), Barrier::new(3));
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    db.read(|_| {
                        busy.wait();
                        done.wait();
                        Ok::<_, DbError>(())
                    })
                    .unwrap();
                });
            }
            busy.wait();
            let _release = Release(&done);
            assert_eq!(
                readers(&db, false),
                1,
                "one reader when the pool has none to spare"
            );
            let started = Mutex::new(Vec::new());
            let failed = db
                .read_parts((0..8).collect(), |conn, n: i64| -> Result<i64, DbError> {
                    started.lock().unwrap().push(n);
                    if n == 3 {
                        conn.batch_execute("SELECT * FROM no_table_3")?;
                    }
                    Ok(n)
                })
                .expect_err("part 3 fails");
            assert!(failed.to_string().contains("no_table_3"), "{failed}");
            assert_eq!(started.into_inner().unwrap(), [0, 1, 2, 3]);
        });

        // With several readers, part 3 fails after part 5 does but is the failure told.
        let failed = db
            .read_parts((0..8).collect(), |conn, n: i64| -> Result<i64, DbError> {
                if n == 3 {
                    std::thread::sleep(Duration::from_millis(100));
                }
                if n == 3 || n == 5 {
                    conn.batch_execute(&format!("SELECT * FROM no_table_{n}"))?;
                }
                Ok(n)
            })
            .expect_err("parts 3 and 5 fail");
        assert!(failed.to_string().contains("no_table_3"), "{failed}");

        assert!(db
            .read_parts(Vec::<i64>::new(), |_, n| Ok::<_, DbError>(n))
            .expect("nothing to read")
            .is_empty());
    })
    .await
    .unwrap();
}
