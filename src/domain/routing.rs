//! Where a new request goes (docs/PRODUCT.md, "Where a new request goes").

use super::access::{queue_name, StaffId};
use super::status::RequestKind;

/// The City Clerk's queue: public records requests and anything without a better home.
pub const CLERK_QUEUE: &str = "city_clerk";

/// What the catalog knows about the dataset an access request names.
#[derive(Debug, Clone, Default)]
pub struct DatasetContacts {
    /// The staff account whose email matches the dataset's contact point, if any,
    /// with that steward's own department.
    pub steward: Option<(StaffId, Option<String>)>,
    /// The department that publishes the dataset, if known.
    pub department: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub queue: String,
    pub assignee: Option<StaffId>,
}

/// public_records → the Clerk; access requests → the dataset's steward, else the dataset's
/// department queue, else the Clerk.
pub fn route(kind: RequestKind, dataset: Option<&DatasetContacts>) -> Route {
    let clerk = Route {
        queue: CLERK_QUEUE.to_string(),
        assignee: None,
    };
    let Some(dataset) = dataset.filter(|_| kind.is_access()) else {
        return clerk;
    };
    let department_queue = dataset
        .department
        .as_deref()
        .map(queue_name)
        .filter(|q| !q.is_empty());
    match &dataset.steward {
        Some((steward, steward_department)) => Route {
            queue: steward_department
                .as_deref()
                .map(queue_name)
                .filter(|q| !q.is_empty())
                .or(department_queue)
                .unwrap_or_else(|| CLERK_QUEUE.to_string()),
            assignee: Some(*steward),
        },
        None => match department_queue {
            Some(queue) => Route {
                queue,
                assignee: None,
            },
            None => clerk,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_records_requests_go_to_the_clerk_even_when_a_dataset_is_named() {
        let contacts = DatasetContacts {
            steward: Some((StaffId(4), Some("Police".into()))),
            department: Some("Police".into()),
        };
        let route = route(RequestKind::PublicRecords, Some(&contacts));
        assert_eq!(
            route,
            Route {
                queue: CLERK_QUEUE.into(),
                assignee: None
            }
        );
    }

    #[test]
    fn access_requests_go_to_the_datasets_steward_in_their_department_queue() {
        let contacts = DatasetContacts {
            steward: Some((StaffId(4), Some("Public Works".into()))),
            department: Some("Engineering".into()),
        };
        for kind in [RequestKind::DatasetAccess, RequestKind::ApiAccess] {
            let route = route(kind, Some(&contacts));
            assert_eq!(
                route,
                Route {
                    queue: "public_works".into(),
                    assignee: Some(StaffId(4))
                }
            );
        }
    }

    #[test]
    fn without_a_steward_access_requests_go_to_the_department_queue() {
        let contacts = DatasetContacts {
            steward: None,
            department: Some("Police".into()),
        };
        let route = route(RequestKind::ApiAccess, Some(&contacts));
        assert_eq!(
            route,
            Route {
                queue: "police".into(),
                assignee: None
            }
        );
    }

    #[test]
    fn without_steward_or_department_access_requests_go_to_the_clerk() {
        let route_none = route(
            RequestKind::DatasetAccess,
            Some(&DatasetContacts::default()),
        );
        assert_eq!(
            route_none,
            Route {
                queue: CLERK_QUEUE.into(),
                assignee: None
            }
        );
        assert_eq!(route(RequestKind::DatasetAccess, None).queue, CLERK_QUEUE);
    }

    #[test]
    fn a_steward_without_department_keeps_the_dataset_department_queue() {
        let contacts = DatasetContacts {
            steward: Some((StaffId(5), None)),
            department: Some("Finance".into()),
        };
        let route = route(RequestKind::DatasetAccess, Some(&contacts));
        assert_eq!(
            route,
            Route {
                queue: "finance".into(),
                assignee: Some(StaffId(5))
            }
        );
    }
}
