//! "Are you sure?" before a step that cannot be undone (GOV.UK's confirmation pattern): the
//! form posts here first, the page shows back what was typed and what will happen, and only
//! its button, which posts the same fields with `confirmed=yes`, takes the step.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use super::forms::FormData;
use super::{render, Layout};

pub struct Confirm {
    pub heading: String,
    /// What was typed, as label and value, in the form's order.
    pub answers: Vec<(String, String)>,
    /// What happens when it is confirmed, and that it cannot be undone.
    pub warning: String,
    pub action: String,
    /// The form's fields, posted again with the confirmation.
    pub hidden: Vec<(String, String)>,
    pub confirm_label: String,
    /// `warning` for a destructive step, empty for the usual button.
    pub confirm_class: &'static str,
    /// Staff step forms re-render with what was typed ("Go back and change it").
    pub change_in_form: bool,
    pub back_href: String,
    pub back_label: String,
}

#[derive(Template)]
#[template(path = "pages/confirm.html")]
struct ConfirmPage<'a> {
    layout: Layout,
    confirm: &'a Confirm,
}

/// Whether the form was sent from the confirmation page.
pub fn confirmed(data: &FormData) -> bool {
    data.get("confirmed") == "yes"
}

/// Every field the form posted (but its token and the page's own buttons), in a stable order.
pub fn fields_of(data: &FormData) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = data
        .0
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "csrf" | "confirmed" | "more"))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    fields.sort();
    fields
}

pub fn page(layout: Layout, confirm: &Confirm) -> HttpResponse {
    render(StatusCode::OK, &ConfirmPage { layout, confirm })
}
