//! Notices delivered through a real SMTP server: content, outages, dead letters, two instances.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::smtp::SmtpSink;

/// An app that sends through `sink`, retrying fast so outages are short to play.
async fn app_sending_to(sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(move |s| {
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = url.into();
        s.mail.poll_milliseconds = 50;
        s.mail.retry_initial_milliseconds = 100;
        s.mail.retry_max_milliseconds = 400;
        s.mail.max_attempts = 200;
    })
    .await
}

fn to(message: &Value) -> &str {
    message["rcpt_tos"][0].as_str().unwrap()
}

fn text(message: &Value) -> &str {
    message["text"].as_str().unwrap()
}

#[tokio::test]
async fn each_step_reaches_the_requester_by_email_with_what_they_need() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();

    let ack_and_new = sink.wait_for(2).await;
    let ack = ack_and_new
        .iter()
        .find(|m| to(m) == "jane@example.com")
        .expect("acknowledgement");
    let case = app.case(tn, &clerk).await;
    let due = long_date(case["determination_due"].as_str().unwrap());
    assert_eq!(
        ack["subject"],
        format!("[{tn}] We received your public records request")
    );
    assert!(ack["to"].as_str().unwrap().contains("Jane Q. Public"));
    assert!(ack["from"]
        .as_str()
        .unwrap()
        .contains("cityclerk@cityofconcord.org"));
    for needed in [
        tn,
        "All police incident logs",
        &due,
        &format!("/requests/{tn}?token=rdr_"),
        "(925) 671-3000",
    ] {
        assert!(
            text(ack).contains(needed),
            "acknowledgement lacks {needed:?}: {}",
            text(ack)
        );
    }
    assert!(
        ack["html"].as_str().unwrap().contains("<a href="),
        "an HTML alternative with the link"
    );
    // Replies go to the request's own address, which reads back to it under the server's key.
    let reply_to = ack["reply_to"].as_str().unwrap();
    assert!(
        reply_to.starts_with(&format!("cityclerk+{tn}."))
            && reply_to.ends_with("@cityofconcord.org"),
        "{reply_to}"
    );
    let replies = app
        .settings
        .reply_addresses()
        .expect("the same key, kept in the data folder");
    assert_eq!(
        replies
            .request_of(reply_to)
            .map(|t| t.to_string())
            .as_deref(),
        Some(tn)
    );
    let to_clerk = ack_and_new
        .iter()
        .find(|m| to(m) == "clerk@city.test")
        .expect("new request notice");
    assert!(
        to_clerk["reply_to"]
            .as_str()
            .unwrap()
            .contains("<cityclerk@cityofconcord.org>"),
        "staff reply to the office: {}",
        to_clerk["reply_to"]
    );
    assert!(to_clerk["subject"]
        .as_str()
        .unwrap()
        .contains("New public records request"));

    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&clerk),
        &json!({ "body": "Which months exactly?" }),
    )
    .await;
    app.must_transition(tn, &clerk, denial()).await;
    let all = sink.wait_for(5).await;
    let to_jane: Vec<&Value> = all.iter().filter(|m| to(m) == "jane@example.com").collect();
    let subjects: Vec<&str> = to_jane
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            format!("[{tn}] We received your public records request"),
            format!("[{tn}] Your request is under review"),
            format!("[{tn}] A message about your request"),
            format!("[{tn}] Your request is denied: your options"),
        ]
    );
    assert!(text(to_jane[2]).contains("Which months exactly?"));
    let denial_text = text(to_jane[3]);
    let window = long_date(
        app.case(tn, &clerk).await["appeal_deadline"]
            .as_str()
            .unwrap(),
    );
    for needed in [
        "ongoing case",
        "Gov. Code §7923.600",
        "Pat Records, Deputy City Clerk",
        &window,
        "Ask for a review",
    ] {
        assert!(
            denial_text.contains(needed),
            "denial lacks {needed:?}: {denial_text}"
        );
    }

    // The chain records each delivery with the server's reply, just after the
    // SMTP server accepts it: the sink can hold the fifth message before the
    // chain holds its delivery.
    let delivered_events = |log: &Value| -> Vec<Value> {
        log["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "notice_delivered")
            .cloned()
            .collect()
    };
    let audit = format!("/api/v1/requests/{tn}/audit");
    let mut delivered = delivered_events(&app.get(&audit, Some(&clerk)).await.body);
    for _ in 0..100 {
        if delivered.len() >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        delivered = delivered_events(&app.get(&audit, Some(&clerk)).await.body);
    }
    assert_eq!(delivered.len(), 5);
    assert!(delivered[0]["content"]["reply"]
        .as_str()
        .unwrap()
        .contains("250"));
}

