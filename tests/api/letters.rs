//! Decision letters (issue 24; docs/PRODUCT.md, "Letters"): every notice to the requester is
//! also a letter on letterhead, listed for staff and the requester, printable, and as a PDF
//! whose text carries the law's content: the acknowledgement's tracking number, the
//! extension's §7922.535 and new date, the partial denial's §7922.540, exemption, review
//! rights and signer. The private link is never in a letter; someone else's link opens none.

use base64::Engine;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::smtp::SmtpSink;

const CLERK: &str = "clerk@city.test";

/// A request acknowledged, extended a week for consultation and granted in part by the clerk:
/// it, the clerk's token, and the day the determination was due before the extension.
async fn decided(app: &TestApp) -> (Filed, String, String) {
    let clerk = app.staff(CLERK, "clerk", None).await;
    let filed = app.submit_records_request().await;
    let first_due = decide(app, &clerk, &filed.tracking_number).await;
    (filed, clerk, long_date(&first_due))
}

/// Takes the request through acknowledgement, a week's extension for consultation and a grant
/// in part by `clerk`; the day (ISO) the determination was due before the extension.
async fn decide(app: &TestApp, clerk: &str, tn: &str) -> String {
    app.must_transition(tn, clerk, json!({ "to": "under_review" }))
        .await;
    let mut body = json!({ "days": 7, "circumstance": "consultation" });
    let case = app.case(tn, clerk).await;
    let first_due = case["determination_due"].as_str().unwrap().to_string();
    body["version"] = case["version"].clone();
    let extended = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(clerk),
            &body,
        )
        .await;
    assert_eq!(extended.status, StatusCode::OK, "{:?}", extended.body);
    app.must_transition(tn, clerk, partial_grant()).await;
    first_due
}

/// The letters a list page links to: (print path, PDF path), oldest first.
fn letter_links(page: &str) -> Vec<(String, String)> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.ends_with(".pdf") && href.contains("/letters/"))
        .map(|pdf| (pdf.trim_end_matches(".pdf").to_string(), pdf.to_string()))
        .collect()
}

