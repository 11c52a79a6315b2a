//! The measured calls. Each checks its answer fully (status, and that the body says what it
//! must); anything else counts as an error, described.

use std::sync::{Arc, Mutex};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::drive::{drive, Limit, Stats};

/// A request the server acknowledged with 201 (or that the seeder wrote), and its token.
#[derive(Debug, Clone)]
pub struct Filed {
    pub tracking_number: String,
    pub token: String,
}

async fn answer(sent: reqwest::Result<reqwest::Response>) -> Result<(StatusCode, String), String> {
    let response = sent.map_err(|e| {
        // reqwest's own text names only the URL; the cause is further down.
        let mut said = format!("transport: {e}");
        let mut cause = std::error::Error::source(&e);
        while let Some(inner) = cause {
            said.push_str(&format!(": {inner}"));
            cause = inner.source();
        }
        said
    })?;
    let status = response.status();
    let body = response.text().await.map_err(|e| format!("body: {e}"))?;
    Ok((status, body))
}

async fn json_answer(
    sent: reqwest::Result<reqwest::Response>,
    expected: StatusCode,
) -> Result<Value, String> {
    let (status, body) = answer(sent).await?;
    if status != expected {
        return Err(format!(
            "{status}: {}",
            body.chars().take(300).collect::<String>()
        ));
    }
    serde_json::from_str(&body).map_err(|e| format!("{status} with a body that is not JSON: {e}"))
}

pub async fn healthz(client: &Client, address: &str, concurrency: usize, seconds: f64) -> Stats {
    let (client, url) = (client.clone(), format!("{address}/healthz"));
    drive(
        "GET /healthz (HTTP ceiling)",
        concurrency,
        Limit::seconds(seconds),
        move |_, _| {
            let sent = client.get(&url).send();
            async move {
                let body = json_answer(sent.await, StatusCode::OK).await?;
                match body["status"].as_str() {
                    Some("ok") => Ok(()),
                    _ => Err(format!("healthz said {body}")),
                }
            }
        },
    )
    .await
}

fn submission(run: &str, n: u64) -> Value {
    json!({
        "kind": "public_records",
        "requester": { "name": "Jane Q. Public", "email": "jane@example.com", "phone": "(925) 555-0100" },
        "description": format!("All police incident logs for Todos Santos Plaza, March 2026 (load {run} #{n})."),
        "preferred_format": "PDF"
    })
}

/// POST /api/v1/requests with an Idempotency-Key; every answer must be 201 with a token.
/// With several instances (`addresses`), the filings go to each in turn, as a round-robin
/// proxy would send them.
pub async fn submissions(
    client: &Client,
    addresses: &[String],
    concurrency: usize,
    seconds: f64,
    run: &str,
) -> (Stats, Vec<Filed>) {
    let filed = Arc::new(Mutex::new(Vec::new()));
    let urls: Arc<Vec<String>> = Arc::new(
        addresses
            .iter()
            .map(|a| format!("{a}/api/v1/requests"))
            .collect(),
    );
    let (client, run) = (client.clone(), run.to_string());
    let acknowledged = filed.clone();
    let stats = drive(
        "POST /api/v1/requests (submissions)",
        concurrency,
        Limit::seconds(seconds),
        move |_, n| {
            let url = &urls[n as usize % urls.len()];
            let sent = client
                .post(url)
                .header("Idempotency-Key", format!("load-{run}-{n}"))
                .json(&submission(&run, n))
                .send();
            let acknowledged = acknowledged.clone();
            async move {
                let body = json_answer(sent.await, StatusCode::CREATED).await?;
                let (Some(tn), Some(token)) = (
                    body["tracking_number"].as_str(),
                    body["access_token"].as_str(),
                ) else {
                    return Err(format!("201 without a tracking number and token: {body}"));
                };
                if body["status"] != "submitted" || body["version"] != 1 {
                    return Err(format!("201 with the wrong status or version: {body}"));
                }
                acknowledged.lock().unwrap().push(Filed {
                    tracking_number: tn.to_string(),
                    token: token.to_string(),
                });
                Ok(())
            }
        },
    )
    .await;
    let filed = std::mem::take(&mut *filed.lock().unwrap());
    (stats, filed)
}

