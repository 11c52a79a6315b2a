//! Administration (docs/PRODUCT.md, "Administration"): staff accounts, the department
//! directory and the holidays, for admins; and setting a password with a one-time link.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fields;
use crate::app::accounts::{AccountListing, NewPassword, RawAccount};
use crate::app::departments::DepartmentChange;
use crate::app::holidays::{CalendarYear, RawDayChange};
use crate::domain::directory::{Department, RawDepartment};
use crate::domain::{Role, StaffId};
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// A staff account as admins see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffAccount)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub title: Option<String>,
    /// `active`, `invited` (no password chosen yet) or `disabled`.
    #[schema(example = "active")]
    pub state: &'static str,
}

impl From<AccountListing> for AccountView {
    fn from(a: AccountListing) -> AccountView {
        AccountView {
            id: a.account.id.0,
            state: match (a.active, a.invited) {
                (false, _) => "disabled",
                (true, true) => "invited",
                (true, false) => "active",
            },
            email: a.account.email,
            name: a.account.name,
            role: a.account.role,
            department: a.account.department,
            title: a.account.title,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffAccounts)]
pub struct AccountsView {
    pub accounts: Vec<AccountView>,
}

/// An invitation: who, and as what.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InviteBody {
    /// The address the link goes to, and the sign-in.
    #[schema(schema_with = fields::email, required = true)]
    pub email: Option<String>,
    #[schema(schema_with = fields::name, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = fields::role, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub role: Option<String>,
    #[schema(schema_with = fields::department_choice)]
    pub department: Option<String>,
    #[schema(schema_with = fields::staff_title)]
    pub title: Option<String>,
}

impl From<InviteBody> for RawAccount {
    fn from(b: InviteBody) -> RawAccount {
        RawAccount {
            email: b.email,
            name: b.name,
            role: b.role,
            department: b.department,
            title: b.title,
        }
    }
}

/// An account's details as they should be (the email stays).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AccountBody {
    #[schema(schema_with = fields::name, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = fields::role, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub role: Option<String>,
    #[schema(schema_with = fields::department_choice)]
    pub department: Option<String>,
    #[schema(schema_with = fields::staff_title)]
    pub title: Option<String>,
}

impl From<AccountBody> for RawAccount {
    fn from(b: AccountBody) -> RawAccount {
        RawAccount {
            email: None,
            name: b.name,
            role: b.role,
            department: b.department,
            title: b.title,
        }
    }
}

fn staff_id(raw: &str) -> Result<StaffId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(StaffId)
        .ok_or_else(|| ApiError::not_found("there is no staff account with this id"))
}

/// Every staff account, by name.
#[utoipa::path(
    get, path = "/api/v1/admin/staff", tag = "admin", operation_id = "list_staff", security(("staff" = [])),
    responses((status = 200, description = "The accounts", body = AccountsView),
              (status = 403, description = "Not an admin", body = ErrorBody))
)]
pub async fn list_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let accounts = state.app.accounts(staff).await?;
    Ok(HttpResponse::Ok().json(AccountsView {
        accounts: accounts.into_iter().map(AccountView::from).collect(),
    }))
}

/// Invites a staff member: the account is made without a password, and an email with a
/// one-time link to choose one goes to them (it works for `auth.invitation_hours`).
#[utoipa::path(
    post, path = "/api/v1/admin/staff/new", tag = "admin", operation_id = "invite_staff", request_body = InviteBody, security(("staff" = [])),
    responses((status = 201, description = "Invited", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 409, description = "An account with this email exists", body = ErrorBody),
              (status = 422, description = "A field that is not valid: a role or department that does not exist", body = ErrorBody))
)]
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<InviteBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let invited = state.app.invite(staff, body.into_inner().into()).await?;
    Ok(HttpResponse::Created().json(AccountView::from(invited)))
}