/// A PDF's text, page by page, without the foot of each page (its number and the request's).
fn pdf_text(bytes: &[u8], tn: &str) -> (String, usize) {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf reads");
    let pages = doc.get_pages().len();
    let mut text = String::new();
    for page in 1..=pages as u32 {
        let page_text = doc.extract_text(&[page]).unwrap();
        assert!(
            page_text.contains(&format!("Page {page} of {pages}"))
                || page_text.contains(&format!("Página {page} de {pages}")),
            "{page_text}"
        );
        for line in page_text.lines() {
            if line.trim() == tn || line.starts_with("Page ") || line.starts_with("Página ") {
                continue;
            }
            text.push_str(line.trim());
            text.push(' ');
        }
    }
    (text, pages)
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraphs of a printable letter, as text.
fn printed_paragraphs(page: &str) -> Vec<String> {
    page.split("<p class=\"postal-text\">")
        .skip(1)
        .map(|rest| {
            let p = rest.split("</p>").next().unwrap();
            p.replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

async fn fetch(client: &reqwest::Client, url: String) -> (StatusCode, Option<String>, Vec<u8>) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string());
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = response.bytes().await.unwrap().to_vec();
    if status == StatusCode::OK && disposition.is_some() {
        assert_eq!(kind.as_deref(), Some("application/pdf"));
    }
    (status, disposition, bytes)
}

fn assert_says(text: &str, needed: &[&str]) {
    for n in needed {
        assert!(text.contains(n), "{n:?} is not in:\n{text}");
    }
}

#[tokio::test]
async fn staff_and_the_requester_print_each_letter_and_download_it_as_a_pdf_with_its_legal_text() {
    let app = spawn_app().await;
    let (filed, clerk_token, first_due) = decided(&app).await;
    let tn = filed.tracking_number.as_str();
    let case = app.case(tn, &clerk_token).await;
    let new_due = long_date(case["determination_due"].as_str().unwrap());

    let clerk = app.signed_in_pages(CLERK).await;
    let list = page_text(&clerk, app.url(&format!("/staff/requests/{tn}/letters"))).await;
    assert_says(
        &list,
        &[
            "We received your public records request",
            "We need more time",
            "Your request is granted in part",
        ],
    );
    let links = letter_links(&list);
    // Acknowledged, accepted for review, extended, granted in part.
    assert_eq!(links.len(), 4, "{links:?}");
    let case_page = page_text(&clerk, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case_page.contains(&format!("/staff/requests/{tn}/letters")));

    let requester = requester_browser(&app, &filed).await;
    let theirs = page_text(&requester, app.url(&format!("/requests/{tn}/letters"))).await;
    let their_links = letter_links(&theirs);
    assert_eq!(their_links.len(), 4, "{theirs}");
    let tracking = page_text(&requester, app.url(&format!("/requests/{tn}"))).await;
    assert!(tracking.contains(&format!("/requests/{tn}/letters")));

    let mut texts = Vec::new();
    for ((print, pdf), (their_print, their_pdf)) in links.iter().zip(&their_links) {
        let (status, disposition, bytes) = fetch(&clerk, app.url(pdf)).await;
        assert_eq!(status, StatusCode::OK);
        let kind = pdf.rsplit('/').next().unwrap().trim_end_matches(".pdf");
        assert_eq!(
            disposition.as_deref(),
            Some(
                format!(
                    "attachment; filename=\"{tn}-{}.pdf\"",
                    kind.replace('_', "-")
                )
                .as_str()
            )
        );
        let (text, _) = pdf_text(&bytes, tn);
        // To look at (docs/screenshots): `RECORDSDESK_SCREENSHOTS=/some/folder`.
        if let Ok(folder) = std::env::var("RECORDSDESK_SCREENSHOTS") {
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(format!("{folder}/letter-{kind}.pdf"), &bytes).unwrap();
        }
        // The requester gets the same letter.
        let (status, _, their_bytes) = fetch(&requester, app.url(their_pdf)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(pdf_text(&their_bytes, tn).0, text);
        // Never the private link's token.
        assert!(!text.contains("rdr_") && !text.contains("token="), "{text}");
        // The printable page says the same paragraphs.
        let page = page_text(&clerk, app.url(print)).await;
        let paragraphs = printed_paragraphs(&page);
        assert!(paragraphs.len() >= 3, "{page}");
        for p in &paragraphs {
            assert!(
                squeeze(&text).contains(&squeeze(p)),
                "the PDF lacks the page's paragraph {p:?}:\n{text}"
            );
        }
        assert!(!page.contains("rdr_"));
        let their_page = page_text(&requester, app.url(their_print)).await;
        assert_eq!(printed_paragraphs(&their_page), paragraphs);
        texts.push((kind.to_string(), squeeze(&text)));
    }

    let letter = |kind: &str| {
        texts
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no {kind} letter"))
    };
    let office = "Office of the City Clerk, City of Concord";
    assert_says(
        &letter("acknowledgement"),
        &[
            office,
            "1950 Parkside Drive",
            &format!("Tracking number: {tn}"),
            "To: Jane Q. Public",
            "We received your public records request",
            "All police incident logs for Todos Santos Plaza",
            // The service acknowledged it: the office signs.
            "Sincerely, Office of the City Clerk City Clerk",
            "[your private link is not shown on this copy",
        ],
    );
    // The letter as it was sent: the due date it gave then, not the one the extension set.
    let acknowledgement = letter("acknowledgement");
    assert!(!acknowledgement.contains(&new_due), "{acknowledgement}");
    assert!(acknowledgement.contains(&first_due), "{acknowledgement}");
    assert_says(
        &letter("extended"),
        &[
            "section 7922.535",
            &format!("You will have our determination by {new_due}"),
            "Sincerely, Test clerk City clerk",
        ],
    );
    assert_says(
        &letter("granted"),
        &[
            "granted in part",
            "Victims' names",
            "Gov. Code §7927.705",
            "Government Code section 7922.540",
            "Pat Records, Deputy City Clerk",
            "Ask the City to review this decision",
            "Ask a court to order the records disclosed",
            "Sincerely, Test clerk City clerk",
            office,
        ],
    );
}

#[tokio::test]
async fn a_spanish_requests_letters_are_spanish_and_each_offers_its_english_original_as_sent_then()
{
    let app = spawn_app().await;
    let clerk = app.staff(CLERK, "clerk", None).await;
    let english = app.submit_records_request().await;
    let mut body = records_request();
    body["language"] = json!("es");
    let spanish = app.submit(&body).await;
    let (en, es) = (
        english.tracking_number.as_str(),
        spanish.tracking_number.as_str(),
    );
    let first_due = decide(&app, &clerk, en).await;
    decide(&app, &clerk, es).await;

    // The API names each letter's language and, for a Spanish one, its English original.
    let listed = app
        .get(
            &format!("/api/v1/requests/{es}/letters"),
            Some(&spanish.token),
        )
        .await;
    let letters = listed.body["letters"].as_array().unwrap();
    assert_eq!(letters.len(), 4, "{:?}", listed.body);
    for letter in letters {
        assert_eq!(letter["language"], "es");
        assert_eq!(
            letter["english_original_pdf"],
            format!("{}?original=en", letter["pdf"].as_str().unwrap())
        );
    }
    let english_listed = app
        .get(
            &format!("/api/v1/requests/{en}/letters"),
            Some(&english.token),
        )
        .await;
    assert_eq!(english_listed.body["letters"][0]["language"], "en");
    assert!(english_listed.body["letters"][0]["english_original_pdf"].is_null());
    // An English letter is its own original: asked for, it is the letter, without the note.
    let staff_pages = app.signed_in_pages(CLERK).await;
    let english_letter = page_text(
        &staff_pages,
        app.url(&format!(
            "/staff/requests/{en}/letters/{}/acknowledgement?original=en",
            english_listed.body["letters"][0]["seq"]
        )),
    )
    .await;
    assert!(
        english_letter.contains("We received your"),
        "{english_letter}"
    );
    assert!(
        !english_letter.contains("English original"),
        "{english_letter}"
    );
    let wrong = app
        .get(
            &format!("{}?original=fr", letters[0]["pdf"].as_str().unwrap()),
            Some(&spanish.token),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The requester opened their link in a browser that never chose: its pages are Spanish.
    let requester = requester_browser(&app, &spanish).await;
    let list = page_text(&requester, app.url(&format!("/requests/{es}/letters"))).await;
    assert!(list.contains("<html lang=\"es\">"), "{list}");
    let links = letter_links(&list);
    let staff = app.signed_in_pages(CLERK).await;
    let english_links =
        letter_links(&page_text(&staff, app.url(&format!("/staff/requests/{en}/letters"))).await);
    assert_eq!(links.len(), 4, "{list}");
    for ((print, pdf), (english_print, _)) in links.iter().zip(&english_links) {
        let kind = pdf.rsplit('/').next().unwrap().trim_end_matches(".pdf");
        let page = page_text(&requester, app.url(print)).await;
        assert_says(
            &page,
            &[
                "Número de seguimiento",
                "Atentamente,",
                "el original en inglés es el texto con validez legal",
                "?original=en",
                "Leer el original en inglés",
            ],
        );
        let (status, disposition, bytes) = fetch(&requester, app.url(pdf)).await;
        assert_eq!(status, StatusCode::OK);
        let file = kind.replace('_', "-");
        assert_eq!(
            disposition.as_deref(),
            Some(format!("attachment; filename=\"{es}-{file}-es.pdf\"").as_str())
        );
        let (text, _) = pdf_text(&bytes, es);
        assert_says(
            &squeeze(&text),
            &[&format!("Número de seguimiento: {es}"), "Atentamente,"],
        );

        // The English original: word for word the letter an English request was sent for
        // the same steps, the same day (its own tracking number aside).
        let original = page_text(&requester, app.url(&format!("{print}?original=en"))).await;
        assert_says(
            &original,
            // The letter in English; the page around it in the reader's Spanish.
            &[
                "Tracking number",
                "Sincerely,",
                "Este es el original en inglés",
            ],
        );
        assert!(!original.contains("traducción"), "{original}");
        let sent_in_english = printed_paragraphs(&page_text(&staff, app.url(english_print)).await);
        let original: Vec<String> = printed_paragraphs(&original)
            .iter()
            .map(|p| p.replace(es, en))
            .collect();
        assert_eq!(original, sent_in_english, "{kind}");
        let (status, disposition, bytes) =
            fetch(&staff, app.url(&format!("/staff{pdf}?original=en"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            disposition.as_deref(),
            Some(format!("attachment; filename=\"{es}-{file}.pdf\"").as_str())
        );
        assert_says(
            &squeeze(&pdf_text(&bytes, es).0),
            &["Tracking number", "Sincerely,"],
        );
    }
    // The private link is withheld from a copy in the letter's own words.
    let sent = page_text(&requester, app.url(&links[0].0)).await;
    assert!(
        sent.contains("[su enlace privado no aparece en esta copia"),
        "{sent}"
    );
    assert!(!sent.contains("your private link"), "{sent}");
    // The acknowledgement's original gives the due date it gave then, before the extension.
    let acknowledgement =
        page_text(&requester, app.url(&format!("{}?original=en", links[0].0))).await;
    assert!(
        acknowledgement.contains(&long_date(&first_due)),
        "{acknowledgement}"
    );
    // Nothing else is an original.
    let other = requester
        .get(app.url(&format!("{}?original=es", links[0].0)))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_spanish_letter_never_emailed_and_its_english_original_give_the_dates_of_their_day() {
    let app = spawn_app().await;
    let clerk = app.staff(CLERK, "clerk", None).await;
    // Taken by phone from someone without email: the letters go by post.
    let received_at = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .format("%Y-%m-%dT00:00")
        .to_string();
    let recorded = app
        .post(
            "/api/v1/intake",
            Some(&clerk),
            &json!({
                "channel": "phone",
                "received_at": received_at,
                "postal_address": "1 Calle Uno\nConcord, CA 94519",
                "request": {
                    "kind": "public_records",
                    "language": "es",
                    "requester": { "name": "Juana Pública" },
                    "description": "Los planos del parque."
                }
            }),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    let tn = recorded.body["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    let first_due = decide(&app, &clerk, &tn).await;
    let due = chrono::NaiveDate::parse_from_str(&first_due, "%Y-%m-%d").unwrap();

    let staff = app.signed_in_pages(CLERK).await;
    let list = page_text(&staff, app.url(&format!("/staff/requests/{tn}/letters"))).await;
    let (acknowledgement, _) = letter_links(&list).into_iter().next().expect("letters");
    let sent = page_text(&staff, app.url(&acknowledgement)).await;
    let spanish_due =
        recordsdesk::notify::render::long_date_in(recordsdesk::wording::Language::Spanish, due);
    assert!(sent.contains(&spanish_due), "the date it gave then: {sent}");
    let original = page_text(&staff, app.url(&format!("{acknowledgement}?original=en"))).await;
    assert!(original.contains(&long_date(&first_due)), "{original}");
    assert!(
        original.contains("This is the English original of a letter sent to the requester"),
        "{original}"
    );
    // A malformed query names no page.
    let twice = staff
        .get(app.url(&format!("{acknowledgement}?original=en&original=en")))
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_lists_the_letters_and_gives_each_as_a_pdf_to_the_requester_and_staff() {
    let app = spawn_app().await;
    let (filed, clerk, _) = decided(&app).await;
    let tn = filed.tracking_number.as_str();
    let other = app.submit_records_request().await;
    let path = format!("/api/v1/requests/{tn}/letters");
    let mine = app.get(&path, Some(&filed.token)).await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert_eq!(app.get(&path, Some(&clerk)).await.body, mine.body);
    assert_eq!(
        app.get(&path, Some(&other.token)).await.status,
        StatusCode::NOT_FOUND
    );
    let letters = mine.body["letters"].as_array().unwrap();
    let kinds: Vec<&str> = letters
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["acknowledgement", "accepted", "extended", "granted"]
    );
    let granted = &letters[3];
    assert_eq!(granted["subject"], "Your request is granted in part");
    let pdf_path = granted["pdf"].as_str().unwrap();
    let response = app
        .client
        .get(app.url(pdf_path))
        .bearer_auth(&filed.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let (text, _) = pdf_text(&response.bytes().await.unwrap(), tn);
    assert_says(&text, &["Government Code section 7922.540", "Test clerk"]);
    for missing in [
        format!("{path}/999/granted"),
        format!("{path}/1/new_request"),
        format!("{path}/1/nonsense"),
    ] {
        assert_eq!(
            app.get(&missing, Some(&clerk)).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn letters_no_one_may_see_or_that_do_not_exist_are_404() {
    let app = spawn_app().await;
    let (filed, _, _) = decided(&app).await;
    let tn = filed.tracking_number.as_str();
    let other = app.submit_records_request().await;
    let stranger = requester_browser(&app, &other).await;
    let list = page_text(&stranger, app.url(&format!("/requests/{tn}/letters"))).await;
    let requester = requester_browser(&app, &filed).await;
    let theirs = page_text(&requester, app.url(&format!("/requests/{tn}/letters"))).await;
    let (print, pdf) = letter_links(&theirs)[0].clone();
    for path in [
        format!("/requests/{tn}/letters"),
        print.clone(),
        pdf.clone(),
    ] {
        let (status, _, _) = fetch(&stranger, app.url(&path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!list.contains("We received your public records request"));
    let clerk = app.signed_in_pages(CLERK).await;
    // The filing's letter to staff (new_request) is no letter to the requester; a seq with no
    // letter, a kind that does not exist and a seq that is no number name none either.
    for (seq, kind) in [
        ("1", "new_request"),
        ("999", "acknowledgement"),
        ("1", "nonsense"),
        ("x", "acknowledgement"),
        ("0", "acknowledgement"),
    ] {
        for (client, base) in [
            (&requester, format!("/requests/{tn}/letters")),
            (&clerk, format!("/staff/requests/{tn}/letters")),
        ] {
            for path in [
                format!("{base}/{seq}/{kind}"),
                format!("{base}/{seq}/{kind}.pdf"),
            ] {
                let (status, _, _) = fetch(client, app.url(&path)).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            }
        }
    }
}

#[tokio::test]
async fn with_attach_pdf_the_requesters_email_carries_its_letter_as_a_pdf_without_the_token() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = url.into();
        s.mail.poll_milliseconds = 50;
        s.letters.attach_pdf = true;
    })
    .await;
    app.staff(CLERK, "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let messages = sink.wait_for(2).await;
    let ack = messages
        .iter()
        .find(|m| m["rcpt_tos"][0] == "jane@example.com")
        .expect("the acknowledgement");
    // The email itself still carries the link.
    assert!(ack["text"].as_str().unwrap().contains("token=rdr_"));
    let attachments = ack["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{ack}");
    let pdf = &attachments[0];
    assert_eq!(pdf["content_type"], "application/pdf");
    assert_eq!(pdf["filename"], format!("{tn}-acknowledgement.pdf"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pdf["base64"].as_str().unwrap())
        .unwrap();
    let (text, _) = pdf_text(&bytes, tn);
    assert_says(
        &text,
        &[
            &format!("Tracking number: {tn}"),
            "We received your public records request",
        ],
    );
    assert!(!text.contains("rdr_") && !text.contains("token="), "{text}");
    // Staff's email is no letter: nothing attached.
    let staff = messages
        .iter()
        .find(|m| m["rcpt_tos"][0] != "jane@example.com")
        .expect("the staff notice");
    assert!(staff["attachments"].as_array().unwrap().is_empty());
}