/// Every acknowledged request, read once with its own token: it must be there as filed.
pub async fn read_back(
    client: &Client,
    address: &str,
    concurrency: usize,
    filed: Arc<Vec<Filed>>,
) -> Stats {
    let (client, address) = (client.clone(), address.to_string());
    let limit = Limit {
        seconds: None,
        calls: Some(filed.len() as u64),
    };
    drive(
        "read back every 201 (requester API)",
        concurrency,
        limit,
        move |_, n| {
            let f = filed[n as usize].clone();
            let sent = client
                .get(format!("{address}/api/v1/requests/{}", f.tracking_number))
                .bearer_auth(&f.token)
                .send();
            async move {
                let body = json_answer(sent.await, StatusCode::OK).await?;
                if body["tracking_number"] != f.tracking_number.as_str()
                    || body["status"] != "submitted"
                {
                    return Err(format!(
                        "asked for {}, got {} ({})",
                        f.tracking_number, body["tracking_number"], body["status"]
                    ));
                }
                Ok(())
            }
        },
    )
    .await
}

/// A clerk takes each filed request up (submitted → under_review, version 1), once.
pub async fn transitions(
    client: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    clerk: &str,
    filed: Arc<Vec<Filed>>,
) -> Stats {
    let (client, address, clerk) = (client.clone(), address.to_string(), clerk.to_string());
    let limit = Limit {
        seconds: Some(seconds),
        calls: Some(filed.len() as u64),
    };
    drive(
        "POST …/transitions (submitted → under_review)",
        concurrency,
        limit,
        move |_, n| {
            let tn = filed[n as usize].tracking_number.clone();
            let sent = client
                .post(format!("{address}/api/v1/requests/{tn}/transitions"))
                .bearer_auth(&clerk)
                .json(&json!({ "to": "under_review", "version": 1 }))
                .send();
            async move {
                let body = json_answer(sent.await, StatusCode::OK).await?;
                if body["status"] != "under_review" || body["version"] != 2 {
                    return Err(format!(
                        "{tn}: 200 with status {} version {}",
                        body["status"], body["version"]
                    ));
                }
                Ok(())
            }
        },
    )
    .await
}

/// Where one client is in its walk through the queue's pages.
#[derive(Default, Clone)]
struct Walk {
    cursor: Option<String>,
    last_due: Option<String>,
    depth: usize,
}

/// A queue view: a queue and a status, or the defaults (everything open the clerk may see).
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub queue: Option<&'static str>,
    pub status: Option<&'static str>,
}

