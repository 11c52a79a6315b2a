//! Mail in (issue 19; docs/PRODUCT.md, "Replies by email" and "Bounces"): replies built as a
//! mail client builds them (lettre), handed over as a mail server does (the endpoint with its
//! token, or `recordsdesk mail ingest` on standard input), on the backend under test.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::smtp::SmtpSink;

const TOKEN: &str = "mail-server-token-for-the-tests";

async fn app() -> TestApp {
    spawn_app_with(|s| s.mail.ingest_token = TOKEN.to_string().into()).await
}

/// The request's own reply address, as its letters give it.
fn reply_address(app: &TestApp, tn: &str) -> String {
    let replies = app.settings.reply_addresses().unwrap();
    replies.address(&recordsdesk::domain::input::TrackingNumber::parse(tn).unwrap())
}

/// Hands an email to the endpoint as the mail server does.
async fn hand_over(app: &TestApp, raw: &[u8]) -> Reply {
    let response = app
        .client
        .post(app.url("/api/v1/mail/inbound"))
        .bearer_auth(TOKEN)
        .header("content-type", "message/rfc822")
        .body(raw.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Reply { status, body }
}

/// Runs `recordsdesk mail ingest` with `raw` on standard input.
async fn ingest_by_pipe(app: &TestApp, raw: &[u8], args: &[&str]) -> std::process::Output {
    use tokio::io::AsyncWriteExt;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_recordsdesk"));
    command
        .args(["mail", "ingest"])
        .args(args)
        .env("RECORDSDESK_DATABASE_URL", &app.database_url)
        .env("RECORDSDESK_DATA_DIR", &app.settings.data_dir)
        .env(
            "RECORDSDESK__FILES__MAX_UPLOAD_MEGABYTES",
            app.settings.files.max_upload_megabytes.to_string(),
        )
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(raw).await.unwrap();
    drop(input);
    child.wait_with_output().await.unwrap()
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A reply as a mail client writes one: the answer above the quoted letter, a PDF and a
/// program attached.
fn reply_with_files(from: &str, to: &str, tn: &str, message_id: &str) -> Vec<u8> {
    let text = format!(
        "The sidewalk on Willow Pass Road, between Grant Street and Mira Vista.\n\nJane\n\n\
         On Tue, Dec 1, 2026 at 9:12 AM City Clerk <cityclerk@cityofconcord.org> wrote:\n\
         > Which street do you mean?\n> \n> City Clerk, {tn}\n"
    );
    lettre::Message::builder()
        .from(from.parse().unwrap())
        .to(to.parse().unwrap())
        .subject(format!("Re: [{tn}] We need to know more"))
        .message_id(Some(message_id.to_string()))
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(text))
                .singlepart(
                    Attachment::new("site plan.pdf".into())
                        .body(PDF.to_vec(), ContentType::parse("application/pdf").unwrap()),
                )
                .singlepart(Attachment::new("run-me.exe".into()).body(
                    b"MZ\x90\x00 not a program the city takes".to_vec(),
                    ContentType::parse("application/octet-stream").unwrap(),
                )),
        )
        .unwrap()
        .formatted()
}

fn plain_reply(from: &str, to: &str, subject: &str, message_id: &str, text: &str) -> Vec<u8> {
    lettre::Message::builder()
        .from(from.parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .message_id(Some(message_id.to_string()))
        .body(text.to_string())
        .unwrap()
        .formatted()
}

/// The request's first audit event of `action`, as staff read the log.
async fn first_event(app: &TestApp, tn: &str, staff: &str, action: &str) -> Value {
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(staff))
        .await;
    audit.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} event: {}", audit.body))
        .clone()
}