#[utoipa::path(
    get, path = "/api/v1/admin/staff/{id}", tag = "admin", operation_id = "get_staff", security(("staff" = [])),
    params(("id" = i64, Path, description = "The account's id", minimum = 1)),
    responses((status = 200, description = "The account", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody))
)]
pub async fn get_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let id = staff_id(&path)?;
    let account = state.app.account(staff, id).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(account)))
}

/// Changes an account's name, role, department and title (its email stays). The last active
/// admin cannot stop being one.
#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/details", tag = "admin", operation_id = "change_staff", request_body = AccountBody, security(("staff" = [])),
    params(("id" = i64, Path, description = "The account's id", minimum = 1)),
    responses((status = 200, description = "Changed", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody),
              (status = 409, description = "The last active admin", body = ErrorBody),
              (status = 422, description = "A field that is not valid", body = ErrorBody))
)]
pub async fn change_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AccountBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let id = staff_id(&path)?;
    let changed = state
        .app
        .change_account(staff, id, body.into_inner().into())
        .await?;
    Ok(HttpResponse::Ok().json(AccountView::from(changed)))
}

/// Disables an account: every sign-in of it ends at once. The last active admin cannot be
/// disabled.
#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/disable", tag = "admin", operation_id = "disable_staff", security(("staff" = [])),
    params(("id" = i64, Path, description = "The account's id", minimum = 1)),
    responses((status = 200, description = "Disabled", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody),
              (status = 409, description = "The last active admin", body = ErrorBody))
)]
pub async fn disable_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let id = staff_id(&path)?;
    let done = state.app.disable_account(staff, id).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(done)))
}

#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/enable", tag = "admin", operation_id = "enable_staff", security(("staff" = [])),
    params(("id" = i64, Path, description = "The account's id", minimum = 1)),
    responses((status = 200, description = "Enabled", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody))
)]
pub async fn enable_staff(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let id = staff_id(&path)?;
    let done = state.app.enable_account(staff, id).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(done)))
}

/// Emails the account a one-time link to choose a new password (`auth.reset_minutes`); an
/// invited account gets its invitation again. Earlier links stop working.
#[utoipa::path(
    post, path = "/api/v1/admin/staff/{id}/password-reset", tag = "admin", operation_id = "reset_staff_password", security(("staff" = [])),
    params(("id" = i64, Path, description = "The account's id", minimum = 1)),
    responses((status = 200, description = "The link is on its way", body = AccountView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such account", body = ErrorBody),
              (status = 409, description = "The account is disabled", body = ErrorBody))
)]
pub async fn reset_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let id = staff_id(&path)?;
    let done = state.app.send_password_reset(staff, id).await?;
    Ok(HttpResponse::Ok().json(AccountView::from(done)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SetPasswordBody {
    #[schema(schema_with = fields::link_token, required = true)]
    pub token: Option<String>,
    /// 12 to 1,000 characters.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1000, required = true)]
    pub password: Option<String>,
}

/// Chooses a password with the one-time link of an invitation or a reset. The link is spent;
/// every earlier sign-in of the account ends.
#[utoipa::path(
    post, path = "/api/v1/auth/password", tag = "staff", operation_id = "set_password", request_body = SetPasswordBody,
    responses((status = 204, description = "The password is set: sign in with it"),
              (status = 410, description = "The link was used, ran out or was replaced", body = ErrorBody),
              (status = 422, description = "A token that is not one line of text, or a password shorter than 12 characters", body = ErrorBody))
)]
pub async fn set_password(
    state: web::Data<AppState>,
    body: web::Json<SetPasswordBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    // A token is one line of text before it is anything else (it is looked up after).
    let token = body.token.unwrap_or_default();
    if let Err(message) = crate::domain::input::Text::line(&token, 200) {
        return Err(ApiError::field("token", &message));
    }
    let password = NewPassword::check(body.password.as_deref(), None).map_err(ApiError::invalid)?;
    state.app.set_password(token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A department of the directory.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Department)]
