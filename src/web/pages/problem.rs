//! How the pages answer when something is refused: the one place an operation's refusal
//! becomes HTML. A refusal of what was typed is shown on the form it came from; anything
//! else is a page of its own.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::forms::merge_indexed;
use super::{render, see_other, Layout};
use crate::app::AppError;
use crate::domain::{FieldErrors, TransitionError};
use crate::wording::word;

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    layout: &'a Layout,
    heading: &'a str,
    message: &'a str,
}

/// A page-level failure, shown as a page (never as JSON).
#[derive(Debug)]
pub enum PageError {
    NotFound(Box<Layout>),
    Forbidden(Box<Layout>, String),
    /// A one-time link that no longer works (410), with what to do instead.
    Gone(Box<Layout>, String),
    /// Too many at once: wait (this long, sent as Retry-After) and try again.
    TooMany(Box<Layout>, String, std::time::Duration),
    /// Not signed in: off to the sign-in page.
    SignIn,
    Internal(Box<Layout>),
    /// Our failure, with what the person should know about it.
    Failed(Box<Layout>, String),
}

impl PageError {
    pub fn not_found(layout: Layout) -> PageError {
        PageError::NotFound(Box::new(layout))
    }

    pub fn forbidden(layout: Layout, message: String) -> PageError {
        PageError::Forbidden(Box::new(layout), message)
    }

    pub fn internal(layout: Layout) -> PageError {
        PageError::Internal(Box::new(layout))
    }

    /// A form that has expired or came from another site.
    pub fn stale_form(layout: Layout) -> PageError {
        let message = layout.t.w("page-problem-stale-form");
        PageError::forbidden(layout, message)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::Forbidden(..) => StatusCode::FORBIDDEN,
            PageError::Gone(..) => StatusCode::GONE,
            PageError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            PageError::SignIn => StatusCode::SEE_OTHER,
            PageError::Internal(_) | PageError::Failed(..) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (layout, heading, message) = match self {
            PageError::SignIn => return see_other("/staff/login"),
            PageError::NotFound(layout) => (
                layout,
                layout.t.w("page-problem-not-found"),
                layout.t.w("page-problem-not-found-text"),
            ),
            PageError::Forbidden(layout, message) => (
                layout,
                layout.t.w("page-problem-forbidden"),
                message.clone(),
            ),
            PageError::Gone(layout, message) => {
                (layout, layout.t.w("page-problem-gone"), message.clone())
            }
            PageError::TooMany(layout, message, _) => {
                (layout, layout.t.w("page-problem-wait"), message.clone())
            }
            PageError::Failed(layout, message) => {
                (layout, layout.t.w("page-problem-failed"), message.clone())
            }
            PageError::Internal(layout) => (
                layout,
                layout.t.w("page-problem-failed"),
                layout.t.w("page-problem-internal"),
            ),
        };
        let mut response = render(
            self.status_code(),
            &ErrorPage {
                layout,
                heading: &heading,
                message: &message,
            },
        );
        if let PageError::TooMany(_, _, wait) = self {
            let seconds = crate::web::throttle::retry_after(*wait).to_string();
            if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&seconds) {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// A refusal shown on the form it came from: messages beside the fields, or what went wrong
/// in words at the top.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub status: u16,
    pub fields: FieldErrors,
    pub message: String,
}

impl Shown {
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Fields that are wrong, before the step was tried.
    pub fn invalid(fields: FieldErrors) -> Shown {
        Shown {
            status: 422,
            fields: merge_indexed(fields),
            message: String::new(),
        }
    }
}

/// What a page does with a refused operation.
#[derive(Debug)]
pub enum Problem {
    /// Answered with a page of its own.
    Page(PageError),
    /// Shown on the form the step came from.
    OnForm(Shown),
}

impl Problem {
    /// For a form whose fields are named as the API names them (`responsible` for every
    /// `responsible[0]`).
    pub fn of(layout: &Layout, error: AppError) -> Problem {
        Problem::read(layout, error, true)
    }

    /// For a form with a field for each item of a list (`withheld[0].item`).
    pub fn exact(layout: &Layout, error: AppError) -> Problem {
        Problem::read(layout, error, false)
    }

    fn read(layout: &Layout, error: AppError, merged: bool) -> Problem {
        use TransitionError as T;
        let shown = |status: u16, message: String| {
            Problem::OnForm(Shown {
                status,
                fields: FieldErrors::default(),
                message,
            })
        };
        match error {
            AppError::NotFound | AppError::Missing(_) => {
                Problem::Page(PageError::not_found(layout.clone()))
            }
            AppError::Invalid(fields) | AppError::Transition(T::Missing(fields)) => {
                Problem::OnForm(if merged {
                    Shown::invalid(fields)
                } else {
                    Shown {
                        status: 422,
                        fields,
                        message: String::new(),
                    }
                })
            }
            AppError::Forbidden(message) | AppError::Transition(T::Forbidden(message)) => {
                shown(403, message)
            }
            // Both staff and requesters see it, each in their page's language.
            AppError::Stale { .. } => shown(
                409,
                word(crate::web::language::current(), "page-problem-stale"),
            ),
            e @ (AppError::Transition(
                T::NotAllowed { .. }
                | T::FinalDecision { .. }
                | T::NothingWithheld { .. }
                | T::AppealWindowClosed { .. },
            )
            | AppError::Conflict(_)
            | AppError::Gone(_)) => shown(409, e.to_string()),
            e @ AppError::TooMany { .. } => shown(429, e.to_string()),
            e @ AppError::BadCredentials => shown(401, e.to_string()),
            e @ (AppError::Db(_) | AppError::Internal(_) | AppError::Undone) => {
                log::error!("[{}] page failed: {e}", crate::web::request_id::current());
                Problem::Page(PageError::internal(layout.clone()))
            }
        }
    }
}

/// A refused operation on a page that has no form to show it on.
pub fn page_error(layout: &Layout, error: AppError) -> PageError {
    match Problem::of(layout, error) {
        Problem::Page(page) => page,
        Problem::OnForm(shown) if shown.status == 403 => {
            PageError::forbidden(layout.clone(), shown.message)
        }
        Problem::OnForm(shown) => {
            log::error!(
                "[{}] a page could not show a refusal: {} {:?}",
                crate::web::request_id::current(),
                shown.message,
                shown.fields
            );
            PageError::internal(layout.clone())
        }
    }
}