impl View {
    fn describe(&self) -> String {
        match (self.queue, self.status) {
            (None, None) => "default view: every open request".into(),
            (q, s) => format!("{}, {}", q.unwrap_or("all queues"), s.unwrap_or("open")),
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(q) = self.queue {
            query.push(("queue", q.to_string()));
        }
        if let Some(s) = self.status {
            query.push(("status", s.to_string()));
        }
        query
    }
}

const OPEN: [&str; 4] = [
    "submitted",
    "under_review",
    "appealed",
    "administrative_review",
];

/// Checks a queue page: the filter holds, due dates never go down (within it, or from the
/// page before).
fn check_page(items: &[Value], view: View, walk: &Walk) -> Result<Option<String>, String> {
    if items.len() > 50 {
        return Err(format!("{} items on a page of 50", items.len()));
    }
    let mut last = walk.last_due.clone();
    for item in items {
        let queue_ok = view.queue.is_none_or(|q| item["queue"] == q);
        let status_ok = match view.status {
            Some(s) => item["status"] == s,
            None => OPEN.iter().any(|s| item["status"] == *s),
        };
        if !queue_ok || !status_ok {
            return Err(format!("an item outside the filter: {item}"));
        }
        let due = item["due_on"].as_str().unwrap_or_default().to_string();
        if last.as_ref().is_some_and(|l| *l > due) {
            return Err(format!(
                "due dates out of order: {due} after {}",
                last.unwrap_or_default()
            ));
        }
        last = Some(due);
    }
    Ok(last)
}

/// GET /api/v1/queue filtered by queue and status, 50 a page; each client follows the
/// cursors `depth` pages deep, then starts again.
pub async fn queue_api(
    client: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    clerk: &str,
    view: View,
    depth: usize,
) -> Stats {
    let walks = Arc::new(
        (0..concurrency)
            .map(|_| Mutex::new(Walk::default()))
            .collect::<Vec<_>>(),
    );
    let (client, clerk) = (client.clone(), clerk.to_string());
    let base = format!("{address}/api/v1/queue");
    let name = format!(
        "GET /api/v1/queue ({}, ≤{depth} pages deep)",
        view.describe()
    );
    drive(
        &name,
        concurrency,
        Limit::seconds(seconds),
        move |worker, _| {
            let walk = walks[worker].lock().unwrap().clone();
            let mut query = view.query();
            query.push(("limit", "50".into()));
            if let Some(cursor) = &walk.cursor {
                query.push(("cursor", cursor.clone()));
            }
            let sent = client.get(&base).bearer_auth(&clerk).query(&query).send();
            let walks = walks.clone();
            async move {
                let body = json_answer(sent.await, StatusCode::OK).await?;
                let items = body["items"].as_array().cloned().unwrap_or_default();
                let last_due = check_page(&items, view, &walk)?;
                let next = body["next_cursor"].as_str().map(str::to_string);
                let mut state = walks[worker].lock().unwrap();
                *state = match next {
                    Some(cursor) if walk.depth + 1 < depth => Walk {
                        cursor: Some(cursor),
                        last_due,
                        depth: walk.depth + 1,
                    },
                    _ => Walk::default(),
                };
                Ok(())
            }
        },
    )
    .await
}

/// Undoes HTML escaping in an attribute value: named and numeric character references.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The "Next page" link of a queue page.
fn next_link(page: &str) -> Option<String> {
    let end = page.find("\">Next page</a>")?;
    let start = page[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&page[start..end]))
}

/// The staff queue page with the same filter, following its "Next page" links.
pub async fn queue_page(
    pages: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    view: View,
    depth: usize,
) -> Stats {
    let query = view.query();
    let first = match query.is_empty() {
        true => "/staff/queue".to_string(),
        false => format!(
            "/staff/queue?{}",
            serde_urlencoded::to_string(&query).unwrap_or_default()
        ),
    };
    let walks = Arc::new(
        (0..concurrency)
            .map(|_| Mutex::new((first.clone(), 0_usize)))
            .collect::<Vec<_>>(),
    );
    let (pages, address) = (pages.clone(), address.to_string());
    let name = format!(
        "GET /staff/queue page ({}, ≤{depth} pages deep)",
        view.describe()
    );
    drive(
        &name,
        concurrency,
        Limit::seconds(seconds),
        move |worker, _| {
            let (path, level) = walks[worker].lock().unwrap().clone();
            let sent = pages.get(format!("{address}{path}")).send();
            let (walks, first) = (walks.clone(), first.clone());
            async move {
                let (status, page) = answer(sent.await).await?;
                if status != StatusCode::OK || !page.contains("<table") {
                    return Err(format!(
                        "{path}: {status}, {} bytes without the queue table",
                        page.len()
                    ));
                }
                let rows = page.matches("<tr").count();
                if rows > 51 {
                    return Err(format!("{path}: {rows} table rows on a page of 50"));
                }
                let next = next_link(&page);
                // The link must carry the filter and a cursor, or the walk would quietly
                // measure some other page.
                if let Some(link) = &next {
                    let keeps = view
                        .status
                        .is_none_or(|s| link.contains(&format!("status={s}")))
                        && view
                            .queue
                            .is_none_or(|q| link.contains(&format!("queue={q}")))
                        && link.contains("cursor=");
                    if !keeps {
                        return Err(format!(
                            "{path}: a next link without the filter or a cursor: {link}"
                        ));
                    }
                }
                *walks[worker].lock().unwrap() = match next {
                    Some(next) if level + 1 < depth => (next, level + 1),
                    _ => (first, 0),
                };
                Ok(())
            }
        },
    )
    .await
}

