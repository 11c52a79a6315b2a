//! The public reading room (docs/PRODUCT.md, "Reading room"): `/reading-room` (search and
//! filters), each published item's page, its released files, and the Atom feed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::layout;
use crate::app::reading_room::{
    Item, ItemPage, RawReadingRoomQuery, ReadingRoomPage, ReadingRoomQuery,
};
use crate::app::AppError;
use crate::domain::input::TrackingNumber;
use crate::domain::publication::Outcome;
use crate::web::pages::forms::{summary, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, Layout, PageError, PageResult};
use crate::web::AppState;

/// The reading room's query string, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Params {
    pub q: Option<String>,
    pub department: Option<String>,
    pub year: Option<String>,
    pub outcome: Option<String>,
    pub page: Option<String>,
}

/// One item as a list shows it, its words ready.
struct Listed {
    item: Item,
    outcome: String,
    published: String,
}

#[derive(Template)]
#[template(path = "pages/reading_room.html")]
struct ReadingRoom {
    layout: Layout,
    q: String,
    department: String,
    year: String,
    outcome: String,
    page: ReadingRoomPage,
    items: Vec<Listed>,
    years: Vec<String>,
    prev_url: Option<String>,
    next_url: Option<String>,
    summary: Vec<SummaryItem>,
}

#[derive(Template)]
#[template(path = "pages/reading_room_item.html")]
struct ItemTemplate {
    layout: Layout,
    page: ItemPage,
    outcome: String,
    published: String,
    received: String,
    decided: Option<String>,
    produced: Option<String>,
    /// (document, size in words)
    documents: Vec<(crate::app::reading_room::PublicDocument, String)>,
}

fn day(state: &AppState, at: NaiveDateTime) -> String {
    let local = at
        .and_utc()
        .with_timezone(&state.app.ctx().clock.tz)
        .date_naive();
    crate::notify::render::long_date_in(crate::web::language::current(), local)
}

fn outcome_words(layout: &Layout, outcome: Outcome) -> String {
    layout.t.w(match outcome {
        Outcome::Granted => "page-reading-room-granted",
        Outcome::GrantedInPart => "page-reading-room-granted-in-part",
    })
}

fn page_url(p: &Params, page: usize) -> String {
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = serde_urlencoded::to_string([
        ("q", field(&p.q)),
        ("department", field(&p.department)),
        ("year", field(&p.year)),
        ("outcome", field(&p.outcome)),
        ("page", page.to_string()),
    ])
    .unwrap_or_default();
    format!("/reading-room?{query}")
}

/// `GET /reading-room`: what is published, searched and filtered, 20 a page.
pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<Params>,
) -> PageResult {
    let layout = layout(&state, &session);
    let params = params.into_inner();
    let raw = RawReadingRoomQuery {
        q: params.q.clone(),
        department: params.department.clone(),
        year: params.year.clone(),
        outcome: params.outcome.clone(),
        page: params.page.clone(),
    };
    let asked = ReadingRoomQuery::try_from(&raw);
    let (result, status, summary) = match asked {
        Ok(query) => (state.app.reading_room(query).await, StatusCode::OK, vec![]),
        Err(AppError::Invalid(errors)) => {
            let summary = summary(
                &errors,
                &[],
                &[
                    ("q", "f-q", "Search"),
                    ("year", "f-year", "Year"),
                    ("outcome", "f-outcome", "Outcome"),
                    ("page", "f-q", "Page"),
                    ("department", "f-department", "Department"),
                ],
            );
            (
                state.app.reading_room(ReadingRoomQuery::default()).await,
                StatusCode::UNPROCESSABLE_ENTITY,
                summary,
            )
        }
        Err(e) => return Err(page_error(&layout, e)),
    };
    let mut page = result.map_err(|e| page_error(&layout, e))?;
    if status != StatusCode::OK {
        page.items.clear();
        page.total = 0;
    }
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(|item| Listed {
            outcome: outcome_words(&layout, item.outcome),
            published: day(&state, item.published_at),
            item,
        })
        .collect();
    let prev_url = (page.page > 1).then(|| page_url(&params, page.page - 1));
    let next_url = (page.page < page.pages).then(|| page_url(&params, page.page + 1));
    let text = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_string();
    let template = ReadingRoom {
        q: text(&params.q),
        department: text(&params.department),
        year: text(&params.year),
        outcome: text(&params.outcome),
        years: page.years.iter().map(i32::to_string).collect(),
        items,
        page,
        prev_url,
        next_url,
        summary,
        layout,
    };
    Ok(render(status, &template))
}

