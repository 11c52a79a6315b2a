//! The pages in a real browser: headless Chromium through chromedriver, with axe-core checking
//! every page of the walk. Needs Debian's `chromium` and `chromium-driver` and the npm package
//! `axe-core` (`.ci/run` installs them all), so these tests are `#[ignore]`d in a plain
//! `cargo test` and run by `.ci/run` with `--ignored`. The staff step pages (decisions,
//! production, reopening, review) are walked in `browser/steps.rs`; email for no request in
//! `browser/mail.rs`; search in `browser/search.rs`; administration in `browser/admin.rs`.
//!
//! With `RECORDSDESK_SCREENSHOTS=/some/folder` the walks save screenshots there.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

#[path = "browser/steps.rs"]
mod steps;

#[path = "browser/mail.rs"]
mod mail;

#[path = "browser/search.rs"]
mod search;

#[path = "browser/admin.rs"]
mod admin;

#[path = "browser/complaints.rs"]
mod complaints;

#[path = "browser/fees.rs"]
mod fees;

#[path = "browser/reading_room.rs"]
mod reading_room;

#[path = "browser/letters.rs"]
mod letters;

#[path = "api/release_files.rs"]
mod release_files;

#[path = "browser/release_checks.rs"]
mod release_checks;

#[path = "browser/spanish.rs"]
mod spanish;

use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use helpers::{spawn_app, TestApp, PASSWORD};
use serde_json::{json, Value};

/// chromedriver on a free port of 127.0.0.1, stopped when dropped, with the browsers it
/// started (a test that fails never closes its browsers).
struct Driver {
    child: Child,
    port: u16,
    profiles: Mutex<Vec<String>>,
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
        Driver {
            child,
            port,
            profiles: Mutex::new(Vec::new()),
        }
    }

    /// A browser of its own: its own profile, so its own cookies.
    async fn browser(&self, profile: &tempfile::TempDir) -> Client {
        self.start_browser(profile, true).await
    }

    /// A browser that runs no page scripts, as some people's do: the pages must work without
    /// them (the test's own scripts, such as axe-core, still run through chromedriver).
    async fn browser_without_javascript(&self, profile: &tempfile::TempDir) -> Client {
        self.start_browser(profile, false).await
    }

    async fn start_browser(&self, profile: &tempfile::TempDir, javascript: bool) -> Client {
        self.profiles
            .lock()
            .unwrap()
            .push(profile.path().display().to_string());
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
                    "safebrowsing.enabled": false,
                    "profile.managed_default_content_settings.javascript":
                        if javascript { 1 } else { 2 }
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
        let profiles = self.profiles.lock().map(|p| p.clone()).unwrap_or_default();
        kill_browsers(&profiles);
    }
}

/// Stops the Chromium processes still running on these profiles (a closed browser has none):
/// the main process of each, found by its `--user-data-dir`, by its own id.
fn kill_browsers(profiles: &[String]) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    let flags: Vec<String> = profiles
        .iter()
        .map(|p| format!("--user-data-dir={p}"))
        .collect();
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let ours = args
            .iter()
            .any(|a| flags.iter().any(|f| *a == f.as_bytes()));
        let main = !args.iter().any(|a| a.starts_with(b"--type="));
        if ours && main {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
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
    // A browser that runs no page scripts never fires timers, and axe-core waits on them. In
    // such a browser (known by its HTML parser reading <noscript> content as markup) axe-core's
    // timers run as microtasks instead; the page itself runs nothing either way.
    let script = r#"
        const done = arguments[arguments.length - 1];
        const probe = document.createElement('div');
        probe.innerHTML = '<noscript><p></p></noscript>';
        if (probe.querySelector('noscript p')) {
          window.setTimeout = (f, ms, ...args) => { Promise.resolve().then(() => f(...args)); return 0; };
        }
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
    next_page(old_page).await;
}

/// Presses Enter in a field and waits for the page the form's default button sends to.
async fn enter_in(client: &Client, css: &str) {
    let old_page = client.find(Locator::Css("html")).await.unwrap();
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no field {css}"))
        .send_keys(&fantoccini::key::Key::Enter)
        .await
        .unwrap();
    next_page(old_page).await;
}

async fn next_page(old_page: fantoccini::elements::Element) {
    for _ in 0..200 {
        if old_page.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the page did not change after a click or Enter");
}

/// Clicks the button a person sees with this text (not a hidden default button of a form).
async fn press(client: &Client, button_text: &str) {
    let xpath =
        format!("//button[normalize-space(.)='{button_text}' and not(@aria-hidden='true')]");
    let button = client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("no button {button_text:?}"));
    click_and_wait(client, button).await;
}

