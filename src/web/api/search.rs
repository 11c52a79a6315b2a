//! Staff search requests, and take one action on several of them (docs/PRODUCT.md, "Search").

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields;
use super::wire::QueueItemView;
use crate::app::bulk::{Bulk, BulkResult, RawBulk, RawSelected};
use crate::app::search::{RawSearch, Search, SearchResults};
use crate::domain::Status;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// A search as it arrives in a query string; blank filters are ignored.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Required (`web::openapi::RequiredQuery`).
    #[param(schema_with = fields::search_query)]
    pub q: Option<String>,
    #[param(schema_with = fields::status_filter)]
    pub status: Option<String>,
    #[param(schema_with = fields::kind_filter)]
    pub kind: Option<String>,
    #[param(schema_with = fields::queue_name)]
    pub queue: Option<String>,
    #[param(schema_with = fields::received_from)]
    pub received_from: Option<String>,
    #[param(schema_with = fields::received_to)]
    pub received_to: Option<String>,
    #[param(schema_with = fields::search_page)]
    pub page: Option<String>,
    #[param(schema_with = fields::page_size)]
    pub limit: Option<String>,
}

impl From<SearchParams> for RawSearch {
    fn from(p: SearchParams) -> RawSearch {
        RawSearch {
            q: p.q,
            status: p.status,
            kind: p.kind,
            queue: p.queue,
            received_from: p.received_from,
            received_to: p.received_to,
            page: p.page,
            limit: p.limit,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SearchResults)]
pub struct SearchResultsView {
    pub items: Vec<QueueItemView>,
    /// How many requests the search found, counted up to 1,000.
    pub total: i64,
    /// It found more than 1,000: `total` is 1,000.
    pub more: bool,
    pub page: i64,
    /// Pass as `page` for the next page; null on the last.
    pub next_page: Option<i64>,
    /// The words searched for, as the index keeps them (lower case, accents and apostrophes
    /// dropped); empty for a tracking number or an email.
    pub words: Vec<String>,
}

impl From<SearchResults> for SearchResultsView {
    fn from(r: SearchResults) -> SearchResultsView {
        SearchResultsView {
            items: r.items.into_iter().map(QueueItemView::from).collect(),
            total: r.total,
            more: r.more,
            page: r.page,
            next_page: r.next_page,
            words: r.words,
        }
    }
}

/// Every request this staff member may see, open or closed, that the search finds: by
/// tracking number, by the requester's email, or by words in the requester's name, the
/// description and the messages. Most relevant first, then soonest due. Quotes, operators
/// and other search syntax are read as plain words.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "staff", operation_id = "search_requests", params(SearchParams), security(("staff" = [])),
    responses((status = 200, description = "One page of results", body = SearchResultsView),
              (status = 403, description = "Not staff", body = ErrorBody),
              (status = 422, description = "Nothing to search for, or a filter that is not valid", body = ErrorBody))
)]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let raw = RawSearch::from(params.into_inner());
    let search = Search::try_from(&raw).map_err(ApiError::invalid)?;
    let results = state.app.search(staff, search).await?;
    Ok(HttpResponse::Ok().json(SearchResultsView::from(results)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SelectedBody {
    #[schema(schema_with = fields::tracking_number, required = true)]
    pub tracking_number: Option<String>,
    /// The version the request was shown at: a request changed since is not changed again.
    #[schema(value_type = i32, minimum = 1, maximum = 2147483647, required = true)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// One action on several requests.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BulkBody {
    #[schema(schema_with = fields::bulk_action, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub action: Option<String>,
    /// The requests selected, each once (1 to 200).
    #[schema(value_type = Vec<SelectedBody>, min_items = 1, max_items = 200, required = true)]
    pub requests: Option<Vec<SelectedBody>>,
    /// `assign`: the staff member to assign them to.
    #[schema(schema_with = fields::optional_email)]
    pub assignee: Option<String>,
    /// `close_as_duplicate`: the selected request the others repeat; it is left as it is.
    #[schema(schema_with = fields::duplicate_of)]
    pub duplicate_of: Option<String>,
    /// `note`: the internal note added to each.
    #[schema(schema_with = fields::bulk_note)]
    pub note: Option<String>,
}

/// How one selected request came out.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BulkOutcome)]
pub struct BulkOutcomeView {
    pub tracking_number: String,
    /// `done`; `refused` (nothing of it kept; `error` says why); or `original`: the request
    /// the others were closed as repeats of, left as it was.
    #[schema(schema_with = fields::bulk_outcome)]
    pub outcome: &'static str,
    /// Done: the request's status now.
    pub status: Option<Status>,
    /// Done: the request's version now.
    pub version: Option<i32>,
    /// Refused: the answer the request would have had on its own.
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BulkResults)]
pub struct BulkResultsView {
    /// Each selected request, in the order given.
    pub results: Vec<BulkOutcomeView>,
    pub done: usize,
    pub refused: usize,
}

/// Assigns the selected requests, closes them as repeats of one of them, or adds the same
/// internal note to each. Each is its own step, audited and version-checked as if taken
/// alone; one refused (changed since it was shown, not allowed from its state, not visible)
/// is reported and leaves the others done.
#[utoipa::path(
    post, path = "/api/v1/bulk-actions", tag = "staff", operation_id = "act_on_requests", request_body = BulkBody, security(("staff" = [])),
    responses((status = 200, description = "What happened to each request", body = BulkResultsView),
              (status = 403, description = "Not staff", body = ErrorBody),
              (status = 422, description = "No action, no request, or a field that is not valid: nothing was changed", body = ErrorBody))
)]
pub async fn bulk(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawBulk {
        action: body.action,
        requests: body.requests.map(|items| {
            items
                .into_iter()
                .map(|s| RawSelected {
                    tracking_number: s.tracking_number,
                    version: s.version,
                })
                .collect()
        }),
        assignee: body.assignee,
        duplicate_of: body.duplicate_of,
        note: body.note,
    };
    let bulk = Bulk::try_from(raw).map_err(ApiError::invalid)?;
    let outcomes = state.app.bulk(staff, bulk).await;
    let results: Vec<BulkOutcomeView> = outcomes
        .into_iter()
        .map(|o| {
            let (outcome, status, version, error) = match o.result {
                BulkResult::Done { status, version } => ("done", Some(status), Some(version), None),
                BulkResult::Refused(e) => ("refused", None, None, Some(ApiError::from(e).body())),
                BulkResult::Original => ("original", None, None, None),
            };
            BulkOutcomeView {
                tracking_number: o.tracking_number,
                outcome,
                status,
                version,
                error,
            }
        })
        .collect();
    let done = results.iter().filter(|r| r.outcome == "done").count();
    let refused = results.iter().filter(|r| r.outcome == "refused").count();
    Ok(HttpResponse::Ok().json(BulkResultsView {
        results,
        done,
        refused,
    }))
}
