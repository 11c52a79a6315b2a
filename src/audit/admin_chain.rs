//! The administration chain (docs/PRODUCT.md, "Administration"): every change an admin (or
//! the command line) makes to staff accounts, the department directory and the holidays,
//! hashed like a request's chain under the chain name `admin`, anchored and checked by
//! `audit verify` like the others. One-time links appear by their token's hash, never the token.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use serde::Serialize;
use serde_json::Value;

use super::anchor::Anchor;
use super::chain::Actor;
use super::side_chain;
use crate::db::admin as admin_db;
use crate::db::Conn;

/// The name the administration chain's events carry where a request's carry its number.
pub const CHAIN: &str = "admin";

/// An event of the administration chain.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum AdminEvent {
    /// An account made on the command line, with its password.
    StaffAdded {
        staff_id: i64,
        account: Value,
    },
    /// An account made by invitation: it has no password until the link is used.
    StaffInvited {
        staff_id: i64,
        account: Value,
        link_hash: String,
        expires_at: String,
    },
    /// Name, role, department or title changed: each as it was and as it is.
    StaffChanged {
        staff_id: i64,
        email: String,
        changes: Value,
    },
    /// Disabled, every sign-in ended.
    StaffDisabled {
        staff_id: i64,
        email: String,
        sessions_ended: usize,
    },
    StaffEnabled {
        staff_id: i64,
        email: String,
    },
    /// Every sign-in ended (`staff revoke-sessions`).
    SessionsRevoked {
        staff_id: i64,
        email: String,
        sessions_ended: usize,
    },
    /// A link to set a new password was sent; earlier ones stop working.
    ResetSent {
        staff_id: i64,
        email: String,
        link_hash: String,
        expires_at: String,
    },
    /// A one-time link was used: the password is set, the link spent.
    PasswordSet {
        staff_id: i64,
        email: String,
        link_hash: String,
        sessions_ended: usize,
    },
    /// The directory's first departments, from the configuration.
    DirectorySeeded {
        departments: Value,
    },
    DepartmentAdded {
        department_id: i64,
        department: Value,
    },
    DepartmentChanged {
        department_id: i64,
        before: Value,
        after: Value,
    },
    /// A day closed over the computed calendar (with the name requesters see), or opened.
    HolidaySet {
        day: NaiveDate,
        closed: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// A day given back to the computed calendar.
    HolidayCleared {
        day: NaiveDate,
    },
    /// A portal's catalog imported (`catalog import`): the file's hash and what it changed.
    CatalogImported {
        sha256: String,
        added: usize,
        updated: usize,
        unchanged: usize,
        withdrawn: usize,
        unplaced: usize,
    },
}

impl AdminEvent {
    pub fn action(&self) -> &'static str {
        match self {
            AdminEvent::StaffAdded { .. } => "staff_added",
            AdminEvent::StaffInvited { .. } => "staff_invited",
            AdminEvent::StaffChanged { .. } => "staff_changed",
            AdminEvent::StaffDisabled { .. } => "staff_disabled",
            AdminEvent::StaffEnabled { .. } => "staff_enabled",
            AdminEvent::SessionsRevoked { .. } => "sessions_revoked",
            AdminEvent::ResetSent { .. } => "password_reset_sent",
            AdminEvent::PasswordSet { .. } => "password_set",
            AdminEvent::DirectorySeeded { .. } => "directory_seeded",
            AdminEvent::DepartmentAdded { .. } => "department_added",
            AdminEvent::DepartmentChanged { .. } => "department_changed",
            AdminEvent::HolidaySet { .. } => "holiday_set",
            AdminEvent::HolidayCleared { .. } => "holiday_cleared",
            AdminEvent::CatalogImported { .. } => "catalog_imported",
        }
    }
}

/// Appends an event, in the caller's transaction (which holds the chain's head until it ends).
pub fn append(
    conn: &mut Conn,
    at: NaiveDateTime,
    actor: &Actor,
    event: &AdminEvent,
) -> QueryResult<()> {
    let head = admin_db::lock_head(conn)?;
    let row = side_chain::next_event(CHAIN, head, at, actor, event.action(), event);
    admin_db::insert_event(conn, &row)
}

/// What does not hold in the administration chain, one line each.
pub fn verify(conn: &mut Conn, anchor: Option<&Anchor>) -> QueryResult<Vec<String>> {
    let events = admin_db::events(conn)?;
    let mut problems = side_chain::check(CHAIN, &events);
    if let Some((seq, hash)) = anchor.and_then(|a| a.head(CHAIN)) {
        problems.extend(side_chain::check_anchor(CHAIN, &events, seq, hash));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::chain::{self, GENESIS_HASH};
    use crate::db::mail::ChainEventRow;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn chain_of(n: i64) -> Vec<ChainEventRow> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let content = format!(r#"{{"staff_id":{seq}}}"#);
                let line = chain::canonical(CHAIN, seq, at(), "system", "staff_enabled", &content);
                let hash = chain::hash(&prev, &line);
                let row = ChainEventRow {
                    seq,
                    at: at(),
                    actor: "system".into(),
                    action: "staff_enabled".into(),
                    content,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn an_altered_event_in_the_administration_chain_is_named_as_such() {
        assert!(side_chain::check(CHAIN, &chain_of(3)).is_empty());
        let mut altered = chain_of(3);
        altered[1].content = r#"{"staff_id":99}"#.into();
        assert_eq!(
            side_chain::check(CHAIN, &altered),
            ["admin chain: event 2 was altered after it was written"]
        );
        // A mail chain's events are not an administration chain's: the name is hashed.
        assert!(!side_chain::check("mail", &chain_of(2)).is_empty());
    }

    #[test]
    fn each_event_has_its_own_action_and_leaves_out_what_it_lacks() {
        let set = AdminEvent::HolidaySet {
            day: chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(),
            closed: false,
            name: None,
        };
        assert_eq!(set.action(), "holiday_set");
        let content = serde_json::to_value(&set).unwrap();
        assert!(content.get("name").is_none(), "{content}");
        assert_eq!(content["day"], "2026-12-28");
    }
}