/// Sends a step form that cannot be undone: "Continue", then its check page (heading, axe-core,
/// a phone's width), then the check page's button.
async fn continue_and_confirm(client: &Client, confirm: &str) {
    press(client, "Continue").await;
    let heading = text_of(client, "h1").await;
    assert!(
        heading.starts_with("Check ") && heading.ends_with(" before you send it"),
        "{heading}"
    );
    assert_accessible(client, &heading).await;
    fits_a_phone(client, &heading).await;
    press(client, confirm).await;
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

/// Picks the radio button or checkbox with this label by clicking the label.
async fn choose(client: &Client, label: &str) {
    let xpath = format!("//label[normalize-space(.)='{label}']");
    client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("no choice {label:?}"))
        .click()
        .await
        .unwrap();
}

/// Picks the option with this text in a drop-down list.
async fn select(client: &Client, css: &str, option: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no list {css}"))
        .select_by_label(option)
        .await
        .unwrap_or_else(|_| panic!("no option {option:?} in {css}"));
}

/// A field's current value.
async fn value_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no field {css}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// A day `days` from today in the City's time zone (config: America/Los_Angeles).
fn city_date(days: u64) -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive()
        + chrono::Days::new(days)
}

/// Types a date into a date field as a person in the US does (Chromium's en-US field).
async fn type_date(client: &Client, css: &str, date: chrono::NaiveDate) {
    fill(client, css, &date.format("%m/%d/%Y").to_string()).await;
}

/// A date and time as the pages write them: "Mar 12, 2027, 10:30 AM".
fn shown_time(date: chrono::NaiveDate, time: &str) -> String {
    format!("{}, {time}", date.format("%b %-d, %Y"))
}

const PHONE_WIDTH: u32 = 390;
const DESKTOP: (u32, u32) = (1280, 1000);

/// The page at a phone's width scrolls only up and down: nothing is wider than the screen.
async fn fits_a_phone(client: &Client, page: &str) {
    client.set_window_size(PHONE_WIDTH, 844).await.unwrap();
    let measured = client
        .execute(
            r#"const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > width + 0.5)
              .slice(0, 8)
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + ' right=' + Math.round(e.getBoundingClientRect().right));
            return [document.documentElement.scrollWidth, innerWidth, wide];"#,
            vec![],
        )
        .await
        .unwrap();
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();
    assert_eq!(measured[1], PHONE_WIDTH, "the window is a phone's width");
    let scroll_width = measured[0].as_u64().unwrap();
    assert!(
        scroll_width <= u64::from(PHONE_WIDTH),
        "{page} scrolls sideways at {PHONE_WIDTH} px: {scroll_width} px wide; wider elements: {}",
        measured[2]
    );
}

/// The smallest text of the page's charts as the screen draws it, in CSS pixels: each text's
/// font size in the drawing's units times the drawing's scale on the screen.
async fn smallest_chart_text(client: &Client) -> f64 {
    let measured = client
        .execute(
            r#"let smallest = Infinity;
            for (const svg of document.querySelectorAll('.chart svg')) {
              const scale = svg.getScreenCTM().a;
              for (const t of svg.querySelectorAll('text')) {
                smallest = Math.min(smallest, parseFloat(t.getAttribute('font-size')) * scale);
              }
            }
            return smallest;"#,
            vec![],
        )
        .await
        .unwrap();
    measured.as_f64().expect("the page has charts with text")
}

