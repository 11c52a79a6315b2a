//! The administration operations on [`App`] (docs/PRODUCT.md, "Administration"): staff
//! accounts, the department directory, the holidays and what the catalog lacks, for admins
//! only; and the one-time link that sets a password, for whoever holds it. A change to the
//! directory or the calendar is read back into memory once it has committed.

use super::accounts::{
    self, AccountDetails, AccountListing, Invitation, LinkHolder, NewPassword, RawAccount,
};
use super::departments::{self, DepartmentChange};
use super::holidays::{self, CalendarYear, DayChange, RawDayChange};
use super::{App, AppError, StaffAccount};
use crate::domain::directory::{Department, Directory, RawDepartment};
use crate::domain::{Role, StaffId};
use crate::secrets;

/// One administrative change, said for the page.
#[derive(Debug, Clone)]
pub struct AdminLogEntry {
    pub seq: i64,
    /// In the city's time.
    pub at: chrono::NaiveDateTime,
    /// `staff:EMAIL` or `system` (the command line, the seeding).
    pub by: String,
    pub what: &'static str,
    /// Whom or what it was about: an email, a department, a day.
    pub about: String,
}

impl AdminLogEntry {
    fn from_event(ctx: &super::Ctx, e: crate::db::mail::ChainEventRow) -> AdminLogEntry {
        let content: serde_json::Value = serde_json::from_str(&e.content).unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
        let about = text(&content["email"])
            .or_else(|| text(&content["account"]["email"]))
            .or_else(|| text(&content["department"]["name"]))
            .or_else(|| text(&content["after"]["name"]))
            .or_else(|| text(&content["day"]))
            .or_else(|| text(&content["sha256"]).map(|h| format!("file {}", &h[..h.len().min(12)])))
            .or_else(|| {
                content["departments"]
                    .as_array()
                    .map(|d| format!("{} departments", d.len()))
            })
            .unwrap_or_default();
        let what = match e.action.as_str() {
            "staff_added" => "Account added (command line)",
            "staff_invited" => "Invited",
            "staff_changed" => "Account changed",
            "staff_disabled" => "Account disabled",
            "staff_enabled" => "Account enabled",
            "sessions_revoked" => "Every sign-in ended",
            "password_reset_sent" => "Password link sent",
            "password_set" => "Password chosen",
            "directory_seeded" => "Directory started from the configuration",
            "department_added" => "Department added",
            "department_changed" => "Department changed",
            "holiday_set" if content["closed"] == true => "Day closed",
            "holiday_set" => "Day opened",
            "holiday_cleared" => "Day as the rules say again",
            "catalog_imported" => "Catalog imported",
            _ => "Other change",
        };
        AdminLogEntry {
            seq: e.seq,
            at: super::local_time(ctx, e.at),
            by: e
                .actor
                .strip_prefix("staff:")
                .unwrap_or("the command line")
                .to_string(),
            what,
            about,
        }
    }
}

fn admin_only(staff: &StaffAccount) -> Result<(), AppError> {
    match staff.role {
        Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden(
            "only administrators manage staff accounts, departments and holidays".into(),
        )),
    }
}

impl App {
    /// Reads the directory and the calendar again (after a change; on each reminders pass).
    pub async fn reload_live(&self) -> Result<(), AppError> {
        self.read(|conn, ctx| Ok(ctx.live.reload(conn)?)).await
    }

    pub async fn accounts(&self, staff: StaffAccount) -> Result<Vec<AccountListing>, AppError> {
        admin_only(&staff)?;
        self.read(|conn, _| accounts::list(conn)).await
    }

    pub async fn account(
        &self,
        staff: StaffAccount,
        id: StaffId,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        self.read(move |conn, _| accounts::get(conn, id)).await
    }

    pub async fn invite(
        &self,
        staff: StaffAccount,
        raw: RawAccount,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        let invitation = Invitation::check(&raw, &*self.directory().await?)?;
        self.write(move |conn, ctx| accounts::invite(conn, ctx, &staff.audit_actor(), &invitation))
            .await
    }

    pub async fn change_account(
        &self,
        staff: StaffAccount,
        id: StaffId,
        raw: RawAccount,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        let details = AccountDetails::check(&raw, &*self.directory().await?)?;
        self.write(move |conn, _| accounts::change(conn, &staff.audit_actor(), id, &details))
            .await
    }

    pub async fn disable_account(
        &self,
        staff: StaffAccount,
        id: StaffId,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        self.write(move |conn, _| accounts::disable(conn, &staff.audit_actor(), id))
            .await
    }

