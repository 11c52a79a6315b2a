//! The states a request moves through and the kinds of request there are.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a request stands (DESIGN.md §1). Stored as its API name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    UnderReview,
    Granted,
    Denied,
    Appealed,
    AdministrativeReview,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Submitted,
        Status::UnderReview,
        Status::Granted,
        Status::Denied,
        Status::Appealed,
        Status::AdministrativeReview,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::Granted => "granted",
            Status::Denied => "denied",
            Status::Appealed => "appealed",
            Status::AdministrativeReview => "administrative_review",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Open requests have a clock running against someone on staff.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Submitted
                | Status::UnderReview
                | Status::Appealed
                | Status::AdministrativeReview
        )
    }

    /// Appeal states run on the review clock rather than the determination clock.
    pub fn is_appeal_stage(self) -> bool {
        matches!(self, Status::Appealed | Status::AdministrativeReview)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is being asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
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
