//! The pages in a real browser: headless Chromium through chromedriver, with axe-core checking
//! every page of the walk. Needs Debian's `chromium` and `chromium-driver` and the npm package
//! `axe-core` (`.ci/run` installs them all), so these tests are `#[ignore]`d in a plain
//! `cargo test` and run by `.ci/run` with `--ignored`.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use helpers::{spawn_app, TestApp, PASSWORD};
use serde_json::{json, Value};

/// chromedriver on a free port of 127.0.0.1, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver runs (apt-get install chromium chromium-driver)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Driver { child, port }
    }

    /// A browser of its own: its own profile, so its own cookies.
    async fn browser(&self, profile: &tempfile::TempDir) -> Client {
        let args = json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.path().display()),
        ]);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium(),
                "args": args,
                // Downloads land in the profile's own folder, unasked.
                "prefs": {
                    "download.default_directory": profile.path().join("downloads"),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false
                }
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/axe/node_modules/axe-core/axe.min.js"
        )
        .into()
    });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path}: {e} (npm install axe-core)"))
}

/// Runs axe-core on the page and fails on any serious or critical violation.
async fn assert_accessible(client: &Client, page: &str) {
    client
        .execute(&axe_source(), vec![])
        .await
        .expect("load axe-core");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ')) }))))
          .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));"#;
    let violations = client
        .execute_async(script, vec![])
        .await
        .expect("run axe-core");
    let bad: Vec<&Value> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")))
        .collect();
    assert!(
        bad.is_empty(),
        "accessibility violations on {page}: {bad:#?}"
    );
}

async fn screenshot(client: &Client, name: &str) {
    if let Ok(folder) = std::env::var("RECORDSDESK_SCREENSHOTS") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(format!("{folder}/{name}.png"), png).unwrap();
    }
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .unwrap()
}

async fn page_text(client: &Client) -> String {
    text_of(client, "main").await
}

async fn fill(client: &Client, css: &str, value: &str) {
    let field = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no field {css}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// Clicks and waits for the next page to replace this one.
async fn click_and_wait(client: &Client, element: fantoccini::elements::Element) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    element.click().await.unwrap();
    for _ in 0..200 {
        if old_page.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the page did not change after a click");
}

async fn press(client: &Client, button_text: &str) {
    let xpath = format!("//button[normalize-space(.)='{button_text}']");
    let button = client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("no button {button_text:?}"));
    click_and_wait(client, button).await;
}

async fn follow(client: &Client, link_text: &str) {
    let link = client
        .find(Locator::LinkText(link_text))
        .await
        .unwrap_or_else(|_| panic!("no link {link_text:?}"));
    click_and_wait(client, link).await;
}