    pub async fn enable_account(
        &self,
        staff: StaffAccount,
        id: StaffId,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        self.write(move |conn, _| accounts::enable(conn, &staff.audit_actor(), id))
            .await
    }

    pub async fn send_password_reset(
        &self,
        staff: StaffAccount,
        id: StaffId,
    ) -> Result<AccountListing, AppError> {
        admin_only(&staff)?;
        self.write(move |conn, ctx| accounts::send_reset(conn, ctx, &staff.audit_actor(), id))
            .await
    }

    /// Who a one-time link is for (410 when it no longer works).
    pub async fn link_holder(&self, token: String) -> Result<LinkHolder, AppError> {
        self.read(move |conn, _| accounts::link_holder(conn, &token))
            .await
    }

    /// Sets a password with a one-time link. The link is checked before the (slow) hash and
    /// spent in the write, so two uses at once set it once.
    pub async fn set_password(
        &self,
        token: String,
        password: NewPassword,
    ) -> Result<StaffAccount, AppError> {
        self.link_holder(token.clone()).await?;
        let hash = self
            .blocking(move |_| {
                secrets::hash_password(password.expose())
                    .map_err(|e| AppError::Internal(e.to_string()))
            })
            .await?;
        self.write(move |conn, _| accounts::set_password(conn, &token, &hash))
            .await
    }

    /// The department directory as routing reads it.
    pub async fn directory(&self) -> Result<std::sync::Arc<Directory>, AppError> {
        self.read(|conn, _| Ok(std::sync::Arc::new(crate::db::directory::load(conn)?)))
            .await
    }

    /// A department, with its signers' emails.
    pub async fn department(
        &self,
        staff: StaffAccount,
        queue: String,
    ) -> Result<(Department, Vec<String>), AppError> {
        admin_only(&staff)?;
        self.read(move |conn, _| {
            let department = departments::get(conn, &queue)?;
            let signers = departments::signer_emails(conn, &department)?;
            Ok((department, signers))
        })
        .await
    }

    pub async fn add_department(
        &self,
        staff: StaffAccount,
        raw: RawDepartment,
    ) -> Result<Department, AppError> {
        admin_only(&staff)?;
        let added = self
            .write(move |conn, _| departments::add(conn, &staff.audit_actor(), &raw))
            .await?;
        self.reload_live().await?;
        Ok(added)
    }

    pub async fn change_department(
        &self,
        staff: StaffAccount,
        queue: String,
        change: DepartmentChange,
    ) -> Result<Department, AppError> {
        admin_only(&staff)?;
        let changed = self
            .write(move |conn, _| departments::change(conn, &staff.audit_actor(), &queue, &change))
            .await?;
        self.reload_live().await?;
        Ok(changed)
    }

    /// The latest administrative changes, newest first, as the Administration page lists them.
    pub async fn admin_log(
        &self,
        staff: StaffAccount,
        limit: i64,
    ) -> Result<Vec<AdminLogEntry>, AppError> {
        admin_only(&staff)?;
        self.read(move |conn, ctx| {
            Ok(crate::db::admin::latest_events(conn, limit)?
                .into_iter()
                .map(|e| AdminLogEntry::from_event(ctx, e))
                .collect())
        })
        .await
    }

    /// The current datasets lacking fields DCAT-US 1.1 requires, as `data.json` publishes
    /// them, and how many current datasets there are (the catalog's admin page).
    pub async fn catalog_completeness(
        &self,
        staff: StaffAccount,
    ) -> Result<(Vec<crate::catalog::completeness::Incomplete>, usize), AppError> {
        admin_only(&staff)?;
        self.read(|conn, _| crate::catalog::view::incomplete(conn))
            .await
    }

    /// This year's and next year's calendar.
    pub async fn holiday_calendar(
        &self,
        staff: StaffAccount,
    ) -> Result<Vec<CalendarYear>, AppError> {
        admin_only(&staff)?;
        self.read(holidays::calendar).await
    }

    pub async fn change_day(
        &self,
        staff: StaffAccount,
        raw: RawDayChange,
    ) -> Result<DayChange, AppError> {
        admin_only(&staff)?;
        let change = DayChange::check(&raw, self.ctx().clock.today())?;
        let done = change.clone();
        self.write(move |conn, _| {
            holidays::change(conn, &staff.audit_actor(), Some(staff.id), &change)
        })
        .await?;
        self.reload_live().await?;
        Ok(done)
    }
}