pub struct DepartmentView {
    pub name: String,
    /// Requests for it are filed under this queue; fixed when the department is made.
    pub queue: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Publisher names its datasets carry in catalogs.
    pub publishers: Vec<String>,
    /// Host names its datasets carry in catalogs.
    pub hosts: Vec<String>,
    /// Staff ids of who may sign its extensions; empty: its clerks and the admins.
    pub signers: Vec<i64>,
    pub version: i32,
}

impl From<&Department> for DepartmentView {
    fn from(d: &Department) -> DepartmentView {
        DepartmentView {
            name: d.name.clone(),
            queue: d.queue.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            publishers: d.publishers.clone(),
            hosts: d.hosts.clone(),
            signers: d.signers.iter().map(|s| s.0).collect(),
            version: d.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Departments)]
pub struct DepartmentsView {
    pub departments: Vec<DepartmentView>,
}

/// A new department.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewDepartmentBody {
    #[schema(schema_with = fields::department_name, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = fields::contact_email)]
    pub email: Option<String>,
    #[schema(schema_with = fields::phone)]
    pub phone: Option<String>,
    #[schema(schema_with = fields::publisher_names)]
    pub publishers: Option<Vec<String>>,
    #[schema(schema_with = fields::host_names)]
    pub hosts: Option<Vec<String>>,
}

/// A department as it should be: its contact, catalog names and signers (its name and queue
/// stay as made). What is left out is emptied.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DepartmentBody {
    #[schema(schema_with = fields::contact_email)]
    pub email: Option<String>,
    #[schema(schema_with = fields::phone)]
    pub phone: Option<String>,
    #[schema(schema_with = fields::publisher_names)]
    pub publishers: Option<Vec<String>>,
    #[schema(schema_with = fields::host_names)]
    pub hosts: Option<Vec<String>>,
    #[schema(schema_with = fields::staff_emails)]
    pub signers: Option<Vec<String>>,
    /// The version the change was made on (a stale one gets 409); without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

impl NewDepartmentBody {
    fn raw(&self) -> RawDepartment {
        RawDepartment {
            name: self.name.clone().unwrap_or_default(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            publishers: self.publishers.clone().unwrap_or_default(),
            hosts: self.hosts.clone().unwrap_or_default(),
        }
    }
}

impl DepartmentBody {
    fn raw(&self) -> RawDepartment {
        RawDepartment {
            name: String::new(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            publishers: self.publishers.clone().unwrap_or_default(),
            hosts: self.hosts.clone().unwrap_or_default(),
        }
    }
}

/// The department directory, by name: what routing reads.
#[utoipa::path(
    get, path = "/api/v1/admin/departments", tag = "admin", operation_id = "list_departments", security(("staff" = [])),
    responses((status = 200, description = "The directory", body = DepartmentsView),
              (status = 403, description = "Not an admin", body = ErrorBody))
)]
pub async fn departments(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    if staff.role != Role::Admin {
        return Err(ApiError::forbidden(
            "only administrators manage staff accounts, departments and holidays",
        ));
    }
    let directory = state.app.directory().await?;
    Ok(HttpResponse::Ok().json(DepartmentsView {
        departments: directory
            .departments()
            .iter()
            .map(DepartmentView::from)
            .collect(),
    }))
}

/// Adds a department; its queue is made from its name.
#[utoipa::path(
    post, path = "/api/v1/admin/departments/new", tag = "admin", operation_id = "add_department", request_body = NewDepartmentBody, security(("staff" = [])),
    responses((status = 201, description = "Added", body = DepartmentView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 422, description = "A field that is not valid; a name, publisher or host another department has", body = ErrorBody))
)]
pub async fn add_department(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<NewDepartmentBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let added = state.app.add_department(staff, body.raw()).await?;
    Ok(HttpResponse::Created().json(DepartmentView::from(&added)))
}

#[utoipa::path(
    get, path = "/api/v1/admin/departments/{queue}", tag = "admin", operation_id = "get_department", security(("staff" = [])),
    params(("queue" = String, Path, description = "The department's queue", max_length = 200)),
    responses((status = 200, description = "The department", body = DepartmentView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such department", body = ErrorBody))
)]
pub async fn get_department(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let (department, _) = state.app.department(staff, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(DepartmentView::from(&department)))
}

