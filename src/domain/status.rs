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
    /// A complaint, received and waiting for its department (docs/PRODUCT.md, "Complaints").
    Received,
    /// A complaint its department is looking into.
    Investigating,
    /// A complaint closed with what was found and done.
    Resolved,
    /// A complaint closed because another agency, named, handles the matter.
    Referred,
    /// A complaint closed without action, with the reason.
    Dismissed,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::Submitted,
        Status::UnderReview,
        Status::Granted,
        Status::Denied,
        Status::NoRecords,
        Status::Appealed,
        Status::AdministrativeReview,
        Status::Withdrawn,
        Status::Duplicate,
        Status::Received,
        Status::Investigating,
        Status::Resolved,
        Status::Referred,
        Status::Dismissed,
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
            Status::Received => "received",
            Status::Investigating => "investigating",
            Status::Resolved => "resolved",
            Status::Referred => "referred",
            Status::Dismissed => "dismissed",
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
                records_act: true,
            }
        }
        // A complaint's states: no CPRA clock, nothing to appeal; staff may keep files on an
        // open complaint, and nothing is released as records.
        const fn complaint(open: bool) -> Meaning {
            Meaning {
                open,
                appeal_stage: false,
                documents_added: open,
                documents_released: false,
                records_act: false,
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
            Status::Received | Status::Investigating => complaint(true),
            Status::Resolved | Status::Referred | Status::Dismissed => complaint(false),
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
    /// Never a complaint's: its clock is the city's service target, not the statute's.
    pub fn awaits_determination(self) -> bool {
        let meaning = self.meaning();
        meaning.open && !meaning.appeal_stage && meaning.records_act
    }

    /// A state of a complaint's lifecycle rather than a request's.
    pub fn is_complaint_state(self) -> bool {
        !self.meaning().records_act
    }

    /// The state a case of this kind starts in.
    pub fn first_of(kind: RequestKind) -> Status {
        match kind {
            RequestKind::Complaint => Status::Received,
            _ => Status::Submitted,
        }
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
    /// A request's state, under the Public Records Act; false for a complaint's.
    pub records_act: bool,
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
    /// A records or compliance complaint to a department (docs/PRODUCT.md, "Complaints").
    Complaint,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        RequestKind::PublicRecords,
        RequestKind::DatasetAccess,
        RequestKind::ApiAccess,
        RequestKind::Complaint,
    ];

    /// The kinds filed as requests (`POST /api/v1/requests`, the request form); a complaint
    /// has its own form and endpoint.
    pub const REQUESTS: [RequestKind; 3] = [
        RequestKind::PublicRecords,
        RequestKind::DatasetAccess,
        RequestKind::ApiAccess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::PublicRecords => "public_records",
            RequestKind::DatasetAccess => "dataset_access",
            RequestKind::ApiAccess => "api_access",
            RequestKind::Complaint => "complaint",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Access requests name a dataset and say what it will be used for.
    pub fn is_access(self) -> bool {
        matches!(self, RequestKind::DatasetAccess | RequestKind::ApiAccess)
    }

    pub fn is_complaint(self) -> bool {
        self == RequestKind::Complaint
    }

    /// What the wording's `$kind` selectors read: `complaint`, or `request` for the rest.
    pub fn words_kind(self) -> &'static str {
        match self {
            RequestKind::Complaint => "complaint",
            _ => "request",
        }
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
        assert!(!RequestKind::Complaint.is_access());
        assert!(!RequestKind::REQUESTS.contains(&RequestKind::Complaint));
    }

    #[test]
    fn a_complaint_runs_on_no_records_act_clock_and_starts_received() {
        let complaint: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.is_complaint_state())
            .collect();
        assert_eq!(
            complaint,
            [
                Status::Received,
                Status::Investigating,
                Status::Resolved,
                Status::Referred,
                Status::Dismissed
            ]
        );
        assert!(complaint.iter().all(|s| !s.awaits_determination()));
        assert!(Status::Received.is_open() && Status::Investigating.in_queue());
        assert!(!Status::Resolved.is_open() && !Status::Dismissed.in_queue());
        assert_eq!(Status::first_of(RequestKind::Complaint), Status::Received);
        assert_eq!(Status::first_of(RequestKind::ApiAccess), Status::Submitted);
    }
}