/// GET /api/v1/requests/{tn} for requests spread over `pool`, as staff or with each
/// request's own token.
pub async fn request_api(
    client: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    pool: Arc<Vec<Filed>>,
    staff: Option<&str>,
) -> Stats {
    let (client, address) = (client.clone(), address.to_string());
    let staff = staff.map(str::to_string);
    let name = match staff {
        Some(_) => "GET /api/v1/requests/{tn} (staff)",
        None => "GET /api/v1/requests/{tn} (requester)",
    };
    drive(name, concurrency, Limit::seconds(seconds), move |_, n| {
        let f = pool[spread(n, pool.len())].clone();
        let token = staff.clone().unwrap_or_else(|| f.token.clone());
        let sent = client
            .get(format!("{address}/api/v1/requests/{}", f.tracking_number))
            .bearer_auth(token)
            .send();
        async move {
            let body = json_answer(sent.await, StatusCode::OK).await?;
            if body["tracking_number"] != f.tracking_number.as_str() || !body["history"].is_array()
            {
                return Err(format!(
                    "asked for {}, got {}",
                    f.tracking_number, body["tracking_number"]
                ));
            }
            Ok(())
        }
    })
    .await
}

/// The staff case page of requests spread over `pool`.
pub async fn case_page(
    pages: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    pool: Arc<Vec<Filed>>,
) -> Stats {
    let (pages, address) = (pages.clone(), address.to_string());
    drive(
        "GET /staff/requests/{tn} page",
        concurrency,
        Limit::seconds(seconds),
        move |_, n| {
            let tn = pool[spread(n, pool.len())].tracking_number.clone();
            let sent = pages.get(format!("{address}/staff/requests/{tn}")).send();
            async move {
                let (status, page) = answer(sent.await).await?;
                if status != StatusCode::OK || !page.contains(&tn) {
                    return Err(format!("{tn}: {status}, {} bytes", page.len()));
                }
                Ok(())
            }
        },
    )
    .await
}

/// Call n's pick from a pool of `len`: a stride that visits the pool in a scattered order.
fn spread(n: u64, len: usize) -> usize {
    ((n.wrapping_mul(2_654_435_761)) % len.max(1) as u64) as usize
}

/// A signed-in browser-like client for the staff pages.
pub async fn page_client(address: &str, email: &str, password: &str) -> Result<Client, String> {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let (_, form) = answer(client.get(format!("{address}/staff/login")).send().await).await?;
    let marker = "name=\"csrf\" value=\"";
    let at = form
        .find(marker)
        .ok_or("the sign-in form has no CSRF token")?
        + marker.len();
    let csrf = &form[at..at + form[at..].find('"').unwrap_or(0)];
    let sent = client
        .post(format!("{address}/staff/login"))
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await;
    let (status, _) = answer(sent).await?;
    if status != StatusCode::SEE_OTHER {
        return Err(format!("signing in to the pages: {status}"));
    }
    Ok(client)
}

/// A staff bearer token from POST /api/v1/auth/login.
pub async fn login(
    client: &Client,
    address: &str,
    email: &str,
    password: &str,
) -> Result<String, String> {
    let sent = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await;
    let body = json_answer(sent, StatusCode::OK).await?;
    body["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("login answered {body}"))
}

/// A seeded request to search for: its number and its requester's address.
#[derive(Debug, Clone)]
pub struct Findable {
    pub tracking_number: String,
    pub email: Option<String>,
}

/// What a search phase looks for.
#[derive(Debug, Clone, Copy)]
pub enum Sought {
    /// A place and a topic word (`seed::words`): each in about 1 % of the seeded requests,
    /// both in about 0.01 %.
    TwoWords,
    /// A place word alone: about 1 % of the seeded requests, ranked.
    OneWord,
    /// A seeded request's tracking number.
    TrackingNumber,
    /// A seeded request's requester's email.
    Email,
}

impl Sought {
    fn describe(self) -> &'static str {
        match self {
            Sought::TwoWords => "GET /api/v1/search (two words, ~1 % each)",
            Sought::OneWord => "GET /api/v1/search (one word, ~1 %)",
            Sought::TrackingNumber => "GET /api/v1/search (tracking number)",
            Sought::Email => "GET /api/v1/search (email)",
        }
    }
}

