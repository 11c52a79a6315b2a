//! A Spanish-speaking resident's journeys (issue 27; docs/PRODUCT.md, "Languages"), each walked
//! at a desktop's width (1280 px) and at a phone's (390 px) in browsers that run no page
//! scripts: the switch from English to Spanish, the request form with a round of mistakes, the
//! confirmation, the acknowledgement email and the tracking page; a browser that asks for
//! Spanish (Accept-Language) and the staff pages that stay English in it; the letters and a
//! request for a review; a complaint. Every page is checked with axe-core at the walk's width
//! and for sideways scrolling at a phone's.

use super::*;

/// Filed on Wednesday 25 November 2026 at 10 AM in Concord: the tenth day is Saturday
/// 5 December, so the determination is due on Monday the 7th (docs/PRODUCT.md, "Deadlines").
fn wednesday_25_november_2026() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .unwrap()
        .and_hms_opt(18, 0, 0)
        .unwrap()
}

/// The determination's due date of a request filed then, as a Spanish reader writes it.
const DUE_IN_SPANISH: &str = "lunes, 7 de diciembre de 2026";

const LEGAL_ORIGINAL: &str =
    "Esta carta es una traducción; el original en inglés es el texto con validez legal.";

/// The app with the city's clock on Wednesday 25 November 2026.
async fn app_on_25_november() -> TestApp {
    helpers::spawn_app_with(|s| s.fixed_clock = Some(wednesday_25_november_2026())).await
}

/// The window at the walk's width (a phone's is also a phone's height).
async fn at_width(client: &Client, width: u32) {
    let height = if width == PHONE_WIDTH { 844 } else { DESKTOP.1 };
    client.set_window_size(width, height).await.unwrap();
}

/// Checks the page a walk reached at its width: axe-core at that width, nothing wider than a
/// phone, and (with RECORDSDESK_SCREENSHOTS) a screenshot of the whole page at that width.
async fn check(client: &Client, page: &str, width: u32) {
    at_width(client, width).await;
    assert_accessible(client, &format!("{page} at {width} px")).await;
    fits_a_phone(client, page).await;
    screenshot_at(client, &format!("spanish-{page}"), width).await;
    at_width(client, width).await;
}

/// The page's language, as its `<html lang>` says.
async fn html_lang(client: &Client) -> String {
    client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Types into the field a person finds by its label's words (a label may go on with
/// "(opcional)" or "(obligatorio)").
async fn fill_labelled(client: &Client, label: &str, value: &str) {
    let xpath = format!("//label[starts-with(normalize-space(.), '{label}')]");
    let id = client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("no field labelled {label:?}"))
        .attr("for")
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("the label {label:?} names no field"));
    fill(client, &format!("#{id}"), value).await;
}

/// A browser profile whose owner put Spanish first in the browser's languages: the browser
/// sends `Accept-Language: es` (Chromium keeps it in the profile's preferences, which
/// chromedriver adds its own to).
fn profile_preferring_spanish() -> tempfile::TempDir {
    let profile = tempfile::tempdir().unwrap();
    let folder = profile.path().join("Default");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("Preferences"),
        json!({ "intl": { "accept_languages": "es" } }).to_string(),
    )
    .unwrap();
    profile
}

/// The path of a private link (`…/requests/RR-…?token=…`) on the test server.
fn path_of(link: &str) -> String {
    link.split_once("/requests/")
        .map(|(_, rest)| format!("/requests/{rest}"))
        .unwrap_or_else(|| panic!("not a private link: {link}"))
}

/// The notice of this kind queued for the request's requester: (recipient, subject, text,
/// html).
fn letter_to_requester(app: &TestApp, tn: &str, kind: &str) -> (String, String, String, String) {
    let (_, to, message) = app
        .notices(tn)
        .into_iter()
        .find(|(notice, _, _)| notice == kind)
        .unwrap_or_else(|| panic!("no {kind} notice for {tn}"));
    let part = |name: &str| message[name].as_str().unwrap_or_default().to_string();
    (to, part("subject"), part("text"), part("html"))
}