/// Changes a department's contact, catalog names and extension signers.
#[utoipa::path(
    post, path = "/api/v1/admin/departments/{queue}/details", tag = "admin", operation_id = "change_department", request_body = DepartmentBody, security(("staff" = [])),
    params(("queue" = String, Path, description = "The department's queue", max_length = 200)),
    responses((status = 200, description = "Changed", body = DepartmentView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 404, description = "No such department", body = ErrorBody),
              (status = 409, description = "Changed since `version`", body = ErrorBody),
              (status = 422, description = "A field that is not valid; a publisher or host another department has; a signer who is not active staff", body = ErrorBody))
)]
pub async fn change_department(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<DepartmentBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let change = DepartmentChange {
        details: body.raw(),
        signers: body.signers.clone().unwrap_or_default(),
        version: body.version,
    };
    let changed = state
        .app
        .change_department(staff, path.into_inner(), change)
        .await?;
    Ok(HttpResponse::Ok().json(DepartmentView::from(&changed)))
}

/// A day of the calendar.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CalendarDay)]
pub struct DayView {
    #[schema(value_type = String, format = Date)]
    pub date: chrono::NaiveDate,
    /// The holiday the rules observe on it, if any.
    pub by_rule: Option<String>,
    /// Whether the offices are closed, and what requesters are told it is.
    pub closed: bool,
    pub name: Option<String>,
    /// An admin changed it over the rules.
    pub changed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CalendarYear)]
pub struct YearView {
    pub year: i32,
    pub days: Vec<DayView>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Holidays)]
pub struct HolidaysView {
    /// This year and next.
    pub years: Vec<YearView>,
}

impl From<Vec<CalendarYear>> for HolidaysView {
    fn from(years: Vec<CalendarYear>) -> HolidaysView {
        HolidaysView {
            years: years
                .into_iter()
                .map(|y| YearView {
                    year: y.year,
                    days: y
                        .days
                        .into_iter()
                        .map(|d| DayView {
                            date: d.day.day,
                            by_rule: d.day.by_rule,
                            closed: d.day.closed.is_some(),
                            name: d.day.closed,
                            changed: d.changed,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The city's holidays this year and next: the days the rules close, and the days admins
/// closed or opened over them.
#[utoipa::path(
    get, path = "/api/v1/admin/holidays", tag = "admin", operation_id = "list_holidays", security(("staff" = [])),
    responses((status = 200, description = "The calendar", body = HolidaysView),
              (status = 403, description = "Not an admin", body = ErrorBody))
)]
pub async fn holidays(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let years = state.app.holiday_calendar(staff).await?;
    Ok(HttpResponse::Ok().json(HolidaysView::from(years)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DayBody {
    #[schema(schema_with = fields::calendar_day, required = true)]
    pub date: Option<String>,
    #[schema(schema_with = fields::day_change, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub change: Option<String>,
    #[schema(schema_with = fields::closure_name)]
    pub name: Option<String>,
}

/// Closes or opens one day over the computed calendar, or takes a change back. A change
/// never moves a due date already set: due dates are counted when they are set.
#[utoipa::path(
    post, path = "/api/v1/admin/holidays/changes", tag = "admin", operation_id = "change_holiday", request_body = DayBody, security(("staff" = [])),
    responses((status = 200, description = "The calendar after the change", body = HolidaysView),
              (status = 403, description = "Not an admin", body = ErrorBody),
              (status = 422, description = "A date or change that is not valid", body = ErrorBody))
)]
pub async fn change_holiday(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<DayBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawDayChange {
        date: body.date,
        change: body.change,
        name: body.name,
    };
    state.app.change_day(staff.clone(), raw).await?;
    let years = state.app.holiday_calendar(staff).await?;
    Ok(HttpResponse::Ok().json(HolidaysView::from(years)))
}