/// A screenshot of the whole page at this width (the window made as tall as the page).
async fn screenshot_at(client: &Client, name: &str, width: u32) {
    if std::env::var("RECORDSDESK_SCREENSHOTS").is_err() {
        return;
    }
    client.set_window_size(width, DESKTOP.1).await.unwrap();
    let sizes = client
        .execute(
            "window.scrollTo(0, 0); \
             return [innerHeight, document.documentElement.scrollHeight];",
            vec![],
        )
        .await
        .unwrap();
    let inner = sizes[0].as_u64().unwrap() as u32;
    let page = sizes[1].as_u64().unwrap() as u32;
    let frame = DESKTOP.1.saturating_sub(inner);
    client
        .set_window_size(width, (page + frame).clamp(DESKTOP.1, 12_000))
        .await
        .unwrap();
    screenshot(client, &format!("{name}-{width}")).await;
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();
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

    // Question pages: first what is asked for; pressing on without a choice says so.
    assert_eq!(text_of(&requester, "h1").await, "What are you asking for?");
    assert_accessible(&requester, "request form: kind").await;
    fits_a_phone(&requester, "request form: kind").await;
    press(&requester, "Continue").await;
    let summary = text_of(&requester, "#error-summary").await;
    assert!(
        summary.contains("Select what you are asking for"),
        "{summary}"
    );
    // The summary has the focus, so a screen reader reads it first.
    let focused = requester
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "error-summary");
    requester
        .find(Locator::Css("#kind-public_records"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    press(&requester, "Continue").await;

    // Then only a records request's questions: no dataset, no fields, no intended use.
    assert_eq!(
        text_of(&requester, "h1").await,
        "Which records do you want?"
    );
    assert!(requester
        .find(Locator::Css("#f-intended_use"))
        .await
        .is_err());
    assert!(requester
        .find(Locator::Css("#f-dataset-search"))
        .await
        .is_err());
    assert_accessible(&requester, "request form: records").await;
    fits_a_phone(&requester, "request form: records").await;
    fill(
        &requester,
        "#f-description",
        "Police incident logs for Todos Santos Plaza, March 2026. <b>not bold</b>",
    )
    .await;
    press(&requester, "Continue").await;

    // Then who they are; one round of invalid input, in GOV.UK's words, with what was typed.
    assert_eq!(text_of(&requester, "h1").await, "How can we reach you?");
    fill(&requester, "#f-name", "Jane Q. Public").await;
    fill(&requester, "#f-email", "jane@example").await;
    press(&requester, "Continue").await;
    let summary = text_of(&requester, "#error-summary").await;
    assert!(summary.contains("There is a problem"), "{summary}");
    assert!(
        summary.contains("Enter an email address in the correct format, like name@example.com"),
        "{summary}"
    );
    assert!(requester.title().await.unwrap().starts_with("Error:"));
    assert_eq!(value_of(&requester, "#f-name").await, "Jane Q. Public");
    assert_accessible(&requester, "request form with errors").await;
    fits_a_phone(&requester, "request form with errors").await;
    screenshot(&requester, "request-form-errors").await;
    screenshot_at(&requester, "request-form-errors", PHONE_WIDTH).await;
    let href = requester
        .find(Locator::Css("#error-summary a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(href.as_deref(), Some("#f-email"));
    fill(&requester, "#f-email", "jane@example.com").await;
    press(&requester, "Continue").await;

    // Check your answers: the email address shown back before anything is sent.
    assert_eq!(
        text_of(&requester, "h1").await,
        "Check your answers before sending your request"
    );
    let check = page_text(&requester).await;
    for shown in [
        "Public records",
        "Police incident logs",
        "Jane Q. Public",
        "jane@example.com",
    ] {
        assert!(check.contains(shown), "{check}");
    }
    assert_accessible(&requester, "check your answers").await;
    fits_a_phone(&requester, "check your answers").await;
    screenshot_at(&requester, "check-answers", PHONE_WIDTH).await;
    screenshot_at(&requester, "check-answers", DESKTOP.0).await;
    // "Change" goes back to the question with the answer kept, then on to the check again.
    press(&requester, "Change your name").await;
    assert_eq!(text_of(&requester, "h1").await, "How can we reach you?");
    assert_eq!(value_of(&requester, "#f-email").await, "jane@example.com");
    press(&requester, "Continue").await;
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
    // Each step has a page of its own, linked from the case page's task list.
    follow(&staff, "Accept the request for review").await;
    assert_eq!(text_of(&staff, "h1").await, "Accept the request for review");
    assert_accessible(&staff, "accept page").await;
    fits_a_phone(&staff, "accept page").await;
    press(&staff, "Accept for review").await;
    let accepted = page_text(&staff).await;
    assert!(
        accepted.contains("The request is accepted for review.")
            && text_of(&staff, "h1").await.contains("Under review"),
        "{accepted}"
    );

    // The duty to assist: records that may answer, where they are kept, how to focus the
    // request, and a question; the requester answers with a message.
    follow(
        &staff,
        "Help the requester find records, or ask them to clarify",
    )
    .await;
    assert_accessible(&staff, "assistance page").await;
    fits_a_phone(&staff, "assistance page").await;
    fill(
        &staff,
        "#records",
        "Incident logs are kept by month; March 2026 is one log.",
    )
    .await;
    fill(
        &staff,
        "#location",
        "The Police Department's records system.",
    )
    .await;
    fill(
        &staff,
        "#suggestions",
        "Name the days you need, and we can search for them.",
    )
    .await;
    fill(&staff, "#question", "Which days in March do you need?").await;
    screenshot_at(&staff, "assist", PHONE_WIDTH).await;
    press(&staff, "Send to the requester").await;
    let helped = page_text(&staff).await;
    assert!(
        helped.contains("Your help was sent to the requester.")
            && helped.contains("Waiting for the requester to answer"),
        "{helped}"
    );
    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    assert!(page_text(&requester)
        .await
        .contains("We asked you a question on"));
    assert_accessible(&requester, "tracking page, a question asked").await;
    fill(&requester, "#f-body", "March 3 to 5, please.").await;
    press(&requester, "Send message").await;
    assert!(!page_text(&requester)
        .await
        .contains("We asked you a question on"));
    staff
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();

    // A denial names each item withheld, its exemption, who is responsible and why no part
    // can be released (browser/steps.rs walks its errors and repeated rows).
    follow(&staff, "Deny the request").await;
    fill(
        &staff,
        "#reason",
        "The logs are part of an open investigation.",
    )
    .await;
    fill(&staff, "#withheld-0-item", "Incident logs, March 2026").await;
    select(
        &staff,
        "#withheld-0-exemption",
        "Gov. Code §7923.600 (former §6254(f)): Law enforcement investigation and security records",
    )
    .await;
    fill(
        &staff,
        "#withheld-0-reason",
        "Releasing them would reveal the investigation's leads.",
    )
    .await;
    fill(
        &staff,
        "#segregability",
        "Every entry names a lead; nothing can be separated.",
    )
    .await;
    continue_and_confirm(&staff, "Send the decision").await;
    assert!(text_of(&staff, "h1").await.contains("Denied"));
    screenshot(&staff, "case").await;
    // A note for colleagues: on the case page, never on the requester's.
    fill(
        &staff,
        "#f-note",
        "The requester called; the 2025 case file is at the records center.",
    )
    .await;
    press(&staff, "Add note").await;
    let noted = page_text(&staff).await;
    assert!(
        noted.contains("Your note was added. Only staff see it.")
            && noted.contains("The requester called; the 2025 case file is at the records center."),
        "{noted}"
    );

    // The requester sees the denial and asks for a review from the tracking page.
    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let denied = page_text(&requester).await;
    assert!(
        denied.contains("Denied")
            && denied.contains("Gov. Code §7923.600")
            && denied.contains("Casey Clerk, City clerk"),
        "{denied}"
    );
    assert!(
        !denied.contains("records center"),
        "the note stays with staff"
    );
    assert_accessible(&requester, "tracking page, denied").await;
    fill(
        &requester,
        "#f-grounds",
        "The investigation closed in 2025.",
    )
    .await;
    press(&requester, "Ask for a review").await;
    let appealed = page_text(&requester).await;
    assert!(
        appealed.contains("Your request for a review was received"),
        "{appealed}"
    );
    assert!(
        appealed.contains("Review requested, waiting for a reviewer"),
        "{appealed}"
    );

    // A reviewer takes it up and decides: the denial is overturned.
    press(&staff, "Sign out").await;
    assert_eq!(text_of(&staff, "h1").await, "Staff sign in");
    sign_in(&staff, &app, "reviewer@city.test").await;
    // A reviewer lands on the appeals waiting for a reviewer.
    assert!(page_text(&staff)
        .await
        .contains("Appeals waiting for a reviewer"));
    assert_accessible(&staff, "reviewer's queue").await;
    fits_a_phone(&staff, "reviewer's queue").await;
    screenshot_at(&staff, "reviewer-queue", PHONE_WIDTH).await;
    follow(&staff, &tn).await;
    follow(&staff, "Take up the appeal").await;
    press(&staff, "Take up the appeal").await;
    follow(&staff, "Decide the appeal: grant").await;
    fill(
        &staff,
        "#decision",
        "The exemption no longer applies; the logs are attached.",
    )
    .await;
    type_date(&staff, "#records_due_date", city_date(3)).await;
    continue_and_confirm(&staff, "Send the decision").await;
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
    assert_eq!(text_of(&staff, "h1").await, "Open your request");
    let shown = page_text(&staff).await;
    assert!(
        !shown.contains("Granted") && !shown.contains("The exemption no longer applies"),
        "{shown}"
    );

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
        details.contains("Restricted: the City shares it on request")
            && details.contains("Community Development"),
        "{details}"
    );
    assert_accessible(&developer, "dataset page").await;
    screenshot(&developer, "dataset").await;
    // "Request access" opens the form with this dataset chosen, shown by its title.
    follow(&developer, "Request access").await;
    assert_eq!(
        text_of(&developer, "h1").await,
        "Which dataset do you want?"
    );
    assert!(page_text(&developer)
        .await
        .contains("Code Enforcement Cases"));
    // A dataset access request, sent from there: the dataset stays chosen to the end.
    fill(
        &developer,
        "#f-description",
        "The cases of 2025, without complainants.",
    )
    .await;
    fill(&developer, "#f-intended_use", "A study of response times.").await;
    press(&developer, "Continue").await;
    assert_eq!(text_of(&developer, "h1").await, "How can we reach you?");
    fill(&developer, "#f-name", "Dana Analyst").await;
    fill(&developer, "#f-email", "dana@example.org").await;
    press(&developer, "Continue").await;
    let check = page_text(&developer).await;
    assert!(
        check.contains("Access to a dataset") && check.contains("Code Enforcement Cases"),
        "{check}"
    );
    press(&developer, "Send request").await;
    assert_eq!(text_of(&developer, "h1").await, "Request received");
    let access_link = text_of(&developer, ".private-link").await;
    let access_path = access_link
        .split_once("/requests/")
        .map(|(_, rest)| format!("/requests/{rest}"))
        .unwrap();
    developer.goto(&app.url(&access_path)).await.unwrap();
    let tracking = page_text(&developer).await;
    assert!(
        tracking.contains("Code Enforcement Cases")
            && tracking.contains("A study of response times."),
        "{tracking}"
    );
    assert_accessible(&developer, "tracking page of a dataset request").await;
    fits_a_phone(&developer, "tracking page of a dataset request").await;

    // API access, from the start: the dataset found by words of its title and chosen.
    developer.goto(&app.url("/requests/new")).await.unwrap();
    choose(&developer, "API access").await;
    press(&developer, "Continue").await;
    assert_eq!(
        text_of(&developer, "h1").await,
        "Which data do you want API access to?"
    );
    // Without a dataset the page says so in words.
    fill(
        &developer,
        "#f-description",
        "Read access to the code enforcement cases API.",
    )
    .await;
    fill(&developer, "#f-intended_use", "A neighbourhood dashboard.").await;
    press(&developer, "Continue").await;
    let summary = text_of(&developer, "#error-summary").await;
    assert!(summary.contains("Choose the dataset you want"), "{summary}");
    assert_eq!(
        value_of(&developer, "#f-intended_use").await,
        "A neighbourhood dashboard."
    );
    fill(&developer, "#f-dataset-search", "code enforcement").await;
    press(&developer, "Search").await;
    choose(&developer, "Code Enforcement Cases").await;
    assert_accessible(&developer, "request form: data").await;
    fits_a_phone(&developer, "request form: data").await;
    screenshot_at(&developer, "request-form-data", PHONE_WIDTH).await;
    press(&developer, "Continue").await;
    assert_eq!(text_of(&developer, "h1").await, "How can we reach you?");
    fill(&developer, "#f-name", "Dev Eloper").await;
    fill(&developer, "#f-email", "dev@example.org").await;
    press(&developer, "Continue").await;
    let check = page_text(&developer).await;
    for shown in [
        "API access",
        "Code Enforcement Cases",
        "A neighbourhood dashboard.",
        "dev@example.org",
    ] {
        assert!(check.contains(shown), "{check}");
    }
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
    follow(&steward, "Accept the request for review").await;
    press(&steward, "Accept for review").await;
    follow(&steward, "Grant the request").await;
    fill(&steward, "#decision", "Read access to the cases API.").await;
    // The key is the record: offered at once, so the page asks for no date.
    assert!(steward
        .find(Locator::Css("#records_due_date"))
        .await
        .is_err());
    continue_and_confirm(&steward, "Send the decision").await;
    assert!(text_of(&steward, "h1").await.contains("Granted"));

    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    press(&developer, "Get your API key").await;
    assert_eq!(text_of(&developer, "h1").await, "Your API key");
    let key = value_of(&developer, "#api-key").await;
    assert!(key.starts_with("rdk_"), "{key}");
    // How to use it: the header, with this key, and the dataset by its title.
    let shown = page_text(&developer).await;
    assert!(
        shown.contains(&format!("Authorization: Bearer {key}")) && shown.contains("If you lose it"),
        "{shown}"
    );
    assert_accessible(&developer, "API key page").await;
    fits_a_phone(&developer, "API key page").await;
    screenshot_at(&developer, "api-key", PHONE_WIDTH).await;
    screenshot_at(&developer, "api-key", DESKTOP.0).await;
    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let after = page_text(&developer).await;
    assert!(
        after.contains("You have collected your API key, and it works") && !after.contains(&key),
        "{after}"
    );

    // The key is lost: the developer asks for a new one, the steward gives it, and collecting
    // it turns the old one off.
    let lost = developer
        .find(Locator::XPath(
            "//summary[normalize-space(.)='Lost your API key?']",
        ))
        .await
        .expect("a way to replace a lost key");
    lost.click().await.unwrap();
    fill(&developer, "#f-lost_reason", "I deleted it by mistake.").await;
    assert_accessible(&developer, "tracking page, lost key form").await;
    fits_a_phone(&developer, "tracking page, lost key form").await;
    screenshot_at(&developer, "lost-key", PHONE_WIDTH).await;
    press(&developer, "Ask for a new key").await;
    assert!(page_text(&developer)
        .await
        .contains("We have asked for a new API key for you"));
    steward
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    // The task list names the work and leads to its form on the same page.
    steward
        .find(Locator::LinkText("Give the requester a new API key"))
        .await
        .expect("a task for the new key");
    assert_accessible(&steward, "case page, a new key asked for").await;
    fits_a_phone(&steward, "case page, a new key asked for").await;
    screenshot_at(&steward, "case-lost-key", PHONE_WIDTH).await;
    press(&steward, "Give a new key").await;
    assert!(page_text(&steward)
        .await
        .contains("A new API key is ready for the requester"));
    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    assert_accessible(&developer, "tracking page, new key ready").await;
    screenshot_at(&developer, "new-key-ready", DESKTOP.0).await;
    press(&developer, "Get your new API key").await;
    let new_key = value_of(&developer, "#api-key").await;
    assert!(new_key.starts_with("rdk_") && new_key != key, "{new_key}");
    developer
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    assert!(page_text(&developer)
        .await
        .contains("You collected your new API key; the old one no longer works."));

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
    // Not a readable PDF: the release checks ask staff to look and confirm.
    let text = page_text(&staff).await;
    assert!(text.contains("could not be checked"), "{text}");
    staff
        .find(Locator::Css("#confirm_findings"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    press(&staff, "Release the documents").await;
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
    // The hash is there for whoever wants to check the file, folded away under its own name.
    assert!(!text.contains(&hash), "{text}");
    requester
        .find(Locator::Css("details.hash summary"))
        .await
        .expect("technical details")
        .click()
        .await
        .unwrap();
    let text = page_text(&requester).await;
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
            helpers::grant("Attached.")
        } else {
            let mut d = helpers::denial();
            if i == 1 {
                d["withheld"] = json!([
                    {
                        "item": "Draft memoranda",
                        "exemption": "7922.000",
                        "reason": "Deliberative drafts.",
                        "justification": "Candid advice outweighs disclosure here."
                    },
                    {
                        "item": "Legal advice",
                        "exemption": "7927.705",
                        "reason": "Attorney-client privilege."
                    }
                ]);
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
    // Every chart's words as drawn on the screen: at least 14 px on a desktop, 12 px on a
    // phone; months in words; each bar's value written on it.
    assert!(smallest_chart_text(&staff).await >= 14.0);
    staff.set_window_size(PHONE_WIDTH, 844).await.unwrap();
    let on_a_phone = smallest_chart_text(&staff).await;
    staff.set_window_size(DESKTOP.0, DESKTOP.1).await.unwrap();
    assert!(
        on_a_phone >= 12.0,
        "chart text is {on_a_phone} px on a phone"
    );
    let months = text_of(&staff, "#by-month-title").await;
    assert_eq!(months, "Requests received by month");
    let chart = staff
        .find(Locator::Css(
            "section[aria-labelledby='by-month-title'] svg",
        ))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(
        !chart.contains(">2026-") && chart.contains(" 2026"),
        "{chart}"
    );
    fits_a_phone(&staff, "staff reports").await;
    screenshot(&staff, "reports").await;
    screenshot_at(&staff, "reports", PHONE_WIDTH).await;
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

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_requester_gets_back_to_their_request_by_email_and_withdraws_it_after_confirming() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let requester = driver.browser(&profile).await;

    // A bookmark in a browser that never opened the link: the way back, nothing of the request.
    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    assert_eq!(text_of(&requester, "h1").await, "Open your request");
    assert!(!page_text(&requester).await.contains("Todos Santos"));
    assert_eq!(value_of(&requester, "#f-tracking-number").await, tn);
    assert_accessible(&requester, "open your request").await;
    fits_a_phone(&requester, "open your request").await;
    // A wrong email first: told in words what to type.
    fill(&requester, "#f-email", "jane").await;
    press(&requester, "Email me a new link").await;
    let summary = text_of(&requester, "#error-summary").await;
    assert!(summary.contains("in the correct format"), "{summary}");
    assert_accessible(&requester, "find your request with an error").await;
    fill(&requester, "#f-email", "jane@example.com").await;
    press(&requester, "Email me a new link").await;
    assert_eq!(text_of(&requester, "h1").await, "Check your email");
    assert_accessible(&requester, "check your email").await;
    fits_a_phone(&requester, "check your email").await;
    assert!(app
        .notices(&tn)
        .iter()
        .any(|(kind, to, _)| kind == "link_resent" && to == "jane@example.com"));

    // The link (here the filing's; the email carries one of its own) opens the request; the
    // withdrawal asks first.
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    assert_eq!(
        text_of(&requester, ".outcome-status").await,
        "Received, waiting for review"
    );
    fits_a_phone(&requester, "tracking page").await;
    fill(&requester, "#f-reason", "I found the logs elsewhere.").await;
    press(&requester, "Withdraw").await;
    assert_eq!(
        text_of(&requester, "h1").await,
        "Are you sure you want to withdraw your request?"
    );
    assert!(page_text(&requester)
        .await
        .contains("I found the logs elsewhere."));
    assert_accessible(&requester, "confirm the withdrawal").await;
    fits_a_phone(&requester, "confirm the withdrawal").await;
    screenshot_at(&requester, "withdraw-confirm", PHONE_WIDTH).await;
    press(&requester, "Yes, withdraw my request").await;
    assert_eq!(text_of(&requester, ".outcome-status").await, "Withdrawn");
    assert!(text_of(&requester, ".success")
        .await
        .contains("Your request is withdrawn."));
    requester.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_files_anonymously_and_is_told_the_link_is_the_only_way_back() {
    let app = spawn_app().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let requester = driver.browser(&profile).await;

    requester.goto(&app.url("/requests/new")).await.unwrap();
    choose(&requester, "Public records").await;
    press(&requester, "Continue").await;
    fill(
        &requester,
        "#f-description",
        "Noise complaints about Todos Santos Plaza, 2026",
    )
    .await;
    press(&requester, "Continue").await;

    // Name and email are optional for records, and the hint says what leaving them out means.
    assert_eq!(text_of(&requester, "h1").await, "How can we reach you?");
    let about = page_text(&requester).await;
    assert!(about.contains("Your name (optional)"), "{about}");
    assert!(about.contains("stay anonymous"), "{about}");
    assert_accessible(&requester, "request form: anonymous contact").await;
    press(&requester, "Continue").await;

    // The check page warns before anything is sent.
    assert_eq!(
        text_of(&requester, "h1").await,
        "Check your answers before sending your request"
    );
    assert!(text_of(&requester, ".warning-text")
        .await
        .contains("You gave no email address"));
    assert_accessible(&requester, "check answers: anonymous").await;
    fits_a_phone(&requester, "check answers: anonymous").await;
    press(&requester, "Send request").await;

    assert_eq!(text_of(&requester, "h1").await, "Request received");
    let warning = text_of(&requester, ".warning-text").await;
    assert!(
        warning.contains("The private link below is the only way to follow your request"),
        "{warning}"
    );
    assert_accessible(&requester, "confirmation: anonymous").await;
    fits_a_phone(&requester, "confirmation: anonymous").await;
    screenshot_at(&requester, "confirmation-anonymous", PHONE_WIDTH).await;
    // A file that helps describe the records goes with the request, from this page.
    let folder = tempfile::tempdir().unwrap();
    let plan = folder.path().join("plaza-map.png");
    std::fs::write(&plan, b"\x89PNG\r\n\x1a\n a map of the plaza").unwrap();
    requester
        .find(Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(plan.to_str().unwrap())
        .await
        .unwrap();
    fill(
        &requester,
        "#f-file-message",
        "The corner I mean is marked.",
    )
    .await;
    press(&requester, "Send file").await;
    assert!(text_of(&requester, ".success")
        .await
        .contains("Your file was sent."));
    let page = page_text(&requester).await;
    assert!(
        page.contains("plaza-map.png") && page.contains("The corner I mean is marked."),
        "{page}"
    );
    assert_accessible(&requester, "tracking page with a file sent").await;
    fits_a_phone(&requester, "tracking page with a file sent").await;
    screenshot_at(&requester, "tracking-file-sent", PHONE_WIDTH).await;
    assert_eq!(
        text_of(&requester, ".outcome-status").await,
        "Received, waiting for review"
    );
    let tn = text_of(&requester, "h1").await.replace("Request ", "");
    let queued: i64 = app.with_conn(|conn| {
        use diesel::prelude::*;
        use recordsdesk::db::schema::outbox;
        outbox::table
            .filter(outbox::audience.eq("requester"))
            .count()
            .get_result(conn)
    });
    assert_eq!(queued, 0, "nothing is queued for {tn}'s requester");
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_records_a_phoned_request_and_reads_the_link_out() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    follow(
        &clerk,
        "Record a request received by email, mail, phone, fax or in person",
    )
    .await;
    assert!(text_of(&clerk, "h1").await.starts_with("Record a request"));
    assert_accessible(&clerk, "record a request").await;
    fits_a_phone(&clerk, "record a request").await;

    // Sent without a channel or a description: told what is missing, in place.
    press(&clerk, "Record the request").await;
    let summary = text_of(&clerk, "#error-summary").await;
    assert!(
        summary.contains("say how the request reached the office"),
        "{summary}"
    );
    assert_accessible(&clerk, "record a request with errors").await;
    screenshot_at(&clerk, "intake-errors", PHONE_WIDTH).await;

    choose(&clerk, "Phone").await;
    choose(&clerk, "Public records").await;
    fill(
        &clerk,
        "#f-description",
        "Building inspection reports for 1950 Parkside Drive, 2025.",
    )
    .await;
    fill(&clerk, "#f-name", "Pat Caller").await;
    press(&clerk, "Record the request").await;
    assert_eq!(text_of(&clerk, "h1").await, "Request recorded");
    let warning = text_of(&clerk, ".warning-text").await;
    assert!(warning.contains("only way they can follow"), "{warning}");
    assert!(text_of(&clerk, ".private-link")
        .await
        .contains("?token=rdr_"));
    assert_accessible(&clerk, "request recorded").await;
    fits_a_phone(&clerk, "request recorded").await;
    screenshot(&clerk, "intake-recorded").await;
    screenshot_at(&clerk, "intake-recorded", PHONE_WIDTH).await;

    follow(&clerk, "Open the request").await;
    assert!(page_text(&clerk)
        .await
        .contains("Received by phone and recorded by staff."));
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_records_a_letter_and_posts_the_acknowledgement() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    follow(
        &clerk,
        "Record a request received by email, mail, phone, fax or in person",
    )
    .await;
    choose(&clerk, "Mail").await;
    choose(&clerk, "Public records").await;
    fill(
        &clerk,
        "#f-description",
        "Minutes of the Planning Commission, January 2026.",
    )
    .await;
    fill(&clerk, "#f-name", "Pat Writer").await;
    fill(
        &clerk,
        "#f-postal_address",
        "2974 Salvio Street, Apt 3\nConcord, CA 94519",
    )
    .await;
    press(&clerk, "Record the request").await;
    assert_eq!(text_of(&clerk, "h1").await, "Request recorded");

    clerk.goto(&app.url("/staff/queue")).await.unwrap();
    follow(&clerk, "Letters to post").await;
    assert_eq!(text_of(&clerk, "h1").await, "Letters to post");
    let list = page_text(&clerk).await;
    assert!(
        list.contains("We received your public records request"),
        "{list}"
    );
    assert_accessible(&clerk, "letters to post").await;
    fits_a_phone(&clerk, "letters to post").await;
    screenshot_at(&clerk, "post-list", PHONE_WIDTH).await;

    let print = clerk
        .find(Locator::Css("form[action$='/acknowledgement'] button"))
        .await
        .unwrap();
    click_and_wait(&clerk, print).await;
    let letter = page_text(&clerk).await;
    assert!(
        letter.contains("2974 Salvio Street, Apt 3") && letter.contains("Dear Pat Writer"),
        "{letter}"
    );
    assert!(
        letter.contains("?token=rdr_"),
        "the letter carries its link: {letter}"
    );
    assert_accessible(&clerk, "a letter to print").await;
    fits_a_phone(&clerk, "a letter to print").await;
    screenshot_at(&clerk, "post-letter", DESKTOP.0).await;
    screenshot_at(&clerk, "post-letter", PHONE_WIDTH).await;

    press(&clerk, "Mark as posted").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("is marked as posted"));
    assert!(page_text(&clerk)
        .await
        .contains("There are no letters to post."));
}