fn requester_messages(case: &Value) -> Vec<Value> {
    case["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["from"] == "requester")
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_reply_from_the_requester_joins_its_request_with_its_files_once() {
    let app = app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let raw = reply_with_files(
        "Jane Q. Public <Jane@Example.com>",
        &reply_address(&app, tn),
        tn,
        "<reply-1@mail.example.com>",
    );

    let kept = hand_over(&app, &raw).await;
    assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body);
    assert_eq!(kept.body["outcome"], "filed");
    assert_eq!(kept.body["tracking_number"], tn);
    assert_eq!(kept.body["repeat"], false);

    // The requester's message, quotes trimmed, with the PDF and the whole text as files; the
    // program is named as left out.
    let case = app.case(tn, &clerk).await;
    let messages = requester_messages(&case);
    assert_eq!(messages.len(), 1, "{messages:?}");
    let message = &messages[0];
    let body = message["body"].as_str().unwrap();
    assert!(
        body.starts_with(
            "The sidewalk on Willow Pass Road, between Grant Street and Mira Vista.\n\nJane"
        ),
        "{body}"
    );
    assert!(!body.contains("Which street do you mean?"), "{body}");
    assert!(
        body.contains("run-me.exe"),
        "what was left out is named: {body}"
    );
    let titles: Vec<&str> = message["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["site plan.pdf", "whole-email.txt"]);
    let pdf = &message["files"][0];
    assert_eq!(pdf["sha256"], sha256(PDF));
    let whole = app
        .client
        .get(app.url(message["files"][1]["download_url"].as_str().unwrap()))
        .bearer_auth(&clerk)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(whole.contains("> Which street do you mean?"), "{whole}");

    // The whole email as it came, for staff, and its hash in the log.
    let email_url = message["email_url"].as_str().expect("staff see the email");
    let downloaded = app
        .client
        .get(app.url(email_url))
        .bearer_auth(&clerk)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(downloaded.as_ref(), raw.as_slice());
    let event = first_event(&app, tn, &clerk, "message").await;
    assert_eq!(event["actor"], "requester");
    assert_eq!(event["content"]["email"]["sha256"], sha256(&raw));
    // The requester's own view shows the message, never the email's address in our store.
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(requester_messages(&mine).len(), 1);
    assert!(requester_messages(&mine)[0].get("email_url").is_none());

    // Staff are told as of any message from the requester.
    assert!(app
        .notices(tn)
        .iter()
        .any(|(notice, to, _)| notice == "requester_message" && to == "clerk@city.test"));

    // The same email again (a mail server retrying): kept once.
    let again = hand_over(&app, &raw).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["repeat"], true);
    assert_eq!(again.body["mail_id"], kept.body["mail_id"]);
    assert_eq!(again.body["tracking_number"], tn);
    let case = app.case(tn, &clerk).await;
    assert_eq!(requester_messages(&case).len(), 1);

    // The log still holds, the mail chain and every kept file with it.
    let verified = app.cli(&["audit", "verify"], None).await;
    let out = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{out}");
}

#[tokio::test]
async fn html_only_and_latin1_mail_given_by_pipe_reads_as_text() {
    let app = app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let to = reply_address(&app, tn);
    // As an old client sends it: HTML only, ISO-8859-1, quoted-printable, an encoded subject.
    let mut raw = format!(
        "From: =?ISO-8859-1?Q?Jane_Q=2E_Public?= <jane@example.com>\r\n\
         To: {to}\r\n\
         Subject: =?ISO-8859-1?Q?Re:_Petici=F3n?=\r\n\
         Message-ID: <latin1-1@mail.example.com>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=ISO-8859-1\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    )
    .into_bytes();
    raw.extend_from_slice(
        b"<html><body><p>Solo la calle Pe=F1a, a=F1o 2025.</p><blockquote>Which street?</blockquote></body></html>\r\n",
    );

    let out = ingest_by_pipe(&app, &raw, &[]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("filed to {tn}")));
    let case = app.case(tn, &clerk).await;
    let body = requester_messages(&case)[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("Solo la calle Peña, año 2025."), "{body}");
    assert!(!body.contains("<p>"), "{body}");

    // A base64 UTF-8 reply given with the address the mail server delivered it to.
    let raw = lettre::Message::builder()
        .from("jane@example.com".parse().unwrap())
        .to("City Clerk <cityclerk@cityofconcord.org>".parse().unwrap())
        .subject("Re: Żółć and 東京")
        .message_id(Some("<utf8-1@mail.example.com>".into()))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(lettre::message::header::ContentTransferEncoding::Base64)
                .body("Gracias — ¿cuándo?".to_string()),
        )
        .unwrap()
        .formatted();
    let out = ingest_by_pipe(&app, &raw, &["--recipient", &to]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let case = app.case(tn, &clerk).await;
    assert_eq!(requester_messages(&case)[1]["body"], "Gracias — ¿cuándo?");
}

#[tokio::test]
async fn forged_tags_strangers_and_closed_requests_wait_for_staff_who_attach_or_discard() {
    let app = app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let steward = app
        .staff("steward@city.test", "steward", Some("Public Works"))
        .await;
    let first = app.submit_records_request().await;
    let second = app.submit_records_request().await;
    let (one, two) = (
        first.tracking_number.as_str(),
        second.tracking_number.as_str(),
    );

    // A tag taken from one request and put on another.
    let tag_of_one = reply_address(&app, one);
    let forged = tag_of_one.replacen(one, two, 1);
    let forged_mail = plain_reply(
        "jane@example.com",
        &forged,
        "Re: hi",
        "<f-1@x.example>",
        "Forged.",
    );
    // The right address, from someone else.
    let stranger = plain_reply(
        "mallory@example.net",
        &reply_address(&app, one),
        "Re: hi",
        "<s-1@x.example>",
        "Not the requester.",
    );
    // A withdrawn request.
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{two}/withdraw"),
            Some(&second.token),
            &json!({}),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    let late = plain_reply(
        "jane@example.com",
        &reply_address(&app, two),
        "Re: withdrawn",
        "<w-1@x.example>",
        "One more thing.",
    );
    // The office's own address, no tag at all.
    let general = plain_reply(
        "resident@example.org",
        "cityclerk@cityofconcord.org",
        "A question",
        "<g-1@x.example>",
        "Where do I find the agendas?",
    );
    // The requester's out-of-office answer to a letter: a program's words, not theirs.
    let mut away = b"Auto-Submitted: auto-replied\r\n".to_vec();
    away.extend(plain_reply(
        "jane@example.com",
        &reply_address(&app, one),
        "Out of office",
        "<away-1@x.example>",
        "I am away until Monday.",
    ));
    let mut reasons = Vec::new();
    for raw in [&forged_mail, &stranger, &late, &general, &away] {
        let kept = hand_over(&app, raw).await;
        assert_eq!(kept.status, StatusCode::OK);
        assert_eq!(kept.body["outcome"], "unmatched", "{:?}", kept.body);
        reasons.push(kept.body["reason"].as_str().unwrap().to_string());
    }
    assert!(
        reasons[0].contains("not sent to a request's reply address"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("not the requester's"), "{reasons:?}");
    assert!(reasons[2].contains("withdrawn"), "{reasons:?}");
    assert!(reasons[4].contains("automatic reply"), "{reasons:?}");
    for tn in [one, two] {
        assert!(requester_messages(&app.case(tn, &clerk).await).is_empty());
    }

    // The Clerk's staff see them, oldest first; a steward does not.
    let list = app.get("/api/v1/mail/unmatched", Some(&clerk)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 5);
    assert_eq!(list.body["mail"][1]["from"], "mallory@example.net");
    assert_eq!(list.body["mail"][1]["body"], "Not the requester.");
    let refused = app.get("/api/v1/mail/unmatched", Some(&steward)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let ids: Vec<i64> = list.body["mail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();

    // Staff attach the forged one where it belongs (they judged it the requester's).
    let attached = app
        .post(
            &format!("/api/v1/mail/{}/attach", ids[0]),
            Some(&clerk),
            &json!({ "tracking_number": format!(" {} ", one.to_lowercase()) }),
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{:?}", attached.body);
    assert_eq!(attached.body["tracking_number"], one);
    let case = app.case(one, &clerk).await;
    assert_eq!(requester_messages(&case)[0]["body"], "Forged.");
    let event = first_event(&app, one, &clerk, "message").await;
    assert_eq!(event["actor"], "staff:clerk@city.test", "a staff decision");

    // Discarded with a reason; a second decision on either is refused.
    let no_reason = app
        .post(
            &format!("/api/v1/mail/{}/discard", ids[3]),
            Some(&clerk),
            &json!({}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let discarded = app
        .post(
            &format!("/api/v1/mail/{}/discard", ids[3]),
            Some(&clerk),
            &json!({ "reason": "A general question, answered by phone" }),
        )
        .await;
    assert_eq!(discarded.status, StatusCode::OK, "{:?}", discarded.body);
    assert_eq!(discarded.body["state"], "discarded");
    for (path, body) in [
        (
            format!("/api/v1/mail/{}/discard", ids[3]),
            json!({ "reason": "again" }),
        ),
        (
            format!("/api/v1/mail/{}/attach", ids[0]),
            json!({ "tracking_number": one }),
        ),
    ] {
        let twice = app.post(&path, Some(&clerk), &body).await;
        assert_eq!(
            twice.status,
            StatusCode::CONFLICT,
            "{path}: {:?}",
            twice.body
        );
    }
    // A number that is no request the clerk can see, and one that is no number.
    for (number, said) in [
        ("RR-2026-99999", "no request you can see"),
        ("sidewalk", "tracking number like"),
    ] {
        let wrong = app
            .post(
                &format!("/api/v1/mail/{}/attach", ids[1]),
                Some(&clerk),
                &json!({ "tracking_number": number }),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = wrong.body["fields"]["tracking_number"][0]
            .as_str()
            .unwrap_or("");
        assert!(message.contains(said), "{:?}", wrong.body);
    }
    let list = app.get("/api/v1/mail/unmatched", Some(&clerk)).await;
    assert_eq!(list.body["total"], 3);

    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[tokio::test]
async fn what_cannot_be_read_or_is_not_from_the_mail_server_is_refused_and_nothing_kept() {
    let app = spawn_app_with(|s| {
        s.mail.ingest_token = TOKEN.to_string().into();
        s.files.max_upload_megabytes = 1;
    })
    .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let good = plain_reply("a@example.com", "b@example.com", "Hi", "<ok@x>", "Hello");

    for token in [None, Some("wrong")] {
        let mut request = app
            .client
            .post(app.url("/api/v1/mail/inbound"))
            .body(good.clone());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for garbage in [&b""[..], b"   \r\n", b"\x00\x01\x02 just bytes, no headers"] {
        let refused = hand_over(&app, garbage).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            refused.body
        );
    }
    let mut huge = plain_reply("a@example.com", "b@example.com", "Big", "<big@x>", "x");
    huge.extend(std::iter::repeat_n(b'a', 1024 * 1024 + 10));
    assert_eq!(
        hand_over(&app, &huge).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // By pipe: exit 65 for what cannot be read, so the mail server does not try again.
    let out = ingest_by_pipe(&app, b"\x00\x01 not an email", &[]).await;
    assert_eq!(
        out.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ingest_by_pipe(&app, &huge, &[]).await;
    assert_eq!(out.status.code(), Some(65));

    let list = app.get("/api/v1/mail/unmatched", Some(&clerk)).await;
    assert_eq!(list.body["total"], 0, "nothing was kept");

    // With no token configured the endpoint takes nothing.
    let off = spawn_app().await;
    let response = off
        .client
        .post(off.url("/api/v1/mail/inbound"))
        .bearer_auth("")
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// A delivery status notification as a mail server writes one, to `return_path`.
fn dsn(return_path: &str, failed: &str, status: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n\
         To: {return_path}\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <{id}@mx.example.com>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n\
         --dsn\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.com.\r\n\r\n\
         --dsn\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.example.com\r\n\r\n\
         Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} <{failed}>: mailbox unavailable\r\n\r\n\
         --dsn--\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_notice_sent_through_smtp_can_be_answered_and_its_bounce_flags_the_address() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.ingest_token = TOKEN.to_string().into();
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = url.into();
        s.mail.poll_milliseconds = 50;
        // Staff hear of the reply at once, so the notices after it are not held behind it.
        s.messages.staff_digest_minutes = 0;
    })
    .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let sent = sink.wait_for(2).await;
    let ack = sent
        .iter()
        .find(|m| m["rcpt_tos"][0] == "jane@example.com")
        .expect("the acknowledgement");

    // The requester answers it as a mail client does: to its Reply-To, quoting it.
    let quoted: String = ack["text"]
        .as_str()
        .unwrap()
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    let answer = lettre::Message::builder()
        .from("Jane Q. Public <jane@example.com>".parse().unwrap())
        .to(ack["reply_to"].as_str().unwrap().parse().unwrap())
        .subject(format!("Re: {}", ack["subject"].as_str().unwrap()))
        .in_reply_to(ack["message_id"].as_str().unwrap().to_string())
        .message_id(Some("<answer-1@mail.example.com>".into()))
        .body(format!(
            "Only the logs for the weekend of March 14, please.\n\nOn Thu, Dec 3, 2026, City Clerk wrote:\n{quoted}"
        ))
        .unwrap()
        .formatted();
    let kept = hand_over(&app, &answer).await;
    assert_eq!(kept.body["outcome"], "filed", "{:?}", kept.body);
    let case = app.case(tn, &clerk).await;
    assert_eq!(
        requester_messages(&case)[0]["body"],
        "Only the logs for the weekend of March 14, please."
    );

    // Each notice left from a return path of its own, which reads back to it.
    let return_path = ack["mail_from"].as_str().unwrap();
    assert!(
        return_path.starts_with("cityclerk+bounce-"),
        "{return_path}"
    );
    assert_ne!(
        return_path,
        sent.iter()
            .find(|m| m["rcpt_tos"][0] == "clerk@city.test")
            .unwrap()["mail_from"]
    );

    // A transient failure is logged; the address still gets mail.
    let soft = hand_over(
        &app,
        &dsn(return_path, "jane@example.com", "4.2.2", "soft-1"),
    )
    .await;
    assert_eq!(soft.body["outcome"], "bounce", "{:?}", soft.body);
    assert_eq!(soft.body["address_flagged"], false);

    // A permanent one flags it: staff are told, and letters stop going to it.
    let hard = hand_over(
        &app,
        &dsn(return_path, "jane@example.com", "5.1.1", "hard-1"),
    )
    .await;
    assert_eq!(hard.body["address_flagged"], true, "{:?}", hard.body);
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let bounced: Vec<&Value> = audit.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "notice_bounced")
        .collect();
    assert_eq!(bounced.len(), 2);
    assert_eq!(bounced[1]["content"]["status"], "5.1.1");
    assert_eq!(bounced[1]["content"]["address_flagged"], true);
    // Staff see the address flagged; the requester's own view does not say it.
    let case = app.case(tn, &clerk).await;
    assert!(
        case["requester"]["email_bounced_at"].is_string(),
        "{}",
        case["requester"]
    );
    let mine = app.case(tn, &filed.token).await;
    assert!(mine["requester"].get("email_bounced_at").is_none());
    let pages = app.signed_in_pages("clerk@city.test").await;
    let page = page_text(&pages, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        page.contains("Mail to this address comes back undelivered"),
        "{page}"
    );
    let told = sink.wait_for(4).await;

    assert!(
        told.iter().any(|m| m["rcpt_tos"][0] == "clerk@city.test"
            && m["subject"]
                .as_str()
                .unwrap()
                .contains("no longer takes mail")),
        "{told:?}"
    );
    let before = app
        .notices(tn)
        .iter()
        .filter(|(_, to, _)| to == "jane@example.com")
        .count();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let after = app
        .notices(tn)
        .iter()
        .filter(|(_, to, _)| to == "jane@example.com")
        .count();
    assert_eq!(before, after, "no more email to an address that bounced");

    // A report that names no notice of ours, or an auto-reply to a return path, is left for staff.
    let forged = return_path.replacen("bounce-", "bounce-9", 1);
    let unknown = hand_over(&app, &dsn(&forged, "jane@example.com", "5.1.1", "forged-1")).await;
    assert_eq!(unknown.body["outcome"], "unmatched");
    let vacation = plain_reply(
        "jane@example.com",
        return_path,
        "Out of office",
        "<vacation-1@x>",
        "I am away until Monday.",
    );
    assert_eq!(
        hand_over(&app, &vacation).await.body["outcome"],
        "unmatched"
    );
}

#[tokio::test]
async fn transient_bounces_flag_an_address_after_the_limit_and_its_letters_go_by_post() {
    let app = spawn_app_with(|s| {
        s.mail.ingest_token = TOKEN.to_string().into();
        s.mail.soft_bounce_limit = 2;
    })
    .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.sql("UPDATE requesters SET postal_address = '2974 Salvio Street, Concord, CA 94519'")
        .unwrap();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    // The dispatcher is off here: mark the letters sent, as they would be.
    app.sql("UPDATE outbox SET status = 'sent'").unwrap();
    let letter = |kind: &'static str| {
        app.with_conn(move |conn| {
            use diesel::prelude::*;
            use recordsdesk::db::schema::outbox;
            outbox::table
                .filter(outbox::notice.eq(kind))
                .select(outbox::id)
                .first::<i64>(conn)
        })
    };
    let paths = app.settings.reply_addresses().unwrap();
    let (ack, accepted) = (
        paths.return_path(letter("acknowledgement")),
        paths.return_path(letter("accepted")),
    );

    let first = hand_over(&app, &dsn(&ack, "jane@example.com", "4.4.1", "t-1")).await;
    assert_eq!(first.body["address_flagged"], false, "{:?}", first.body);
    // The same notice reported twice counts once.
    let again = hand_over(&app, &dsn(&ack, "jane@example.com", "4.4.1", "t-2")).await;
    assert_eq!(again.body["address_flagged"], false, "{:?}", again.body);
    let second = hand_over(&app, &dsn(&accepted, "jane@example.com", "4.4.1", "t-3")).await;
    assert_eq!(second.body["address_flagged"], true, "{:?}", second.body);

    // The letters from the one that bounced on are on "Letters to post".
    let pages = app.signed_in_pages("clerk@city.test").await;
    let post = page_text(&pages, app.url("/staff/post")).await;
    assert!(post.contains(tn), "{post}");
    assert!(
        post.contains("We received your public records request"),
        "{post}"
    );
}
