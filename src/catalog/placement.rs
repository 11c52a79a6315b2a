//! Who handles an access request for a dataset (docs/PRODUCT.md, "Where a new request goes"):
//! what the catalog says of it (its contact's email, its publisher, the host names of its
//! addresses) read for `domain::routing::route`. Filing, the catalog import's report and the
//! dataset page all ask here, so they agree.

use diesel::QueryResult;

use super::view::Distribution;
use crate::db::models::DatasetRow;
use crate::db::{staff as staff_db, Conn};
use crate::domain::directory::host_of;
use crate::domain::routing::DatasetContacts;

/// The host names of a dataset's landing page and distributions, each once.
pub fn hosts_of(row: &DatasetRow) -> Vec<String> {
    let distributions: Vec<Distribution> =
        serde_json::from_str(&row.distributions).unwrap_or_default();
    hosts_in(
        row.landing_page
            .iter()
            .map(String::as_str)
            .chain(distributions.iter().map(|d| d.url.as_str())),
    )
}

/// The host names of these addresses, each once, in order.
pub fn hosts_in<'a>(addresses: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut hosts: Vec<String> = addresses.filter_map(host_of).collect();
    let mut seen = Vec::with_capacity(hosts.len());
    hosts.retain(|h| {
        let new = !seen.contains(h);
        seen.push(h.clone());
        new
    });
    hosts
}

/// What routing needs to know of a dataset: the active staff member (who takes assignments)
/// whose email is the dataset's contact point, its publisher and its host names.
pub fn contacts_of(conn: &mut Conn, row: &DatasetRow) -> QueryResult<DatasetContacts> {
    contacts(
        conn,
        row.steward_email.as_deref(),
        row.publisher.as_deref(),
        hosts_of(row),
    )
}

/// The same from a catalog entry's fields.
pub fn contacts(
    conn: &mut Conn,
    contact_email: Option<&str>,
    publisher: Option<&str>,
    hosts: Vec<String>,
) -> QueryResult<DatasetContacts> {
    let steward = match contact_email {
        Some(email) => staff_db::by_email(conn, &email.trim().to_lowercase())?
            .filter(|s| s.active != 0)
            .filter(|s| s.role.takes_assignments())
            .map(|s| (s.id, s.department)),
        None => None,
    };
    Ok(DatasetContacts {
        steward,
        publisher: publisher.map(str::to_string),
        hosts,
    })
}

/// Who an access request for a dataset would go to, as the dataset page says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandledBy {
    /// The staff member whose email is the dataset's contact, and their department.
    Steward {
        name: String,
        department: Option<String>,
    },
    /// A department's queue.
    Department { name: String },
    /// The City Clerk: nothing else places it.
    Clerk,
}

/// Asks routing where an access request for this dataset would go, and names it.
pub fn handled_by(
    conn: &mut Conn,
    row: &DatasetRow,
    directory: &crate::domain::directory::Directory,
) -> QueryResult<HandledBy> {
    use crate::domain::routing::{route, CLERK_QUEUE};
    use crate::domain::RequestKind;
    let contacts = contacts_of(conn, row)?;
    let route = route(RequestKind::DatasetAccess, Some(&contacts), directory);
    let department = directory.by_queue(&route.queue).map(|d| d.name.clone());
    Ok(match route.assignee {
        Some(id) => match staff_db::by_id(conn, id)? {
            Some(steward) => HandledBy::Steward {
                name: steward.name,
                department,
            },
            None => HandledBy::Clerk,
        },
        None if route.queue == CLERK_QUEUE => HandledBy::Clerk,
        None => HandledBy::Department {
            name: department.unwrap_or(route.queue),
        },
    })
}
