//! The states a request moves through and the kinds of request there are.

use serde::{Deserialize, Serialize};

/// Where a request stands (docs/PRODUCT.md). Stored as its API name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    UnderReview,
    Granted,
    Denied,
    NoRecords,
    Appealed,
    AdministrativeReview,
    Withdrawn,
    /// Closed by staff because it repeats another request, which it names.
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Submitted,
        Status::UnderReview,
        Status::Granted,
        Status::Denied,
        Status::NoRecords,
        Status::Appealed,
        Status::AdministrativeReview,
        Status::Withdrawn,
        Status::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::Granted => "granted",
            Status::Denied => "denied",
            Status::NoRecords => "no_records",
            Status::Appealed => "appealed",
            Status::AdministrativeReview => "administrative_review",
            Status::Withdrawn => "withdrawn",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// What being in this state means, decided here once for each state: a new state makes
    /// this match ask every question at once, and the rules elsewhere read the answers.
    pub const fn meaning(self) -> Meaning {
        const fn means(
            open: bool,
            appeal_stage: bool,
            documents_added: bool,
            documents_released: bool,
        ) -> Meaning {
            Meaning {
                open,
                appeal_stage,
                documents_added,
                documents_released,
            }
        }
        match self {
            Status::Submitted => means(true, false, true, false),
            Status::UnderReview => means(true, false, true, true),
            Status::Granted => means(false, false, true, true),
            Status::Denied => means(false, false, false, false),
            Status::NoRecords => means(false, false, false, false),
            Status::Appealed => means(true, true, true, false),
            Status::AdministrativeReview => means(true, true, true, false),
            Status::Withdrawn => means(false, false, false, false),
            Status::Duplicate => means(false, false, false, false),
        }
    }

    /// Open requests have a clock running against someone on staff. A grant is not open, but
    /// it stays in the queue until its records are produced (`CaseFacts::in_production`).
    pub fn is_open(self) -> bool {
        self.meaning().open
    }

    /// Appeal states run on the review clock rather than the determination clock.
    pub fn is_appeal_stage(self) -> bool {
        self.meaning().appeal_stage
    }

    /// Open and not on appeal: the determination clock runs, and the deadline may be extended.
    pub fn awaits_determination(self) -> bool {
        let meaning = self.meaning();
        meaning.open && !meaning.appeal_stage
    }

    /// What the staff queue lists: open requests, and grants (of them, only those whose
    /// records are still to be produced; the database tells those apart).
    pub fn in_queue(self) -> bool {
        self.is_open() || self == Status::Granted
    }

    /// Neither withdrawn nor closed as a duplicate: the request went, or goes, its course.
    pub fn is_open_or_decided(self) -> bool {
        !matches!(self, Status::Withdrawn | Status::Duplicate)
    }

    /// A determination: what the city decided, initially or on review (Gov. Code §7922.535(a)).
    pub fn is_determination(self) -> bool {
        matches!(self, Status::Granted | Status::Denied | Status::NoRecords)
    }
}

/// The answers [`Status::meaning`] gives for a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    /// A clock runs against someone on staff.
    pub open: bool,
    /// The review clock runs rather than the determination clock.
    pub appeal_stage: bool,
    /// Staff may prepare response documents: open or granted, never withdrawn or denied.
    pub documents_added: bool,
    /// Records go to the requester: with a grant, or in part while under review.
    pub documents_released: bool,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is being asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    PublicRecords,
    DatasetAccess,
    ApiAccess,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [
        RequestKind::PublicRecords,
        RequestKind::DatasetAccess,
        RequestKind::ApiAccess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::PublicRecords => "public_records",
            RequestKind::DatasetAccess => "dataset_access",
            RequestKind::ApiAccess => "api_access",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Access requests name a dataset and say what it will be used for.
    pub fn is_access(self) -> bool {
        !matches!(self, RequestKind::PublicRecords)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_appeal_and_its_review_run_on_the_review_clock_and_a_state_prints_its_api_name() {
        let appeal: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.is_appeal_stage())
            .collect();
        assert_eq!(appeal, [Status::Appealed, Status::AdministrativeReview]);
        assert_eq!(Status::UnderReview.to_string(), "under_review");
        assert_eq!(format!("{}", Status::NoRecords), "no_records");
    }

    #[test]
    fn only_a_withdrawal_or_a_repeat_leaves_the_course_of_a_request() {
        let off_course: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| !s.is_open_or_decided())
            .collect();
        assert_eq!(off_course, [Status::Withdrawn, Status::Duplicate]);
        assert!(!Status::Duplicate.is_open() && !Status::Duplicate.is_determination());
    }

    #[test]
    fn every_status_round_trips_through_its_api_name() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(Status::parse("closed"), None);
    }

    #[test]
    fn every_kind_round_trips_through_its_api_name() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
        }
        assert!(!RequestKind::PublicRecords.is_access());
        assert!(RequestKind::ApiAccess.is_access());
    }
}