async fn a_resident_switches_to_spanish_files_a_request_and_follows_it(width: u32) {
    let app = app_on_25_november().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let resident = driver.browser_without_javascript(&profile).await;
    at_width(&resident, width).await;

    // The home page in English (the browser asks for nothing else), with the switch.
    resident.goto(&app.url("/")).await.unwrap();
    assert_eq!(html_lang(&resident).await, "en");
    let switch = text_of(&resident, "nav.language").await;
    assert!(switch.contains("Español"), "{switch}");
    follow(&resident, "Español").await;

    // The same page, now in Spanish, and the switch offers English back.
    assert_eq!(resident.current_url().await.unwrap().path(), "/");
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(
        text_of(&resident, "h1").await,
        "Pida registros públicos o datos a la Ciudad de Concord"
    );
    let current = text_of(&resident, "nav.language [aria-current='true']").await;
    assert_eq!(current, "Español");
    assert!(resident.find(Locator::LinkText("English")).await.is_ok());
    check(&resident, "home", width).await;
    follow(&resident, "Hacer una solicitud").await;

    // The form, in Spanish; nothing chosen: told so in Spanish, at the top and by the question.
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, "¿Qué está pidiendo?");
    check(&resident, "form-kind", width).await;
    press(&resident, "Continuar").await;
    let summary = text_of(&resident, "#error-summary").await;
    assert!(
        summary.contains("Hay un problema") && summary.contains("Seleccione lo que está pidiendo"),
        "{summary}"
    );
    assert!(resident.title().await.unwrap().starts_with("Error:"));
    check(&resident, "form-kind-error", width).await;
    choose(&resident, "Registros públicos").await;
    press(&resident, "Continuar").await;

    assert_eq!(text_of(&resident, "h1").await, "¿Qué registros quiere?");
    check(&resident, "form-records", width).await;
    fill_labelled(
        &resident,
        "Describa los registros o datos que quiere",
        "Los registros de incidentes de la policía en la Plaza Todos Santos, marzo de 2026.",
    )
    .await;
    press(&resident, "Continuar").await;

    // Who they are: an email address without its domain first.
    assert_eq!(
        text_of(&resident, "h1").await,
        "¿Cómo podemos comunicarnos con usted?"
    );
    fill_labelled(&resident, "Su nombre", "Juana Pública").await;
    fill_labelled(&resident, "Su correo electrónico", "juana@example").await;
    press(&resident, "Continuar").await;
    let summary = text_of(&resident, "#error-summary").await;
    assert!(
        summary.contains(
            "Escriba un correo electrónico con el formato correcto, como nombre@ejemplo.com"
        ),
        "{summary}"
    );
    check(&resident, "form-about-error", width).await;
    fill_labelled(&resident, "Su correo electrónico", "juana@example.com").await;
    press(&resident, "Continuar").await;

    // Check your answers, in Spanish, with what was typed.
    assert_eq!(
        text_of(&resident, "h1").await,
        "Revise sus respuestas antes de enviar su solicitud"
    );
    let answers = page_text(&resident).await;
    for shown in [
        "Lo que está pidiendo",
        "Registros públicos",
        "Plaza Todos Santos",
        "Juana Pública",
        "juana@example.com",
        "Enviaremos un número de seguimiento y un enlace privado a juana@example.com",
    ] {
        assert!(answers.contains(shown), "{shown:?} not in {answers}");
    }
    check(&resident, "check-answers", width).await;
    press(&resident, "Enviar solicitud").await;

    // The confirmation: the tracking number and the due date in Spanish.
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, "Recibimos su solicitud");
    let confirmation = page_text(&resident).await;
    let tn = confirmation
        .split("Su número de seguimiento es ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_else(|| panic!("no tracking number in {confirmation}"))
        .trim()
        .to_string();
    assert!(tn.starts_with("RR-2026-"), "{confirmation}");
    assert!(
        confirmation.contains(&format!(
            "Le daremos nuestra determinación a más tardar el {DUE_IN_SPANISH}."
        )),
        "{confirmation}"
    );
    check(&resident, "confirmation", width).await;

    // The acknowledgement email is Spanish, and says English is the legal original.
    let (to, subject, text, html) = letter_to_requester(&app, &tn, "acknowledgement");
    assert_eq!(to, "juana@example.com");
    assert!(
        subject.contains("Recibimos su solicitud de registros públicos"),
        "{subject}"
    );
    for needed in [
        "Recibimos su solicitud de registros públicos el ",
        &format!("Su número de seguimiento es {tn}."),
        "Los registros de incidentes de la policía en la Plaza Todos Santos",
        &format!("a más tardar el {DUE_IN_SPANISH}"),
        LEGAL_ORIGINAL,
    ] {
        assert!(text.contains(needed), "{needed:?} not in {text}");
    }
    assert!(!text.contains("We received"), "{text}");
    assert!(html.contains("lang=\"es\""), "{html}");
    assert!(html.contains(LEGAL_ORIGINAL), "{html}");

    // The email carries the private link (its token is put in when the email is sent); the
    // confirmation shows the same link, which opens the tracking page, in Spanish.
    assert!(
        text.contains(&format!("/requests/{tn}?token=")),
        "no private link in {text}"
    );
    let link = text_of(&resident, ".private-link").await;
    assert!(
        link.contains(&format!("/requests/{tn}?token=rdr_")),
        "{link}"
    );
    resident.goto(&app.url(&path_of(&link))).await.unwrap();
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, format!("Solicitud {tn}"));
    assert_eq!(
        text_of(&resident, ".outcome-status").await,
        "Recibida, en espera de revisión"
    );
    let facts = text_of(&resident, "dl.facts").await;
    for fact in [
        "Registros públicos",
        "25 nov 2026, 10:00 a. m.",
        "Decidiremos a más tardar el",
        DUE_IN_SPANISH,
    ] {
        assert!(facts.contains(fact), "{fact:?} not in {facts}");
    }
    let tracking = page_text(&resident).await;
    assert!(
        tracking.contains("Lo que usted pidió") && tracking.contains("Historial"),
        "{tracking}"
    );
    // How the date was counted, folded under its summary (opened without scripts), in Spanish.
    resident
        .find(Locator::XPath(
            "//summary[normalize-space(.)='Cómo calculamos sus fechas límite']",
        ))
        .await
        .expect("the summary of how the dates were counted")
        .click()
        .await
        .unwrap();
    let counted = text_of(&resident, "details").await;
    assert!(
        counted.contains(
            "Diez días calendario después es el sábado, 5 de diciembre de 2026; la oficina \
             está cerrada ese día y domingo, 6 de diciembre de 2026, así que la determinación \
             vence el lunes, 7 de diciembre de 2026."
        ),
        "{counted}"
    );
    check(&resident, "tracking", width).await;
    resident.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_switches_to_spanish_files_a_request_and_follows_it_at_1280_px() {
    a_resident_switches_to_spanish_files_a_request_and_follows_it(DESKTOP.0).await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_switches_to_spanish_files_a_request_and_follows_it_at_390_px() {
    a_resident_switches_to_spanish_files_a_request_and_follows_it(PHONE_WIDTH).await;
}

async fn a_browser_set_to_spanish_gets_spanish_pages_and_staff_pages_stay_english(width: u32) {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let driver = Driver::start().await;
    let profile = profile_preferring_spanish();
    let resident = driver.browser_without_javascript(&profile).await;
    at_width(&resident, width).await;

    // No choice made on this site: the browser's language.
    resident.goto(&app.url("/")).await.unwrap();
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(
        text_of(&resident, "h1").await,
        "Pida registros públicos o datos a la Ciudad de Concord"
    );
    assert_eq!(
        text_of(&resident, "nav.language [aria-current='true']").await,
        "Español"
    );
    check(&resident, "accept-language-home", width).await;
    follow(&resident, "Buscar su solicitud").await;
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, "Buscar su solicitud");
    check(&resident, "accept-language-find", width).await;

    // A staff page in the same browser: English, and no switch.
    resident.goto(&app.url("/staff/login")).await.unwrap();
    assert_eq!(html_lang(&resident).await, "en");
    assert_eq!(text_of(&resident, "h1").await, "Staff sign in");
    assert!(resident.find(Locator::Css("nav.language")).await.is_err());
    check(&resident, "accept-language-staff-sign-in", width).await;
    sign_in(&resident, &app, "clerk@city.test").await;
    assert_eq!(html_lang(&resident).await, "en");
    check(&resident, "accept-language-staff-queue", width).await;

    // The public pages are still Spanish, until the reader picks English with the switch.
    resident.goto(&app.url("/requests/new")).await.unwrap();
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, "¿Qué está pidiendo?");
    follow(&resident, "English").await;
    assert_eq!(
        resident.current_url().await.unwrap().path(),
        "/requests/new"
    );
    assert_eq!(html_lang(&resident).await, "en");
    assert_eq!(text_of(&resident, "h1").await, "What are you asking for?");
    check(&resident, "accept-language-chose-english", width).await;
    resident.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_browser_set_to_spanish_gets_spanish_pages_and_staff_pages_stay_english_at_1280_px() {
    a_browser_set_to_spanish_gets_spanish_pages_and_staff_pages_stay_english(DESKTOP.0).await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_browser_set_to_spanish_gets_spanish_pages_and_staff_pages_stay_english_at_390_px() {
    a_browser_set_to_spanish_gets_spanish_pages_and_staff_pages_stay_english(PHONE_WIDTH).await;
}

async fn a_spanish_requester_reads_their_letters_and_asks_for_a_review(width: u32) {
    let app = app_on_25_november().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let clerk = app.login("clerk@city.test").await;
    let mut body = helpers::records_request();
    body["language"] = json!("es");
    let filed = app.submit(&body).await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let denied = app.must_transition(&tn, &clerk, helpers::denial()).await;
    let window =
        chrono::NaiveDate::parse_from_str(denied["appeal_deadline"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    let window =
        recordsdesk::notify::render::long_date_in(recordsdesk::wording::Language::Spanish, window);

    // The link from her email, opened in a browser that never chose a language here: the
    // request's pages in the language she filed it in.
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let requester = driver.browser_without_javascript(&profile).await;
    at_width(&requester, width).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    assert_eq!(html_lang(&requester).await, "es");
    assert_eq!(text_of(&requester, "h1").await, format!("Solicitud {tn}"));
    assert_eq!(text_of(&requester, ".outcome-status").await, "Denegada");
    let page = page_text(&requester).await;
    for needed in [
        "Nuestra decisión: denegada",
        "Nuestras razones:",
        "Exención: Gov. Code §7923.600",
        "Responsable:",
        "Puede pedir una revisión hasta el",
        &window,
    ] {
        assert!(page.contains(needed), "{needed:?} not in {page}");
    }
    check(&requester, "tracking-denied", width).await;

    // Her letters: the acknowledgement and the denial, each to print, in Spanish.
    follow(&requester, "Sus cartas sobre esta solicitud").await;
    assert_eq!(html_lang(&requester).await, "es");
    assert_eq!(
        text_of(&requester, "h1").await,
        format!("Cartas sobre la solicitud {tn}")
    );
    let list = text_of(&requester, "table.letters").await;
    for letter in [
        "Recibimos su solicitud de registros públicos",
        "Su solicitud fue denegada: sus opciones",
        "Imprimir",
        "Descargar PDF",
    ] {
        assert!(list.contains(letter), "{letter:?} not in {list}");
    }
    check(&requester, "letters", width).await;
    follow(&requester, "Su solicitud fue denegada: sus opciones").await;
    assert_eq!(html_lang(&requester).await, "es");
    assert_eq!(
        text_of(&requester, "h1").await,
        "Su solicitud fue denegada: sus opciones"
    );
    let letter = text_of(&requester, "article.letter").await;
    for needed in [
        &format!("Número de seguimiento: {tn}"),
        "Investigation file 2026-114",
        "Gov. Code §7923.600",
        "Lo que retenemos, y por qué:",
        "Lo que usted puede hacer:",
        &window,
        "Atentamente,",
        LEGAL_ORIGINAL,
    ] {
        assert!(letter.contains(needed), "{needed:?} not in {letter}");
    }
    assert!(!letter.contains("rdr_"), "no private link on paper");
    check(&requester, "letter-denied", width).await;

    // Back to the request, where she asks for a review.
    follow(&requester, "Volver a las cartas").await;
    follow(&requester, &format!("Volver a la solicitud {tn}")).await;
    fill_labelled(
        &requester,
        "Por qué se debe revisar la decisión",
        "La investigación se cerró en 2025.",
    )
    .await;
    press(&requester, "Pedir una revisión").await;
    assert_eq!(html_lang(&requester).await, "es");
    assert_eq!(
        text_of(&requester, ".success").await,
        "Recibimos su solicitud de revisión. La estudiará un revisor que no participó en la \
         decisión."
    );
    assert_eq!(
        text_of(&requester, ".outcome-status").await,
        "Revisión solicitada, en espera de un revisor"
    );
    assert!(page_text(&requester)
        .await
        .contains("Usted pidió una revisión de nuestra decisión."));
    check(&requester, "tracking-appealed", width).await;

    let (to, subject, text, _) = letter_to_requester(&app, &tn, "appeal_received");
    assert_eq!(to, "jane@example.com");
    assert!(subject.contains("Recibimos su apelación"), "{subject}");
    assert!(text.contains(LEGAL_ORIGINAL), "{text}");
    requester.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_spanish_requester_reads_their_letters_and_asks_for_a_review_at_1280_px() {
    a_spanish_requester_reads_their_letters_and_asks_for_a_review(DESKTOP.0).await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_spanish_requester_reads_their_letters_and_asks_for_a_review_at_390_px() {
    a_spanish_requester_reads_their_letters_and_asks_for_a_review(PHONE_WIDTH).await;
}

async fn a_resident_makes_a_complaint_in_spanish(width: u32) {
    let app = app_on_25_november().await;
    let driver = Driver::start().await;
    let profile = profile_preferring_spanish();
    let resident = driver.browser_without_javascript(&profile).await;
    at_width(&resident, width).await;

    resident.goto(&app.url("/")).await.unwrap();
    follow(
        &resident,
        "Presentar una queja a un departamento de la Ciudad",
    )
    .await;
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, "Presentar una queja");
    check(&resident, "complaint-form", width).await;

    // Nothing answered: what to do, in Spanish.
    press(&resident, "Continuar").await;
    let problems = text_of(&resident, "#error-summary").await;
    for message in [
        "Hay un problema",
        "Seleccione el departamento al que va dirigida su queja",
        "Escriba de qué se trata su queja",
        "Escriba qué pasó",
    ] {
        assert!(problems.contains(message), "{message:?} not in {problems}");
    }
    check(&resident, "complaint-form-errors", width).await;

    // A date without its day, then put right. Friday 20 November 2026, five days before
    // the city's clock.
    choose(&resident, "Code Enforcement").await;
    fill_labelled(&resident, "¿De qué se trata su queja?", "Acera bloqueada").await;
    fill_labelled(
        &resident,
        "¿Qué pasó?",
        "Una cerca de construcción bloquea la acera desde hace tres semanas.",
    )
    .await;
    fill_labelled(&resident, "¿Dónde pasó?", "1800 Galindo Street").await;
    fill_labelled(&resident, "Mes", "11").await;
    fill_labelled(&resident, "Año", "2026").await;
    press(&resident, "Continuar").await;
    let summary = text_of(&resident, "#error-summary").await;
    assert!(
        summary.contains("La fecha debe incluir el día"),
        "{summary}"
    );
    check(&resident, "complaint-form-date-error", width).await;
    fill_labelled(&resident, "Día", "20").await;
    fill_labelled(&resident, "Su nombre", "Rosa Díaz").await;
    fill_labelled(&resident, "Su correo electrónico", "rosa@example.com").await;
    press(&resident, "Continuar").await;

    assert_eq!(
        text_of(&resident, "h1").await,
        "Revise sus respuestas antes de enviar su queja"
    );
    let answers = page_text(&resident).await;
    for shown in [
        "Code Enforcement",
        "Acera bloqueada",
        "viernes, 20 de noviembre de 2026",
        "rosa@example.com",
    ] {
        assert!(answers.contains(shown), "{shown:?} not in {answers}");
    }
    check(&resident, "complaint-check", width).await;
    press(&resident, "Enviar queja").await;

    assert_eq!(text_of(&resident, "h1").await, "Queja enviada");
    let sent = page_text(&resident).await;
    assert!(
        sent.contains("Tratamos de cerrarla a más tardar el"),
        "{sent}"
    );
    check(&resident, "complaint-sent", width).await;
    let tn = text_of(&resident, ".success p").await;
    let tn = tn
        .trim_start_matches("Su número de seguimiento es ")
        .trim_end_matches('.')
        .to_string();
    assert!(tn.starts_with("RR-2026-"), "{tn}");

    follow(&resident, "Seguir su queja").await;
    assert_eq!(html_lang(&resident).await, "es");
    assert_eq!(text_of(&resident, "h1").await, format!("Queja {tn}"));
    assert_eq!(text_of(&resident, ".outcome-status").await, "Recibida");
    let page = page_text(&resident).await;
    for fact in [
        "Acera bloqueada",
        "1800 Galindo Street",
        "viernes, 20 de noviembre de 2026",
        "Tratamos de cerrarla a más tardar el",
    ] {
        assert!(page.contains(fact), "{fact:?} not in {page}");
    }
    check(&resident, "complaint-tracking", width).await;

    let (to, subject, text, _) = letter_to_requester(&app, &tn, "complaint_received");
    assert_eq!(to, "rosa@example.com");
    assert!(subject.contains("Recibimos su queja"), "{subject}");
    assert!(text.contains(LEGAL_ORIGINAL), "{text}");
    resident.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_makes_a_complaint_in_spanish_at_1280_px() {
    a_resident_makes_a_complaint_in_spanish(DESKTOP.0).await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_makes_a_complaint_in_spanish_at_390_px() {
    a_resident_makes_a_complaint_in_spanish(PHONE_WIDTH).await;
}