/// The first page of 50 of a search as the clerk, checked: every item, and for a number or
/// an address, exactly the request sought (an anonymous one's address is not asked for).
pub async fn search(
    client: &Client,
    address: &str,
    concurrency: usize,
    seconds: f64,
    clerk: &str,
    sought: Sought,
    pool: Arc<Vec<Findable>>,
) -> Stats {
    use recordsdesk::seed::words;
    let (client, clerk) = (client.clone(), clerk.to_string());
    let url = format!("{address}/api/v1/search");
    let with_email: Arc<Vec<Findable>> =
        Arc::new(pool.iter().filter(|f| f.email.is_some()).cloned().collect());
    drive(
        sought.describe(),
        concurrency,
        Limit::seconds(seconds),
        move |_, n| {
            let (q, expect) = match sought {
                Sought::TwoWords => {
                    let k = spread(n, (words::PLACES * words::TOPICS) as usize) as u64;
                    (format!("{} {}", words::place(k), words::topic(k)), None)
                }
                Sought::OneWord => (words::place(n), None),
                Sought::TrackingNumber => {
                    let f = &pool[spread(n, pool.len())];
                    (f.tracking_number.clone(), Some(f.tracking_number.clone()))
                }
                Sought::Email => {
                    let f = &with_email[spread(n, with_email.len())];
                    (
                        f.email.clone().unwrap_or_default(),
                        Some(f.tracking_number.clone()),
                    )
                }
            };
            let sent = client
                .get(&url)
                .bearer_auth(&clerk)
                .query(&[("q", q.as_str()), ("limit", "50")])
                .send();
            async move {
                let body = json_answer(sent.await, StatusCode::OK).await?;
                let items = body["items"].as_array().cloned().unwrap_or_default();
                if items.len() > 50 || items.iter().any(|i| !i["tracking_number"].is_string()) {
                    return Err(format!(
                        "{q}: a page that is not one: {} items",
                        items.len()
                    ));
                }
                if let Some(tn) = expect {
                    let found: Vec<&str> = items
                        .iter()
                        .filter_map(|i| i["tracking_number"].as_str())
                        .collect();
                    if found != [tn.as_str()] {
                        return Err(format!("{q}: found {found:?}"));
                    }
                }
                Ok(())
            }
        },
    )
    .await
}

/// How many requests some two-word and one-word searches find (`total`, up to 1,000), to
/// print beside the timings: the share each word hits.
pub async fn search_sizes(client: &Client, address: &str, clerk: &str) -> String {
    use recordsdesk::seed::words;
    let mut two = Vec::new();
    let mut one = Vec::new();
    for k in 0..10u64 {
        let k = k * 977;
        for (q, into) in [
            (format!("{} {}", words::place(k), words::topic(k)), &mut two),
            (words::place(k), &mut one),
        ] {
            let sent = client
                .get(format!("{address}/api/v1/search"))
                .bearer_auth(clerk)
                .query(&[("q", q.as_str())])
                .send();
            if let Ok(body) = json_answer(sent.await, StatusCode::OK).await {
                let total = body["total"].as_i64().unwrap_or(-1);
                into.push(if body["more"] == true {
                    "1000+".to_string()
                } else {
                    total.to_string()
                });
            }
        }
    }
    format!(
        "two-word searches found {} requests; one-word searches {}",
        two.join(", "),
        one.join(", ")
    )
}
