//! `GET /requests/{tracking_number}/documents/{id}`: a released file, for the browser holding
//! the request's private link. Anyone else is told there is no such page.

use actix_session::Session;
use actix_web::{web, HttpRequest};

use super::{held_token, layout, valid_tracking_number};
use crate::app::Caller;
use crate::web::pages::staff::documents::download_as;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn file(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (raw_tn, raw_id) = path.into_inner();
    let tn = valid_tracking_number(&state, &session, &raw_tn)?;
    let token = held_token(&state, &session, &tn)?;
    let layout = layout(&state, &session);
    download_as(
        &state,
        &req,
        &layout,
        Caller::Requester { token },
        tn,
        &raw_id,
    )
    .await
}