#[tokio::test]
async fn notices_wait_out_an_smtp_outage_then_arrive_once_and_in_order() {
    let mut sink = SmtpSink::down();
    let app = app_sending_to(&sink).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&clerk),
        &json!({ "body": "Still looking." }),
    )
    .await;
    app.must_transition(tn, &clerk, grant("Attached.")).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(sink.messages().is_empty());

    sink.resume();
    let messages = sink.wait_for(5).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = if sink.messages().len() > messages.len() {
        sink.messages()
    } else {
        messages
    };
    assert_eq!(
        messages.len(),
        5,
        "ack, new request, accepted, message, granted: {messages:#?}"
    );
    let mut seen = HashMap::new();
    for message in &messages {
        *seen
            .entry(message["message_id"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "a notice arrived twice: {seen:?}"
    );
    let order: Vec<&str> = messages
        .iter()
        .filter(|m| to(m) == "jane@example.com")
        .map(|m| m["subject"].as_str().unwrap().rsplit("] ").next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "We received your public records request",
            "Your request is under review",
            "A message about your request",
            "Your request is granted"
        ]
    );
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    assert!(log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "notice_failed"));
}

#[tokio::test]
async fn a_notice_that_keeps_failing_is_dead_lettered_and_staff_send_it_again() {
    let mut sink = SmtpSink::down();
    let url = sink.url();
    let app = spawn_app_with(move |s| {
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = url.into();
        s.mail.poll_milliseconds = 50;
        s.mail.retry_initial_milliseconds = 50;
        s.mail.retry_max_milliseconds = 100;
        s.mail.max_attempts = 2;
    })
    .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;

    let mut failed = Value::Null;
    for _ in 0..100 {
        let reply = app.get("/api/v1/notices/failed", Some(&clerk)).await;
        if reply.body["notices"]
            .as_array()
            .is_some_and(|n| n.len() == 2)
        {
            failed = reply.body;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let notices = failed["notices"]
        .as_array()
        .expect("both notices dead-lettered");
    let ack = notices
        .iter()
        .find(|n| n["notice"] == "acknowledgement")
        .unwrap();
    assert_eq!(ack["tracking_number"], filed.tracking_number.as_str());
    assert_eq!(ack["attempts"], 2);
    assert!(!ack["last_error"].as_str().unwrap().is_empty());

    let requester_try = app
        .post(
            &format!("/api/v1/notices/{}/retry", ack["id"]),
            Some(&filed.token),
            &json!({}),
        )
        .await;
    assert_eq!(requester_try.status, StatusCode::FORBIDDEN);

    sink.resume();
    let retried = app
        .post(
            &format!("/api/v1/notices/{}/retry", ack["id"]),
            Some(&clerk),
            &json!({}),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    let messages = sink.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["message_id"], ack["message_id"]);
    let again = app
        .post(
            &format!("/api/v1/notices/{}/retry", ack["id"]),
            Some(&clerk),
            &json!({}),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "only dead-lettered notices are retried"
    );
    assert_eq!(again.body["error"], "notice_not_dead");

    // The delivery is recorded just after the server accepts the message.
    let audit = format!("/api/v1/requests/{}/audit", filed.tracking_number);
    let mut log = app.get(&audit, Some(&clerk)).await;
    for _ in 0..100 {
        if log.body.to_string().contains("notice_delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = app.get(&audit, Some(&clerk)).await;
    }
    let actions: Vec<&str> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "notice_failed",
        "notice_dead_lettered",
        "notice_retried",
        "notice_delivered",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_every_notice_exactly_once() {
    let sink = SmtpSink::start();
    let first = app_sending_to(&sink).await;
    first.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let mut settings = first.settings.clone();
    settings.server.bind = "127.0.0.1:0".into();
    let second = recordsdesk::startup::Application::build(&settings).expect("a second instance");
    let second_address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());

    let body = records_request();
    let submissions = (0..200).map(|i| {
        let url = if i % 2 == 0 {
            first.url("/api/v1/requests")
        } else {
            format!("{second_address}/api/v1/requests")
        };
        let (client, body) = (first.client.clone(), body.clone());
        async move { client.post(url).json(&body).send().await.unwrap().status() }
    });
    let statuses = futures::future::join_all(submissions).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED));

    let messages = sink.wait_for(400).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let messages = sink.messages().len().max(messages.len());
    let ids: std::collections::HashSet<String> = sink
        .messages()
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        messages, 400,
        "200 acknowledgements and 200 new-request notices"
    );
    assert_eq!(ids.len(), 400, "no Message-ID twice");
}