fn public_tn(layout: &Layout, raw: &str) -> Result<TrackingNumber, PageError> {
    TrackingNumber::parse(raw).ok_or_else(|| PageError::not_found(layout.clone()))
}

fn item_error(layout: &Layout, e: AppError) -> PageError {
    match e {
        AppError::Gone(_) => PageError::Gone(
            Box::new(layout.clone()),
            layout.t.w("page-reading-room-withdrawn"),
        ),
        other => page_error(layout, other),
    }
}

/// `GET /reading-room/{tracking_number}`: a published item; 410 once withdrawn.
pub async fn item(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let layout = layout(&state, &session);
    let tn = public_tn(&layout, &path.into_inner())?;
    let page = state
        .app
        .reading_room_item(tn)
        .await
        .map_err(|e| item_error(&layout, e))?;
    let documents = page
        .documents
        .iter()
        .map(|d| {
            let size = d
                .size_bytes
                .map(|n| crate::notify::render::size_in_words(n.max(0) as u64))
                .unwrap_or_default();
            (d.clone(), size)
        })
        .collect();
    let template = ItemTemplate {
        outcome: outcome_words(&layout, page.item.outcome),
        published: day(&state, page.item.published_at),
        received: day(&state, page.item.received_at),
        decided: page.decided_at.map(|at| day(&state, at)),
        produced: page.produced_at.map(|at| day(&state, at)),
        documents,
        page,
        layout,
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /reading-room/{tracking_number}/documents/{id}`: a released file of a published item.
pub async fn file(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let layout = layout(&state, &session);
    let (raw_tn, raw_id) = path.into_inner();
    let tn = public_tn(&layout, &raw_tn)?;
    let id = crate::web::api::documents::document_id(&raw_id)
        .map_err(|_| PageError::not_found(layout.clone()))?;
    let download = state
        .app
        .reading_room_file(tn, id)
        .await
        .map_err(|e| item_error(&layout, e))?;
    crate::web::api::documents::serve_stored(
        &state,
        &req,
        &download.sha256,
        &download.title,
        &download.content_type,
    )
    .await
    .map_err(|_| PageError::internal(layout.clone()))
}

/// Text as XML character data or an attribute value.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows tab, newline and carriage return among the control characters.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The first line of a summary, shortened: an entry's title.
fn headline(summary: &str) -> String {
    let line = summary.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// `GET /reading-room/feed.atom`: the newest 50 published items.
pub async fn feed(state: web::Data<AppState>, session: Session) -> PageResult {
    let layout = layout(&state, &session);
    let items = state
        .app
        .reading_room_feed()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let base = &state.app.ctx().public_url;
    let updated = items
        .iter()
        .map(|i| i.published_at)
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut body = String::new();
    body.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    body.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    body.push_str(&format!(
        "  <title>{}</title>\n  <id>{}/reading-room</id>\n  <link rel=\"self\" href=\"{}/reading-room/feed.atom\"/>\n  <link href=\"{}/reading-room\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        xml(&layout.t.w("page-reading-room-title")),
        xml(base),
        xml(base),
        xml(base),
        xml(&layout.office_name),
    ));
    for item in &items {
        let url = format!("{base}/reading-room/{}", item.tracking_number);
        body.push_str(&format!(
            "  <entry>\n    <title>{}: {}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <category term=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml(&item.tracking_number),
            xml(&headline(&item.summary)),
            xml(&url),
            xml(&url),
            rfc3339(item.published_at),
            rfc3339(item.published_at),
            xml(&item.department),
            xml(&item.summary),
        ));
    }
    body.push_str("</feed>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a href=\"x\">Tom & 'Jerry'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt; "
        );
    }
}
