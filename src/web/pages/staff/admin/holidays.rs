//! `/staff/admin/holidays`: this year's and next year's calendar as the rules and admins make
//! it, and a form that closes or opens one day, or takes a change back.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::admin_signed_in;
use crate::app::holidays::{CalendarYear, DayChange, RawDayChange};
use crate::app::AppError;
use crate::domain::FieldErrors;
use crate::notify::render::long_date;
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::staff::csrf_check;
use crate::web::pages::{render, see_other, session, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/admin/holidays.html")]
struct HolidaysPage {
    layout: Layout,
    flash: String,
    years: Vec<CalendarYear>,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

impl HolidaysPage {
    fn date(&self, day: &chrono::NaiveDate) -> String {
        long_date(*day)
    }
}

fn fields(data: &FormData) -> Vec<Field> {
    vec![
        Field::text("date", "f-date", "date", "Date")
            .kind("date")
            .required()
            .value(&data.get("date")),
        Field::radios(
            "change",
            "f-change",
            "change",
            "What happens on that day",
            vec![
                Choice::new("closed", "The offices are closed").hint(
                    "Due dates that would fall on it move to the next day the offices are open.",
                ),
                Choice::new("open", "The offices are open")
                    .hint("For a day the rules close that the City has decided to work."),
                Choice::new("as_calculated", "As the rules say")
                    .hint("Takes back an earlier change to this day."),
            ],
        )
        .required()
        .value(&data.get("change")),
        Field::text(
            "name",
            "f-name",
            "name",
            "Name of the closure (when closed)",
        )
        .hint("Requesters see it when a due date moves past the day, for example Winter closure.")
        .value(&data.get("name")),
    ]
}

async fn holidays_page(
    state: &AppState,
    account: crate::app::StaffAccount,
    layout: Layout,
    status: StatusCode,
    data: &FormData,
    errors: FieldErrors,
    flash: String,
) -> PageResult {
    let years = state
        .app
        .holiday_calendar(account)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let fields = fields(data);
    let summary = summary(&errors, &fields, &[]);
    Ok(render(
        status,
        &HolidaysPage {
            layout,
            flash,
            years,
            fields,
            errors: Errors(errors),
            summary,
        },
    ))
}

pub async fn page(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let flash = session::take_flash(&session);
    let blank = FormData(Default::default());
    holidays_page(
        &state,
        account,
        layout,
        StatusCode::OK,
        &blank,
        FieldErrors::default(),
        flash,
    )
    .await
}

pub async fn change(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let raw = RawDayChange {
        date: data.opt("date"),
        change: data.opt("change"),
        name: data.opt("name"),
    };
    match state.app.change_day(account.clone(), raw).await {
        Ok(change) => {
            let said = match change {
                DayChange::Closed { day, name } => {
                    format!("The offices are closed on {} ({name}).", long_date(day))
                }
                DayChange::Open { day } => format!("The offices are open on {}.", long_date(day)),
                DayChange::AsCalculated { day } => {
                    format!("{} is as the rules say again.", long_date(day))
                }
            };
            session::set_flash(
                &session,
                &format!("{said} Due dates already set stay as they are."),
            );
            Ok(see_other("/staff/admin/holidays"))
        }
        Err(AppError::Invalid(errors)) => {
            holidays_page(
                &state,
                account,
                layout,
                StatusCode::UNPROCESSABLE_ENTITY,
                &data,
                errors,
                String::new(),
            )
            .await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
