//! `/staff/post`: letters to requesters who gave a postal address and no email (docs/
//! PRODUCT.md, "Letters by post"). The list, each letter printed on a page of its own (its
//! private link minted as it is printed, so printing is a POST), and "Mark as posted".

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{csrf_check, signed_in};
use crate::app::post::{LetterToPost, PrintedLetter};
use crate::app::Caller;
use crate::domain::input::TrackingNumber;
use crate::domain::notices::NoticeKind;
use crate::web::pages::forms::FormData;
use crate::web::pages::problem::page_error;
use crate::web::pages::{local_time, render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/post.html")]
struct PostPage {
    layout: Layout,
    letters: Vec<(LetterToPost, String)>,
    flash: String,
}

#[derive(Template)]
#[template(path = "pages/letter.html")]
struct LetterPage {
    layout: Layout,
    printed: PrintedLetter,
    date: String,
    paragraphs: Vec<String>,
    seq: i64,
    notice: &'static str,
}

pub async fn page(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let letters = state
        .app
        .letters_to_post(account)
        .await
        .map_err(|e| page_error(&layout, e))?
        .into_iter()
        .map(|l| {
            let when = local_time(&state, l.at);
            (l, when)
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PostPage {
            layout,
            letters,
            flash: session::take_flash(&session),
        },
    ))
}

/// The letter the path names: a request, the seq of its event, the kind of letter.
fn letter_of(
    layout: &Layout,
    path: (String, String, String),
) -> Result<(TrackingNumber, i64, NoticeKind), PageError> {
    let not_found = || PageError::not_found(layout.clone());
    let (tn, seq, notice) = path;
    Ok((
        TrackingNumber::parse(&tn).ok_or_else(not_found)?,
        seq.parse::<i64>()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(not_found)?,
        NoticeKind::parse(&notice).ok_or_else(not_found)?,
    ))
}

/// `POST /staff/post/{tn}/{seq}/{notice}`: the letter, ready to print.
pub async fn print(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let (tn, seq, kind) = letter_of(&layout, path.into_inner())?;
    let printed = state
        .app
        .print_letter(Caller::Staff(account), tn, seq, kind)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let paragraphs = printed
        .letter
        .text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect();
    Ok(render(
        StatusCode::OK,
        &LetterPage {
            date: crate::notify::render::long_date_in(
                printed.language,
                state.app.ctx().clock.date_of(printed.at),
            ),
            layout,
            printed,
            paragraphs,
            seq,
            notice: kind.as_str(),
        },
    ))
}

/// `POST /staff/post/{tn}/{seq}/{notice}/posted`
pub async fn posted(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let (tn, seq, kind) = letter_of(&layout, path.into_inner())?;
    state
        .app
        .mark_posted(Caller::Staff(account), tn.clone(), seq, kind)
        .await
        .map_err(|e| page_error(&layout, e))?;
    session::set_flash(
        &session,
        &format!("The letter about {tn} is marked as posted."),
    );
    Ok(see_other("/staff/post"))
}
