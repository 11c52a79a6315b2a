//! Requests that reach the office outside the web form (docs/PRODUCT.md, "Requests taken by
//! staff"): how each arrived, and the rule for its time of receipt, from which the CPRA clock
//! runs (Gov. Code §7922.535: ten days "from receipt of the request").

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// How a request reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The public form or the API: the requester filed it themselves.
    #[default]
    Web,
    Email,
    Mail,
    Phone,
    Fax,
    InPerson,
}

impl Channel {
    /// The channels staff record a request from; the web is the requester's own.
    pub const STAFF: [Channel; 5] = [
        Channel::Email,
        Channel::Mail,
        Channel::Phone,
        Channel::Fax,
        Channel::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Email => "email",
            Channel::Mail => "mail",
            Channel::Phone => "phone",
            Channel::Fax => "fax",
            Channel::InPerson => "in_person",
        }
    }

    /// A channel staff may record; "web" is not one of them.
    pub fn parse_staff(raw: &str) -> Result<Channel, String> {
        Channel::STAFF
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or_else(|| "must be one of email, mail, phone, fax, in_person".to_string())
    }

    /// The stored name, read back; anything unknown is the web (the column's default).
    pub fn from_stored(raw: &str) -> Channel {
        Channel::parse_staff(raw).unwrap_or(Channel::Web)
    }

    pub fn is_web(&self) -> bool {
        *self == Channel::Web
    }

    /// "by phone", as staff pages say it after "Received".
    pub fn words(self) -> &'static str {
        match self {
            Channel::Web => "through the website",
            Channel::Email => "by email",
            Channel::Mail => "by mail",
            Channel::Phone => "by phone",
            Channel::Fax => "by fax",
            Channel::InPerson => "in person",
        }
    }
}

/// Why a time of receipt staff typed is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the time of receipt cannot be in the future")]
    Future,
    #[error("the time of receipt is more than {0} days ago; file it with the date it arrived only within that time, or ask an administrator")]
    TooFarBack(u32),
}

/// Checks a time of receipt, both in the city's local time: not later than now, and not more
/// than `max_days_back` days before it. A request's clock runs from its true receipt, so a
/// letter opened late still counts from the day it arrived; the limit keeps a mistyped year
/// from filing a request already long overdue.
pub fn check_receipt(
    received: NaiveDateTime,
    now: NaiveDateTime,
    max_days_back: u32,
) -> Result<(), ReceiptError> {
    if received > now {
        return Err(ReceiptError::Future);
    }
    if now - received > Duration::days(i64::from(max_days_back)) {
        return Err(ReceiptError::TooFarBack(max_days_back));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn staff_record_five_channels_and_never_the_web() {
        for c in Channel::STAFF {
            assert_eq!(Channel::parse_staff(c.as_str()), Ok(c));
            assert_eq!(Channel::from_stored(c.as_str()), c);
        }
        assert!(Channel::parse_staff("web").is_err());
        assert!(Channel::parse_staff("carrier pigeon").is_err());
        assert_eq!(Channel::parse_staff(" phone "), Ok(Channel::Phone));
        assert_eq!(Channel::from_stored("web"), Channel::Web);
        assert_eq!(Channel::InPerson.words(), "in person");
    }

    #[test]
    fn only_the_web_is_the_requesters_own_and_each_keeps_its_stored_name() {
        assert!(Channel::Web.is_web());
        assert!(Channel::STAFF.iter().all(|c| !c.is_web()));
        assert_eq!(Channel::default(), Channel::Web);
        for c in Channel::STAFF.into_iter().chain([Channel::Web]) {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }

    #[test]
    fn a_receipt_is_taken_from_now_back_to_the_limit_and_no_further() {
        let now = at("2026-12-04 10:00");
        assert_eq!(check_receipt(now, now, 30), Ok(()));
        assert_eq!(check_receipt(at("2026-11-04 10:00"), now, 30), Ok(()));
        assert_eq!(
            check_receipt(at("2026-11-04 09:59"), now, 30),
            Err(ReceiptError::TooFarBack(30))
        );
        assert_eq!(
            check_receipt(at("2026-12-04 10:01"), now, 30),
            Err(ReceiptError::Future)
        );
    }
}