async fn sign_in(client: &Client, app: &TestApp, email: &str) {
    client.goto(&app.url("/staff/login")).await.unwrap();
    fill(client, "#f-email", email).await;
    fill(client, "#f-password", PASSWORD).await;
    press(client, "Sign in").await;
    assert_eq!(text_of(client, "h1").await, "Queue");
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_request_is_filed_decided_appealed_and_reviewed_through_the_pages() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    app.add_staff("reviewer@city.test", "Robin Reviewer", "reviewer", None);
    let driver = Driver::start().await;
    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let requester = driver.browser(&profile_a).await;
    let staff = driver.browser(&profile_b).await;

    // The requester finds the form from the home page.
    requester.goto(&app.url("/")).await.unwrap();
    assert!(text_of(&requester, "h1")
        .await
        .contains("public records or data"));
    assert_accessible(&requester, "home").await;
    screenshot(&requester, "home").await;
    follow(&requester, "Make a request").await;
    assert_eq!(text_of(&requester, "h1").await, "Make a request");
    assert_accessible(&requester, "request form").await;

    // One round of invalid input: the form comes back with a summary and what was typed.
    fill(&requester, "#f-name", "Jane Q. Public").await;
    fill(&requester, "#f-email", "not-an-email").await;
    press(&requester, "Send request").await;
    let summary = text_of(&requester, "#error-summary").await;
    assert!(summary.contains("There is a problem"), "{summary}");
    assert!(summary.contains("What are you asking for"), "{summary}");
    assert!(summary.contains("Your email address"), "{summary}");
    let kept = requester
        .find(Locator::Css("#f-name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Jane Q. Public"));
    assert_accessible(&requester, "request form with errors").await;
    screenshot(&requester, "request-form-errors").await;
    // The summary's links lead to the fields.
    let href = requester
        .find(Locator::Css("#error-summary a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert!(href.unwrap().starts_with("#f-"));

    requester
        .find(Locator::Css("#kind-public_records"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(
        &requester,
        "#f-description",
        "Police incident logs for Todos Santos Plaza, March 2026. <b>not bold</b>",
    )
    .await;
    fill(&requester, "#f-email", "jane@example.com").await;
    press(&requester, "Send request").await;
    assert_eq!(text_of(&requester, "h1").await, "Request received");
    let confirmation = page_text(&requester).await;
    let tn = confirmation
        .split("tracking number is ")
        .nth(1)
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .trim()
        .to_string();
    assert!(tn.starts_with("RR-"), "{confirmation}");
    let private_link = text_of(&requester, ".private-link").await;
    assert!(private_link.contains(&format!("/requests/{tn}?token=rdr_")));
    assert_accessible(&requester, "confirmation").await;
    screenshot(&requester, "confirmation").await;

    // The private link works in this browser and is swapped for a cookie.
    let link_path = private_link
        .split_once("/requests/")
        .map(|(_, rest)| format!("/requests/{rest}"))
        .unwrap();
    requester.goto(&app.url(&link_path)).await.unwrap();
    assert_eq!(text_of(&requester, "h1").await, format!("Request {tn}"));
    assert!(!requester
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("token="));
    let tracking = page_text(&requester).await;
    assert!(
        tracking.contains("Received, waiting for review"),
        "{tracking}"
    );
    assert!(
        tracking.contains("<b>not bold</b>"),
        "what people type is shown as text"
    );
    assert_accessible(&requester, "tracking page").await;
    screenshot(&requester, "tracking").await;

    // Staff pages need a session.
    staff.goto(&app.url("/staff/queue")).await.unwrap();
    assert_eq!(text_of(&staff, "h1").await, "Staff sign in");
    assert_accessible(&staff, "sign in").await;
    sign_in(&staff, &app, "clerk@city.test").await;
    assert!(page_text(&staff).await.contains(&tn));
    assert_accessible(&staff, "queue").await;
    screenshot(&staff, "queue").await;
    follow(&staff, &tn).await;
    assert!(text_of(&staff, "h1").await.starts_with(&tn));
    assert_accessible(&staff, "case page").await;
    press(&staff, "Accept").await;
    let accepted = page_text(&staff).await;
    assert!(
        accepted.contains("The request is now under review."),
        "{accepted}"
    );

    // A denial asks for its reasons, legal basis and the persons responsible.
    press(&staff, "Deny the request").await;
    let summary = text_of(&staff, "#error-summary").await;
    for needed in [
        "Reasons for the denial",
        "Legal basis",
        "Persons responsible",
    ] {
        assert!(summary.contains(needed), "{summary}");
    }
    assert_accessible(&staff, "case page with errors").await;
    fill(
        &staff,
        "#f-denied-reason",
        "The logs are part of an open investigation.",
    )
    .await;
    fill(&staff, "#f-denied-legal_basis", "Gov. Code §7923.600").await;
    fill(
        &staff,
        "#f-denied-responsible",
        "Pat Records, Deputy City Clerk",
    )
    .await;
    press(&staff, "Deny the request").await;
    assert!(text_of(&staff, "h1").await.contains("Denied"));
    screenshot(&staff, "case").await;

    // The requester sees the denial and appeals from the tracking page.
    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let denied = page_text(&requester).await;
    assert!(
        denied.contains("Denied")
            && denied.contains("Gov. Code §7923.600")
            && denied.contains("Pat Records"),
        "{denied}"
    );
    assert_accessible(&requester, "tracking page, denied").await;
    fill(
        &requester,
        "#f-grounds",
        "The investigation closed in 2025.",
    )
    .await;
    press(&requester, "Appeal this denial").await;
    let appealed = page_text(&requester).await;
    assert!(appealed.contains("Your appeal was received"), "{appealed}");
    assert!(
        appealed.contains("Appealed, waiting for a reviewer"),
        "{appealed}"
    );

    // A reviewer takes it up and decides.
    press(&staff, "Sign out").await;
    assert_eq!(text_of(&staff, "h1").await, "Staff sign in");
    sign_in(&staff, &app, "reviewer@city.test").await;
    staff
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    press(&staff, "Start the review").await;
    fill(
        &staff,
        "#f-granted-decision",
        "The exemption no longer applies; the logs are attached.",
    )
    .await;
    press(&staff, "Grant on review").await;
    assert!(text_of(&staff, "h1").await.contains("Granted"));

    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let granted = page_text(&requester).await;
    assert!(
        granted.contains("Granted") && granted.contains("The exemption no longer applies"),
        "{granted}"
    );

    // Someone else's browser, without the link, sees nothing.
    staff
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    assert_eq!(text_of(&staff, "h1").await, "Page not found");

    requester.close().await.unwrap();
    staff.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_developer_finds_a_dataset_asks_for_api_access_and_gets_the_key_once() {
    let app = spawn_app().await;
    let catalog = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/catalog-restricted.json"
    );
    let imported = app.cli(&["catalog", "import", catalog], None).await;
    assert!(imported.status.success());
    app.add_staff(
        "permits@cityofconcord.org",
        "Sam Steward",
        "steward",
        Some("Community Development"),
    );
    let driver = Driver::start().await;
    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let developer = driver.browser(&profile_a).await;
    let steward = driver.browser(&profile_b).await;

    developer.goto(&app.url("/datasets?q=code")).await.unwrap();
    assert_eq!(text_of(&developer, "h1").await, "Data catalog");
    assert_accessible(&developer, "catalog").await;
    screenshot(&developer, "catalog").await;
    follow(&developer, "Code Enforcement Cases").await;
    let details = page_text(&developer).await;
    assert!(
        details.contains("restricted public") && details.contains("Community Development"),
        "{details}"
    );
    assert_accessible(&developer, "dataset page").await;
    screenshot(&developer, "dataset").await;
    follow(&developer, "Request access").await;
    let chosen = developer
        .find(Locator::Css("#f-dataset_id"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        chosen.as_deref(),
        Some("https://data.cityofconcord.org/datasets/code-enforcement-cases")
    );
    developer
        .find(Locator::Css("#kind-api_access"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(
        &developer,
        "#f-description",
        "Read access to the code enforcement cases API.",
    )
    .await;
    fill(&developer, "#f-intended_use", "A neighbourhood dashboard.").await;
    fill(&developer, "#f-name", "Dev Eloper").await;
    fill(&developer, "#f-email", "dev@example.org").await;
    press(&developer, "Send request").await;
    let private_link = text_of(&developer, ".private-link").await;
    let tn = private_link
        .split("/requests/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();

    sign_in(&steward, &app, "permits@cityofconcord.org").await;
    steward
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    press(&steward, "Accept").await;
    fill(
        &steward,
        "#f-granted-decision",
        "Read access to the cases API.",
    )
    .await;
    press(&steward, "Grant the request").await;
    assert!(text_of(&steward, "h1").await.contains("Granted"));

    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    press(&developer, "Get your API key").await;
    assert_eq!(text_of(&developer, "h1").await, "Your API key");
    let key = text_of(&developer, ".private-link").await;
    assert!(key.starts_with("rdk_"), "{key}");
    assert_accessible(&developer, "API key page").await;
    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let after = page_text(&developer).await;
    assert!(
        after.contains("Your API key is active") && !after.contains(&key),
        "{after}"
    );

    developer.close().await.unwrap();
    steward.close().await.unwrap();
}

/// The one finished download in the profile's download folder, once Chromium has written it.
async fn downloaded(profile: &tempfile::TempDir, name: &str) -> Vec<u8> {
    let path = profile.path().join("downloads").join(name);
    for _ in 0..200 {
        let partial = std::fs::read_dir(profile.path().join("downloads"))
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
            })
            .unwrap_or(true);
        if !partial {
            if let Ok(bytes) = std::fs::read(&path) {
                return bytes;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} was not downloaded", path.display());
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn staff_attach_and_release_a_file_and_the_requester_downloads_the_same_bytes() {
    use sha2::{Digest, Sha256};

    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let clerk = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;

    // A real PDF-shaped file of 3 MB, written where the browser can pick it.
    let folder = tempfile::tempdir().unwrap();
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let upload = folder.path().join("police-log-march.pdf");
    std::fs::write(&upload, &bytes).unwrap();
    let hash = hex::encode(Sha256::digest(&bytes));

    let driver = Driver::start().await;
    let staff_profile = tempfile::tempdir().unwrap();
    let staff = driver.browser(&staff_profile).await;
    sign_in(&staff, &app, "clerk@city.test").await;
    staff
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    let file_input = staff.find(Locator::Css("#file")).await.unwrap();
    file_input
        .send_keys(upload.to_str().unwrap())
        .await
        .unwrap();
    fill(
        &staff,
        "#file-redaction_note",
        "Names of witnesses redacted.",
    )
    .await;
    fill(&staff, "#file-exemption", "Gov. Code §7923.600").await;
    press(&staff, "Attach the file").await;
    let text = page_text(&staff).await;
    assert!(text.contains("The file is attached"), "{text}");
    assert!(text.contains(&hash), "the staff page shows the stored hash");
    assert!(text.contains("Not released"));
    assert_accessible(&staff, "the case page with a document").await;
    let checkbox = staff
        .find(Locator::Css("input[type=checkbox][name^=release_]"))
        .await
        .unwrap();
    checkbox.click().await.unwrap();
    press(&staff, "Release the chosen documents").await;
    let text = page_text(&staff).await;
    assert!(
        text.contains("Released. The requester has been emailed"),
        "{text}"
    );
    staff
        .execute(
            "document.getElementById('records').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&staff, "case-documents").await;

    // The requester follows the private link and downloads the file.
    let requester_profile = tempfile::tempdir().unwrap();
    let requester = driver.browser(&requester_profile).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    let text = page_text(&requester).await;
    assert!(text.contains("Records released to you"), "{text}");
    assert!(text.contains("Names of witnesses redacted."));
    assert!(text.contains(&hash), "the requester can check the hash");
    assert_accessible(&requester, "the tracking page with released records").await;
    requester
        .execute(
            "document.getElementById('records').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&requester, "tracking-released").await;
    requester
        .find(Locator::LinkText("police-log-march.pdf"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let received = downloaded(&requester_profile, "police-log-march.pdf").await;
    assert_eq!(received.len(), bytes.len());
    assert_eq!(
        hex::encode(Sha256::digest(&received)),
        hash,
        "the same bytes"
    );

    // The audit log says the requester received exactly these bytes.
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let download = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "document_downloaded")
        .expect("the download is in the chain")
        .clone();
    assert_eq!(download["actor"], "requester");
    assert_eq!(download["content"]["sha256"], hash.as_str());
    staff.close().await.unwrap();
    requester.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn the_reports_pages_show_a_history_accessibly() {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    // A small history: granted, denied on two grounds, denied and appealed, extended, open.
    for (i, fate) in [
        "granted", "denied", "appealed", "extended", "open", "granted",
    ]
    .iter()
    .enumerate()
    {
        let filed = app.submit_records_request().await;
        let tn = filed.tracking_number.as_str();
        if *fate == "open" {
            continue;
        }
        app.must_transition(tn, &admin, json!({ "to": "under_review" }))
            .await;
        if *fate == "extended" {
            let reply = app
                .post(
                    &format!("/api/v1/requests/{tn}/extension"),
                    Some(&admin),
                    &json!({ "days": 10, "circumstance": "consultation", "reason": "Police." }),
                )
                .await;
            assert_eq!(reply.status, 200);
            continue;
        }
        let decision = if *fate == "granted" {
            json!({ "to": "granted", "decision": "Attached." })
        } else {
            let mut d = helpers::denial();
            if i == 1 {
                d["legal_basis"] = json!(["Gov. Code §7922.000", "Gov. Code §7927.705"]);
            }
            d
        };
        app.must_transition(tn, &admin, decision).await;
        if *fate == "appealed" {
            let reply = app
                .post(
                    &format!("/api/v1/requests/{tn}/appeal"),
                    Some(&filed.token),
                    &json!({ "grounds": "Closed case." }),
                )
                .await;
            assert_eq!(reply.status, 200);
        }
    }
    // Received (and due) 0 to 14 days earlier, so some were determined late.
    app.sql(match helpers::backend() {
        helpers::Backend::Sqlite => {
            "UPDATE requests SET received_at = datetime(received_at, '-' || ((id * 7) % 15) || ' days'), \
             determination_due = date(determination_due, '-' || ((id * 7) % 15) || ' days')"
        }
        helpers::Backend::Postgres => {
            "UPDATE requests SET received_at = received_at - ((id * 7) % 15) * INTERVAL '1 day', \
             determination_due = determination_due - ((id * 7) % 15)::integer"
        }
    })
    .unwrap();

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let staff = driver.browser(&profile).await;
    sign_in(&staff, &app, "clerk@city.test").await;
    follow(&staff, "Reports").await;
    assert_eq!(text_of(&staff, "h1").await, "Reports");
    let text = page_text(&staff).await;
    assert!(
        text.contains("Gov. Code §7923.600") && text.contains("Download these figures (CSV)"),
        "{text}"
    );
    assert_accessible(&staff, "staff reports").await;
    screenshot(&staff, "reports").await;
    staff
        .execute(
            "document.getElementById('on-time-title').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&staff, "reports-timeliness").await;

    // An inverted period is refused beside the dates.
    fill(&staff, "#f-from", "05/02/2026").await;
    fill(&staff, "#f-to", "05/01/2026").await;
    press(&staff, "Show").await;
    assert!(text_of(&staff, "#f-to-error").await.contains("on or after"));
    assert_accessible(&staff, "staff reports with an error").await;

    // The public page: the same figures, nobody's name.
    staff.goto(&app.url("/reports")).await.unwrap();
    assert_eq!(text_of(&staff, "h1").await, "Public records statistics");
    let public = page_text(&staff).await;
    assert!(!public.contains("Jane Q. Public") && !public.contains("jane@example.com"));
    assert_accessible(&staff, "public reports").await;
    screenshot(&staff, "reports-public").await;
    staff.close().await.unwrap();
}
