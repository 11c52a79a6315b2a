//! The public reading room (docs/PRODUCT.md, "Reading room"): staff publish, keep out or
//! withdraw a request; anyone searches what is published.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields;
use super::requests::tracking_number;
use crate::app::reading_room::{
    Item, Publication, PublicationCommand, PublicationState, RawPublication, RawReadingRoomQuery,
    ReadingRoomPage, ReadingRoomQuery,
};
use crate::app::Caller;
use crate::audit::chain::format_time;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PublicationBody {
    #[schema(schema_with = fields::publication_action, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub action: Option<String>,
    #[schema(schema_with = fields::publication_summary)]
    pub summary: Option<String>,
    #[schema(schema_with = fields::publication_reason)]
    pub reason: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Where a request stands in the reading room.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Publication)]
pub struct PublicationView {
    pub tracking_number: String,
    /// Its records were released or produced, and it was granted: it may be published.
    pub publishable: bool,
    /// `published`, `kept_out` or `withdrawn`; null before staff decided.
    pub status: Option<String>,
    pub summary: Option<String>,
    /// `granted` or `granted_in_part`.
    pub outcome: Option<String>,
    /// Why it was kept out or withdrawn.
    pub reason: Option<String>,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    #[schema(format = DateTime)]
    pub changed_at: Option<String>,
    /// Its page in the reading room while published.
    pub url: Option<String>,
}

impl PublicationView {
    fn new(state: PublicationState, public_url: &str) -> PublicationView {
        let current: Option<Publication> = state.current;
        let published = current
            .as_ref()
            .is_some_and(|p| p.status == crate::domain::publication::PublicationStatus::Published);
        PublicationView {
            url: published.then(|| format!("{public_url}/reading-room/{}", state.tracking_number)),
            tracking_number: state.tracking_number,
            publishable: state.publishable,
            status: current.as_ref().map(|p| p.status.as_str().to_string()),
            summary: current.as_ref().and_then(|p| p.summary.clone()),
            outcome: current
                .as_ref()
                .and_then(|p| p.outcome.map(|o| o.as_str().to_string())),
            reason: current.as_ref().and_then(|p| p.reason.clone()),
            published_at: current
                .as_ref()
                .and_then(|p| p.published_at)
                .map(format_time),
            changed_at: current.as_ref().map(|p| format_time(p.changed_at)),
        }
    }
}

/// The request's manager publishes its released records in the reading room (its summary,
/// the determination and the released documents, never the requester), keeps it out, or
/// withdraws it.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/publication", tag = "reading_room", operation_id = "decide_publication",
    params(("tracking_number" = String, Path)), request_body = PublicationBody, security(("staff" = [])),
    responses((status = 200, description = "Where the request now stands in the reading room", body = PublicationView),
              (status = 403, description = "Not staff, or not the request's manager", body = ErrorBody),
              (status = 409, description = "Not granted and released yet; already published (to keep out); not published (to withdraw)", body = ErrorBody),
              (status = 422, description = "No action, no reason, or a summary with contact details in it", body = ErrorBody))
)]
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<PublicationBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let body = body.into_inner();
    let raw = RawPublication {
        action: body.action,
        summary: body.summary,
        reason: body.reason,
        version: body.version,
    };
    let command = PublicationCommand::try_from(&raw)?;
    let decided = state.app.decide_publication(caller, tn, command).await?;
    Ok(HttpResponse::Ok().json(PublicationView::new(decided, &state.app.ctx().public_url)))
}

/// A search of the reading room as it arrives in a query string; blank fields are ignored.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadingRoomParams {
    #[param(schema_with = fields::reading_room_words)]
    pub q: Option<String>,
    #[param(schema_with = fields::queue_name)]
    pub department: Option<String>,
    #[param(schema_with = fields::published_year)]
    pub year: Option<String>,
    #[param(schema_with = fields::published_outcome)]
    pub outcome: Option<String>,
    #[param(schema_with = fields::reading_room_page)]
    pub page: Option<String>,
}

impl From<ReadingRoomParams> for RawReadingRoomQuery {
    fn from(p: ReadingRoomParams) -> Self {
        RawReadingRoomQuery {
            q: p.q,
            department: p.department,
            year: p.year,
            outcome: p.outcome,
            page: p.page,
        }
    }
}

/// A published item as the reading room lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ReadingRoomItem)]
pub struct ItemView {
    pub tracking_number: String,
    pub summary: String,
    /// The department's queue, as the `department` filter takes it.
    pub department: String,
    pub department_name: String,
    /// `granted` or `granted_in_part`.
    pub outcome: String,
    #[schema(format = DateTime)]
    pub received_at: String,
    #[schema(format = DateTime)]
    pub published_at: String,
    pub url: String,
}

impl ItemView {
    pub fn new(item: Item, public_url: &str) -> ItemView {
        ItemView {
            url: format!("{public_url}/reading-room/{}", item.tracking_number),
            tracking_number: item.tracking_number,
            summary: item.summary,
            department: item.queue,
            department_name: item.department,
            outcome: item.outcome.as_str().to_string(),
            received_at: format_time(item.received_at),
            published_at: format_time(item.published_at),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ReadingRoomPage)]
pub struct ReadingRoomView {
    pub items: Vec<ItemView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

impl ReadingRoomView {
    fn new(page: ReadingRoomPage, public_url: &str) -> ReadingRoomView {
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        ReadingRoomView {
            total: count(page.total),
            page: count(page.page),
            pages: count(page.pages),
            items: page
                .items
                .into_iter()
                .map(|i| ItemView::new(i, public_url))
                .collect(),
        }
    }
}

/// The published items the words and filters find, newest first, 20 a page. Anyone may ask.
#[utoipa::path(
    get, path = "/api/v1/reading-room", tag = "reading_room", operation_id = "search_reading_room", params(ReadingRoomParams),
    responses((status = 200, description = "One page of published items", body = ReadingRoomView),
              (status = 422, description = "A filter that is not valid", body = ErrorBody))
)]
pub async fn search(
    state: web::Data<AppState>,
    params: web::Query<ReadingRoomParams>,
) -> Result<HttpResponse, ApiError> {
    let raw = RawReadingRoomQuery::from(params.into_inner());
    let query = ReadingRoomQuery::try_from(&raw)?;
    let page = state.app.reading_room(query).await?;
    Ok(HttpResponse::Ok().json(ReadingRoomView::new(page, &state.app.ctx().public_url)))
}
