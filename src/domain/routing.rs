//! Where a new request goes (docs/PRODUCT.md, "Where a new request goes").

use super::access::{queue_name, StaffId};
use super::directory::Directory;
use super::status::RequestKind;

/// The City Clerk's queue: public records requests and anything without a better home.
pub const CLERK_QUEUE: &str = "city_clerk";

/// What the catalog knows about the dataset an access request names.
#[derive(Debug, Clone, Default)]
pub struct DatasetContacts {
    /// The staff account whose email matches the dataset's contact point, if any,
    /// with that steward's own department.
    pub steward: Option<(StaffId, Option<String>)>,
    /// The publisher the catalog names.
    pub publisher: Option<String>,
    /// The host names of the dataset's addresses (landing page, downloads).
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub queue: String,
    pub assignee: Option<StaffId>,
}

impl Route {
    fn clerk() -> Route {
        Route {
            queue: CLERK_QUEUE.to_string(),
            assignee: None,
        }
    }

    /// Whether nothing placed the request: it went to the Clerk because nobody else is named.
    pub fn unplaced(&self) -> bool {
        self.assignee.is_none() && self.queue == CLERK_QUEUE
    }
}

/// public_records → the Clerk; access requests → the dataset's steward (a staff account with
/// the dataset's contact email), in their department's queue; else the department the
/// directory places the dataset's publisher or host names in; else the Clerk.
pub fn route(kind: RequestKind, dataset: Option<&DatasetContacts>, directory: &Directory) -> Route {
    let Some(dataset) = dataset.filter(|_| kind.is_access()) else {
        return Route::clerk();
    };
    let department_queue = directory
        .for_catalog(dataset.publisher.as_deref(), &dataset.hosts)
        .map(|d| d.queue.clone());
    match &dataset.steward {
        Some((steward, steward_department)) => Route {
            queue: steward_department
                .as_deref()
                .map(|name| {
                    directory
                        .by_name(name)
                        .map_or_else(|| queue_name(name), |d| d.queue.clone())
                })
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
            None => Route::clerk(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::Department;

    fn department(id: i64, name: &str, publishers: &[&str]) -> Department {
        Department {
            id,
            name: name.into(),
            queue: queue_name(name),
            email: None,
            phone: None,
            publishers: publishers.iter().map(|p| p.to_string()).collect(),
            hosts: vec![],
            signers: vec![],
            version: 1,
        }
    }

    fn directory() -> Directory {
        Directory::new(vec![
            department(1, "Police", &[]),
            department(2, "Engineering", &[]),
            department(3, "Finance", &[]),
            department(4, "Public Works", &[]),
        ])
    }

    fn published_by(department: &str) -> Option<String> {
        Some(department.into())
    }

    #[test]
    fn public_records_requests_go_to_the_clerk_even_when_a_dataset_is_named() {
        let contacts = DatasetContacts {
            steward: Some((StaffId(4), Some("Police".into()))),
            publisher: published_by("Police"),
            ..Default::default()
        };
        let route = route(RequestKind::PublicRecords, Some(&contacts), &directory());
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
            publisher: published_by("Engineering"),
            ..Default::default()
        };
        for kind in [RequestKind::DatasetAccess, RequestKind::ApiAccess] {
            let route = route(kind, Some(&contacts), &directory());
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
            publisher: published_by("Police"),
            ..Default::default()
        };
        let route = route(RequestKind::ApiAccess, Some(&contacts), &directory());
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
            &directory(),
        );
        assert_eq!(
            route_none,
            Route {
                queue: CLERK_QUEUE.into(),
                assignee: None
            }
        );
        assert_eq!(
            route(RequestKind::DatasetAccess, None, &directory()).queue,
            CLERK_QUEUE
        );
    }

    #[test]
    fn a_steward_without_department_keeps_the_dataset_department_queue() {
        let contacts = DatasetContacts {
            steward: Some((StaffId(5), None)),
            publisher: published_by("Finance"),
            ..Default::default()
        };
        let route = route(RequestKind::DatasetAccess, Some(&contacts), &directory());
        assert_eq!(
            route,
            Route {
                queue: "finance".into(),
                assignee: Some(StaffId(5))
            }
        );
    }

    #[test]
    fn a_publisher_the_directory_does_not_know_leaves_the_request_with_the_clerk() {
        let contacts = DatasetContacts {
            steward: None,
            publisher: published_by("information.stpaul.gov"),
            hosts: vec!["information.stpaul.gov".into()],
        };
        let route = route(RequestKind::DatasetAccess, Some(&contacts), &directory());
        assert!(route.unplaced());
        let mut it = department(9, "Information Technology", &[]);
        it.hosts = vec!["information.stpaul.gov".into()];
        let with_it = Directory::new(vec![it]);
        let placed = super::route(RequestKind::DatasetAccess, Some(&contacts), &with_it);
        assert_eq!(placed.queue, "information_technology");
        assert!(!placed.unplaced());
    }
}