#[tokio::test]
async fn with_no_mail_server_configured_notices_are_written_as_eml_files() {
    let app = spawn_app_with(|s| {
        s.mail.dispatcher = true;
        s.mail.poll_milliseconds = 50;
    })
    .await;
    let filed = app.submit_records_request().await;
    let folder = app.settings.data_dir.join("mail");
    let mut found = String::new();
    for _ in 0..100 {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let content = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if content.contains("We received your public records request") {
                found = content;
            }
        }
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        found.contains(&filed.tracking_number),
        "no .eml acknowledgement in {}",
        folder.display()
    );
    assert!(found.contains("jane@example.com"));
}

#[tokio::test]
async fn staff_are_reminded_once_of_requests_due_soon_and_overdue() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let due_soon = app.submit_records_request().await.tracking_number;
    let overdue = app.submit_records_request().await.tracking_number;
    let later = app.submit_records_request().await.tracking_number;
    let ctx = recordsdesk::app::Ctx::from_settings(&app.settings).unwrap();
    let today = ctx.clock.today();
    app.sql(&format!(
        "UPDATE requests SET due_on = '{today}' WHERE tracking_number = '{due_soon}'"
    ))
    .unwrap();
    app.sql(&format!(
        "UPDATE requests SET due_on = '2020-01-06' WHERE tracking_number = '{overdue}'"
    ))
    .unwrap();
    app.sql(&format!(
        "UPDATE requests SET due_on = '2099-01-05' WHERE tracking_number = '{later}'"
    ))
    .unwrap();

    let reminded = recordsdesk::app::reminders::send_due(&app.db, &ctx).unwrap();
    assert_eq!(reminded, 2);
    assert_eq!(
        recordsdesk::app::reminders::send_due(&app.db, &ctx).unwrap(),
        0,
        "once per due date"
    );

    let reminders = |tn: &str| -> Vec<(String, String)> {
        app.notices(tn)
            .into_iter()
            .filter(|(n, _, _)| n == "due_soon" || n == "overdue")
            .map(|(n, r, _)| (n, r))
            .collect()
    };
    assert_eq!(
        reminders(&due_soon),
        [("due_soon".to_string(), "clerk@city.test".to_string())]
    );
    assert_eq!(
        reminders(&overdue),
        [("overdue".to_string(), "clerk@city.test".to_string())]
    );
    assert!(reminders(&later).is_empty());
    let (_, _, email) = app
        .notices(&overdue)
        .into_iter()
        .find(|(n, _, _)| n == "overdue")
        .unwrap();
    assert!(email["text"]
        .as_str()
        .unwrap()
        .contains("Monday, January 6, 2020"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_outage_mid_burst_loses_no_notice_and_doubles_only_what_the_dying_server_took() {
    let mut sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    // 50 requesters at once, each filing `per_client` requests.
    let wave = |per_client: usize| {
        let (client, url) = (app.client.clone(), app.url("/api/v1/requests"));
        futures::future::join_all((0..50).map(move |_| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                for _ in 0..per_client {
                    let reply = client
                        .post(&url)
                        .json(&records_request())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(reply.status(), StatusCode::CREATED);
                }
            }
        }))
    };
    wave(2).await;
    // The mail server dies while the first wave's notices are still going out, and stays
    // down through the second wave.
    sink.stop();
    // What the server had written when it died: a message it wrote but could not answer for
    // is sent again, with the same Message-ID (delivery is at least once: docs/RELIABILITY.md).
    let at_kill = sink.messages();
    wave(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    sink.resume();

    let queued = app.counts().outbox as usize;
    assert!(queued >= 200, "{queued} notices for 200 requests");
    let mut messages = sink.wait_for(queued).await;
    // Anything sent twice would arrive after the count was reached.
    tokio::time::sleep(Duration::from_millis(800)).await;
    if sink.messages().len() > messages.len() {
        messages = sink.messages();
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for message in &messages {
        *seen
            .entry(message["message_id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    // Only a message the server took in as it died may come twice: one of the last it wrote,
    // at most one per send under way (8 at once), and only once more.
    let in_flight: Vec<&str> = at_kill
        .iter()
        .rev()
        .take(8)
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    let doubled: Vec<_> = seen
        .iter()
        .filter(|(id, n)| **n > 1 && !(**n == 2 && in_flight.contains(&id.as_str())))
        .collect();
    assert_eq!(doubled, Vec::<(&String, &usize)>::new(), "sent twice");
    assert_eq!(seen.len(), queued, "every queued notice arrived");
    // Every delivery is recorded (the last ones may be landing as we look).
    let mut unsent = i64::MAX;
    for _ in 0..100 {
        unsent = app.with_conn(|conn| {
            use diesel::prelude::*;
            use recordsdesk::db::schema::outbox;
            outbox::table
                .filter(outbox::status.ne("sent"))
                .count()
                .get_result::<i64>(conn)
        });
        if unsent == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(unsent, 0, "notices not recorded as sent");
}

/// Rows of the outbox: (status, attempts, Message-ID), by id.
fn outbox_rows(app: &TestApp) -> Vec<(String, i32, String)> {
    use diesel::prelude::*;
    use recordsdesk::db::schema::outbox;
    app.db
        .read(|conn| {
            outbox::table
                .order(outbox::id)
                .select((outbox::status, outbox::attempts, outbox::message_id))
                .load::<(recordsdesk::domain::notices::OutboxStatus, i32, String)>(conn)
                .map_err(recordsdesk::db::DbError::from)
        })
        .unwrap()
        .into_iter()
        .map(|(status, attempts, id)| (status.as_str().to_string(), attempts, id))
        .collect()
}

/// The dispatcher's settings for a test that sends its notices by hand, with this lease.
fn by_hand(lease: Duration) -> recordsdesk::notify::DispatchSettings {
    recordsdesk::notify::DispatchSettings {
        max_attempts: 5,
        retry_initial: Duration::from_secs(1),
        retry_max: Duration::from_secs(1),
        lease,
        batch: 50,
        concurrency: 2,
        poll: Duration::from_millis(50),
    }
}

#[tokio::test]
async fn notices_a_round_could_not_start_while_its_lease_had_time_go_back_unsent_and_uncounted() {
    use recordsdesk::notify::{Dispatcher, Mailer};
    // Notices stay queued until this test sends them.
    let app = spawn_app().await;
    for _ in 0..4 {
        app.submit_records_request().await;
    }
    let queued = outbox_rows(&app).len();
    assert!(queued >= 4, "{queued} notices");
    // A lease with no time in it: no send may start inside it.
    let (mailer, sent) = Mailer::memory();
    let hurried = Dispatcher::new(
        app.db.clone(),
        mailer.clone(),
        "city@example.com".into(),
        by_hand(Duration::ZERO),
    );
    let claimed = hurried.run_once().await.unwrap();
    assert_eq!(claimed, queued, "one round claims every due notice");
    assert!(sent.lock().unwrap().is_empty(), "none started");
    let rows = outbox_rows(&app);
    for (status, attempts, _) in &rows {
        assert_eq!(
            (status.as_str(), *attempts),
            ("queued", 0),
            "back in the queue, the attempt not counted: {rows:?}"
        );
    }

    let dispatcher = Dispatcher::new(
        app.db.clone(),
        mailer,
        "city@example.com".into(),
        by_hand(Duration::from_secs(120)),
    );
    assert_eq!(
        dispatcher.drain().await.unwrap(),
        queued,
        "drained: each notice counted once"
    );
    let rows = outbox_rows(&app);
    assert!(
        rows.iter()
            .all(|(status, attempts, _)| status == "sent" && *attempts == 1),
        "{rows:?}"
    );
    let ids: Vec<String> = sent
        .lock()
        .unwrap()
        .iter()
        .map(|m| String::from_utf8_lossy(&m.formatted()).to_string())
        .map(|m| {
            m.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let once: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), queued, "each notice sent");
    assert_eq!(once.len(), queued, "and sent once: {ids:?}");
    let verified = app.cli(&["audit", "verify"], None).await;
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "the chains still hold: {said}");
}

#[tokio::test]
async fn rounds_that_overlap_claim_different_notices_and_each_is_sent_once() {
    use recordsdesk::notify::{DispatchSettings, Dispatcher, Mailer};
    // Notices stay queued until this test sends them.
    let app = spawn_app().await;
    for _ in 0..5 {
        app.submit_records_request().await;
    }
    let queued = outbox_rows(&app).len();
    let (mailer, sent) = Mailer::memory();
    let dispatcher = Dispatcher::new(
        app.db.clone(),
        mailer,
        "city@example.com".into(),
        DispatchSettings {
            batch: 2,
            concurrency: 1,
            ..by_hand(Duration::from_secs(120))
        },
    );
    // Each round is claimed before the last one's sends are awaited, as the server's loop
    // does: no notice is in two rounds, and none is left out.
    let mut tasks = Vec::new();
    let mut claimed = 0;
    loop {
        let (count, round) = dispatcher.start_round().await.unwrap();
        assert!(count <= 2, "a round claims at most its batch");
        claimed += count;
        tasks.extend(round.map(|r| r.task));
        if count == 0 {
            break;
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    // A round that found nothing while another was sending: claim what is left.
    claimed += dispatcher.drain().await.unwrap();
    assert_eq!(claimed, queued, "every notice claimed once");
    let rows = outbox_rows(&app);
    assert!(
        rows.iter()
            .all(|(status, attempts, _)| status == "sent" && *attempts == 1),
        "{rows:?}"
    );
    let ids: std::collections::HashSet<String> = rows.into_iter().map(|(_, _, id)| id).collect();
    assert_eq!(sent.lock().unwrap().len(), queued, "each sent once");
    assert_eq!(ids.len(), queued);
}

/// A request's letters once sent are kept once, in the request's audit chain: the outbox row
/// keeps none of the letter, and the case file to keep still has each, as it went out (its
/// private token withheld), beside one still waiting to be sent.
#[tokio::test]
async fn a_sent_letter_is_kept_once_in_the_chain_and_the_case_file_still_has_it() {
    use diesel::prelude::*;
    use recordsdesk::db::schema::{outbox, requests};
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    let sent = sink.wait_for(2).await;
    let ack = sent
        .iter()
        .find(|m| to(m) == "jane@example.com")
        .expect("acknowledgement");
    let token_in_mail = text(ack)
        .split("token=")
        .nth(1)
        .map(|t| t.split_whitespace().next().unwrap_or("").to_string())
        .expect("the acknowledgement carries a private link");

    // Both recorded as sent (the record lands just after the server accepts each).
    let payloads = |app: &TestApp| -> Vec<(String, String)> {
        let tn = tn.clone();
        app.with_conn(move |conn| {
            outbox::table
                .inner_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
                .filter(requests::tracking_number.eq(tn))
                .order(outbox::id)
                .select((outbox::status, outbox::payload))
                .load(conn)
        })
    };
    let mut rows = payloads(&app);
    for _ in 0..100 {
        if rows.iter().all(|(status, _)| status == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        rows = payloads(&app);
    }
    assert_eq!(rows.len(), 2);
    for (status, payload) in &rows {
        assert_eq!(status, "sent");
        assert_eq!(payload, "", "a sent letter's row keeps no copy of it");
    }

    // A staff message now: whether its letter has gone or still waits in the outbox when the
    // file is read, the file has it.
    let said = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": "We are gathering the records." }),
        )
        .await;
    assert_eq!(said.status, StatusCode::OK, "{:?}", said.body);

    let pages = app.signed_in_pages("clerk@city.test").await;
    let export: Value = serde_json::from_str(
        &page_text(
            &pages,
            app.url(&format!("/staff/requests/{tn}/export.json")),
        )
        .await,
    )
    .expect("the export is JSON");
    let notices = export["notices"].as_array().expect("notices");
    let kept = notices
        .iter()
        .find(|n| n["notice"] == "acknowledgement")
        .expect("the acknowledgement in the case file");
    assert_eq!(kept["status"], "sent");
    assert_eq!(kept["subject"], ack["subject"]);
    let kept_text = kept["text"].as_str().unwrap();
    assert!(kept_text.contains(&tn), "{kept_text}");
    assert!(
        kept_text.contains("[private token withheld]"),
        "{kept_text}"
    );
    assert!(!kept_text.contains(&token_in_mail), "{kept_text}");
    // Up to the link, the letter kept is the letter sent.
    let before_link = |t: &str| t.split("token=").next().unwrap_or("").replace("\r\n", "\n");
    assert_eq!(before_link(kept_text), before_link(text(ack)));
    let message = notices
        .iter()
        .find(|n| n["notice"] == "staff_message")
        .expect("the staff message's letter in the case file");
    assert!(message["text"]
        .as_str()
        .unwrap()
        .contains("We are gathering the records."));
    assert_eq!(notices.len(), 3, "{notices:?}");

    // And the chain that now holds the letters verifies.
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(verified.status.success(), "{verified:?}");
}

/// A request's letter is sent from the `notice_queued` event its row names. A row that names
/// an event missing from the chain, or one that records another notice, is dead-lettered
/// saying so, never sent; a row queued before letters were kept in the chain only (its own
/// copy, the link's place marked) is still sent, with a link of its own.
#[tokio::test]
async fn a_letter_is_sent_only_from_the_event_its_row_names_and_an_older_row_from_its_own_copy() {
    use diesel::prelude::*;
    use recordsdesk::db::schema::{outbox, requests};
    use recordsdesk::notify::{Dispatcher, Mailer};
    let app = spawn_app().await;
    // A clerk to tell of each request: its notice's event follows the acknowledgement's.
    app.staff("clerk@city.test", "clerk", None).await;
    let filed: Vec<String> = {
        let mut filed = Vec::new();
        for _ in 0..3 {
            filed.push(app.submit_records_request().await.tracking_number);
        }
        filed
    };
    let ack_row = |tn: &str| -> (i64, String) {
        let tn = tn.to_string();
        app.with_conn(move |conn| {
            outbox::table
                .inner_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
                .filter(requests::tracking_number.eq(tn))
                .filter(outbox::notice.eq("acknowledgement"))
                .select((outbox::id, outbox::payload))
                .first(conn)
        })
    };
    let set_payload = |id: i64, payload: String| {
        app.with_conn(move |conn| {
            diesel::update(outbox::table.find(id))
                .set(outbox::payload.eq(payload))
                .execute(conn)
        });
    };
    let queued_at = |payload: &str| -> i64 {
        let v: Value = serde_json::from_str(payload).unwrap();
        v["queued"]
            .as_i64()
            .expect("the row names its letter's event")
    };
    // The first names its staff notice's event (the one after its own); the second an event
    // its chain does not have.
    let (wrong, payload) = ack_row(&filed[0]);
    let mut v: Value = serde_json::from_str(&payload).unwrap();
    v["queued"] = json!(queued_at(&payload) + 1);
    set_payload(wrong, v.to_string());
    let (missing, payload) = ack_row(&filed[1]);
    let mut v: Value = serde_json::from_str(&payload).unwrap();
    v["queued"] = json!(999);
    set_payload(missing, v.to_string());
    // The third holds its own copy, as rows queued before did.
    let (older, _) = ack_row(&filed[2]);
    let kept = &app.notices(&filed[2])[0].2;
    let copy = recordsdesk::notify::private_link::marked(&recordsdesk::notify::render::Rendered {
        subject: kept["subject"].as_str().unwrap().into(),
        text: kept["text"].as_str().unwrap().into(),
        html: kept["html"].as_str().unwrap().into(),
    });
    set_payload(
        older,
        json!({"to_name": "Jane Q. Public", "subject": copy.subject, "text": copy.text,
               "html": copy.html})
        .to_string(),
    );

    let (mailer, sent) = Mailer::memory();
    let dispatcher = Dispatcher::new(
        app.db.clone(),
        mailer,
        "city@example.com".into(),
        by_hand(Duration::from_secs(120)),
    );
    assert_eq!(dispatcher.drain().await.unwrap(), 6);
    let outcome = |id: i64| -> (String, Option<String>) {
        app.with_conn(move |conn| {
            outbox::table
                .find(id)
                .select((outbox::status, outbox::last_error))
                .first(conn)
        })
    };
    let (status, error) = outcome(wrong);
    assert_eq!(status, "dead");
    assert!(
        error
            .as_deref()
            .unwrap_or("")
            .contains("records another notice"),
        "{error:?}"
    );
    let (status, error) = outcome(missing);
    assert_eq!(status, "dead");
    assert!(
        error
            .as_deref()
            .unwrap_or("")
            .contains("has no notice queued at event 999"),
        "{error:?}"
    );
    assert_eq!(outcome(older).0, "sent");

    // Four went: the three staff notices and the older row's acknowledgement, its link filled.
    let sent: Vec<String> = sent
        .lock()
        .unwrap()
        .iter()
        // Quoted-printable undone as far as these checks need.
        .map(|m| {
            String::from_utf8_lossy(&m.formatted())
                .replace("=\r\n", "")
                .replace("=3D", "=")
        })
        .collect();
    assert_eq!(sent.len(), 4, "{sent:?}");
    let to_jane: Vec<&String> = sent
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.starts_with("To:") && l.contains("jane@example.com"))
        })
        .collect();
    assert_eq!(to_jane.len(), 1, "{sent:?}");
    assert!(to_jane[0].contains(&filed[2]), "{}", to_jane[0]);
    assert!(
        to_jane[0].contains(&format!("/requests/{}?token=rdr_", filed[2])),
        "{}",
        to_jane[0]
    );
    assert!(!to_jane[0].contains("[private token withheld]"));
}

/// A round's deliveries are recorded in one statement (`outbox::deliveries`, on both
/// backends): each notice whose claim still holds is marked sent, with the time, its letter let
/// go of, and gets its `notice_delivered` step; one that another dispatcher took over meanwhile
/// (a new attempt), or one put back in the queue (the same attempt), is left as it is, and
/// gets no step.
#[tokio::test]
async fn a_round_records_its_deliveries_together_but_not_one_whose_claim_was_taken_over() {
    use diesel::prelude::*;
    use recordsdesk::db::schema::outbox;
    use recordsdesk::domain::ids::OutboxId;
    use recordsdesk::domain::notices::OutboxStatus;
    use recordsdesk::notify::outbox as queue;
    // Notices stay queued until this test claims them.
    let app = spawn_app().await;
    for _ in 0..3 {
        app.submit_records_request().await;
    }
    let queued = outbox_rows(&app).len();
    assert!(queued >= 3, "{queued} notices");
    let now = recordsdesk::db::now();
    let claimed = app
        .db
        .write(|conn| {
            queue::claim(conn, now, now + chrono::Duration::minutes(2), 50)
                .map_err(recordsdesk::db::DbError::from)
        })
        .unwrap();
    assert_eq!(claimed.len(), queued, "every notice claimed");
    let (taken_over, put_back) = (claimed[1].id, claimed[2].id);
    app.db
        .write(|conn| {
            diesel::update(outbox::table.filter(outbox::id.eq(taken_over)))
                .set(outbox::attempts.eq(outbox::attempts + 1))
                .execute(conn)?;
            diesel::update(outbox::table.filter(outbox::id.eq(put_back)))
                .set(outbox::status.eq(OutboxStatus::Queued))
                .execute(conn)
                .map_err(recordsdesk::db::DbError::from)
        })
        .unwrap();

    let sent: Vec<(&queue::Claimed, &str)> = claimed.iter().map(|c| (c, "250 OK")).collect();
    let steps = app
        .db
        .write(|conn| queue::deliveries(conn, &sent, now).map_err(recordsdesk::db::DbError::from))
        .unwrap();
    let stepped: Vec<OutboxId> = steps.iter().map(|(id, _)| *id).collect();
    let held: Vec<OutboxId> = claimed
        .iter()
        .map(|c| c.id)
        .filter(|id| *id != taken_over && *id != put_back)
        .collect();
    assert_eq!(stepped, held, "a step for each claim that held");
    for (_, step) in &steps {
        assert_eq!(step.action(), "notice_delivered");
    }
    type Row = (
        OutboxId,
        OutboxStatus,
        i32,
        String,
        Option<chrono::NaiveDateTime>,
    );
    let rows: Vec<Row> = app
        .db
        .read(|conn| {
            outbox::table
                .order(outbox::id)
                .select((
                    outbox::id,
                    outbox::status,
                    outbox::attempts,
                    outbox::payload,
                    outbox::sent_at,
                ))
                .load::<Row>(conn)
                .map_err(recordsdesk::db::DbError::from)
        })
        .unwrap();
    assert_eq!(rows.len(), queued);
    for (id, status, attempts, payload, sent_at) in &rows {
        let (status, attempts) = (status.as_str(), *attempts);
        if *id == taken_over || *id == put_back {
            let left = if *id == taken_over {
                ("sending", 2)
            } else {
                ("queued", 1)
            };
            assert_eq!((status, attempts), left, "notice {id:?} left as it was");
            assert!(!payload.is_empty(), "its letter's place kept");
            assert_eq!(*sent_at, None);
        } else {
            assert_eq!((status, attempts), ("sent", 1), "notice {id:?}");
            assert_eq!(
                payload,
                queue::KEPT_IN_CHAIN,
                "the letter is kept in the chain only"
            );
            assert_eq!(*sent_at, Some(now), "sent at the round's time");
        }
    }
}
